"""Hostile sequences (issue 15): whatever a user does to a model between two calls, every cost,
gradient and fit equals a fresh build's on an independent copy, or is refused clearly. The
landed code's graph cache gave stale answers to each of these."""

import copy
import weakref

import numpy as np
import pytest
from conftest import run_together

import nn
import tinygrad_cn as tg
import viz
from tinygrad_cn import Replay, Value

X, Y = nn.datasets.planar_flower()
X, Y = X[:, ::8], Y[:, ::8]  # 50 examples: enough to differ, fast


def fresh(model, X=X, Y=Y, **kw):
    """The same model state as an independent object: its cost built from nothing."""
    return copy.deepcopy(model).cost(X, Y, **kw)


def same_cost_and_grads(model, **kw):
    J = model.cost(X, Y, **kw)
    ref_model = copy.deepcopy(model)
    R = ref_model.cost(X, Y, **kw)  # (the copy is built once: nothing it could have kept)
    assert J.data == R.data
    got = tg.gradients(J, model.parameters())
    ref = tg.gradients(R, ref_model.parameters())
    for g, r in zip(got, ref):
        assert np.array_equal(g, r)
    return J.data


def test_batch_norm_in_eval_uses_the_running_statistics_it_has_now():
    m = nn.DeepNet([2, 5, 1], hidden="tanh", seed=3, batch_norm=True)
    m.fit(X, Y, 3, 0.5)
    m.eval()
    before = [same_cost_and_grads(m) for _ in range(3)]  # called often: nothing may be kept
    m.train()
    m.fit(X, Y, 40, 0.5)
    m.eval()
    after = same_cost_and_grads(m)
    assert before[0] == before[1] == before[2] != after
    bn = next(mod for mod in m.modules if isinstance(mod, nn.BatchNorm))
    bn.eps = 0.5
    assert same_cost_and_grads(m) != after


def test_a_changed_leaky_slope_is_used():
    m = nn.DeepNet([2, 4, 1], hidden="leaky_relu", seed=1)
    first = [same_cost_and_grads(m) for _ in range(2)]
    for mod in m.modules:
        if isinstance(mod, nn.layers.Activation) and mod.name == "leaky_relu":
            mod.kwargs = {"slope": 0.3}
    assert same_cost_and_grads(m) != first[0]


def test_dropout_in_a_third_fit_equals_the_same_run_on_a_copy():
    m = nn.DeepNet([2, 6, 1], hidden="relu", seed=2)
    m.fit(X, Y, 5, 0.3, keep_prob=0.5)
    m.fit(X, Y, 5, 0.3, keep_prob=0.5)
    twin = copy.deepcopy(m)  # the same parameters and the same random generators' states
    costs = m.fit(X, Y, 5, 0.3, keep_prob=0.5)
    assert costs == twin.fit(X, Y, 5, 0.3, keep_prob=0.5)
    for (_, p), (_, q) in zip(m.named_parameters(), twin.named_parameters()):
        assert np.array_equal(p.data, q.data)


def test_inputs_that_were_one_object_are_not_mixed_up_later():
    m = nn.TwoLayerNet(1, 4, 1, seed=2)
    V = Value(Y, label="V", requires_grad=False)
    for _ in range(3):
        m.cost(V, V)  # X and Y one object (a model of one feature can be fed its labels)
    A, B = Value(X[:1], label="V", requires_grad=False), Value(Y, label="V", requires_grad=False)
    J = m.cost(A, B)  # the same shapes and labels as before, two objects now
    assert J.data == fresh(m, A, B).data != m.cost(V, V).data


def test_parameters_edited_in_place_or_replaced():
    m = nn.TwoLayerNet(2, 4, 1, seed=2)
    first = [same_cost_and_grads(m) for _ in range(2)]
    m.W1.data[0, 0] += 1.0  # in place
    second = same_cost_and_grads(m)
    linear = m.modules[0]
    linear.W = Value(np.full((4, 2), 0.1), label="W1")  # replaced by a new object
    third = same_cost_and_grads(m)
    assert first[0] == first[1] != second != third
    assert any(p is linear.W for p in m.parameters())


def test_l2_and_switches_between_calls():
    m = nn.DeepNet([2, 4, 3, 1], hidden="tanh", seed=4, batch_norm=True)
    for lambd in (0.0, 0.7, 0.0, 0.7):
        same_cost_and_grads(m, lambd=lambd)
        m.eval()
        same_cost_and_grads(m, lambd=lambd)
        m.train()


def test_two_threads_build_and_differentiate_one_model():
    m = nn.TwoLayerNet(2, 4, 1, seed=2)
    halves = [(X[:, :25], Y[:, :25]), (X[:, 25:], Y[:, 25:])]
    expected = [tg.gradients(m.cost(x, y), m.parameters()) for x, y in halves]
    errors = []

    def work(k):
        for _ in range(30):
            got = tg.gradients(m.cost(*halves[k]), m.parameters())
            if not all(np.array_equal(g, e) for g, e in zip(got, expected[k])):
                errors.append(k)

    run_together(lambda: work(0), lambda: work(1))
    assert not errors


def test_replay_refuses_what_it_cannot_run_exactly():
    W = Value(np.ones((3, 2)), label="W")
    x = Value(np.ones((2, 4)), label="X", requires_grad=False)
    J = (W @ x).tanh().sum()
    g = Replay(J)
    x.data = np.full((2, 4), 0.5)  # same shape: replayed exactly as a fresh build
    g.forward()
    g.backward()
    R = (W @ Value(np.full((2, 4), 0.5), requires_grad=False)).tanh().sum()
    (expected,) = tg.gradients(R, [W])  # (W.grad against itself could not fail)
    assert J.data == R.data and np.array_equal(W.grad, expected)
    x.data = np.ones((2, 5))
    with pytest.raises(ValueError, match="Replay.*X.*shape"):
        g.forward()
    x.data = np.ones((2, 4), dtype=np.float32)
    with pytest.raises(ValueError, match="dtype"):
        g.forward()
    x.data = np.ones((2, 4))
    x.requires_grad = True
    with pytest.raises(ValueError, match="requires_grad"):
        g.backward()
    with pytest.raises(TypeError, match="Replay"):
        Replay("J")


def test_replay_gives_fresh_grads_each_pass():
    W = Value(np.array([[0.5, -0.2]]), label="W")
    x = Value(np.array([[1.0], [2.0]]), requires_grad=False)
    J = (W @ x).sigmoid().sum()
    g = Replay(J)
    W.grad = np.ones((1, 2))  # left over from somewhere
    g.backward()
    g.backward()
    s = 1 / (1 + np.exp(-(0.5 - 0.4)))
    assert np.allclose(W.grad, s * (1 - s) * np.array([[1.0, 2.0]]))


def test_replay_forward_backward_is_a_forward_then_a_backward():
    W = Value(np.array([[0.5, -0.2]]), label="W")
    x = Value(np.array([[1.0], [2.0]]), requires_grad=False)
    J = (W @ x).sigmoid().sum()
    g = Replay(J)
    x.data = np.array([[3.0], [-1.0]])
    assert g.forward_backward() is J
    R = (W @ Value(np.array([[3.0], [-1.0]]), requires_grad=False)).sigmoid().sum()
    (expected,) = tg.gradients(R, [W])
    assert J.data == R.data and np.array_equal(W.grad, expected)
    x.data = np.ones((3, 1))
    with pytest.raises(ValueError, match="Replay.*shape"):
        g.forward_backward()


def test_a_model_keeps_no_graph_once_the_cost_is_dropped():
    m = nn.TwoLayerNet(2, 4, 1, seed=2)
    for _ in range(3):
        J = m.cost(X, Y)
        J.backward()
    inner = weakref.ref(J.inputs[0].data)
    del J
    assert inner() is None


def test_checking_and_drawing_never_change_a_model():
    m = nn.DeepNet([2, 4, 1], hidden="tanh", seed=3, batch_norm=True)
    bn = next(mod for mod in m.modules if isinstance(mod, nn.BatchNorm))
    m.fit(X, Y, 2, 0.5)
    J = m.cost(X, Y)  # a real forward in training: the running averages move once
    state = (bn.running_mean.copy(), bn.running_var.copy())
    assert m.gradient_check(X, Y).ok
    tg.check_graph(J)
    viz.draw(J, check=True)
    with tg.no_effects():
        m.cost(X, Y)
    assert np.array_equal(bn.running_mean, state[0]) and np.array_equal(bn.running_var, state[1])
    m.cost(X, Y)
    assert not np.array_equal(bn.running_mean, state[0])
