"""`Function`: the one door every op goes through, built-in or user-defined.

    class MyOp(Function):
        @staticmethod
        def forward(ctx, x): ...          # raw float/ndarray in, raw out
        @staticmethod
        def backward(ctx, grad): ...      # upstream grad in, one grad per input out

    y = MyOp.apply(x)                     # a Value whose op is "MyOp"

`apply` unwraps Values to raw data, runs `forward`, and records the node.
Backward rules never see broadcasting: the walk sums each returned grad back
to its input's shape (autodiff.unbroadcast).
"""
import numpy as np

from .messages import bilingual, describe
from .mode import MODE
from .value import Value, as_data, set_inputs

REGISTRY = {}  # op name -> Function subclass; every op, built-in or custom, is here


class Context:
    """What forward leaves for backward: `save_for_backward`, `saved_tensors`, any attribute.

    Save inputs and outputs with `save_for_backward` (not as attributes) so that
    `backward(create_graph=True)` can hand them back as graph nodes and a
    gradient can be differentiated again.
    """

    __slots__ = ("_inputs", "saved_tensors", "_kwargs", "__dict__")

    def __init__(self, inputs=(), kwargs=None):
        self._inputs, self.saved_tensors, self._kwargs = inputs, (), kwargs

    def save_for_backward(self, *xs):
        self.saved_tensors = xs

    @property
    def needs_input_grad(self):
        """One bool per input: does backward need to compute its grad?"""
        need = []
        for p in self._inputs:
            need.append(isinstance(p, Value) and p.requires_grad)
        return need


def context_of(node):
    """A node's Context. A forward that kept nothing but saved tensors (most ops) has its
    node store just that tuple: one object fewer per node for the garbage collector,
    which otherwise dominates the time of big scalar graphs."""
    ctx = node._ctx
    if type(ctx) is tuple:
        ctx, ctx.saved_tensors = Context(node._prev), ctx
    return ctx


class Function:
    """Base of every op. Subclasses define static `forward(ctx, *raw)` and `backward(ctx, grad)`."""

    name = "Function"
    elementwise = False  # True: inputs broadcast against each other (checked once, in apply)

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        for method in ("forward", "backward"):
            if getattr(cls, method) is getattr(Function, method):
                raise TypeError(bilingual(f"{cls.__name__} 必须定义 {method}(ctx, ...)",
                                          f"{cls.__name__} must define {method}(ctx, ...)"))
        if "name" not in cls.__dict__:
            cls.name = cls.__name__
        REGISTRY[cls.name] = cls  # re-defining a class (notebook cell re-run) replaces it

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **kwargs):
        """Record a node for this op on `inputs` and compute it: the one way an op is called."""
        raw = []
        requires_grad = False
        for x in inputs:
            if isinstance(x, Value):
                raw.append(x._data)
                requires_grad = requires_grad or x.requires_grad
            else:
                raw.append(as_data(x, cls.name))
        if cls.elementwise and type(raw[0]) is not float and type(raw[1]) is not float \
                and raw[0].ndim != raw[1].ndim:  # only then can the rank-1 trap spring
            check_rank1_broadcast(cls.name, inputs, raw)
        node = _new(Value)
        node._grad, node.label, node.scope = None, "", MODE.scope
        if MODE.grad_enabled and inputs:
            node._fn, node.requires_grad = cls, requires_grad
            if len(inputs) == 2:  # the common case, inline
                node._in0, node._in1 = inputs
            else:
                set_inputs(node, inputs)
        else:  # under no_grad, or an op of no inputs: a leaf
            node._fn, node.requires_grad = None, False
            set_inputs(node, ())
        return run_forward(node, cls, inputs, raw, kwargs)


def run_forward(node, fn, inputs, raw, kwargs):
    """Call `fn.forward` on raw data; store its output and what backward needs in `node`.

    Shared by `Function.apply` and `Replay`, which re-runs recorded nodes in place.
    """
    ctx = _new(Context)
    ctx.saved_tensors, ctx._kwargs = (), kwargs or None
    ctx._inputs = inputs if node._fn is not None else ()
    try:
        out = fn.forward(ctx, *raw, **kwargs)
    except ValueError as e:  # numpy's shape errors, told in course notation
        raise ValueError(shape_error(fn.name, inputs, e)) from None
    if type(out) is not float:
        raw_out, out = out, as_data(out, fn.name)
        if out is not raw_out and ctx.saved_tensors:  # keep saved outputs identical to data
            ctx.saved_tensors = tuple(out if t is raw_out else t for t in ctx.saved_tensors)
    node._data = out
    if node._fn is None:
        node._ctx = None
    else:  # most forwards keep nothing but saved tensors: keep just that tuple (see context_of)
        node._ctx = ctx.saved_tensors if not kwargs and not ctx.__dict__ else ctx
    if MODE.anomaly:
        from .anomaly import check_finite
        check_finite(out, fn.name, node, "forward")
    return node


_new = object.__new__


def shape_error(op, inputs, err):
    """'@: 形状不匹配 / shape mismatch: W[2] (1, 4) @ A[1] (3, 400) (numpy: ...)'"""
    joiner = f" {op} " if len(op) <= 2 else ", "
    operands = joiner.join(describe(x) for x in inputs)
    if len(op) > 2:
        operands = f"{op}({operands})"
    return bilingual(f"{op}: 形状不匹配", f"shape mismatch: {operands} ({err})")


def check_rank1_broadcast(op, inputs, raw):
    """numpy broadcasting, except the rank-1 trap of course §2.16: (n,) with (n, 1) -> (n, n)."""
    shapes = [np.shape(r) for r in raw]
    try:
        out = np.broadcast_shapes(*shapes)
    except ValueError as e:
        raise ValueError(shape_error(op, inputs, e)) from None
    if any(len(s) == 1 and s[0] > 1 for s in shapes) and len(out) >= 2 \
            and all(s != out and len(s) > 0 for s in shapes):
        raise ValueError(
            bilingual(f"{op}: 秩为 1 的数组与矩阵互相广播会得到错误的 {out}，请先 reshape 成 (n, 1) 或 (1, n)",
                      f"rank-1 array broadcast against a matrix into {out}; reshape it to (n, 1) or (1, n) first"
                      f" (course §2.16): {f' {op} '.join(describe(x) for x in inputs)}"))
