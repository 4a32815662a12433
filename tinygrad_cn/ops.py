"""Every built-in op: its forward, and next to it its node-local derivative.

Rules are written once for all three kinds of data they meet: Python floats,
numpy arrays, and (during `backward(create_graph=True)`) Values, so the same
rule gives first and higher derivatives. The few calls that differ by kind
go through the small helpers at the top. Broadcasting is not handled here:
the walk sums every returned grad back to its input's shape.
"""
import math

import numpy as np

from .function import Function
from .value import Value, shape


# ---- helpers that work on floats, arrays and Values ------------------------
def _float_or_numpy(math_fn, np_fn):
    """math on a float (fast); numpy on arrays and where math refuses (then inf/nan, as numpy gives)."""
    def f(x):
        if type(x) is float:
            try:
                return math_fn(x)
            except (OverflowError, ValueError, ZeroDivisionError):
                pass
        return np_fn(x)
    return f


_exp = _float_or_numpy(math.exp, np.exp)
_log_raw = _float_or_numpy(math.log, np.log)
_tanh = _float_or_numpy(math.tanh, np.tanh)


def log(x):
    return x.log() if isinstance(x, Value) else _log_raw(x)


def power(x, y):
    if isinstance(x, Value) or isinstance(y, Value):
        return Pow.apply(x, y)
    try:
        out = x ** y
    except (ZeroDivisionError, OverflowError):
        out = None
    if out is None or type(out) is complex:
        out = np.power(x, y)  # float semantics of arrays: inf, nan
    return out


def reshape(g, s):
    return g.reshape(s) if isinstance(g, Value) else np.reshape(g, s)


def expand(g, s):
    if shape(g) == s:
        return g
    return BroadcastTo.apply(g, shape=s) if isinstance(g, Value) else np.broadcast_to(g, s)


def kept_shape(in_shape, axis):
    """Shape of a reduction over `axis` with keepdims=True."""
    if axis is None:
        return (1,) * len(in_shape)
    axes = {a % len(in_shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
    return tuple(1 if i in axes else n for i, n in enumerate(in_shape))


# ---- arithmetic -------------------------------------------------------------
class Add(Function):
    name, elementwise = "+", True
    @staticmethod
    def forward(ctx, a, b): return a + b
    @staticmethod
    def backward(ctx, g): return g, g                       # d(a+b)/da = 1, d(a+b)/db = 1


class Sub(Function):
    name, elementwise = "-", True
    @staticmethod
    def forward(ctx, a, b): return a - b
    @staticmethod
    def backward(ctx, g): return g, -g                      # 1, -1


class Mul(Function):
    name, elementwise = "*", True
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g * b, g * a                                 # d(ab)/da = b, d(ab)/db = a


class Div(Function):
    name, elementwise = "/", True
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        try:
            return a / b
        except ZeroDivisionError:
            return np.divide(a, b)                          # ±inf or nan, as for arrays
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g / b, -g * a / (b * b)                      # 1/b, -a/b²


class Pow(Function):
    name, elementwise = "**", True
    @staticmethod
    def forward(ctx, x, y):
        out = power(x, y)
        ctx.save_for_backward(x, y, out)
        return out
    @staticmethod
    def backward(ctx, g):
        x, y, out = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        gx = g * y * power(x, y - 1) if need_x else None   # d(x^y)/dx = y x^(y-1)
        gy = g * out * log(x) if need_y else None           # d(x^y)/dy = x^y ln x
        return gx, gy


class Neg(Function):
    name = "neg"
    @staticmethod
    def forward(ctx, x): return -x
    @staticmethod
    def backward(ctx, g): return -g                         # -1


def _check_matrices(a, b):
    if getattr(a, "ndim", 0) != 2 or getattr(b, "ndim", 0) != 2:
        raise ValueError("@ 需要二维矩阵；秩为 1 的数组请 reshape 成 (n, 1) 或 (1, n) / "
                         "@ needs 2-D matrices; reshape rank-1 arrays to (n, 1) or (1, n)")
    if a.shape[1] != b.shape[0]:
        raise ValueError(f"{a.shape[1]} ≠ {b.shape[0]}")


class MatMul(Function):
    name = "@"
    @staticmethod
    def forward(ctx, a, b):
        _check_matrices(a, b)
        ctx.save_for_backward(a, b)
        return a @ b
    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad               # X rarely needs dX: skip that matmul
        return (g @ b.T if need_a else None,                # dA = G Bᵀ
                a.T @ g if need_b else None)                # dB = Aᵀ G


class Affine(Function):
    """Z = W A + b as one step, as the course draws z = wᵀx + b: one node, not two."""
    name = "affine"
    @staticmethod
    def forward(ctx, W, A, b):
        _check_matrices(W, A)
        if np.ndim(b) == 1:
            raise ValueError("b 必须是 (n, 1) / b must be (n, 1), not rank-1")
        ctx.save_for_backward(W, A)
        return W @ A + b
    @staticmethod
    def backward(ctx, g):
        W, A = ctx.saved_tensors
        need_W, need_A, _ = ctx.needs_input_grad
        return (g @ A.T if need_W else None,                # dW = dZ Aᵀ
                W.T @ g if need_A else None,                # dA = Wᵀ dZ
                g)                                          # db = dZ, summed over the examples by unbroadcast


def affine(W, A, b):
    """Z = W @ A + b in one op node."""
    return Affine.apply(W, A, b)


# ---- elementwise functions --------------------------------------------------
class Exp(Function):
    name = "exp"
    @staticmethod
    def forward(ctx, x):
        out = _exp(x)
        ctx.save_for_backward(out)
        return out
    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out                                      # (eˣ)' = eˣ


class Log(Function):
    name = "log"
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _log_raw(x)
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / x                                        # (ln x)' = 1/x


class Tanh(Function):
    name = "tanh"
    @staticmethod
    def forward(ctx, x):
        a = _tanh(x)
        ctx.save_for_backward(a)
        return a
    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (1 - a * a)                              # tanh' = 1 - a²


def stable_sigmoid(z):
    """1 / (1 + e^(-z)) with no overflow warning; exactly 0 and 1 at ∓1000."""
    if type(z) is float:
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)
    with np.errstate(over="ignore"):  # e^(−z) = inf for z < −709 gives 1/(1 + inf) = 0 exactly
        return 1 / (1 + np.exp(-z))


class Sigmoid(Function):
    name = "sigmoid"
    @staticmethod
    def forward(ctx, z):
        a = stable_sigmoid(z)
        ctx.save_for_backward(a)
        return a
    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * a * (1 - a)                              # σ' = a(1 - a)


class ReLU(Function):
    name = "relu"
    @staticmethod
    def forward(ctx, x):
        if type(x) is float:
            mask = 1.0 if x > 0 else 0.0
            out = x if x > 0 or x != x else 0.0             # x != x: keep nan visible
        else:
            mask = (x > 0).astype(x.dtype)
            out = np.maximum(x, 0)
        ctx.save_for_backward(mask)
        return out
    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        return g * mask                                     # 1 if z > 0 else 0 (0 at z = 0)


class LeakyReLU(Function):
    name = "leaky_relu"
    @staticmethod
    def forward(ctx, x, slope=0.01):
        if type(x) is float:
            d = 1.0 if x > 0 else slope
        else:
            d = np.where(x > 0, 1.0, slope).astype(x.dtype)
        ctx.save_for_backward(d)
        return x * d
    @staticmethod
    def backward(ctx, g):
        (d,) = ctx.saved_tensors
        return g * d                                        # 1 if z > 0 else slope (slope at 0)


# ---- reductions and shape ---------------------------------------------------
class Sum(Function):
    name = "sum"
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        out = x.sum(axis=axis, keepdims=keepdims) if type(x) is not float else x  # .sum(): np.sum's wrapper is slow
        ctx.in_shape, ctx.kept = shape(x), kept_shape(shape(x), axis)
        return out
    @staticmethod
    def backward(ctx, g):
        return expand(reshape(g, ctx.kept), ctx.in_shape)   # each input entry: 1


class Mean(Function):
    name = "mean"
    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        out = x.mean(axis=axis, keepdims=keepdims) if type(x) is not float else x
        ctx.in_shape, ctx.kept = shape(x), kept_shape(shape(x), axis)
        ctx.n = max(1, int(np.prod(ctx.in_shape)) // max(1, int(np.prod(ctx.kept))))
        return out
    @staticmethod
    def backward(ctx, g):
        return expand(reshape(g, ctx.kept) / ctx.n, ctx.in_shape)   # each input entry: 1/n


class Transpose(Function):
    name = "transpose"
    @staticmethod
    def forward(ctx, x, axes=None):
        ctx.inverse = None if axes is None else tuple(np.argsort(axes))
        return np.transpose(x, axes)
    @staticmethod
    def backward(ctx, g):
        return g.transpose(ctx.inverse) if isinstance(g, Value) else np.transpose(g, ctx.inverse)


class Reshape(Function):
    name = "reshape"
    @staticmethod
    def forward(ctx, x, shape=()):
        ctx.in_shape = np.shape(x)
        return np.reshape(x, shape)
    @staticmethod
    def backward(ctx, g):
        return reshape(g, ctx.in_shape)


class BroadcastTo(Function):
    """Used by Sum/Mean backward when the grad is itself a graph (create_graph=True)."""
    name = "broadcast_to"
    @staticmethod
    def forward(ctx, x, shape=()):
        return np.array(np.broadcast_to(x, shape))
    @staticmethod
    def backward(ctx, g):
        return g                                            # the walk sums it back to x's shape
