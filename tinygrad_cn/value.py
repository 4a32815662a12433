"""The `Value` node: data, grad, label, and its public surface.

A Value holds a Python float or a numpy array. A node made by an op also holds the op (`fn`),
its inputs (aligned with the op's arguments; Python numbers and arrays stay there as constants
rather than nodes) and, when the op needs one, its `Context`. Nothing points back from an input
to its output, so a graph has no reference cycles and is freed as soon as its last node is dropped.

This module is the bottom of the engine: it imports no other engine module but `messages` and
`mode`. Operators and methods (`a + b`, `z.tanh()`) are attached from above, by each op's
declaration (function.py), and `backward` by the walk (autodiff.py). The slots are read and
written only here: everything else uses the public surface and the few functions at the end.
"""

import numbers
import sys
import threading

import numpy as np

from .messages import bilingual, describe
from .mode import current

_NONE = object()  # an empty input slot
_MANY = object()  # in _in1: _in0 holds the tuple of all inputs (ops of 3 or more)


def as_data(x, where="Value"):
    """Normalize data: Python/numpy real scalar -> float, array-like -> float ndarray (float32 stays)."""
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
        try:
            return float(x)
        except OverflowError:
            raise ValueError(
                bilingual(
                    f"{where}: 数太大，超出 float64 的范围",
                    f"{where}: the number is too large for float64 ({str(x)[:20]}...)",
                )
            ) from None
    try:
        arr = np.asarray(x)
    except (ValueError, OverflowError) as e:  # ragged nested lists, huge ints
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


def flag(x, where):
    """A switch given as True/False (numpy's bools and 0/1 too), else a bilingual TypeError."""
    if isinstance(x, (bool, np.bool_)) or type(x) is int and x in (0, 1):
        return bool(x)
    raise TypeError(
        bilingual(f"{where} 必须是 True 或 False，收到 {x!r:.40}", f"{where} must be True or False, got {x!r:.40}")
    )


def zeros_like(data):
    return 0.0 if type(data) is float else np.zeros_like(data)


class Value:
    """A node of the graph. `Value(5.0, label="a")`, `Value(np.zeros((4, 1)), label="b1")`."""

    # _op: the op's Function class, or the Context it keeps (which knows the op) when backward needs
    # one: one slot for both, as each slot costs every node memory and garbage-collector time
    __slots__ = ("_data", "_grad", "label", "_op", "_in0", "_in1", "requires_grad", "scope")
    __array_ufunc__ = None  # numpy defers to us; function.py attaches the ufuncs the ops declare

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
        self._data, self._grad, self.label, self._op = as_data(data), None, label, None
        self._in0 = self._in1 = _NONE
        self.requires_grad, self.scope = flag(requires_grad, "Value: requires_grad"), current().scope

    # ---- the public node surface: what the walk, nn, viz, gradcheck and Replay read ----
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
        """None, or a real number or array of data's shape (stored in data's dtype, as its own copy)."""
        if g is None:
            self._grad = None
            return
        if isinstance(g, Value):
            raise TypeError(
                bilingual(
                    f"grad 必须是数或数组，不能是 Value：{describe(self)}",
                    f"grad must be a number or an array, not a Value: {describe(self)}",
                )
            )
        g = as_data(g, "grad")
        if shape(g) != shape(self._data):
            raise ValueError(
                bilingual(
                    f"grad 的形状 {shape(g)} 与 {describe(self)} 不符",
                    f"a grad of shape {shape(g)} does not fit {describe(self)}",
                )
            )
        self._grad = g if type(g) is float else np.array(g, dtype=self._data.dtype)

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
    def ctx(self):
        """The Context the op's forward kept for backward, or None when it keeps nothing."""
        op = self._op
        return None if op is None or isinstance(op, type) else op

    @property
    def is_leaf(self):
        return self._op is None

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
        ctx = self.ctx
        return dict(ctx.attrs) if ctx is not None and ctx.attrs else {}

    @property
    def saved(self):
        """What the op's forward saved for backward (save_for_backward), () if nothing."""
        ctx = self.ctx
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

    def __bool__(self):
        """The truth of a one-element Value, as PyTorch gives it (Value(0.0) is False)."""
        try:
            return bool(self.item())
        except ValueError:
            raise ValueError(
                bilingual(
                    f"多个元素的 Value 没有真假：{describe(self)}；请用 (v.data > 0).all() 等",
                    f"the truth of a Value of several entries is ambiguous: {describe(self)}; "
                    "use e.g. (v.data > 0).all()",
                )
            ) from None

    def __len__(self):
        if type(self._data) is float:
            raise TypeError(bilingual(f"一个数没有长度：{describe(self)}", f"a number has no length: {describe(self)}"))
        return len(self._data)

    def __iter__(self):
        """The rows along the first axis, each a node of the graph (v[0], v[1], ...)."""
        for i in range(len(self)):
            yield self[i]

    def numpy(self):
        return np.asarray(self._data)

    def _lacks(self, *args):
        raise TypeError(
            bilingual(
                "Value 不支持这个运算（比较、//、%、一元 +、int()、round()）：请对 .data 或 .item() 做",
                "a Value does not support this (comparisons, //, %, unary +, int(), round()): use .data or .item()",
            )
        )

    __lt__ = __le__ = __gt__ = __ge__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _lacks
    __pos__ = __int__ = __round__ = _lacks

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
        """Jupyter shows a Value as its graph when this project's drawing package is imported
        (it is read where it is, never registered here: the engine keeps no such state)."""
        viz = sys.modules.get("viz")
        draw = getattr(viz, "to_svg", None)
        return draw(self) if draw is not None and getattr(viz, "DRAWS_VALUES", False) else None


# ---- the engine's hot paths: what its upper layers read and write of nodes, slots read only here ----
_new = object.__new__


def unpack(inputs, where, own=False):
    """An op's inputs as (raw data, does any need a grad, are all numbers, the inputs as the node
    keeps them): a constant is kept as it is now (a float as it is, a list as an array, an array
    copied, so that a later change to the caller's buffer cannot change the node). `own`: the
    constants are the node's own already."""
    raw, requires_grad, numbers = [], False, True
    for x in inputs:
        if isinstance(x, Value):
            d = x._data
            if x.requires_grad:
                requires_grad = True
            if type(d) is not float:
                numbers = False
        elif type(x) is float:
            d = x
        elif own:
            d, numbers = x, False
        else:  # (once per call that has such a constant: the loop above stays short)
            return unpack(tuple([_constant(x, where) for x in inputs]), where, True)
        raw.append(d)
    return raw, requires_grad, numbers, inputs


def _constant(x, where):
    """An input as a node keeps it: a Value or a float as it is, anything else as data of its own."""
    if isinstance(x, Value) or type(x) is float:
        return x
    d = as_data(x, where)
    return d.copy() if d is x else d


def rule_of(node):
    """What the walk needs of an op node: (its op, the Context it keeps or None, its inputs, their
    raw data); None for a leaf."""
    op = node._op
    if op is None:
        return None
    a, b = node._in0, node._in1
    if b is _MANY:
        inputs, raw = a, tuple([x._data if isinstance(x, Value) else x for x in a])
    else:
        ra = a._data if isinstance(a, Value) else a
        if b is _NONE:
            inputs, raw = (a,), (ra,)
        else:
            inputs, raw = (a, b), (ra, b._data if isinstance(b, Value) else b)
    if isinstance(op, type):
        return op, None, inputs, raw
    return op.fn, op, inputs, raw


def make_node(data, keep, inputs, requires_grad, scope):
    """A new node: `keep` is the op (its Function) or the Context it keeps; None with no inputs
    makes a leaf (an op run under no_grad)."""
    node = _new(Value)
    node._data = data  # (one store a line: no tuple built and unpacked)
    node._grad = None
    node.label = ""
    node._op = keep
    n = len(inputs)
    if n == 2:
        node._in0, node._in1 = inputs
    elif n == 1:
        node._in0, node._in1 = inputs[0], _NONE
    elif n == 0:
        node._in0 = node._in1 = _NONE
    else:
        node._in0, node._in1 = tuple(inputs), _MANY
    node.requires_grad, node.scope = requires_grad, scope
    return node


def refill(node, data, keep):
    """Replay: the node's data and what its op keeps, from running the op again."""
    node._data = data
    if node._op is not None:
        node._op = keep


def accumulate(old, g):
    """The one place grads add up: the sum of the paths in a walk, and of walks in .grad (+=).
    Where there is none yet (None), g is taken as it is: the walk hands over arrays that no other
    node holds. (The hot loops test for None themselves: a first grad needs no call.)"""
    return g if old is None else old + g


def add_grads(found):
    """node.grad += g for each node and grad a walk found ({node: g}). Under a lock: the read, add
    and write of a shared leaf's grad by two threads' backward() must not interleave (numpy's add
    lets another thread run in between); the lock holds nothing, so no answer depends on it."""
    with _ADDING:
        for node, g in found.items():
            old = node._grad
            node._grad = g if old is None else accumulate(old, g)


_ADDING = threading.Lock()


def set_grads(nodes, found):
    """Each node's grad as a walk found it ({node: g}; None where it found none), without the
    checks of `Value.grad`: Replay's fresh grads."""
    for node in nodes:
        node._grad = found.get(node)
