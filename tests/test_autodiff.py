"""The walk: each node once, sums over paths, accumulation, no_grad, broadcasting, depth."""

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Value


def test_reuse_a_times_a():
    a = Value(3.0)
    y = a * a
    y.backward()
    assert a.grad == 6.0


def test_diamond_sums_paths_and_visits_each_node_once():
    calls = []

    class Spy(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, g):
            calls.append(g)
            return g

    x = Value(2.0)
    s = Spy.apply(x)
    y = s * 3 + s * s  # two paths through s
    y.backward()
    assert calls == [3 + 2 * 2.0]  # one visit, with both paths summed
    assert x.grad == 7.0 and s.grad == 7.0


def test_grads_accumulate_across_calls_and_zero_grad_resets():
    x = Value(2.0)
    y = x * x
    y.backward()
    y.backward()
    assert x.grad == 8.0 and y.grad == 2.0
    x.zero_grad()
    assert x.grad == 0.0
    (x * 5).backward()
    assert x.grad == 5.0


def test_intermediate_grads_do_not_double_on_second_call():
    a, b = Value(2.0), Value(3.0)
    u = a * b
    J = u * 4
    J.backward()
    J.backward()
    assert (u.grad, a.grad, b.grad) == (8.0, 24.0, 16.0)


def test_deep_chain_of_a_million_nodes():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert y.data == 1_000_001.0 and x.grad == 1.0


def test_bias_broadcast_grad_has_bias_shape():
    rng = np.random.default_rng(0)
    W1 = Value(rng.standard_normal((4, 2)) * 0.01, label="W1")
    b1 = Value(np.zeros((4, 1)), label="b1")
    X = Value(rng.standard_normal((2, 7)), label="X", requires_grad=False)
    Z1 = W1 @ X + b1
    A1 = Z1.tanh()
    A1.sum().backward()
    assert b1.grad.shape == (4, 1) and W1.grad.shape == (4, 2)
    dZ1 = 1 - np.tanh(Z1.data) ** 2
    np.testing.assert_allclose(b1.grad, dZ1.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(W1.grad, dZ1 @ X.data.T)
    assert X.grad_or_none is None and np.all(X.grad == 0)  # data leaves get no grad


def test_scalar_value_times_array():
    s = Value(2.0)
    A = Value(np.arange(6.0).reshape(2, 3))
    (s * A).sum().backward()
    assert type(s.grad) is float and s.grad == 15.0
    np.testing.assert_array_equal(A.grad, np.full((2, 3), 2.0))


def test_no_grad_context_and_decorator():
    w = Value(2.0)
    with tg.no_grad():
        y = w * 3
    assert y.requires_grad is False and y.parents == () and y.op == ""
    with pytest.raises(ValueError, match="does not require grad"):
        y.backward()

    @tg.no_grad()
    def predict(x):
        return x * w

    assert predict(4.0).requires_grad is False
    assert tg.is_grad_enabled()
    z = w * 3
    assert z.requires_grad


def test_requires_grad_false_leaves_cost_no_backward_work():
    calls = []

    class Count(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x + 0.0

        @staticmethod
        def backward(ctx, g):
            calls.append(1)
            return g

    X = Value(np.ones((2, 2)), requires_grad=False)
    data_only = Count.apply(X)  # depends only on data: never visited
    w = Value(np.ones((2, 2)))
    (data_only * w).sum().backward()
    assert calls == [] and data_only.requires_grad is False
    np.testing.assert_array_equal(w.grad, np.ones((2, 2)))


def test_detach():
    x = Value(3.0)
    d = (x * 2).detach()
    assert d.requires_grad is False and d.parents == () and d.data == 6.0
    y = x * d
    y.backward()
    assert x.grad == 6.0


def test_non_scalar_backward_needs_grad_of_its_shape():
    W = Value(np.ones((2, 3)))
    Z = W * 2
    with pytest.raises(ValueError, match="needs backward"):
        Z.backward()
    with pytest.raises(ValueError, match=r"\(3,\)"):
        Z.backward(np.ones(3))
    Z.backward(np.full((2, 3), 0.5))
    np.testing.assert_array_equal(W.grad, np.ones((2, 3)))


def test_gradients_leaves_grad_untouched():
    x, y = Value(2.0), Value(5.0)
    x.grad = 100.0
    J = x * y
    gx, gy = tg.gradients(J, [x, y])
    assert (gx, gy) == (5.0, 2.0)
    assert x.grad == 100.0 and y.grad_or_none is None and J.grad_or_none is None


def test_grad_of_array_function():
    g = tg.grad(lambda w: (w * w).sum())(np.array([[1.0, 2.0]]))
    np.testing.assert_array_equal(g, [[2.0, 4.0]])


def test_graph_has_no_reference_cycles():
    import gc

    freed = []

    class Token:
        def __del__(self):
            freed.append(True)

    class Keep(tg.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.token = Token()
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    gc.collect()
    gc.disable()
    try:
        x = Value(np.ones(3))
        y = Keep.apply(x).tanh().sum()
        y.backward()
        del y
        assert freed == [True]  # the whole graph went by reference counting alone
    finally:
        gc.enable()


def test_every_node_comes_after_its_inputs_whatever_the_path_order():
    from tinygrad_cn.autodiff import all_nodes, topo_order

    q = Value(2.0, label="q")
    p1 = q * 2.0
    J = q + p1  # q is reached first directly, then again through p1
    X = Value(1.0, requires_grad=False)
    K = J * (X * 3.0)  # a data-only branch too
    for order in (topo_order(K), all_nodes(K)):
        where = {n: i for i, n in enumerate(order)}
        assert all(where[p] < where[n] for n in order for p in n.parents if p in where)
    assert len(all_nodes(K)) == 6 and len(topo_order(K)) == 4


def test_replay_recomputes_in_dependency_order():
    from tinygrad_cn.replay import Replay

    q = Value(2.0, label="q")
    J = q + q * 2.0
    graph = Replay(J)
    q.data = 5.0
    graph.forward()
    graph.backward()
    assert J.data == 15.0 and q.grad == 3.0
    graph.backward(grad=2.0)
    assert q.grad == 6.0
    graph.backward()  # an explicit grad once does not stick to later calls
    assert q.grad == 3.0
