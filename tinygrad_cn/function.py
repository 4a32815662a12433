"""`Function`: the one door every op goes through, built-in or user-defined.

    class Softplus(Function):
        name, method, activation = "softplus", "softplus", True   # z.softplus(); an nn activation
        @staticmethod
        def forward(ctx, z): ...            # raw float/ndarray in, raw out
        @staticmethod
        def backward(ctx, grad): ...        # one grad per input, from ctx.inputs / ctx.output

    y = Softplus.apply(x)                   # or x.softplus(): a Value whose op is "softplus"

A subclass is the op's one declaration: its `name`, its `symbol` in pictures,
whether it prints infix (a × b) or as a call, the Python operator or Value
method it adds, whether nn may use it as an activation, and its attributes
(the keyword arguments of its forward, e.g. `slope=0.01`). Value's operators
and methods, viz's labels, the CLI's whitelist and nn's activation names are
all read from `REGISTRY`.

Backward rules never see broadcasting: the walk sums each returned grad back
to its input's shape (autodiff.unbroadcast). A forward that never touches its
ctx (read once from its code) is called with ctx=None and its node keeps no
context: most ops, and the reason a scalar node costs so little.
"""

import dis
import inspect
from types import MappingProxyType

import numpy as np

from .messages import bilingual, describe
from .mode import current
from .value import _MANY, _NONE, Value, _new, as_data, fill

REGISTRY = {}  # op name -> Function subclass; every op, built-in or custom, is here
_OP_METHODS = set()  # Value attributes that ops added (an op may replace these, nothing else)
OPERATORS = {  # Function.operator -> the Python methods it defines (the reflected one second)
    "add": ("__add__", "__radd__"),
    "sub": ("__sub__", "__rsub__"),
    "mul": ("__mul__", "__rmul__"),
    "truediv": ("__truediv__", "__rtruediv__"),
    "pow": ("__pow__", "__rpow__"),
    "matmul": ("__matmul__", "__rmatmul__"),
    "neg": ("__neg__",),
    "abs": ("__abs__",),
    "getitem": ("__getitem__",),
}


class Context:
    """What backward sees of its node: `inputs` and `output` (raw data, or graph nodes when the
    walk is recorded with create_graph=True), `attrs`, `needs_input_grad`, `saved_tensors` and
    any attribute forward set.

    Rules that compute their grads from `inputs` and `output` are differentiable again. A tensor
    saved with `save_for_backward` is remembered as the input or output it is (forward gets one
    distinct object per distinct input, so this is exact); anything else saved is a constant of
    the backward graph.
    """

    __slots__ = ("fn", "saved_tensors", "attrs", "_roles", "_prev", "_out", "__dict__")

    def __init__(self, fn=None):
        self.fn, self.saved_tensors, self.attrs, self._roles = fn, (), NO_ATTRS, ()
        self._prev = self._out = None

    def save_for_backward(self, *xs):
        self.saved_tensors = xs

    @property
    def inputs(self):
        prev = self._prev
        if len(prev) == 2:  # unrolled: the common cases
            a, b = prev
            return (a._data if isinstance(a, Value) else a, b._data if isinstance(b, Value) else b)
        if len(prev) == 1:
            a = prev[0]
            return (a._data if isinstance(a, Value) else a,)
        if len(prev) == 3:  # affine's W, A, b
            a, b, c = prev
            return (
                a._data if isinstance(a, Value) else a,
                b._data if isinstance(b, Value) else b,
                c._data if isinstance(c, Value) else c,
            )
        return tuple([x._data if isinstance(x, Value) else x for x in prev])

    @property
    def output(self):
        return self._out

    @property
    def needs_input_grad(self):
        """One bool per input: does backward need to compute its grad?"""
        prev = self._prev if self._prev is not None else ()
        if len(prev) == 3:  # affine: unrolled
            a, b, c = prev
            return (
                isinstance(a, Value) and a.requires_grad,
                isinstance(b, Value) and b.requires_grad,
                isinstance(c, Value) and c.requires_grad,
            )
        return [isinstance(p, Value) and p.requires_grad for p in prev]

    def bind(self, prev, out):
        """Point the context at its node's inputs and output, for backward."""
        self._prev, self._out = prev, out
        return self


class GraphContext:
    """The context a rule sees under create_graph=True: inputs, output and the saved tensors
    that are inputs or the output come back as graph nodes, so the grads are graph too."""

    __slots__ = ("_ctx", "inputs", "output", "saved_tensors", "needs_input_grad", "attrs")

    def __init__(self, ctx, node, prev):
        self._ctx, self.inputs, self.output = ctx, prev, node
        self.attrs = ctx.attrs if ctx is not None else NO_ATTRS
        self.needs_input_grad = [isinstance(p, Value) and p.requires_grad for p in prev]
        saved = ctx.saved_tensors if ctx is not None else ()
        roles = ctx._roles if ctx is not None else ()
        self.saved_tensors = tuple(prev[r] if r >= 0 else node if r == -2 else x for x, r in zip(saved, roles))

    def __getattr__(self, name):  # anything else forward set on its ctx
        return getattr(self._ctx, name)


NO_ATTRS = MappingProxyType({})


def _signature(fn):
    """(number of tensor inputs, names of keyword attributes) from forward(ctx, x, y, slope=0.01)."""
    params = list(inspect.signature(fn.forward).parameters.values())[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None, ()
    arity = sum(1 for p in params if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD)
    return arity, tuple(p.name for p in params if p.default is not p.empty)


class Function:
    """Base of every op. Subclasses define static `forward(ctx, *raw)` and `backward(ctx, grad)`."""

    name = "Function"
    symbol = None  # how pictures draw it ("×", "σ"); the name when None
    infix = False  # printed "a × b" rather than "name(a)"
    operator = None  # a key of OPERATORS: the Python operator(s) it implements
    method = None  # the Value method it adds, e.g. "tanh"
    activation = False  # True: nn accepts its method name as an activation
    elementwise = False  # True: entry by entry; inputs broadcast against each other (checked in apply)
    arity, attrs = None, ()  # read from forward's signature when the class is made
    uses_ctx = True  # False when forward never reads its ctx (read from its code)

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        for method in ("forward", "backward"):
            if getattr(cls, method) is getattr(Function, method):
                raise TypeError(
                    bilingual(
                        f"{cls.__name__} 必须定义 {method}(ctx, ...)", f"{cls.__name__} must define {method}(ctx, ...)"
                    )
                )
        if "name" not in cls.__dict__:
            cls.name = cls.__name__
        if not isinstance(cls.name, str) or not cls.name:
            raise TypeError(bilingual("Function.name 必须是非空字符串", "Function.name must be a non-empty string"))
        cls.symbol = cls.__dict__.get("symbol") or cls.name
        cls.arity, cls.attrs = _signature(cls)
        cls.uses_ctx = _uses_ctx(cls.forward)
        cls._record2 = staticmethod(_binary(cls))
        REGISTRY[cls.name] = cls  # re-defining a class (notebook cell re-run) replaces it
        _add_methods(cls)

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError

    @classmethod
    def call(cls, *args, **kwargs):
        """The Value method's body: the first `arity` arguments are inputs, the rest attributes
        in the order forward declares them (`z.leaky_relu(0.2)` is `slope=0.2`)."""
        n = cls.arity if cls.arity is not None else len(args)
        inputs, extra = args[:n], args[n:]
        if len(extra) > len(cls.attrs):
            raise TypeError(bilingual(f"{cls.name}: 参数太多", f"{cls.name}: too many arguments ({len(args)})"))
        kwargs.update(zip(cls.attrs, extra))
        return cls.apply(*inputs, **kwargs)

    @classmethod
    def apply(cls, *inputs, **kwargs):
        """Record a node for this op on `inputs` and compute it: the one way an op is called."""
        return record(cls, inputs, kwargs)


def record(cls, inputs, kwargs):
    """`Function.apply`'s body."""
    n = len(inputs)
    if n == 2 and not kwargs:
        return cls._record2(inputs[0], inputs[1])
    if n == 1:  # unrolled: activations, −x
        in0, in1 = inputs[0], _NONE
        if isinstance(in0, Value):
            raw, requires_grad = (in0._data,), in0.requires_grad
        else:
            raw, requires_grad = (as_data(in0, cls.name),), False
    else:
        in0, in1 = (inputs[0], inputs[1]) if n == 2 else (inputs, _MANY)
        raw = [x._data if isinstance(x, Value) else as_data(x, cls.name) for x in inputs]
        requires_grad = False
        for x in inputs:
            if isinstance(x, Value) and x.requires_grad:
                requires_grad = True
                break
        if n == 3:  # affine's W, A, b: unrolled
            if raw[0] is raw[1] or raw[0] is raw[2] or raw[1] is raw[2]:
                _distinct(inputs, raw)
        elif len(set(map(id, raw))) < n:
            _distinct(inputs, raw)
        if cls.elementwise and n > 1:
            check_rank1_broadcast(cls, inputs, raw)
    op, mode = cls, current()
    if not mode.grad_enabled or not n:  # under no_grad, or an op of no inputs: a leaf
        op, in0, in1, requires_grad = None, _NONE, _NONE, False
    if kwargs or cls.uses_ctx or mode.anomaly:
        node = fill(_new(Value), None, op, in0, in1, requires_grad, mode.scope)
        return run_forward(node, cls, inputs, raw, kwargs)
    try:  # most ops: a forward that keeps nothing, so no context is made at all
        out = cls.forward(None, *raw)
    except NUMPY_ERRORS as e:
        raise refusal(cls, inputs, e) from e
    if type(out) is not float:
        out = as_data(out, cls.name)
    return fill(_new(Value), out, op, in0, in1, requires_grad, mode.scope)


def _binary(cls):
    """record() for two inputs and no attributes, unrolled and with the op's declaration read once:
    the hot path of scalar graphs. Value's binary operators are this function itself."""
    name, forward, elementwise, uses_ctx = cls.name, cls.forward, cls.elementwise, cls.uses_ctx

    def binary(a, b):
        if isinstance(a, Value):
            ra, requires_grad = a._data, a.requires_grad
        else:
            ra, requires_grad = as_data(a, name), False
        if isinstance(b, Value):
            rb, requires_grad = b._data, requires_grad or b.requires_grad
        else:
            rb = as_data(b, name)
        if ra is rb and a is not b:
            rb = _copy(rb)  # one object per distinct input (see Context)
        if elementwise and type(ra) is not float and type(rb) is not float and ra.ndim != rb.ndim:
            check_rank1_broadcast(cls, (a, b), (ra, rb))  # only then can the rank-1 trap spring
        in0, in1, op, mode = a, b, cls, current()
        if not mode.grad_enabled:  # under no_grad: a leaf
            in0 = in1 = _NONE
            op, requires_grad = None, False
        if uses_ctx or mode.anomaly:
            node = fill(_new(Value), None, op, in0, in1, requires_grad, mode.scope)
            return run_forward(node, cls, (a, b), (ra, rb), NO_ATTRS)
        try:  # a forward that keeps nothing: no context is made at all
            out = forward(None, ra, rb)
        except NUMPY_ERRORS as e:
            raise refusal(cls, (a, b), e) from e
        if type(out) is not float:
            out = as_data(out, name)
        return fill(_new(Value), out, op, in0, in1, requires_grad, mode.scope)

    return binary


def _copy(x):
    return x * 1.0 if type(x) is float else x.copy()


def _distinct(inputs, raw):
    """One raw object per distinct input, so a saved tensor is known exactly (see Context)."""
    for i in range(1, len(raw)):
        for j in range(i):
            if raw[i] is raw[j] and inputs[i] is not inputs[j]:
                raw[i] = _copy(raw[i])
                break


def run_forward(node, fn, inputs, raw, kwargs):
    """Call `fn.forward` on raw data into `node`; keep a context only if backward needs one.

    Used by `record` (for ops that keep something; it inlines the context-free case) and by
    `Replay`, which re-runs recorded nodes in place.
    """
    anomaly = current().anomaly
    if not kwargs and not fn.uses_ctx and not anomaly:  # as in record(): no context at all
        try:
            out = fn.forward(None, *raw)
        except NUMPY_ERRORS as e:
            raise refusal(fn, inputs, e) from e
        node._data = out if type(out) is float else as_data(out, fn.name)
        return node
    ctx = Context(fn)
    if kwargs:
        ctx.attrs = kwargs
    try:
        out = fn.forward(ctx, *raw, **kwargs)
    except NUMPY_ERRORS as e:
        raise refusal(fn, inputs, e) from e
    if type(out) is not float:
        raw_out, out = out, as_data(out, fn.name)
        if ctx.saved_tensors:  # keep a saved output identical to the node's data
            ctx.saved_tensors = tuple(out if t is raw_out else t for t in ctx.saved_tensors)
    node._data = out
    if ctx.saved_tensors:  # which input, or the output, each saved tensor is
        ctx._roles = tuple(_role(t, raw, out) for t in ctx.saved_tensors)
    if node._op is not None:  # an op node (not a leaf made under no_grad): keep the context if needed
        node._op = ctx if ctx.saved_tensors or ctx.attrs or ctx.__dict__ else fn
    if anomaly:
        from .anomaly import check_finite

        check_finite(out, fn.name, node, "forward")
    return node


def _uses_ctx(forward):
    """Does this forward read its ctx argument at all? (Read once from its code: a forward that
    never does is called with ctx=None and its node keeps no context.)"""
    code = getattr(forward, "__code__", None)
    if code is None or code.co_argcount == 0 or code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return True
    name = code.co_varnames[0]
    if name in code.co_cellvars or {"locals", "vars", "eval", "exec"} & set(code.co_names):
        return True
    for ins in dis.get_instructions(code):
        names = ins.argval if isinstance(ins.argval, tuple) else (ins.argval,)
        if "FAST" in ins.opname and name in names:
            return True
    return False


def _role(t, raw, out):
    for k, r in enumerate(raw):
        if r is t:
            return k
    return -2 if t is out else -1


def run_alone(fn, inputs, raw, attrs):
    """fn's forward on `raw` outside any graph, for checkers: (output, context ready for backward
    with `inputs` as the node's inputs)."""
    ctx = Context(fn)
    if attrs:
        ctx.attrs = attrs
    out = fn.forward(ctx, *raw, **attrs)
    if ctx.saved_tensors:
        ctx._roles = tuple(_role(t, raw, out) for t in ctx.saved_tensors)
    return out, ctx.bind(tuple(inputs), out)


def _add_methods(cls):
    """Give Value the operator(s) and the method that `cls` itself declares (not inherited)."""
    own, named = cls.__dict__, {}
    call, apply = cls.call, cls.apply
    if own.get("operator") is not None:
        if cls.operator not in OPERATORS:
            raise TypeError(
                bilingual(
                    f"{cls.__name__}.operator 未知：{cls.operator!r}",
                    f"{cls.__name__}.operator is unknown: {cls.operator!r}; one of {sorted(OPERATORS)}",
                )
            )
        names = OPERATORS[cls.operator]
        if len(names) == 1:  # -x, abs(x), x[i]
            named[names[0]] = lambda self, *args: call(self, *args) if args else apply(self)
        else:
            binary = cls._record2
            named[names[0]] = binary
            named[names[1]] = lambda self, other: binary(other, self)
    if own.get("method") is not None:
        named[cls.method] = lambda self, *args, **kwargs: call(self, *args, **kwargs) if args or kwargs else apply(self)
    for attr, body in named.items():
        if hasattr(Value, attr) and attr not in _OP_METHODS:
            raise TypeError(
                bilingual(
                    f"{cls.__name__}: Value 已有 {attr}，运算不能替换它",
                    f"{cls.__name__}: Value already has {attr!r}; an op may not replace it",
                )
            )
        body.__name__ = attr
        setattr(Value, attr, body)
        _OP_METHODS.add(attr)


NUMPY_ERRORS = (ValueError, ArithmeticError, LookupError, AttributeError)  # what a forward's numpy may raise


class OpError(ValueError):
    """An op refused its inputs. `op` is the Function, `inputs` what it was given, so a
    picture can draw the refusal where it happened (viz's dimension view)."""

    def __init__(self, message, op=None, inputs=()):
        super().__init__(message)
        self.op, self.inputs = op, tuple(inputs)


def refusal(fn, inputs, err):
    """A forward's error as the user should see it: numpy's shape errors in course notation,
    anything else (an axis out of range, an attribute numpy cannot use) as a ValueError naming
    the op; our own bilingual refusals keep their words."""
    op = fn.name
    if isinstance(err, OpError):
        return err
    if isinstance(err, ValueError) and " / " in str(err):
        return OpError(str(err), fn, inputs)
    if isinstance(err, ValueError):
        return OpError(shape_error(op, inputs, err), fn, inputs)
    operands = ", ".join(describe(x) for x in inputs)
    return OpError(
        bilingual(
            f"{op}: 无法计算 {op}({operands})", f"{op}: cannot compute {op}({operands}): {type(err).__name__}: {err}"
        ),
        fn,
        inputs,
    )


def shape_error(op, inputs, err):
    """'@: 形状不匹配：W[2] (1, 4) @ A[1] (3, 400) / @: shape mismatch: ... (numpy's words)'"""
    joiner = f" {op} " if len(op) <= 2 else ", "
    operands = joiner.join(describe(x) for x in inputs)
    if len(op) > 2:
        operands = f"{op}({operands})"
    return bilingual(f"{op}: 形状不匹配：{operands}", f"{op}: shape mismatch: {operands} ({err})")


def check_rank1_broadcast(fn, inputs, raw):
    """numpy broadcasting, except the rank-1 trap of course §2.16: (n,) with (n, 1) -> (n, n)."""
    op = fn.name
    shapes = [np.shape(r) for r in raw]
    try:
        out = np.broadcast_shapes(*shapes)
    except ValueError as e:
        raise OpError(shape_error(op, inputs, e), fn, inputs) from None
    if any(len(s) == 1 and s[0] > 1 for s in shapes) and len(out) >= 2 and all(s != out and len(s) > 0 for s in shapes):
        operands = f" {op} ".join(describe(x) for x in inputs)
        raise OpError(
            bilingual(
                f"{op}: 秩为 1 的数组与矩阵互相广播会得到错误的 {out}，请先 reshape 成 (n, 1) 或 (1, n)：{operands}",
                f"{op}: rank-1 array broadcast against a matrix into {out}; reshape it to (n, 1) or (1, n)"
                f" first (course §2.16): {operands}",
            ),
            fn,
            inputs,
        )
