"""Functions of one input, entry by entry: forward beside its local derivative."""

import math

import numpy as np

from ..function import Function
from ..value import data_of
from .dialect import _exp, _log, _sqrt, _tanh, check_real, div, raw_sigmoid, sigmoid, where


def _positive(x):
    """The mask z > 0 as data (1.0/0.0): a constant even when the walk is recorded."""
    x = data_of(x)
    return (1.0 if x > 0 else 0.0) if type(x) is float else (x > 0).astype(x.dtype)


class Exp(Function, name="exp", method="exp", elementwise=True, ufunc=np.exp):
    @staticmethod
    def forward(ctx, x):
        return _exp(x)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.output  # (eˣ)' = eˣ


class Log(Function, name="log", symbol="ln", method="log", elementwise=True, ufunc=np.log):
    @staticmethod
    def forward(ctx, x):
        return _log(x)

    @staticmethod
    def backward(ctx, g):
        return div(g, ctx.inputs[0])  # (ln x)' = 1/x


class Tanh(Function, name="tanh", method="tanh", activation=True, elementwise=True, ufunc=np.tanh):
    @staticmethod
    def forward(ctx, x):
        return np.tanh(x) if type(x) is not float else _tanh(x)  # (arrays straight to numpy: no warnings)

    @staticmethod
    def backward(ctx, g):
        a = ctx.output
        return g * (1.0 - a * a)  # tanh' = 1 − a² (a float 1: numpy converts an int each call)


class Sigmoid(Function, name="sigmoid", symbol="σ", method="sigmoid", activation=True, elementwise=True):
    @staticmethod
    def forward(ctx, z):
        return raw_sigmoid(z)

    @staticmethod
    def backward(ctx, g):
        a = ctx.output
        return g * a * (1 - a)  # σ' = a(1 − a)


class ReLU(Function, name="relu", method="relu", activation=True, elementwise=True):
    @staticmethod
    def forward(ctx, x):
        if type(x) is float:
            return x if x > 0 or x != x else 0.0  # x != x: keep nan visible
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, g):
        return g * _positive(ctx.inputs[0])  # 1 if z > 0 else 0 (0 at z = 0)


class LeakyReLU(Function, name="leaky_relu", method="leaky_relu", activation=True, elementwise=True):
    @staticmethod
    def forward(ctx, x, slope=0.01):
        check_real("leaky_relu", "slope", slope)
        if type(x) is float:
            return x if x > 0 else x * slope
        return np.where(x > 0, x, x * slope)  # (x's dtype: float32 stays float32)

    @staticmethod
    def backward(ctx, g):  # 1 if z > 0 else slope (slope at 0)
        return g * where(_positive(ctx.inputs[0]) > 0, 1.0, ctx.attrs.get("slope", 0.01))


class Softplus(Function, name="softplus", symbol="softplus", method="softplus", activation=True, elementwise=True):
    """log(1 + eᶻ), the smooth relu; computed as max(z, 0) + log(1 + e^(−|z|)), never overflowing."""

    @staticmethod
    def forward(ctx, z):
        if type(z) is float:
            return max(z, 0.0) + math.log1p(math.exp(-abs(z))) if z == z else z
        return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))

    @staticmethod
    def backward(ctx, g):
        return g * sigmoid(ctx.inputs[0])  # softplus' = σ(z)


class Sqrt(Function, name="sqrt", symbol="√", method="sqrt", elementwise=True, ufunc=np.sqrt):
    @staticmethod
    def forward(ctx, x):
        return _sqrt(x)

    @staticmethod
    def backward(ctx, g):
        return div(g, 2 * ctx.output)  # (√x)' = 1 / (2√x)
