"""Reductions: sum and mean over axes. Each input entry's derivative is 1 (or 1/n)."""

import numpy as np

from ..function import Function
from ..messages import bilingual
from ..value import data_of, shape
from .dialect import expand, kept_shape, reshape


def check_axis(op, x, axis, keepdims=False):
    """numpy lets a number be summed over axis 0; the course never means that: refuse it."""
    if not isinstance(keepdims, (bool, np.bool_)):
        raise TypeError(
            bilingual(
                f"{op}: keepdims 必须是 True 或 False，收到 {keepdims!r:.40}",
                f"{op}: keepdims must be True or False, got {keepdims!r:.40}",
            )
        )
    if axis is None:
        return
    n = np.ndim(x)
    for a in axis if isinstance(axis, tuple) else (axis,):
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)) or not -n <= a < n:
            raise ValueError(
                bilingual(
                    f"{op}: axis={axis!r} 超出范围，输入只有 {n} 维",
                    f"{op}: axis={axis!r} is out of range for an input of {n} dimensions",
                )
            )


class Sum(Function, name="sum", symbol="Σ", method="sum"):
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        check_axis("sum", x, axis, keepdims)
        if type(x) is float:
            return x
        return np.asarray(x).sum(axis=axis, keepdims=bool(keepdims))  # .sum(): np.sum's wrapper is slow

    @staticmethod
    def backward(ctx, g):
        s = shape(ctx.inputs[0])
        return expand(reshape(g, kept_shape(s, ctx.attrs.get("axis"))), s)  # each input entry: 1


class Mean(Function, name="mean", method="mean"):
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        check_axis("mean", x, axis, keepdims)
        if type(x) is float:
            return x
        return np.asarray(x).mean(axis=axis, keepdims=bool(keepdims))

    @staticmethod
    def backward(ctx, g):
        s = shape(ctx.inputs[0])
        kept = kept_shape(s, ctx.attrs.get("axis"))
        n = max(1, int(np.prod(s)) // max(1, int(np.prod(kept))))
        return expand(reshape(g, kept) / n, s)  # each input entry: 1/n


def _extreme(op, pick, x, axis, keepdims):
    check_axis(op, x, axis, keepdims)
    if np.size(x) == 0:
        raise ValueError(bilingual(f"{op}: 空数组没有{op}", f"{op} of an empty array"))
    out = pick(np.asarray(x), axis=axis, keepdims=bool(keepdims))  # (numpy takes no np.True_ here)
    return float(out) if np.ndim(out) == 0 else out


def _to_extremes(ctx, g):
    """max/min's derivative: to the entries that reach it, split evenly at a tie (as torch.amax)."""
    x = ctx.inputs[0]
    s = shape(x)
    kept = kept_shape(s, ctx.attrs.get("axis"))
    hit = np.asarray(data_of(x) == np.reshape(data_of(ctx.output), kept), dtype=np.float64)
    share = hit / hit.sum(axis=ctx.attrs.get("axis"), keepdims=True)
    return expand(reshape(g, kept), s) * (float(share) if type(data_of(x)) is float else share)


class Max(Function, name="max", method="max"):
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        return _extreme("max", np.max, x, axis, keepdims)

    backward = staticmethod(_to_extremes)


class Min(Function, name="min", method="min"):
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        return _extreme("min", np.min, x, axis, keepdims)

    backward = staticmethod(_to_extremes)
