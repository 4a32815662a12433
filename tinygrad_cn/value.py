"""The `Value` node: data, grad, label, and its public surface.

A Value holds a Python float or a numpy array. A node made by an op also holds
the op (`fn`), its inputs (aligned with the op's arguments; Python numbers and
arrays stay there as constants rather than nodes) and, when the op needs one,
its `Context`. Nothing points back from an input to its output, so a graph has
no reference cycles and is freed as soon as its last node is dropped.

Operators and methods (`a + b`, `z.tanh()`) are not written here: each op's
declaration adds its own (function.Function.__init_subclass__).

Speed comes from keeping Python's cyclic garbage collector idle: it rescans
every live container again and again while a big scalar graph grows, so a node
is one such object (its first two inputs live in slots, not a tuple, and an op
that keeps nothing for backward stores no context at all).
"""

import numbers

import numpy as np

from .messages import bilingual, describe
from .mode import current

DISPLAY = {}  # {"svg": Value -> str}, filled by a drawing package; the engine draws nothing

_NONE = object()  # an empty input slot
_MANY = object()  # in _in1: _in0 holds the tuple of all inputs (ops of 3 or more)


def as_data(x, where="Value"):
    """Normalize data: Python/numpy real scalar -> float, array-like -> float ndarray."""
    if type(x) is float:
        return x
    if type(x) is np.ndarray and x.dtype.kind == "f" and x.ndim:  # the common array case, first
        return x
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.ndarray, list, tuple)):
        raise TypeError(
            bilingual(
                f"{where}: 数据必须是实数或实数数组，收到 {type(x).__name__}",
                f"{where}: data must be a real number or array, got {type(x).__name__}",
            )
        )
    if isinstance(x, numbers.Real) and not isinstance(x, np.ndarray):
        return float(x)
    try:
        arr = np.asarray(x)
    except ValueError as e:  # ragged nested lists
        raise TypeError(bilingual(f"{where}: 无法转换为数组", f"{where}: cannot make an array: {e}")) from None
    if arr.dtype.kind in "iub":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(
            bilingual(
                f"{where}: 数据必须是实数，收到 dtype {arr.dtype}",
                f"{where}: data must be real numbers, got dtype {arr.dtype}",
            )
        )
    if arr.ndim == 0:  # a 0-d array of any real dtype is a number
        return float(arr)
    return arr


def shape(x):
    if type(x) is np.ndarray:
        return x.shape
    return () if type(x) is float else np.shape(x)


def data_of(x):
    """The raw data of a Value, or x itself when it is already a number or an array."""
    return x._data if isinstance(x, Value) else x


def need_value(x, where, zh="", en=""):
    """A TypeError unless x is a Value: "{where}: 需要一个 Value（zh），收到 T / {where}: needs a Value (en), got T"."""
    if not isinstance(x, Value):
        kind = type(x).__name__
        raise TypeError(
            bilingual(
                f"{where}: 需要一个 Value{f'（{zh}）' if zh else ''}，收到 {kind}",
                f"{where}: needs a Value{f' ({en})' if en else ''}, got {kind}",
            )
        )


def zeros_like(data):
    return 0.0 if type(data) is float else np.zeros_like(data)


class Value:
    """A node of the graph. `Value(5.0, label="a")`, `Value(np.zeros((4, 1)), label="b1")`."""

    # _op: the op's Function class, or the Context that it keeps (which knows the op) when backward
    # needs one: one slot for both, as each slot costs memory and garbage-collector time per node
    __slots__ = ("_data", "_grad", "label", "_op", "_in0", "_in1", "requires_grad", "scope")
    __array_ufunc__ = None  # make numpy defer to our reflected operators: ndarray * Value -> Value

    def __init__(self, data, label="", requires_grad=True):
        if isinstance(data, Value):
            raise TypeError(
                bilingual(
                    "Value(Value) 不允许：请用 .detach() 或 .data",
                    "Value(Value) is not allowed: use .detach() or .data",
                )
            )
        if not isinstance(label, str):
            raise TypeError(
                bilingual(
                    f"label 必须是字符串，收到 {type(label).__name__}",
                    f"label must be a string, got {type(label).__name__}",
                )
            )
        fill(self, as_data(data), None, _NONE, _NONE, bool(requires_grad), current().scope)
        self.label = label

    # ---- the public node surface: what viz, nn, gradcheck and replay read ----
    @property
    def data(self):
        return self._data

    @data.setter
    def data(self, x):
        self._data = x if type(x) is np.ndarray and x.dtype.kind == "f" and x.ndim else as_data(x)

    @property
    def grad(self):
        """dJ/dself after backward; zeros of data's shape until a backward reaches it."""
        if self._grad is None:
            return zeros_like(self._data)
        return self._grad

    @grad.setter
    def grad(self, g):
        self._grad = g

    @property
    def grad_or_none(self):
        """dJ/dself, or None where no backward has reached this node (a picture shows nothing)."""
        return self._grad

    def zero_grad(self):
        self._grad = None

    @property
    def fn(self):
        """The op (a Function class) that made this node; None for a leaf."""
        op = self._op
        return op if op is None or isinstance(op, type) else op.fn

    @property
    def op(self):
        fn = self.fn
        return fn.name if fn is not None else ""

    @property
    def is_leaf(self):
        return self._op is None

    @property
    def _ctx(self):
        op = self._op
        return None if op is None or isinstance(op, type) else op

    @property
    def inputs(self):
        """The op's inputs, aligned with its arguments (constants included); () for a leaf."""
        a, b = self._in0, self._in1
        if b is _NONE:
            return () if a is _NONE else (a,)
        return a if b is _MANY else (a, b)

    @property
    def parents(self):
        """The inputs that are nodes."""
        return tuple(p for p in self.inputs if isinstance(p, Value))

    @property
    def attrs(self):
        """The op's keyword attributes as called, e.g. {"slope": 0.2}; {} for a leaf."""
        ctx = self._ctx
        return dict(ctx.attrs) if ctx is not None and ctx.attrs else {}

    @property
    def saved(self):
        """What the op's forward saved for backward (save_for_backward), () if nothing."""
        ctx = self._ctx
        return ctx.saved_tensors if ctx is not None else ()

    @property
    def shape(self):
        return shape(self._data)

    @property
    def ndim(self):
        return len(self.shape)

    def item(self):
        if type(self._data) is float:
            return self._data
        if self._data.size != 1:
            raise ValueError(
                bilingual(
                    f"item(): 只有一个元素的 Value 才能转为数，{describe(self)}",
                    f"item(): only a one-element Value converts to a number, {describe(self)}",
                )
            )
        return float(self._data.reshape(()))

    __float__ = item

    def numpy(self):
        return np.asarray(self._data)

    def detach(self):
        """A new leaf sharing this data, outside the graph."""
        return Value(self._data, label=self.label, requires_grad=False)

    @property
    def T(self):
        return self.transpose()

    def __repr__(self):
        head = f"label={self.label!r}, " if self.label else ""
        op = f", op={self.op!r}" if self._op is not None else ""
        if type(self._data) is float:
            grad = f", grad={self._grad!r}" if self._grad is not None else ""
            return f"Value({head}data={self._data!r}{grad}{op})"
        return f"Value({head}shape={self.shape}, dtype={self._data.dtype}{op})"

    def _repr_svg_(self):
        """Jupyter shows a Value as its graph once a drawing package registers (import viz)."""
        draw = DISPLAY.get("svg")
        return draw(self) if draw else None

    # ---- autodiff ------------------------------------------------------
    def backward(self, grad=None, create_graph=False):
        """Walk the graph right to left, adding dJ/dnode into every node's .grad."""
        (_BACKWARD or _bind_backward())(self, grad, create_graph)


_BACKWARD = None  # autodiff.backward; autodiff imports this module, so it is bound at first use


def _bind_backward():
    global _BACKWARD
    from .autodiff import backward

    _BACKWARD = backward
    return backward


_new = object.__new__


def fill(node, data, op, in0, in1, requires_grad, scope):
    """The one place a node's slots are written (Value() and every op's apply)."""
    node._data, node._grad, node.label, node._op = data, None, "", op
    node._in0, node._in1 = in0, in1
    node.requires_grad, node.scope = requires_grad, scope
    return node


from . import ops  # noqa: E402,F401  (the ops add Value's operators and methods; they need Value first)
