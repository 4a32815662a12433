"""Reductions: sum and mean over axes. Each input entry's derivative is 1 (or 1/n)."""
import numpy as np

from ..function import Function
from ..value import shape
from .dialect import expand, kept_shape, reshape


class Sum(Function):
    name, symbol, method = "sum", "Σ", "sum"
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        return x.sum(axis=axis, keepdims=keepdims) if type(x) is not float else x  # .sum(): np.sum's wrapper is slow
    @staticmethod
    def backward(ctx, g):
        s = shape(ctx.inputs[0])
        return expand(reshape(g, kept_shape(s, ctx.attrs.get("axis"))), s)   # each input entry: 1


class Mean(Function):
    name, method = "mean", "mean"
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        return x.mean(axis=axis, keepdims=keepdims) if type(x) is not float else x
    @staticmethod
    def backward(ctx, g):
        s = shape(ctx.inputs[0])
        kept = kept_shape(s, ctx.attrs.get("axis"))
        n = max(1, int(np.prod(s)) // max(1, int(np.prod(kept))))
        return expand(reshape(g, kept) / n, s)              # each input entry: 1/n
