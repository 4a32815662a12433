"""Random graphs through the written-out forward and walk: whatever hypothesis composes from the
engine's ops (broadcasting, constants, reused nodes, floats with arrays, ops that keep a context),
Replay and Recipe give the numbers of a fresh build and of the ordinary walk, bit for bit."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_cn as tg
from tinygrad_cn import Value
from tinygrad_cn.autodiff import all_nodes
from tinygrad_cn.replay import Recipe, Replay

SHAPES = [(2, 3), (2, 1), (1, 3), ()]

UNARY = {
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "softplus": lambda x: x.softplus(),
    "neg": lambda x: -x,
    "square": lambda x: x * x,
    "exp_small": lambda x: (x * 0.1).exp(),
    "abs": lambda x: abs(x),
    "sum_rows": lambda x: x.sum(axis=1, keepdims=True) if x.ndim == 2 else x,
    "mean": lambda x: x.mean(),
    "leaky": lambda x: x.leaky_relu(0.3),
    "softmax": lambda x: tg.softmax(x, axis=0) if x.ndim == 2 else x,
}
BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 1.0),
    "max": lambda a, b: tg.maximum(a, b),
    "const+": lambda a, b: 2.5 + a,
    "const*": lambda a, b: a * 0.5,
}


def build(leaves, program):
    """Run the program (a list of (op, i, j)) over the leaves; every step's result is a new slot."""
    slots = list(leaves)
    for kind, name, i, j in program:
        a, b = slots[i % len(slots)], slots[j % len(slots)]
        if kind == "u":
            slots.append(UNARY[name](a))
        else:
            try:
                slots.append(BINARY[name](a, b))
            except ValueError:  # shapes that do not broadcast: that step is skipped
                continue
    J = slots[-1]
    for s in slots[len(leaves) :]:  # every step counts, so that every leaf is reached
        J = J + s.sum() * 0.1 if s is not J else J
    return J.sum() if J.ndim else J


step = st.one_of(
    st.tuples(st.just("u"), st.sampled_from(sorted(UNARY)), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("b"), st.sampled_from(sorted(BINARY)), st.integers(0, 20), st.integers(0, 20)),
)


def leaves_for(seed, shapes):
    rng = np.random.default_rng(seed)
    return [
        Value(float(rng.normal()) if s == () else rng.normal(size=s), label=f"x{k}", requires_grad=k != 1)
        for k, s in enumerate(shapes)
    ]


def grads(J):
    return [n.grad_or_none for n in all_nodes(J)]


def same(xs, ys):
    assert len(xs) == len(ys)
    for x, y in zip(xs, ys):
        assert (x is None) == (y is None)
        if x is not None:
            assert np.array_equal(x, y), (x, y)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(SHAPES), min_size=2, max_size=4),
    st.lists(step, min_size=1, max_size=10),
    st.integers(0, 10**6),
)
def test_replay_and_recipe_give_a_fresh_builds_numbers(shapes, program, seed):
    leaves = leaves_for(seed, shapes)
    J = build(leaves, program)
    if not J.requires_grad:
        return
    J.backward()
    first = grads(J)
    graph = Replay(J)  # written out: the same grads again
    graph.backward()
    same(grads(J), first)

    new = leaves_for(seed + 1, shapes)  # new data in the same leaves: as a fresh build on it
    for leaf, x in zip(leaves, new):
        leaf.data = x.data
    graph.forward()
    graph.backward()
    fresh = build(leaves_for(seed + 1, shapes), program)
    fresh.backward()
    assert np.array_equal(J.data, fresh.data)
    same(grads(J), grads(fresh))

    reached = [k for k, leaf in enumerate(leaves) if any(n is leaf for n in all_nodes(J))]
    if J.is_leaf:
        return
    recipe = Recipe(J, [leaves[k] for k in reached])  # a new graph on new leaves: as a fresh build on them
    later = leaves_for(seed + 2, shapes)
    made = recipe(*[later[k] for k in reached])
    made.backward()
    fresh = build(leaves_for(seed + 2, shapes), program)
    fresh.backward()
    assert [(n.op, n.label, n.shape) for n in all_nodes(made)] == [(n.op, n.label, n.shape) for n in all_nodes(fresh)]
    assert np.array_equal(made.data, fresh.data)
    same(grads(made), grads(fresh))
