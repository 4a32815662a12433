"""The engine's gradients against the course's hand-derived formulas (nn.formulas), to 1e-10."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from nn import formulas as F
from nn.layers import as_input

HIDDEN = ["tanh", "relu", "leaky_relu", "sigmoid"]


def rel(a, b):
    # a grad that is exactly 0 by symmetry (σ = 0.5 everywhere, balanced labels) comes out as a
    # rounding error of the order of 1e-17, summed in another order: compared absolutely below 1e-5
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-5)


def data(n_x, m, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_x, m)), (rng.random((1, m)) > 0.5).astype(float)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(1, 30), st.sampled_from(HIDDEN), st.integers(0, 10**6))
def test_two_layer_network_matches_six_backward_equations(n_x, n_h, m, hidden, seed):
    X, Y = data(n_x, m, seed)
    model = nn.TwoLayerNet(n_x, n_h, 1, hidden=hidden, init="he", seed=seed % 1000)
    params = model.state_dict()
    A2, cache = F.two_layer_forward(X, params, hidden)
    J = model.cost(X, Y)
    # 1e-9, not 1e-12: where σ(z) ≈ 1 the course's log(1 − A) loses digits that the logits form keeps
    assert J.data == pytest.approx(F.compute_cost(A2, Y), rel=1e-9)
    np.testing.assert_allclose(model(X).data, A2, rtol=1e-12)
    J.backward()
    grads = F.two_layer_backward(params, cache, X, Y, hidden)
    for k in ("W1", "b1", "W2", "b2"):
        assert rel(getattr(model, k).grad, grads["d" + k]) < 1e-10, k


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=2, max_size=5),
    st.integers(1, 20),
    st.sampled_from(HIDDEN),
    st.integers(0, 10**6),
)
def test_deep_network_matches_week4_blocks(dims, m, hidden, seed):
    dims = dims + [1]
    X, Y = data(dims[0], m, seed)
    model = nn.DeepNet(dims, hidden=hidden, init="xavier", seed=seed % 1000)
    params = model.state_dict()
    AL, caches = F.L_model_forward(X, params, hidden)
    np.testing.assert_allclose(model(X).data, AL, rtol=1e-12)
    model.cost(X, Y).backward()
    grads = F.L_model_backward(AL, Y, caches, hidden)
    for l in range(1, len(dims)):
        for k in (f"W{l}", f"b{l}"):
            assert rel(getattr(model, k).grad, grads["d" + k]) < 1e-10, k


@pytest.mark.parametrize("n_x, m", [(1, 1), (3, 7), (12, 50)])
def test_logistic_regression_matches_propagate(n_x, m):
    X, Y = data(n_x, m, 0)
    model = nn.LogisticRegression(n_x)
    rng = np.random.default_rng(1)
    model.w.data, model.b.data = rng.standard_normal((n_x, 1)), rng.standard_normal((1, 1))
    grads, cost = F.propagate(model.w.data, float(model.b.data[0, 0]), X, Y)
    J = model.cost(X, Y)
    J.backward()
    assert J.data == pytest.approx(cost, rel=1e-12)
    assert rel(model.w.grad, grads["dw"]) < 1e-10
    assert model.b.grad[0, 0] == pytest.approx(grads["db"], rel=1e-10)


def test_binary_cross_entropy_loss_op_matches_formula_and_its_derivative():
    X, Y = data(3, 9, 2)
    A = nn.formulas.sigmoid(np.random.default_rng(3).standard_normal((1, 9)))
    Av = nn.layers.as_input(A).detach()
    Av.requires_grad = True
    J = nn.binary_cross_entropy(Av, Y)
    assert J.data == pytest.approx(F.compute_cost(A, Y), rel=1e-12)
    J.backward()
    dAL = -(Y / A - (1 - Y) / (1 - A)) / 9  # the course's dA[L], per example
    assert rel(Av.grad, dAL) < 1e-12


def test_losses_are_finite_at_the_edges():
    Y = np.array([[1.0, 0.0]])
    J = nn.binary_cross_entropy(as_input(np.array([[0.0, 1.0]])), Y)
    assert np.isfinite(J.data) and J.data > 30  # very wrong, but a number
    Z = as_input(np.array([[-1000.0, 1000.0]]))
    Jz = nn.binary_cross_entropy_with_logits(Z, Y)
    assert Jz.data == pytest.approx(1000.0)  # (1000 + 1000) / 2, no overflow
    Jz2 = nn.binary_cross_entropy_with_logits(as_input(np.array([[1000.0, -1000.0]])), Y)
    assert Jz2.data == 0.0


def test_loss_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match=r"\(1, m\)"):
        nn.binary_cross_entropy(as_input(np.full((1, 4), 0.5)), np.ones(4))


def test_g_prime_table_at_zero():
    z = np.array([[-1.0, 0.0, 1.0]])
    np.testing.assert_array_equal(F.g_prime("relu", z), [[0, 0, 1]])
    np.testing.assert_allclose(F.g_prime("leaky_relu", z), [[0.01, 0.01, 1]])
    assert F.g_prime("sigmoid", np.zeros((1, 1)))[0, 0] == 0.25
    assert F.g_prime("tanh", np.zeros((1, 1)))[0, 0] == 1.0
