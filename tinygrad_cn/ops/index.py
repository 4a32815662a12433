"""Picking entries out and putting arrays together: x[i], slices, integer arrays and boolean
masks; concatenate and stack. Backward puts each grad back where its entries came from
(repeated indices summed)."""

import numbers

import numpy as np

from ..function import REGISTRY, Function
from ..messages import bilingual
from ..value import Value, as_data, shape
from .dialect import check_ints


def _index(index):
    """An index numpy takes as it is: lists become arrays; Values and floats are refused."""
    parts = index if isinstance(index, tuple) else (index,)
    clean = []
    for p in parts:
        if isinstance(p, Value) or isinstance(p, (float, np.floating)) or isinstance(p, str):
            raise TypeError(
                bilingual(
                    f"索引必须是整数、切片、整数数组或布尔掩码，收到 {type(p).__name__}",
                    f"an index must be integers, slices, integer arrays or a boolean mask, got {type(p).__name__}",
                )
            )
        if isinstance(p, list):
            try:
                p = np.asarray(p)
            except ValueError:  # a ragged list
                p = np.asarray(None)
            if p.dtype.kind not in "iub" and (p.size or p.ndim != 1):
                raise TypeError(
                    bilingual(
                        "索引数组必须是整数或布尔", f"an index array must hold integers or booleans, got {p.dtype}"
                    )
                )
            p = p.astype(np.int64) if p.dtype.kind != "b" else p  # (x[[]]: no entries, as numpy)
        clean.append(p)
    return tuple(clean) if isinstance(index, tuple) else clean[0]


def scatter(g, index, in_shape):
    """The grad of x[index]: zeros of x's shape with g added at index (repeats summed)."""
    if isinstance(g, Value):
        return REGISTRY["scatter"].apply(g, index=index, shape=in_shape)
    out = np.zeros(in_shape)
    np.add.at(out, index, g)
    return out


class Index(Function, name="index", symbol="[·]", operator="getitem"):
    @classmethod
    def call(cls, x, index):
        return cls.apply(x, index=_index(index))

    @staticmethod
    def forward(ctx, x, index=()):
        if type(x) is float:
            raise TypeError(bilingual("一个数不能取下标", "a number has no entries to index"))
        out = x[index]
        return float(out) if np.ndim(out) == 0 else np.array(out)

    @staticmethod
    def backward(ctx, g):
        return scatter(g, ctx.attrs["index"], shape(ctx.inputs[0]))


class Scatter(Function, name="scatter"):
    """Used by Index's backward when the grad is itself a graph (create_graph=True)."""

    @staticmethod
    def forward(ctx, g, index=(), shape=()):
        check_ints("scatter", "shape", shape)
        out = np.zeros(shape)
        np.add.at(out, index, g)
        return out

    @staticmethod
    def backward(ctx, g):
        return g[ctx.attrs["index"]] if isinstance(g, Value) else np.asarray(g)[ctx.attrs["index"]]


def _axis(axis, ndim, op):
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -ndim <= axis < ndim:
        raise ValueError(
            bilingual(f"{op}: axis={axis!r} 超出范围", f"{op}: axis={axis!r} is out of range for {ndim} dimensions")
        )
    return axis % ndim


class Concatenate(Function, name="concatenate", symbol="concat"):
    @staticmethod
    def forward(ctx, *xs, axis=0):
        check_ints("concatenate", "axis", (axis,))
        return np.concatenate([np.atleast_1d(x) for x in xs], axis=axis)

    @staticmethod
    def backward(ctx, g):
        xs, axis = ctx.inputs, ctx.attrs.get("axis", 0)
        ends = np.cumsum([(shape(x) or (1,))[axis] for x in xs])  # a number was joined as one entry
        cut = [slice(None)] * len(shape(g))
        grads = []
        for start, end in zip([0, *ends[:-1]], ends):
            cut[axis] = slice(int(start), int(end))
            grads.append(g[tuple(cut)])
        return tuple(grads)


class Stack(Function, name="stack", symbol="stack"):
    @staticmethod
    def forward(ctx, *xs, axis=0):
        check_ints("stack", "axis", (axis,))
        return np.stack(xs, axis=axis)

    @staticmethod
    def backward(ctx, g):
        n, axis = len(ctx.inputs), ctx.attrs.get("axis", 0)
        ndim = len(shape(g))
        return tuple(g[(slice(None),) * (axis % ndim) + (k,)] for k in range(n))


def _arrays(xs, op):
    if isinstance(xs, (Value, np.ndarray)) or not isinstance(xs, (list, tuple)) or not xs:
        raise TypeError(bilingual(f"{op} 需要一个非空的列表", f"{op} needs a non-empty list of Values or arrays"))
    return [x if isinstance(x, Value) else as_data(x, op) for x in xs]  # (a ragged list: refused here)


def concatenate(xs, axis=0):
    """Join Values (or arrays) along an existing axis; each must have the others' shape elsewhere."""
    xs = _arrays(xs, "concatenate")
    _axis(axis, max(len(shape(x.data if isinstance(x, Value) else np.asarray(x))) for x in xs) or 1, "concatenate")
    return Concatenate.apply(*xs, axis=axis)


def stack(xs, axis=0):
    """Join Values (or arrays) of one shape along a new axis."""
    xs = _arrays(xs, "stack")
    _axis(axis, len(shape(xs[0].data if isinstance(xs[0], Value) else np.asarray(xs[0]))) + 1, "stack")
    return Stack.apply(*xs, axis=axis)
