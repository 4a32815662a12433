"""Ops that move entries without changing them: transpose, reshape, broadcast, select."""

import numpy as np

from ..function import Function
from ..messages import bilingual
from ..value import Value, data_of, shape
from .dialect import check_ints, reshape, transpose, where


class Transpose(Function, name="transpose", symbol="ᵀ", method="transpose"):
    @classmethod
    def call(cls, x, *axes):  # x.transpose(), x.transpose(1, 0), x.transpose((1, 0))
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return cls.apply(x, axes=tuple(axes) if axes else None)

    @staticmethod
    def forward(ctx, x, axes=None):
        if axes is not None:
            check_ints("transpose", "axes", axes)
        return np.transpose(x, axes)

    @staticmethod
    def backward(ctx, g):
        axes, n = ctx.attrs.get("axes"), len(shape(g))
        return transpose(g, None if axes is None else tuple(int(i) for i in np.argsort([a % n for a in axes])))


class Reshape(Function, name="reshape", method="reshape"):
    @classmethod
    def call(cls, x, *s):  # x.reshape(2, 3), x.reshape((2, 3))
        if len(s) == 1 and isinstance(s[0], (tuple, list)):
            s = s[0]
        return cls.apply(x, shape=tuple(s))

    @staticmethod
    def forward(ctx, x, shape=()):
        check_ints("reshape", "shape", shape)
        return np.reshape(x, shape)

    @staticmethod
    def backward(ctx, g):
        return reshape(g, shape(ctx.inputs[0]))


class BroadcastTo(Function, name="broadcast_to"):
    """Used by Sum/Mean backward when the grad is itself a graph (create_graph=True)."""

    @staticmethod
    def forward(ctx, x, shape=()):
        check_ints("broadcast_to", "shape", shape)
        return np.array(np.broadcast_to(x, shape))

    @staticmethod
    def backward(ctx, g):
        return g  # the walk sums it back to x's shape


class Where(Function, name="where", elementwise=True):
    """a where cond else b; cond is data (a mask), not an input to differentiate."""

    @staticmethod
    def forward(ctx, a, b, cond=True):
        return where(cond, a, b)

    @staticmethod
    def backward(ctx, g):
        cond = ctx.attrs["cond"]
        return where(cond, g, 0.0), where(cond, 0.0, g)  # 1 where chosen, else 0


class Astype(Function, name="astype", method="astype"):
    """x in another float dtype (float32 ⇄ float64); its grad goes back in x's own dtype. The walk
    uses it to keep a float32 leaf's grads float32 when the walk is recorded (create_graph)."""

    @staticmethod
    def forward(ctx, x, dtype=np.float64):
        try:
            kind = None if dtype is None else np.dtype(dtype)
        except (TypeError, ValueError, SyntaxError):  # numpy parses a string such as "," as Python
            kind = None
        if kind is None or kind.kind != "f":
            raise TypeError(
                bilingual(
                    f"astype: 只能转换为浮点类型，收到 {dtype!r:.40}",
                    f"astype: only a float dtype (np.float32, np.float64), got {dtype!r:.40}",
                )
            )
        return x if type(x) is float else x.astype(kind)

    @staticmethod
    def backward(ctx, g):
        x = ctx.inputs[0]
        if type(data_of(x)) is float:
            return g
        kind = data_of(x).dtype
        return g.astype(kind) if isinstance(g, Value) or type(g) is np.ndarray else np.asarray(g, dtype=kind)
