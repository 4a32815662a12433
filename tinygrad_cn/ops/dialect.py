"""The small dialect every rule is written in: functions that take Python floats, numpy
arrays and Values alike.

On floats and arrays they compute (IEEE results: a float divided by zero gives ±inf or
nan as numpy does, never ZeroDivisionError); on a Value they call the op, so a backward
rule written with them is itself a graph under `backward(create_graph=True)` and can be
differentiated again. Python's `+ - *` already work on all three; `/` and `**` do not
(floats raise), so rules use `div` and `power`.
"""

import math
import numbers

import numpy as np

from ..function import REGISTRY
from ..messages import bilingual
from ..value import Value, as_data, data_of, shape


def _float_or_numpy(math_fn, np_fn, can_warn=True):
    """math on a float (fast); numpy on arrays and where math refuses (then inf/nan, as numpy
    gives), without numpy's warnings: IEEE results are the answer, detect_anomaly finds them."""

    def f(x):
        if type(x) is float:
            try:
                return math_fn(x)
            except (OverflowError, ValueError, ZeroDivisionError):
                pass
        try:
            if not can_warn and type(x) is not float:
                return np_fn(x)
            with np.errstate(all="ignore"):
                out = np_fn(x)
        except (TypeError, ValueError):  # ops.exp("a"), ops.exp(None), a ragged list: not numbers
            raise not_numbers(np_fn.__name__, x) from None
        return float(out) if type(x) is float else out

    return f


def not_numbers(op, x):
    return TypeError(
        bilingual(
            f"{op}: 需要实数或实数数组，收到 {type(x).__name__}",
            f"{op}: needs a real number or array, got {type(x).__name__}",
        )
    )


_exp = _float_or_numpy(math.exp, np.exp)
_log = _float_or_numpy(math.log, np.log)
_tanh = _float_or_numpy(math.tanh, np.tanh, can_warn=False)
_sqrt = _float_or_numpy(math.sqrt, np.sqrt)


def exp(x):
    return x.exp() if isinstance(x, Value) else _exp(x)


def log(x):
    return x.log() if isinstance(x, Value) else _log(x)


def tanh(x):
    return x.tanh() if isinstance(x, Value) else _tanh(x)


_row_sums = np.add.reduce


def row_sums(x):
    """Σ over axis 1, kept as a column: (n, m) -> (n, 1) (numpy's reduce called directly on arrays)."""
    return x.sum(axis=1, keepdims=True) if isinstance(x, Value) else _row_sums(x, 1, None, None, True)


def raw_sigmoid(z):
    """1 / (1 + e^(-z)) with no overflow warning; exactly 0 and 1 at ∓1000."""
    if type(z) is float:
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)
    try:
        with np.errstate(over="ignore"):  # e^(−z) = inf for z < −709 gives 1/(1 + inf) = 0 exactly
            return 1 / (1 + np.exp(-z))
    except (TypeError, ValueError):  # ops.sigmoid([1, 2]), ops.sigmoid(None): not numbers
        raise not_numbers("sigmoid", z) from None


def sigmoid(x):
    return x.sigmoid() if isinstance(x, Value) else raw_sigmoid(x)


def div(a, b):
    """a / b; on floats IEEE (1/0 = inf, 0/0 = nan) as on arrays."""
    if isinstance(a, Value) or isinstance(b, Value):
        return a / b
    if type(a) is float and type(b) is float:
        try:
            return a / b
        except ZeroDivisionError:
            pass
    with np.errstate(all="ignore"):
        out = _numpy("div", np.divide, a, b)
    return float(out) if np.ndim(out) == 0 else out


def power(x, y):
    """x ** y; on floats IEEE as on arrays (0 ** -1 = inf, (-8) ** (1/3) = nan, 10 ** 400 = inf)."""
    if isinstance(x, Value) or isinstance(y, Value):
        return REGISTRY["**"].apply(x, y)
    if type(x) is float and type(y) is float:
        try:
            out = x**y
            if type(out) is float:
                return out
        except (ZeroDivisionError, OverflowError):
            pass
    with np.errstate(all="ignore"):
        out = _numpy("power", np.power, x, y)
    return float(out) if np.ndim(out) == 0 else out


def where(cond, a, b):
    """a where cond else b, entry by entry; cond is data (a mask), never differentiated."""
    cond = data_of(cond)
    if isinstance(a, Value) or isinstance(b, Value):
        return REGISTRY["where"].apply(a, b, cond=cond)
    if type(cond) in (bool, np.bool_) and type(a) is float and type(b) is float:
        return a if cond else b
    out = _numpy("where", np.where, cond, a, b)
    if out.dtype.kind not in "fiub":  # where(mask, None, 1.0): an array of objects
        raise not_numbers("where", out)
    return float(out) if np.ndim(out) == 0 else out


def reshape(x, s):
    return x.reshape(s) if isinstance(x, Value) else _numpy("reshape", np.reshape, x, s)


def transpose(x, axes=None):
    return x.transpose(axes) if isinstance(x, Value) else _numpy("transpose", np.transpose, x, axes)


def expand(x, s):
    """x broadcast to shape s (a copy, so the result can be written)."""
    if type(s) is not tuple:  # one length
        check_ints("expand", "shape", s)
        s = (int(s),)
    if not isinstance(x, Value):
        x = as_data(x, "expand")  # (None, a ragged list: refused before any array is made)
    if shape(x) == s:
        return x
    if isinstance(x, Value):
        return REGISTRY["broadcast_to"].apply(x, shape=s)
    return np.array(_numpy("expand", np.broadcast_to, x, s))


def _numpy(op, fn, *args):
    """numpy's fn on plain data; what numpy refuses (ops.div("a", 1), a ragged list, a shape of
    -3) in both languages. The rules never meet these errors: their data is the engine's own."""
    try:
        return fn(*args)
    except (TypeError, ValueError, ArithmeticError, LookupError) as e:
        kind = TypeError if isinstance(e, TypeError) else ValueError
        raise kind(bilingual(f"{op}: 无法计算（{type(e).__name__}）", f"{op}: cannot compute: {e}")) from None


def check_real(op, name, x, optional=False):
    """An attribute that is a number (slope, lo, hi): a real number or array of them (or None
    when `optional`)."""
    if type(x) is float or x is None and optional:
        return
    kind = None
    if not isinstance(x, (bool, np.bool_, str, bytes, Value)):
        try:
            kind = np.asarray(x).dtype.kind
        except (ValueError, TypeError, OverflowError):  # a ragged list, an object that refuses
            pass
    if kind not in ("f", "i", "u"):
        raise TypeError(
            bilingual(
                f"{op}: {name} 必须是实数或实数数组，收到 {type(x).__name__}",
                f"{op}: {name} must be a real number or an array of them, got {type(x).__name__}",
            )
        )


def check_ints(op, name, xs):
    """Axes or a shape: integers (not bool, not float)."""
    for n in xs if isinstance(xs, tuple) else (xs,):
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
            raise TypeError(
                bilingual(
                    f"{op}: {name} 必须是整数，收到 {n!r:.40}",
                    f"{op}: {name} must be integers, got {n!r:.40}",
                )
            )


def kept_shape(in_shape, axis):
    """Shape of a reduction over `axis` with keepdims=True."""
    if axis is not None and type(axis) is not int:  # (an int: the rules' own, checked by the op)
        check_ints("kept_shape", "axis", axis)
    try:
        if axis is None:
            return (1,) * len(in_shape)
        axes = {a % len(in_shape) for a in (axis if isinstance(axis, tuple) else (axis,))}
        return tuple(1 if i in axes else n for i, n in enumerate(in_shape))
    except (TypeError, ZeroDivisionError):  # (not a shape; a number has no axes)
        raise TypeError(
            bilingual("kept_shape: 需要一个形状", f"kept_shape: needs a shape, got {in_shape!r:.40}")
        ) from None
