"""`Function`: the one door every op goes through, built-in or user-defined.

    class Softplus(Function, name="softplus", method="softplus", activation=True):
        @staticmethod
        def forward(ctx, z): ...            # raw float/ndarray in, raw out
        @staticmethod
        def backward(ctx, grad): ...        # one grad per input, from ctx.inputs / ctx.output

    y = Softplus.apply(x)                   # or x.softplus(): a Value whose op is "softplus"

The class keywords are the op's one declaration (docs/engine.md lists them and who reads them):
its `name`, its `symbol` in pictures, whether it prints infix (a × b), the Python operator or
Value method it adds, whether nn may use it as an activation, whether it is elementwise, and an
`effect` it has outside the graph. Its attributes are the keyword arguments of its forward
(`slope=0.01`). Value's operators and methods, viz's labels, the CLI and nn's activation names
are all read from `REGISTRY`.

`run` is the one function that computes an op into a node: Value's operators, `apply` and
`Replay` all call it. Backward rules never see broadcasting: the walk sums each returned grad
back to its input's shape (autodiff.unbroadcast). A forward that never touches its ctx (read
once from its code) is called with ctx=None and its node keeps no context.
"""

import dis
import inspect
from types import MappingProxyType

import numpy as np

from .anomaly import check_finite
from .messages import bilingual, describe
from .mode import current
from .value import Value, as_data, make_node, refill, shape, unpack

REGISTRY = {}  # op name -> Function subclass; every op, built-in or custom, is here
OPERATORS = MappingProxyType(
    {  # the `operator` keyword -> the Python methods it defines (the reflected one second)
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
)
FLAGS = MappingProxyType(
    {  # the declaration's keywords (docs/engine.md): their types, and their defaults
        "name": (str, None),
        "symbol": (str, None),
        "infix": (bool, False),
        "operator": (str, None),
        "method": (str, None),
        "activation": (bool, False),
        "elementwise": (bool, False),
        "ufunc": (np.ufunc, None),
    }
)
NO_ATTRS = MappingProxyType({})


class Context:
    """What forward keeps for backward: `attrs` (its keyword arguments), `save_for_backward(...)`,
    and any attribute it sets (ctx.D = mask). A forward that sets nothing keeps no Context."""

    __slots__ = ("fn", "saved_tensors", "attrs", "roles", "__dict__")

    def __init__(self, fn=None, attrs=NO_ATTRS):
        self.fn, self.saved_tensors, self.attrs, self.roles = fn, (), attrs, ()

    def save_for_backward(self, *xs):
        self.saved_tensors = xs

    def keeps_anything(self):
        return bool(self.saved_tensors or self.attrs or self.__dict__)


_UNSET = object()  # what a Context's dict gives for a name forward did not set


class BackwardContext:
    """What a rule's backward sees of its node: `inputs` and `output` (raw data; graph nodes when
    the walk is recorded with create_graph=True, so that its grads are a graph too), `attrs`,
    `needs_input_grad`, `saved_tensors` and whatever forward set on its Context.

    One is made per walk and pointed at each node in turn (the walk sets `node`, `kept` (its
    Context, or None), `nodes` (its inputs) and `inputs` (their data, or the nodes themselves when
    recorded)). A tensor saved with
    `save_for_backward` is remembered as the input or output it is (a forward that reads its ctx
    gets one distinct object per distinct input, so this is exact); anything else saved is a constant."""

    __slots__ = ("node", "kept", "nodes", "inputs", "graph")

    def __init__(self, graph=False, node=None, kept=None, nodes=(), inputs=()):
        self.node, self.kept, self.nodes, self.inputs, self.graph = node, kept, nodes, inputs, graph

    @property
    def output(self):
        return self.node if self.graph else self.node.data

    @property
    def attrs(self):
        return self.kept.attrs if self.kept is not None else NO_ATTRS

    @property
    def needs_input_grad(self):
        """One bool per input: does backward need to compute its grad?"""
        needs = []
        for p in self.nodes:  # (a loop: for an op's 2 or 3 inputs, cheaper than a comprehension's frame)
            needs.append(isinstance(p, Value) and p.requires_grad)
        return tuple(needs)

    @property
    def saved_tensors(self):
        kept = self.kept
        if kept is None:
            return ()
        if not self.graph:
            return kept.saved_tensors
        inputs = self.nodes
        return tuple(
            inputs[r] if r >= 0 else self.node if r == -2 else x for x, r in zip(kept.saved_tensors, kept.roles)
        )

    def __getattr__(self, name):  # anything else forward set on its Context
        if name == "kept":  # unset only on an instance made without __init__ (copy): no loop back here
            raise AttributeError(name)
        kept = self.kept
        if kept is not None:
            found = kept.__dict__.get(name, _UNSET)
            if found is not _UNSET:
                return found
        op = self.node.op if self.node is not None else "?"
        raise AttributeError(
            bilingual(
                f"{op}.backward: 前向没有在 ctx 上留下 {name!r}",
                f"{op}.backward: its forward set no {name!r} on ctx",
            )
        )


def _signature(fn):
    """(number of tensor inputs, names of keyword attributes) from forward(ctx, x, y, slope=0.01)."""
    params = list(inspect.signature(fn.forward).parameters.values())[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None, tuple(p.name for p in params if p.kind is p.KEYWORD_ONLY)
    arity = sum(1 for p in params if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD)
    return arity, tuple(p.name for p in params if p.default is not p.empty)


def _not_a_built_in(cls):
    """A new op may take a name already registered (a notebook cell run again), but not the name of
    one of the engine's own ops: the rules' dialect calls those (power, where, scatter...)."""
    old = REGISTRY.get(cls.name)
    if old is not None and old.__module__.startswith("tinygrad_cn.") and old.__qualname__ != cls.__qualname__:
        raise TypeError(
            bilingual(
                f"{cls.__name__}: 名字 {cls.name!r} 属于引擎自己的运算 {old.__name__}，请换一个名字",
                f"{cls.__name__}: the name {cls.name!r} belongs to the engine's own op {old.__name__}: choose another",
            )
        )


def _declaration(cls, keywords):
    """The op's flags from its class keywords, else its class body, else the defaults; checked."""
    unknown = set(keywords) - set(FLAGS)
    if unknown:
        raise TypeError(
            bilingual(
                f"{cls.__name__}: 未知的声明 {sorted(unknown)}",
                f"{cls.__name__}: unknown declaration {sorted(unknown)}; the keywords are {sorted(FLAGS)}",
            )
        )
    own = set(keywords) | (set(FLAGS) & set(vars(cls)))  # what this class itself declares
    for flag, (kind, default) in FLAGS.items():
        if flag == "name":  # never inherited: it is the registry's key
            value = keywords.get("name", vars(cls).get("name"))
        else:
            value = keywords.get(flag, getattr(cls, flag, default))
        if value is not None and type(value) is not kind:
            raise TypeError(
                bilingual(
                    f"{cls.__name__}: {flag} 必须是 {kind.__name__}，收到 {value!r:.40}",
                    f"{cls.__name__}: {flag} must be a {kind.__name__}, got {value!r:.40}",
                )
            )
        setattr(cls, flag, value)
    cls.name = cls.name or cls.__name__
    cls.symbol = cls.symbol or cls.name
    if cls.operator is not None and cls.operator not in OPERATORS:
        raise TypeError(
            bilingual(
                f"{cls.__name__}.operator 未知：{cls.operator!r}",
                f"{cls.__name__}.operator is unknown: {cls.operator!r}; one of {sorted(OPERATORS)}",
            )
        )
    if cls.method is not None and not cls.method.isidentifier():
        raise TypeError(bilingual(f"{cls.__name__}.method 不是合法的名字", f"{cls.__name__}.method is not a name"))
    return own


class Function:
    """Base of every op. Subclasses define static `forward(ctx, *raw)` and `backward(ctx, grad)`,
    and may define static `effect(*raw, **attrs)`: what running the op changes outside the graph
    (batch norm's running averages), done after forward by a real run, never by checkers."""

    name, symbol, infix, operator, method, activation, elementwise = "Function", None, False, None, None, False, False
    ufunc = None
    arity, attrs = None, ()  # read from forward's signature when the class is made
    uses_ctx = True  # False when forward never reads its ctx (read from its code)
    effect = None

    def __init_subclass__(cls, **keywords):
        super().__init_subclass__()
        for method in ("forward", "backward"):
            if getattr(cls, method) is getattr(Function, method):
                raise TypeError(
                    bilingual(
                        f"{cls.__name__} 必须定义 {method}(ctx, ...)", f"{cls.__name__} must define {method}(ctx, ...)"
                    )
                )
        own = _declaration(cls, keywords)
        _not_a_built_in(cls)
        cls.arity, cls.attrs = _signature(cls)
        cls.uses_ctx = _uses_ctx(cls.forward)
        REGISTRY[cls.name] = cls  # re-defining a class (notebook cell re-run) replaces it
        _add_methods(cls, own)

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
    def apply(cls, *inputs, **attrs):
        """Record a node for this op on `inputs` and compute it: the one way an op is called."""
        if cls.arity is not None and len(inputs) != cls.arity:
            raise TypeError(
                bilingual(
                    f"{cls.name}: 需要 {cls.arity} 个输入，收到 {len(inputs)} 个",
                    f"{cls.name}: takes {cls.arity} inputs, got {len(inputs)}",
                )
            )
        unknown = attrs and set(attrs) - set(cls.attrs)  # (most calls have no attributes: no sets built)
        if unknown:
            raise TypeError(
                bilingual(
                    f"{cls.name}: 未知的参数 {sorted(unknown)}",
                    f"{cls.name}: unknown attributes {sorted(unknown)}; it takes {list(cls.attrs)}",
                )
            )
        return run(cls, inputs, attrs)


def run(fn, inputs, attrs=NO_ATTRS, node=None):
    """Compute op `fn` on `inputs` (Values and constants) into a node, and return it: a new node
    (operators, `apply`), or `node` itself when `Replay` runs a recorded node again. The one place
    an op's forward is called for real."""
    mode = current()
    raw, requires_grad, numbers, inputs = unpack(inputs, fn.name)
    if not numbers and fn.elementwise and len(raw) > 1:  # (numbers never meet the rank-1 trap)
        check_rank1_broadcast(fn, inputs, raw)
    if attrs or fn.uses_ctx:
        out, keep, attrs = _forward_with_context(fn, inputs, raw, attrs)
    else:
        try:  # most ops: a forward that keeps nothing, so no context at all
            out = fn.forward(None, *raw)
        except NUMPY_ERRORS as e:
            raise refusal(fn, inputs, e) from e
        keep = fn
        if type(out) is not float:
            out = as_data(out, fn.name)
    if fn.effect is not None and mode.effects:
        fn.effect(*raw, **attrs)
    if node is not None:
        refill(node, out, keep)
    elif mode.grad_enabled and inputs:
        node = make_node(out, keep, inputs, requires_grad, mode.scope)
    else:  # under no_grad: a leaf
        node = make_node(out, None, (), False, mode.scope)
    if mode.anomaly:
        check_finite(out, fn.name, node, "forward")
    return node


def _forward_with_context(fn, inputs, raw, attrs):
    """run()'s forward for an op that reads its ctx or takes attributes: (output, what the node
    keeps: the Context if forward kept anything in it, else the op; the attributes as frozen).
    Only a forward that reads its ctx can save a tensor, so only here must each distinct input be
    a distinct raw object (a saved tensor's role is found by identity, see BackwardContext)."""
    if len(raw) > 1 and (raw[0] is raw[1] or len(raw) > 2 and len(set(map(id, raw))) < len(raw)):
        _distinct(inputs, raw)
    ctx = Context(fn, {k: _frozen(v) for k, v in attrs.items()} if attrs else NO_ATTRS)
    try:
        out = fn.forward(ctx, *raw, **ctx.attrs)
    except NUMPY_ERRORS as e:
        raise refusal(fn, inputs, e) from e
    if type(out) is not float:
        out = _output(out, fn, ctx)
    if not ctx.keeps_anything():
        return out, fn, ctx.attrs
    if ctx.saved_tensors:  # which input, or the output, each saved tensor is
        ctx.roles = tuple(_role(t, raw, out) for t in ctx.saved_tensors)
    return out, ctx, ctx.attrs


def _output(out, fn, ctx):
    """A forward's array output as data (a saved output stays identical to it)."""
    data = as_data(out, fn.name)
    if ctx.saved_tensors:
        ctx.saved_tensors = tuple(data if t is out else t for t in ctx.saved_tensors)  # the node's data itself
    return data


def run_alone(fn, inputs, raw, attrs):
    """fn's forward on `raw` outside any graph and without its effect, for checkers and pictures:
    (output, the BackwardContext its backward would see with `inputs` as the node's inputs)."""
    ctx = Context(fn, attrs)
    out = fn.forward(ctx, *raw, **attrs)
    if ctx.saved_tensors:
        ctx.roles = tuple(_role(t, raw, out) for t in ctx.saved_tensors)
    node = make_node(out, ctx, tuple(inputs), True, None)
    return out, BackwardContext(False, node, ctx, tuple(inputs), tuple(raw))


def _frozen(v):
    """An attribute as it is now: arrays (an index, a mask) copied, so a later change to the
    caller's buffer cannot change this node's backward."""
    if type(v) is np.ndarray:
        return v.copy()
    if type(v) is tuple:
        return tuple(_frozen(x) for x in v)
    return v


def _distinct(inputs, raw):
    """One raw object per distinct input, so a saved tensor is known exactly (see BackwardContext)."""
    for i in range(1, len(raw)):
        for j in range(i):
            if raw[i] is raw[j] and inputs[i] is not inputs[j]:
                raw[i] = raw[i] * 1.0 if type(raw[i]) is float else raw[i].copy()
                break


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


def _add_methods(cls, own):
    """Give Value the operator(s) and the method that `cls` itself declares (`own`): attached from
    above, so value.py knows no op. An op may replace what an op added, nothing else."""
    named = {}
    if cls.operator is not None and "operator" in own:
        names = OPERATORS[cls.operator]
        if len(names) == 1:  # -x, abs(x), x[i]
            named[names[0]] = lambda self, *args: cls.call(self, *args) if args else run(cls, (self,))
        else:
            named[names[0]] = lambda self, other: run(cls, (self, other))
            named[names[1]] = lambda self, other: run(cls, (other, self))
    if cls.method is not None and "method" in own:
        named[cls.method] = lambda self, *args, **kw: cls.call(self, *args, **kw) if args or kw else cls.apply(self)
    for attr, body in named.items():
        current_body = getattr(Value, attr, None)
        if current_body is not None and not getattr(current_body, "op_method", False):
            raise TypeError(
                bilingual(
                    f"{cls.__name__}: Value 已有 {attr}，运算不能替换它",
                    f"{cls.__name__}: Value already has {attr!r}; an op may not replace it",
                )
            )
        body.__name__, body.op_method = attr, True
        setattr(Value, attr, body)


def _array_ufunc(self, ufunc, method, *args, **kwargs):
    """numpy's ufuncs on Values (np.exp(z), ndarray * Value) run the op that declares that ufunc;
    any other is refused in both languages rather than computed outside the graph."""
    if method == "__call__" and not kwargs:
        for fn in list(REGISTRY.values()):
            if fn.ufunc is ufunc and fn.arity in (None, len(args)):
                return run(fn, args)
    raise TypeError(
        bilingual(
            f"numpy 的 {ufunc.__name__} 不能用于 Value（它不在计算图里）：请用 Value 的方法或 tinygrad_cn.ops，"
            "例如 z.exp()、z.tanh()",
            f"numpy's {ufunc.__name__} does not work on a Value (it would leave the graph): use the Value's "
            "methods or tinygrad_cn.ops, e.g. z.exp(), z.tanh()",
        )
    )


Value.__array_ufunc__ = _array_ufunc  # attached from above, as the operators are

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
    ranks = {np.ndim(r) for r in raw if type(r) is not float}
    if len(ranks) < 2:
        return  # numbers, or arrays of one rank: the trap cannot spring (the common case)
    shapes = [shape(r) for r in raw]
    op = fn.name
    try:
        out = np.broadcast_shapes(*shapes)
    except ValueError as e:
        raise OpError(shape_error(op, inputs, e), fn, inputs) from None
    if any(len(s) == 1 and s[0] > 1 for s in shapes) and len(out) >= 2 and all(s != out and len(s) > 0 for s in shapes):
        operands = f" {op} ".join(describe(x) for x in inputs)
        raise OpError(
            bilingual(
                f"{op}: 一维数组与矩阵互相广播会得到错误的 {out}，请先 reshape 成 (n, 1) 或 (1, n)：{operands}",
                f"{op}: a one-dimensional array broadcast against a matrix into {out}; reshape it to (n, 1) or"
                f" (1, n) first (course §2.16): {operands}",
            ),
            fn,
            inputs,
        )
