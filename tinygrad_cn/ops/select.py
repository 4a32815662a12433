"""Ops that choose between entries: |x|, maximum/minimum of two inputs, clip. The derivative
goes to the entry chosen; at a tie it is split evenly (as PyTorch does for maximum/minimum)."""

import numpy as np

from ..function import Function
from ..messages import bilingual
from ..value import data_of
from .dialect import check_real


def _sign(x):
    """sign(x) as data: 0 at 0 and at nan, as PyTorch gives for |x|' (numbers and arrays alike)."""
    x = data_of(x)
    if type(x) is float:
        return 1.0 if x > 0 else -1.0 if x < 0 else 0.0
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)  # (np.sign would give nan at nan)


class Abs(Function, name="abs", symbol="|·|", operator="abs", method="abs", elementwise=True, ufunc=np.absolute):
    @staticmethod
    def forward(ctx, x):
        return abs(x)

    @staticmethod
    def backward(ctx, g):
        return g * _sign(ctx.inputs[0])  # |x|' = sign(x), 0 at 0


class Maximum(Function, name="maximum", symbol="max", method="maximum", elementwise=True, ufunc=np.maximum):
    @staticmethod
    def forward(ctx, a, b):
        return np.maximum(a, b)  # nan stays nan, as numpy

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        wins = (data_of(a) > data_of(b)) * 1.0 + (data_of(a) == data_of(b)) * 0.5  # a's share: 1, ½ at a tie
        return g * wins, g * (1.0 - wins)


class Minimum(Function, name="minimum", symbol="min", method="minimum", elementwise=True, ufunc=np.minimum):
    @staticmethod
    def forward(ctx, a, b):
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        wins = (data_of(a) < data_of(b)) * 1.0 + (data_of(a) == data_of(b)) * 0.5
        return g * wins, g * (1.0 - wins)


class Clip(Function, name="clip", method="clip", elementwise=True):
    """min(max(x, lo), hi); the derivative is 1 where lo ≤ x ≤ hi (as PyTorch's clamp), else 0."""

    @staticmethod
    def forward(ctx, x, lo=None, hi=None):
        if lo is None and hi is None:
            raise ValueError(bilingual("clip: 至少给出 lo 或 hi 之一", "clip: give lo or hi (or both)"))
        check_real("clip", "lo", lo, optional=True)
        check_real("clip", "hi", hi, optional=True)
        out = np.clip(x, lo, hi)
        return float(out) if np.ndim(out) == 0 else out  # (a number clipped to array bounds: an array)

    @staticmethod
    def backward(ctx, g):
        x, lo, hi = data_of(ctx.inputs[0]), ctx.attrs.get("lo"), ctx.attrs.get("hi")
        inside = np.ones(np.shape(x), dtype=bool)
        if lo is not None:
            inside = inside & np.asarray(x >= lo)  # (not &=: bounds may be wider than x)
        if hi is not None:
            inside = inside & np.asarray(x <= hi)
        return g * (inside.astype(np.float64) if inside.ndim else float(inside))


def maximum(a, b):
    """Entry by entry, the larger of a and b (a tie shares the derivative evenly)."""
    return Maximum.apply(a, b)


def minimum(a, b):
    """Entry by entry, the smaller of a and b (a tie shares the derivative evenly)."""
    return Minimum.apply(a, b)
