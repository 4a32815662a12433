"""The `Value` node: data, grad, label, and the operators that call ops.

A Value holds a Python float or a numpy array. Nodes made by an op also hold
the op (`_fn`), its inputs (`_prev`, aligned with the op's arguments, Python
numbers and arrays kept there as constants rather than nodes) and the op's
context (`_ctx`). Nothing points back from an input to its output, so a graph
has no reference cycles and is freed as soon as the last node is dropped.

Speed comes from keeping Python's cyclic garbage collector idle: it rescans
every live container object again and again while a big scalar graph grows,
so a node is one such object, not three (its first two inputs live in slots,
not a tuple; a ctx holding only saved tensors is kept as that tuple).
"""
import numbers

import numpy as np

from .messages import bilingual, describe
from .mode import MODE


def as_data(x, where="Value"):
    """Normalize data: Python/numpy real scalar -> float, array-like -> float ndarray."""
    if type(x) is float:
        return x
    if type(x) is np.ndarray and x.dtype.kind == "f" and x.ndim:  # the common array case, first
        return x
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.ndarray, list, tuple)):
        raise TypeError(bilingual(f"{where}: 数据必须是实数或实数数组，收到 {type(x).__name__}",
                                  f"{where}: data must be a real number or array, got {type(x).__name__}"))
    if isinstance(x, numbers.Real) and not isinstance(x, np.ndarray):
        return float(x)
    try:
        arr = np.asarray(x)
    except ValueError as e:  # ragged nested lists
        raise TypeError(bilingual(f"{where}: 无法转换为数组", f"{where}: cannot make an array: {e}")) from None
    if arr.dtype.kind in "iub":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(bilingual(f"{where}: 数据必须是实数，收到 dtype {arr.dtype}",
                                  f"{where}: data must be real numbers, got dtype {arr.dtype}"))
    if arr.ndim == 0 and arr.dtype == np.float64:
        return float(arr)
    return arr


DISPLAY = {}      # {"svg": Value -> str}, filled by a drawing package; the engine draws nothing

_NONE = object()  # an empty input slot
_MANY = object()  # in _in1: _in0 holds the tuple of all inputs (ops of 3 or more)


def set_inputs(node, inputs):
    """Store an op's inputs in the node's two slots (see `Value._prev`)."""
    if len(inputs) == 2:
        node._in0, node._in1 = inputs
    elif len(inputs) == 1:
        node._in0, node._in1 = inputs[0], _NONE
    else:
        node._in0, node._in1 = (inputs, _MANY) if inputs else (_NONE, _NONE)


def shape(x):
    return () if type(x) is float else x.shape


def data_of(x):
    """The raw data of a Value, or x itself when it is already a number or an array."""
    return x._data if isinstance(x, Value) else x


def zeros_like(data):
    return 0.0 if type(data) is float else np.zeros_like(data)


class Value:
    """A node of the graph. `Value(5.0, label="a")`, `Value(np.zeros((4, 1)), label="b1")`."""

    __slots__ = ("_data", "_grad", "label", "_fn", "_in0", "_in1", "_ctx", "requires_grad", "scope")
    __array_ufunc__ = None  # make numpy defer to our reflected operators: ndarray * Value -> Value

    def __init__(self, data, label="", requires_grad=True):
        if isinstance(data, Value):
            raise TypeError(bilingual("Value(Value) 不允许：请用 .detach() 或 .data",
                                      "Value(Value) is not allowed: use .detach() or .data"))
        self._data = as_data(data)
        self._grad = None
        self.label = label
        self._fn = None
        self._in0 = self._in1 = _NONE
        self._ctx = None
        self.requires_grad = bool(requires_grad)
        self.scope = MODE.scope

    # ---- data and grad -------------------------------------------------
    @property
    def data(self):
        return self._data

    @data.setter
    def data(self, x):
        self._data = as_data(x)

    @property
    def grad(self):
        """dJ/dself after backward; zeros of data's shape until a backward reaches it."""
        if self._grad is None:
            return zeros_like(self._data)
        return self._grad

    @grad.setter
    def grad(self, g):
        self._grad = g

    def zero_grad(self):
        self._grad = None

    @property
    def op(self):
        return self._fn.name if self._fn is not None else ""

    @property
    def _prev(self):
        """The op's inputs, aligned with its arguments (constants included); () for a leaf."""
        a, b = self._in0, self._in1
        if b is _NONE:
            return () if a is _NONE else (a,)
        return a if b is _MANY else (a, b)

    @property
    def parents(self):
        return tuple(p for p in self._prev if isinstance(p, Value))

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
            raise ValueError(bilingual(f"item(): 只有一个元素的 Value 才能转为数，{describe(self)}",
                                       f"item(): only a one-element Value converts to a number, {describe(self)}"))
        return float(self._data.reshape(()))

    __float__ = item

    def numpy(self):
        return np.asarray(self._data)

    def detach(self):
        """A new leaf sharing this data, outside the graph."""
        return Value(self._data, label=self.label, requires_grad=False)

    def __repr__(self):
        head = f"label={self.label!r}, " if self.label else ""
        op = f", op={self.op!r}" if self._fn is not None else ""
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
        from .autodiff import backward
        backward(self, grad, create_graph)

    # ---- operators: each calls one registered op -----------------------
    def __add__(self, o): return ops.Add.apply(self, o)
    def __radd__(self, o): return ops.Add.apply(o, self)
    def __sub__(self, o): return ops.Sub.apply(self, o)
    def __rsub__(self, o): return ops.Sub.apply(o, self)
    def __mul__(self, o): return ops.Mul.apply(self, o)
    def __rmul__(self, o): return ops.Mul.apply(o, self)
    def __truediv__(self, o): return ops.Div.apply(self, o)
    def __rtruediv__(self, o): return ops.Div.apply(o, self)
    def __pow__(self, o): return ops.Pow.apply(self, o)
    def __rpow__(self, o): return ops.Pow.apply(o, self)
    def __matmul__(self, o): return ops.MatMul.apply(self, o)
    def __rmatmul__(self, o): return ops.MatMul.apply(o, self)
    def __neg__(self): return ops.Neg.apply(self)

    def exp(self): return ops.Exp.apply(self)
    def log(self): return ops.Log.apply(self)
    def tanh(self): return ops.Tanh.apply(self)
    def sigmoid(self): return ops.Sigmoid.apply(self)
    def relu(self): return ops.ReLU.apply(self)
    def leaky_relu(self, slope=0.01): return ops.LeakyReLU.apply(self, slope=slope)
    def sum(self, axis=None, keepdims=False): return ops.Sum.apply(self, axis=axis, keepdims=keepdims)
    def mean(self, axis=None, keepdims=False): return ops.Mean.apply(self, axis=axis, keepdims=keepdims)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return ops.Transpose.apply(self, axes=tuple(axes) if axes else None)

    @property
    def T(self): return self.transpose()

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return ops.Reshape.apply(self, shape=tuple(shape))


from . import ops  # noqa: E402  (ops needs Value defined first)
