"""Random small graphs of the registered ops, side by side with PyTorch (float64).

hypothesis builds a program of 1 to 6 steps over one to three leaves (numbers and arrays of
broadcasting shapes), each step an op of tinygrad_cn.REGISTRY applied to earlier nodes (a node
may be used twice, or by two later steps) and to constants (numbers, lists, arrays). The same
program runs in both engines; compared are:

- every node's value,
- dJ/dnode of every node: `J.backward()` (leaves and intermediate nodes) and `tg.gradients`,
- Hessian-vector products: `gradients(create_graph=True)` differentiated again, and
  `backward(create_graph=True)` whose `.grad` is a graph,
- `Replay` of the same graph on new leaf data.

Kinks (relu and abs at 0, clip's ends, ties of maximum and max) are compared too, where both
engines see the very same numbers; an example whose kink input differs between the engines by
rounding (after exp, a sum ...) is not a derivative to compare and is rejected.
Edge points (±0, ±inf, nan, huge and tiny numbers) are compared op by op at the end.
"""

import math
import os
import warnings

import numpy as np
import pytest
from conftest import need_module
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import tinygrad_cn as tg
from tinygrad_cn import Value

SCALE = int(os.environ.get("TINYGRAD_CN_FUZZ_SCALE", "1"))  # a longer hunt: TINYGRAD_CN_FUZZ_SCALE=50

torch = need_module("torch")
F = torch.nn.functional
GRAPHS = settings(
    max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
SHAPES = [(), (1, 1), (3, 1), (1, 4), (3, 4), (4,), (2, 1, 4)]
ELEMENTS = st.one_of(
    st.floats(-2, 2, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5]),  # zeros and ties, so kinks are met
)


def T(x):
    return torch.tensor(x, dtype=torch.float64)


def data(v):
    return tg.value.data_of(v)


def broadcasts(*shapes):
    """The engine's broadcasting: numpy's, except a 1-D array against a matrix (course §2.16)."""
    try:
        out = np.broadcast_shapes(*shapes)
    except ValueError:
        return None
    shapes = [s for s in shapes if s]
    if len({len(s) for s in shapes}) > 1 and any(len(s) == 1 and s[0] > 1 for s in shapes):
        if len(out) >= 2 and all(s != out for s in shapes):
            return None
    return out


def near(x, k, tol=1e-6):
    return bool(np.any(np.abs(np.asarray(x, dtype=float) - k) <= tol * np.maximum(1.0, np.abs(k))))


# ---- the program: steps that run in both engines ---------------------------------------------
class Step:
    """One op: `ours(*nodes)` and `theirs(*tensors)` on the nodes at `args`; `kink(*raw)` says
    whether raw inputs sit at (or next to) a point where the op has no derivative."""

    def __init__(self, name, args, ours, theirs, kink=None):
        self.name, self.args, self.ours, self.theirs, self.kink = name, args, ours, theirs, kink

    def __repr__(self):
        return f"{self.name}{tuple(self.args)} -> {self.shape}"


def same_bits(a, b):
    return np.array_equal(np.asarray(a, dtype=float), b.detach().numpy(), equal_nan=True)


def run_both(steps, leaves, tensors):
    """Run the program; None when a kink input differs between the engines (no shared derivative)."""
    nodes, ts = list(leaves), list(tensors)
    for s in steps:
        ins, tins = [nodes[i] for i in s.args], [ts[i] for i in s.args]
        if s.kink is not None and s.kink(*[data(v) for v in ins]):
            if not all(same_bits(data(v), t) for v, t in zip(ins, tins)):
                return None
        nodes.append(s.ours(*ins))
        ts.append(s.theirs(*tins))
    return nodes, ts


def constant(draw, shape, nonzero=False):
    """A constant that broadcasts against `shape`: a number, a list, or an array."""
    kind = draw(st.sampled_from(["float", "int", "list", "array"]))
    value = draw(st.sampled_from([0.5, -1.5, 2.0, 3.0] if nonzero else [0.0, -0.0, 0.5, -1.5, 2.0, 3.0]))
    if kind == "float":
        return value
    if kind == "int":
        return int(value)
    fits = [t for t in SHAPES if t and broadcasts(t, shape) is not None]
    if not fits:
        return value
    s = draw(st.sampled_from(fits))
    arr = np.full(s, value) + np.arange(int(np.prod(s))).reshape(s) * 0.25
    return arr.tolist() if kind == "list" else arr


def tie_near(axis, keepdims=False):
    def kink(x):
        if np.ndim(x) == 0:
            return False
        top = np.max(x, axis=axis, keepdims=True)
        low = np.min(x, axis=axis, keepdims=True)
        close = lambda e: np.abs(x - e) <= 1e-6 * np.maximum(1.0, np.abs(e))  # noqa: E731
        return bool(np.any(close(top).sum(axis=axis) > 1) or np.any(close(low).sum(axis=axis) > 1))

    return kink


UNARY = {
    "neg": (lambda v: -v, lambda t: -t, None),
    "exp": (lambda v: (v * 0.5).exp(), lambda t: torch.exp(t * 0.5), None),
    "log": (lambda v: (v * v + 0.25).log(), lambda t: torch.log(t * t + 0.25), None),
    "tanh": (lambda v: v.tanh(), torch.tanh, None),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid, None),
    "relu": (lambda v: v.relu(), torch.relu, lambda x: near(x, 0.0)),
    "leaky_relu": (lambda v: v.leaky_relu(0.2), lambda t: F.leaky_relu(t, 0.2), lambda x: near(x, 0.0)),
    "softplus": (lambda v: v.softplus(), F.softplus, None),
    "sqrt": (lambda v: (v * v + 0.25).sqrt(), lambda t: torch.sqrt(t * t + 0.25), None),
    "abs": (lambda v: abs(v), torch.abs, lambda x: near(x, 0.0)),
    "clip": (lambda v: v.clip(-1.0, 0.5), lambda t: torch.clamp(t, -1.0, 0.5), lambda x: near(x, -1) or near(x, 0.5)),
    "square": (lambda v: v**2, lambda t: t**2, None),
    "cube": (lambda v: v**3.0, lambda t: t**3.0, None),
    "zeroth": (lambda v: v**0, lambda t: t**0, None),
    "recip": (lambda v: 1 / (v * v + 0.5), lambda t: 1 / (t * t + 0.5), None),
    "rpow": (lambda v: 2.0**v, lambda t: 2.0**t, None),
}
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b, None),
    "-": (lambda a, b: a - b, lambda a, b: a - b, None),
    "*": (lambda a, b: a * b, lambda a, b: a * b, None),
    "/": (lambda a, b: a / (b * b + 0.5), lambda a, b: a / (b * b + 0.5), None),
    "**": (lambda a, b: (a * a + 0.25) ** b.tanh(), lambda a, b: (a * a + 0.25) ** torch.tanh(b), None),
    "maximum": (tg.maximum, torch.maximum, lambda a, b: near(np.asarray(a) - np.asarray(b), 0.0)),
    "minimum": (tg.minimum, torch.minimum, lambda a, b: near(np.asarray(a) - np.asarray(b), 0.0)),
}


CONST_OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "maximum": tg.maximum,
    "minimum": tg.minimum,
}


def torch_binary(name):
    """PyTorch's op with a constant on either side (maximum/minimum need tensors)."""
    op = BINARY[name][1]
    return lambda a, b: op(a if torch.is_tensor(a) else T(a), b if torch.is_tensor(b) else T(b))


@st.composite
def programs(draw):
    n_leaves = draw(st.integers(1, 3))
    shapes = [draw(st.sampled_from(SHAPES)) for _ in range(n_leaves)]
    leaves = [
        draw(ELEMENTS)
        if s == () and draw(st.booleans())
        else np.array(draw(st.lists(ELEMENTS, min_size=1, max_size=1)) * int(np.prod(s)), dtype=float).reshape(s)
        for s in shapes
    ]
    for i, s in enumerate(shapes):  # distinct entries (the one drawn above is repeated), some ties kept
        if s:
            leaves[i] = leaves[i] + np.array(
                draw(
                    st.lists(
                        st.sampled_from([0.0, 0.0, 0.25, -0.5, 1.5]), min_size=int(np.prod(s)), max_size=int(np.prod(s))
                    )
                )
            ).reshape(s)
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        step = draw(one_step(shapes))
        if step is not None and np.prod(step.shape):  # (no empty arrays: a separate test has them)
            steps.append(step)
            shapes.append(step_shape(step, shapes))
    assume(steps)
    return leaves, steps, shapes


def step_shape(step, shapes):
    return step.shape


@st.composite
def one_step(draw, shapes):
    n = len(shapes)
    kind = draw(
        st.sampled_from(
            [
                "unary",
                "binary",
                "const",
                "rconst",
                "reduce",
                "softmax",
                "transpose",
                "reshape",
                "matmul",
                "where",
                "index",
                "join",
            ]
        )
    )
    i = draw(st.integers(0, n - 1))
    s = shapes[i]
    if kind == "unary":
        name = draw(st.sampled_from(sorted(UNARY)))
        ours, theirs, kink = UNARY[name]
        step = Step(name, [i], ours, theirs, kink)
        step.shape = s
        return step
    if kind == "binary":
        j = draw(st.integers(0, n - 1))  # i == j: a node used twice
        out = broadcasts(s, shapes[j])
        if out is None:
            return None
        name = draw(st.sampled_from(sorted(BINARY)))
        ours, theirs, kink = BINARY[name]
        step = Step(name, [i, j], ours, theirs, kink)
        step.shape = out
        return step
    if kind in ("const", "rconst"):
        name = draw(st.sampled_from(["+", "-", "*", "/", "maximum", "minimum"]))
        c = constant(draw, s, nonzero=name == "/")
        ours, kink = CONST_OPS[name], BINARY[name][2]
        theirs = (
            torch_binary(name)
            if name in ("maximum", "minimum")
            else (
                lambda a, b: CONST_OPS[name](
                    T(a) if not torch.is_tensor(a) else a, T(b) if not torch.is_tensor(b) else b
                )
            )
        )
        out = broadcasts(s, np.shape(c))
        if out is None:
            return None
        if kind == "const":
            step = Step(
                f"x {name} c",
                [i],
                lambda v: ours(v, c),
                lambda t: theirs(t, c),
                kink and (lambda x: kink(x, np.asarray(c))),
            )
        else:  # the constant on the left: __radd__, numpy's ufuncs, ...
            if name == "/":
                ours = lambda a, b: a / (b * b + 0.5)  # noqa: E731
                theirs = lambda a, b: T(a) / (b * b + 0.5)  # noqa: E731
            step = Step(
                f"c {name} x",
                [i],
                lambda v: ours(c, v),
                lambda t: theirs(c, t),
                kink and (lambda x: kink(np.asarray(c), x)),
            )
        step.shape = out
        return step
    if kind == "reduce":
        name = draw(st.sampled_from(["sum", "mean", "max", "min"]))
        keep = draw(st.booleans())
        if not np.prod(s):
            return None
        if s == ():
            axis = None
        else:
            axis = draw(st.one_of(st.none(), st.integers(-len(s), len(s) - 1), st.just(tuple(range(len(s))))))
        dims = tuple(range(len(s))) if axis is None else axis
        tname = {"sum": torch.sum, "mean": torch.mean, "max": torch.amax, "min": torch.amin}[name]

        def theirs(t, name=name, dims=dims, keep=keep, tname=tname):
            if t.dim() == 0:
                return t.clone()  # (a node of its own, as the engine's)
            return tname(t, dim=dims, keepdim=keep)

        step = Step(
            name,
            [i],
            lambda v: getattr(v, name)(axis=axis, keepdims=keep),
            theirs,
            tie_near(axis) if name in ("max", "min") else None,
        )
        step.shape = np.empty(s).sum(axis=axis, keepdims=keep).shape if s else ()
        return step
    if kind == "softmax":
        if not s:
            return None
        axis = draw(st.integers(-len(s), len(s) - 1))
        log = draw(st.booleans())
        ours = (lambda v: tg.log_softmax(v, axis=axis)) if log else (lambda v: tg.softmax(v, axis=axis))
        theirs = (lambda t: torch.log_softmax(t, dim=axis)) if log else (lambda t: torch.softmax(t, dim=axis))
        step = Step("log_softmax" if log else "softmax", [i], ours, theirs)
        step.shape = s
        return step
    if kind == "transpose":
        perm = tuple(draw(st.permutations(range(len(s))))) if s else ()
        if s and draw(st.booleans()):
            perm = tuple(p - len(s) for p in perm)  # negative axes
        step = Step(
            "transpose",
            [i],
            lambda v: v.transpose(perm) if perm else v.T,
            lambda t: t.permute(perm) if perm else t.permute(*reversed(range(t.dim()))) if t.dim() else t.clone(),
        )
        step.shape = tuple(s[p] for p in perm) if perm else tuple(reversed(s))
        return step
    if kind == "reshape":
        size = int(np.prod(s))
        new = draw(st.sampled_from([(size,), (1, size), (size, 1), (-1,), tuple(reversed(s))]))
        step = Step("reshape", [i], lambda v: v.reshape(new), lambda t: t.reshape(new))
        step.shape = np.empty(s).reshape(new).shape
        return step
    if kind == "matmul":
        j = draw(st.integers(0, n - 1))
        a, b = s, shapes[j]
        if len(a) != 2 or len(b) != 2:
            return None
        if a[1] == b[0]:
            step = Step("@", [i, j], lambda x, y: x @ y, lambda x, y: x @ y)
            step.shape = (a[0], b[1])
        elif a[1] == b[1]:
            step = Step("@ T", [i, j], lambda x, y: x @ y.T, lambda x, y: x @ y.T)
            step.shape = (a[0], b[0])
        else:
            W = np.arange(a[1] * 2.0).reshape(a[1], 2) / 4 - 0.5
            step = Step("@ W", [i], lambda x: x @ W, lambda x: x @ T(W))
            step.shape = (a[0], 2)
        return step
    if kind == "where":
        j = draw(st.integers(0, n - 1))
        out = broadcasts(s, shapes[j])
        if out is None or (out and len(out) == 1 and (s != out or shapes[j] != out)):
            return None
        mask = np.array(draw(st.lists(st.booleans(), min_size=int(np.prod(out)), max_size=int(np.prod(out))))).reshape(
            out
        )
        step = Step(
            "where", [i, j], lambda a, b: tg.where(mask, a, b), lambda a, b: torch.where(torch.tensor(mask), a, b)
        )
        step.shape = out
        return step
    if kind == "index":
        if not s:
            return None
        choice = draw(st.sampled_from(["int", "slice", "fancy", "mask"]))
        if choice == "int":
            idx = draw(st.integers(-s[0], s[0] - 1))
        elif choice == "slice":
            idx = slice(None, None, -1) if draw(st.booleans()) else slice(1, None)
        elif choice == "fancy":
            idx = draw(st.lists(st.integers(0, s[0] - 1), min_size=1, max_size=4))  # repeats sum up
        else:
            idx = np.array(draw(st.lists(st.booleans(), min_size=s[0], max_size=s[0])), dtype=bool)
            assume(idx.any())  # (an empty result: max and softmax refuse it, as PyTorch does)
        if isinstance(idx, slice) and idx.step == -1:  # PyTorch has no negative steps: flip instead
            theirs = lambda t: torch.flip(t, dims=(0,))  # noqa: E731
        else:
            theirs = lambda t: t[torch.tensor(idx) if isinstance(idx, (list, np.ndarray)) else idx]  # noqa: E731
        step = Step(f"[{idx}]", [i], lambda v: v[idx], theirs)
        step.shape = np.empty(s)[idx].shape
        return step
    if kind == "join":
        j = draw(st.integers(0, n - 1))
        if s != shapes[j]:
            return None
        if draw(st.booleans()):
            axis = draw(st.integers(-len(s) - 1, len(s)))
            step = Step(
                "stack", [i, j], lambda a, b: tg.stack([a, b], axis=axis), lambda a, b: torch.stack([a, b], dim=axis)
            )
            step.shape = np.stack([np.empty(s)] * 2, axis=axis).shape
        else:
            axis = draw(st.integers(-len(s), len(s) - 1)) if s else 0
            step = Step(
                "concatenate",
                [i, j],
                lambda a, b: tg.concatenate([a, b], axis=axis),
                lambda a, b: torch.cat(
                    [a.reshape(-1) if a.dim() == 0 else a, b.reshape(-1) if b.dim() == 0 else b], dim=axis
                ),
            )
            step.shape = np.concatenate([np.atleast_1d(np.empty(s))] * 2, axis=axis).shape
        return step
    raise AssertionError(kind)


# ---- comparing ------------------------------------------------------------------------------
def close(ours, theirs, what, rtol=1e-7):
    ours = np.asarray(data(ours), dtype=float)
    if theirs is None:  # PyTorch's "no path": zeros
        theirs = np.zeros(ours.shape)
    theirs = theirs.detach().numpy(force=True) if torch.is_tensor(theirs) else np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} ≠ PyTorch's {theirs.shape}"
    scale = max(1.0, float(np.max(np.abs(theirs), initial=0.0)))
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=1e-9 * scale, err_msg=what)


def torch_leaves(leaves):
    return [T(x).requires_grad_(True) for x in leaves]


def cost_weights(shape):
    return np.random.default_rng(len(shape)).uniform(-1.5, 1.5, shape) if shape else 0.7


def check_program(leaves, steps, shapes):
    warnings.simplefilter("ignore", RuntimeWarning)
    vs = [Value(x) for x in leaves]
    got = run_both(steps, vs, torch_leaves(leaves))
    assume(got is not None)
    nodes, ts = got
    for v, t, s in zip(nodes, ts, shapes):
        assume(np.all(np.isfinite(data(v))) and np.all(np.abs(data(v)) < 1e6))
        assert v.shape == s, (v, s)
    for v, t, step in zip(nodes[len(vs) :], ts[len(vs) :], steps):
        close(v, t, f"value of {step.name}")
    W = cost_weights(nodes[-1].shape)
    J = (nodes[-1].tanh() * W).sum()
    tJ = (torch.tanh(ts[-1]) * T(W)).sum()
    want = torch.autograd.grad(tJ, ts, create_graph=True, allow_unused=True)
    # dJ/dx: gradients() first (it leaves .grad alone), then backward() into every node's .grad
    for g, w, x in zip(tg.gradients(J, vs), want, vs):
        close(g, np.zeros(np.shape(data(x))) if w is None else w, "gradients")
        assert x.grad_or_none is None
    J.backward()
    for v, w in zip(nodes, want):
        if v.requires_grad and w is not None:
            close(v.grad, w, f"backward: .grad of {v!r}")
    arrays = [v.grad for v in nodes if type(v.grad) is np.ndarray] + [v.data for v in vs if type(v.data) is np.ndarray]
    for k, a in enumerate(arrays):  # each grad is its node's own: `v.grad += ...` changes no other node
        assert not any(np.shares_memory(a, b) for b in arrays[:k] if a.size and b.size), "two grads share memory"
    # Hessian along directions u: d/dx Σ u ⊙ dJ/dx, both engines
    rng = np.random.default_rng(1)
    us = [rng.standard_normal(np.shape(x)) for x in leaves]
    used = [(w * T(u)).sum() for w, u in zip(want, us) if w is not None and w.requires_grad]
    tHu = (
        torch.autograd.grad(sum(used), ts[: len(vs)], allow_unused=True, create_graph=True)
        if used
        else [None] * len(vs)
    )
    first = tg.gradients(J, vs, create_graph=True)
    s = sum(((g * u).sum() for g, u in zip(first, us) if isinstance(g, Value)), Value(0.0, requires_grad=False))
    Hu = tg.gradients(s, vs, create_graph=True) if s.requires_grad else [np.zeros(np.shape(x)) for x in leaves]
    for h, th, x in zip(Hu, tHu, leaves):
        close(h, np.zeros(np.shape(x)) if th is None else th, "Hessian · u (gradients, create_graph=True)", rtol=1e-6)
    # third order: d/dx Σ u ⊙ (H u), both engines
    used3 = [(h * T(u)).sum() for h, u in zip(tHu, us) if h is not None and h.requires_grad]
    t3 = torch.autograd.grad(sum(used3), ts[: len(vs)], allow_unused=True) if used3 else [None] * len(vs)
    s3 = sum(((h * u).sum() for h, u in zip(Hu, us) if isinstance(h, Value)), Value(0.0, requires_grad=False))
    third = tg.gradients(s3, vs) if s3.requires_grad else [np.zeros(np.shape(x)) for x in leaves]
    for h, th, x in zip(third, t3, leaves):
        close(h, np.zeros(np.shape(x)) if th is None else th, "third derivative along u", rtol=1e-5)
    # the same through backward(create_graph=True): .grad is then a graph itself
    for v in vs:
        v.zero_grad()
    J.backward(create_graph=True)
    s2 = sum(((v.grad * u).sum() for v, u in zip(vs, us) if isinstance(v.grad, Value)), Value(0.0, requires_grad=False))
    Hu2 = tg.gradients(s2, vs) if s2.requires_grad else [np.zeros(np.shape(x)) for x in leaves]
    for h, th, x in zip(Hu2, tHu, leaves):
        close(h, np.zeros(np.shape(x)) if th is None else th, "Hessian · u (backward, create_graph=True)", rtol=1e-6)
    return vs, J


@GRAPHS
@given(programs())
def test_random_graphs_match_pytorch(program):
    check_program(*program)


@settings(
    max_examples=30 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(programs(), st.floats(-1.5, 1.5))
def test_replay_of_a_random_graph_matches_a_fresh_pytorch_run(program, shift):
    """Replay recomputes the graph on the leaves' new data: values and grads as PyTorch's fresh run."""
    leaves, steps, shapes = program
    vs, J = check_program(leaves, steps, shapes)
    new = [x * 0.75 + shift for x in leaves]
    for v, x in zip(vs, new):
        v.data = x
    r = tg.Replay(J)
    r.forward()
    r.backward()
    ts = torch_leaves(new)
    got = run_both(steps, [Value(x) for x in new], ts)  # the kinks at the new point
    if got is None:
        return
    out = got[1][-1]
    if not np.all(np.isfinite(out.detach().numpy())):
        return
    W = cost_weights(tuple(out.shape))
    tJ = (torch.tanh(out) * T(W)).sum()
    close(J, tJ, "Replay: J")
    for v, w in zip(vs, torch.autograd.grad(tJ, ts[: len(vs)], allow_unused=True)):
        close(v.grad, w, "Replay: dJ/dleaf")


# ---- nested grad: scalar functions, second and third derivatives -------------------------------
SCALAR = {
    "x*x*x": (lambda x: x * x * x, lambda x: x * x * x),
    "exp(sin-ish)": (lambda x: (x.tanh() * 2).exp(), lambda x: torch.exp(torch.tanh(x) * 2)),
    "x**x": (lambda x: (x * x + 0.5) ** x, lambda x: (x * x + 0.5) ** x),
    "sigmoid∘softplus": (lambda x: x.softplus().sigmoid(), lambda x: torch.sigmoid(F.softplus(x))),
    "log(1+x²)/sqrt": (
        lambda x: (x * x + 1).log() / (x * x + 2).sqrt(),
        lambda x: torch.log(x * x + 1) / torch.sqrt(x * x + 2),
    ),
    "relu(x)·x": (lambda x: x.relu() * x, lambda x: torch.relu(x) * x),
    "maximum(x, x²)": (lambda x: tg.maximum(x, x * x), lambda x: torch.maximum(x, x * x)),
}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(SCALAR)), st.one_of(st.floats(-2, 2), st.sampled_from([0.0, -0.0, 1.0, -1.0])))
def test_nested_grad_to_third_order(name, x0):
    f, tf = SCALAR[name]
    if name in ("relu(x)·x",) and x0 == 0:
        return  # f'' jumps at 0: no third derivative to compare
    if name == "maximum(x, x²)" and near(x0, 0.0, 1e-3) or name == "maximum(x, x²)" and near(x0, 1.0, 1e-3):
        return
    t = T(x0).requires_grad_(True)
    y = tf(t)
    (d1,) = torch.autograd.grad(y, t, create_graph=True)
    (d2,) = torch.autograd.grad(d1, t, create_graph=True) if d1.requires_grad else (torch.zeros(()),)
    (d3,) = torch.autograd.grad(d2, t, allow_unused=True) if d2.requires_grad else (None,)
    d3 = 0.0 if d3 is None else d3.item()
    assert tg.grad(f)(x0) == pytest.approx(d1.item(), rel=1e-9, abs=1e-12)
    assert tg.grad(tg.grad(f))(x0) == pytest.approx(d2.item(), rel=1e-8, abs=1e-10)
    assert tg.grad(tg.grad(tg.grad(f)))(x0) == pytest.approx(d3, rel=1e-7, abs=1e-9)
    # the same on a one-element array
    assert float(np.sum(tg.grad(lambda v: f(v).sum())(np.array([x0])))) == pytest.approx(d1.item(), rel=1e-9, abs=1e-12)


# ---- edge points, op by op --------------------------------------------------------------------
EDGES = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, 1e308, -1e308, 1e-308, 5e-324, 710.0, -710.0, 40.0, -40.0]
EDGE_OPS = {
    "neg": (lambda v: -v, lambda t: -t),
    "exp": (lambda v: v.exp(), torch.exp),
    "log": (lambda v: v.log(), torch.log),
    "tanh": (lambda v: v.tanh(), torch.tanh),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid),
    "leaky_relu": (lambda v: v.leaky_relu(0.2), lambda t: F.leaky_relu(t, 0.2)),
    "softplus": (lambda v: v.softplus(), F.softplus),
    "sqrt": (lambda v: v.sqrt(), torch.sqrt),
    "clip": (lambda v: v.clip(-1.0, 1.0), lambda t: torch.clamp(t, -1.0, 1.0)),
    "abs": (lambda v: abs(v), torch.abs),
    "x**2": (lambda v: v**2.0, lambda t: t**2.0),
    "x**3": (lambda v: v**3.0, lambda t: t**3.0),
    "x**-1": (lambda v: v**-1.0, lambda t: t**-1.0),
    "2**x": (lambda v: 2.0**v, lambda t: 2.0**t),
    "1/x": (lambda v: 1.0 / v, lambda t: 1.0 / t),
    "x*x": (lambda v: v * v, lambda t: t * t),
    "x/x": (lambda v: v / v, lambda t: t / t),
    "x-x": (lambda v: v - v, lambda t: t - t),
    "softmax": (lambda v: tg.softmax(v.reshape(1, 1), axis=0).sum(), lambda t: torch.softmax(t.reshape(1, 1), 0).sum()),
    "log_softmax": (
        lambda v: tg.log_softmax(v.reshape(1, 1), axis=0).sum(),
        lambda t: torch.log_softmax(t.reshape(1, 1), 0).sum(),
    ),
}


def derivatives(f, x):
    """(f, f', f'') at x with tinygrad_cn: the second through gradients(create_graph=True)."""
    v = Value(x)
    y = f(v)
    ys = y.sum() if np.ndim(x) else y
    (g1,) = tg.gradients(ys, [v], create_graph=True)
    if isinstance(g1, Value) and g1.requires_grad:
        (g2,) = tg.gradients(g1.sum() if np.ndim(x) else g1, [v])
    else:
        g2 = np.zeros(np.shape(x))
    return data(y), data(g1), g2


def torch_derivatives(f, x):
    t = T(x).requires_grad_(True)
    y = f(t)
    (g1,) = torch.autograd.grad(y.sum(), t, create_graph=True)
    g2 = torch.autograd.grad(g1.sum(), t, allow_unused=True)[0] if g1.requires_grad else None
    g2 = torch.zeros_like(t) if g2 is None else g2
    return y.detach().numpy(), g1.detach().numpy(), g2.numpy(force=True)


@pytest.mark.parametrize("name", sorted(EDGE_OPS))
def test_edge_points_match_pytorch_floats_and_arrays(name):
    """f, f' and f'' at ±0, ±inf, nan, ±1e308, tiny and subnormal numbers, where exp overflows:
    the same IEEE answers as PyTorch, on a number and on a one-element array alike."""
    ours, theirs = EDGE_OPS[name]
    wrong = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for x in EDGES:
            want = torch_derivatives(theirs, np.array([x]))
            for arg in (x, np.array([x])):
                got = derivatives(ours, arg)
                for order, (a, b) in enumerate(zip(got, want)):
                    a, b = np.ravel(np.asarray(a, dtype=float)), np.ravel(b)
                    if not np.allclose(a, b, rtol=1e-9, atol=1e-300, equal_nan=True):  # (subnormals: e^-710)
                        wrong.append(f"{name} at {x!r} ({type(arg).__name__}), order {order}: {a} vs PyTorch {b}")
    assert not wrong, "\n".join(wrong)
