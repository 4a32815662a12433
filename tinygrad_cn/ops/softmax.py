"""softmax and log_softmax over an axis (axis=0: the course's examples are columns), stable at
large logits: the largest entry is subtracted first."""

import numpy as np

from ..function import Function
from .dialect import exp
from .reduce import check_axis


def _sum(x, axis):
    return x if type(x) is float else x.sum(axis=axis, keepdims=True)  # (a number is its own sum)


class Softmax(Function, name="softmax", symbol="softmax", method="softmax"):
    @staticmethod
    def forward(ctx, z, axis=0):
        check_axis("softmax", z, axis)
        e = np.exp(z - np.max(z, axis=axis, keepdims=True, initial=-np.inf))  # (initial: an empty z is no error)
        return e / e.sum(axis=axis, keepdims=True)

    @staticmethod
    def backward(ctx, g):  # ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ): dz = a ⊙ (g − Σ g ⊙ a)
        a, axis = ctx.output, ctx.attrs.get("axis", 0)
        return a * (g - _sum(g * a, axis))


class LogSoftmax(Function, name="log_softmax", symbol="log softmax", method="log_softmax"):
    @staticmethod
    def forward(ctx, z, axis=0):
        check_axis("log_softmax", z, axis)
        shifted = z - np.max(z, axis=axis, keepdims=True, initial=-np.inf)
        return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

    @staticmethod
    def backward(ctx, g):  # dz = g − softmax(z) Σ g
        out, axis = ctx.output, ctx.attrs.get("axis", 0)
        return g - exp(out) * _sum(g, axis)


def softmax(z, axis=0, **unknown):
    """e^z / Σ e^z over `axis` (columns are examples: axis=0)."""
    return Softmax.apply(z, axis=axis, **unknown)  # (an unknown keyword is refused there, in both languages)


def log_softmax(z, axis=0, **unknown):
    """z − log Σ e^z over `axis`, never overflowing."""
    return LogSoftmax.apply(z, axis=axis, **unknown)
