"""Every op the project registers, checked at first AND second order.

The cases are keyed by the op's registered name, and a test fails when an op of the
project has no case: a new op cannot skip these checks. Second order runs the op's
backward under create_graph=True, so a rule that only works on floats and arrays fails.
"""

import numpy as np
import pytest

import nn  # noqa: F401  (registers nn's loss ops)
import tinygrad_cn as tg
from tinygrad_cn import REGISTRY, Value, grad

RNG = np.random.default_rng(7)


def r(*s):
    return RNG.uniform(-2, 2, s)


def pos(*s):
    return RNG.uniform(0.5, 2, s)


def away(*s):  # away from a kink at 0
    return RNG.choice([-1, 1], s) * RNG.uniform(0.3, 2, s)


LABELS = (RNG.uniform(size=(1, 5)) > 0.5).astype(float)


class SameMask:
    """A generator that draws the same numbers every time: dropout made deterministic to check."""

    def rand(self, *shape):
        return np.random.RandomState(0).rand(*shape)


# op name -> (inputs to differentiate, constants by position, attributes)
CASES = {
    "+": ([r(3, 1), r(3, 4)], {}, {}),
    "-": ([r(3, 4), r(1, 4)], {}, {}),
    "*": ([r(3, 4), r(3, 1)], {}, {}),
    "/": ([r(3, 4), pos(1, 4)], {}, {}),
    "**": ([pos(2, 3), r(2, 3)], {}, {}),
    "neg": ([r(2, 3)], {}, {}),
    "@": ([r(3, 2), r(2, 4)], {}, {}),
    "affine": ([r(3, 2), r(2, 4), r(3, 1)], {}, {}),
    "exp": ([r(2, 3)], {}, {}),
    "log": ([pos(2, 3)], {}, {}),
    "tanh": ([r(2, 3)], {}, {}),
    "sigmoid": ([r(2, 3)], {}, {}),
    "relu": ([away(2, 3)], {}, {}),
    "leaky_relu": ([away(2, 3)], {}, {"slope": 0.2}),
    "softplus": ([r(2, 3)], {}, {}),
    "sum": ([r(3, 4)], {}, {"axis": 0, "keepdims": True}),
    "mean": ([r(3, 4)], {}, {"axis": 1}),
    "transpose": ([r(2, 3, 4)], {}, {"axes": (2, 0, 1)}),
    "reshape": ([r(2, 6)], {}, {"shape": (3, 4)}),
    "broadcast_to": ([r(1, 3)], {}, {"shape": (4, 3)}),
    "astype": ([r(2, 3)], {}, {"dtype": np.float64}),
    "where": ([r(2, 3), r(2, 3)], {}, {"cond": RNG.uniform(size=(2, 3)) > 0.5}),
    "binary_cross_entropy": ([RNG.uniform(0.1, 0.9, (1, 5))], {1: LABELS}, {}),
    "bce_with_logits": ([r(1, 5)], {1: LABELS}, {}),
    "neuron": ([r(2, 3), r(2, 3), r(2, 3), r(2, 3), r(2, 3)], {}, {}),  # w₁, w₂, x₁, x₂, b
    "abs": ([away(2, 3)], {}, {}),
    "sqrt": ([pos(2, 3)], {}, {}),
    "maximum": ([r(2, 3), r(1, 3)], {}, {}),
    "minimum": ([r(2, 3), r(2, 1)], {}, {}),
    "max": ([r(3, 4)], {}, {"axis": 0, "keepdims": True}),
    "min": ([r(3, 4)], {}, {"axis": 1}),
    "clip": (
        [RNG.choice([-1.5, -0.5, 0.3, 1.7], (2, 3)) + RNG.uniform(-0.1, 0.1, (2, 3))],
        {},
        {"lo": -1.0, "hi": 1.0},
    ),
    "softmax": ([r(3, 4)], {}, {"axis": 0}),
    "log_softmax": ([r(3, 4)], {}, {"axis": 1}),
    "index": ([r(3, 4)], {}, {"index": (slice(None), np.array([0, 0, 3]))}),
    "scatter": ([r(2, 2)], {}, {"index": (np.array([0, 2]), slice(1, 3)), "shape": (3, 4)}),
    "concatenate": ([r(2, 3), r(2, 1)], {}, {"axis": 1}),
    "stack": ([r(2, 3), r(2, 3)], {}, {"axis": 2}),
    "dropout": ([r(2, 3)], {}, {"keep_prob": 0.6, "rng": SameMask()}),
    "running_stats": ([r(3, 4)], {}, {"norm": nn.BatchNorm(3)}),
}


def project_ops():
    return sorted(name for name, op in REGISTRY.items() if op.__module__.split(".")[0] in ("tinygrad_cn", "nn"))


def test_every_op_of_the_project_has_a_case():
    missing = sorted(set(project_ops()) - set(CASES))
    assert not missing, f"ops without first/second-order checks: {missing}"


def build(name):
    """f(*xs) = Σ W ⊙ op(...) for the gradient check, and the inputs to check it at."""
    diff, consts, attrs = CASES[name]
    fn = REGISTRY[name]

    def op(*xs):
        args, it = [], iter(xs)
        for k in range(len(diff) + len(consts)):
            args.append(consts[k] if k in consts else next(it))
        return fn.apply(*args, **attrs)

    out = op(*[Value(x) for x in diff])
    W = RNG.standard_normal(out.shape) if out.shape else 1.3
    return op, W, diff


@pytest.mark.parametrize("name", sorted(CASES))
def test_first_order(name):
    op, W, xs = build(name)
    report = tg.gradcheck(lambda *v: (op(*v) * W).sum(), *xs, eps=1e-6)
    assert report.ok, str(report)


@pytest.mark.parametrize("name", sorted(CASES))
def test_second_order(name):
    """d/dθ ⟨u, ∇J⟩ through the op's own backward, recorded: J = Σ W ⊙ tanh(op(...)) so that
    even a linear op's rule must hand back graph nodes for the Hessian to come out right."""
    op, W, xs = build(name)
    report = tg.gradgradcheck(lambda *v: (op(*v).tanh() * W).sum(), *xs)
    assert report.ok, str(report)


def test_second_order_catches_a_rule_that_only_works_on_raw_data():
    class RawCube(tg.Function):
        name = "test_raw_cube"

        @staticmethod
        def forward(ctx, x):
            return x**3

        @staticmethod
        def backward(ctx, g):
            x = np.asarray(tg.value.data_of(ctx.inputs[0]))  # leaves the graph: d² is lost
            return g * 3 * x**2

    assert tg.gradcheck(lambda v: RawCube.apply(v).sum(), np.array([0.5, -1.2])).ok
    assert not tg.gradgradcheck(lambda v: RawCube.apply(v).sum(), np.array([0.5, -1.2])).ok
    del REGISTRY["test_raw_cube"]


def test_softplus_values_and_its_declared_names():
    """The op added through the registry alone: Value method, nn activation, CLI function."""
    z = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    np.testing.assert_allclose(
        Value(z).softplus().data, [0.0, np.log1p(np.exp(-2.0)), np.log(2), 3 + np.log1p(np.exp(-3)), 1000.0]
    )
    assert Value(0.0).softplus().data == np.log(2)
    assert grad(lambda v: v.softplus())(0.0) == 0.5  # σ(0)
    import viz.cli
    from nn.layers import activation_names

    assert "softplus" in activation_names() and "softplus" in viz.cli.functions()
