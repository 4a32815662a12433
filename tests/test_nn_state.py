"""A model's state, saved whole and changed only on purpose: batch norm's running statistics
travel with the parameters; fit refuses bad labels in any mini-batch and nan anywhere before
its first step; a learning rate of 0 trains nothing; the neuron-by-neuron view equals the
vectorized network where the output saturates; a model prints as a module tree."""

import numpy as np
import pytest

import nn
from nn.course2_data import moons


@pytest.fixture
def trained_bn():
    X, Y = moons(200, seed=3)
    model = nn.DeepNet([2, 6, 4, 1], hidden="relu", init="he", seed=3, batch_norm=True)
    model.fit(X, Y, num_epochs=30, mini_batch_size=32, learning_rate=0.01, optimizer="adam")
    return model, X, Y


def _eval_out(model, X):
    model.eval()
    try:
        return model(X).data
    finally:
        model.train()


def test_state_dict_and_save_keep_batch_norms_running_statistics(trained_bn, tmp_path):
    model, X, Y = trained_bn
    state = model.state_dict()
    assert list(state)[-4:] == ["running_mean1", "running_var1", "running_mean2", "running_var2"]
    assert state["running_mean1"].shape == (6, 1) and state["running_var2"].shape == (4, 1)
    assert np.abs(state["running_mean1"]).max() > 0.01  # trained: not the zeros it starts from
    np.testing.assert_array_equal(state["running_mean1"], model.modules[1].running_mean)
    state["running_mean1"][0, 0] = 99.0  # a copy: the model keeps its own
    assert model.modules[1].running_mean[0, 0] != 99.0

    fresh = nn.DeepNet([2, 6, 4, 1], hidden="relu", init="he", seed=8, batch_norm=True)
    fresh.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(_eval_out(fresh, X), _eval_out(model, X))
    loaded = nn.DeepNet([2, 6, 4, 1], hidden="relu", init="he", seed=9, batch_norm=True)
    loaded.load(model.save(tmp_path / "bn.npz"))
    np.testing.assert_array_equal(_eval_out(loaded, X), _eval_out(model, X))
    model.eval()
    loaded.eval()
    assert loaded.accuracy(X, Y) == model.accuracy(X, Y)


def test_a_state_without_the_running_statistics_is_refused_and_changes_nothing(trained_bn):
    model, X, _ = trained_bn
    state = {k: v for k, v in model.state_dict().items() if not k.startswith("running_var")}
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"missing \['running_var1', 'running_var2'\]"):
        model.load_state_dict(state)
    state = model.state_dict()
    state["running_mean2"] = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"running_mean2 should have shape \(4, 1\), got \(3, 1\)"):
        model.load_state_dict(state)
    after = model.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_a_model_without_batch_norm_has_no_buffers():
    model = nn.TwoLayerNet(2, 4, 1, seed=1)
    assert list(model.named_buffers()) == [] and list(model.state_dict()) == ["W1", "b1", "W2", "b2"]


@pytest.mark.parametrize("batch", [None, 64])
def test_fit_checks_every_label_before_training(batch):
    X, Y = nn.datasets.planar_flower()
    Y = Y.astype(np.float64)
    Y[0, 300] = 7  # in the fifth mini-batch of 64, not the first
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    before = model.state_dict()
    run = dict(num_iterations=5) if batch is None else dict(num_epochs=1, mini_batch_size=batch)
    with pytest.raises(ValueError, match=r"labels Y must be 0 or 1, Y\[0, 300\] is 7: nothing was trained"):
        model.fit(X, Y, learning_rate=0.5, **run)
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())
    softmax = nn.DeepNet([2, 3, 3], output="softmax", seed=1)
    labels = np.zeros((1, 400))
    labels[0, 399] = 3  # class 3 of C = 3 (0, 1, 2)
    with pytest.raises(ValueError, match="C = 3"):
        softmax.fit(X, labels, num_epochs=1, mini_batch_size=64)


@pytest.mark.parametrize(
    "where, value, message",
    [
        ("X", np.nan, r"X \(2, 400\) holds nan, first at X\[1, 37\], example 38 \(column 37\)"),
        ("X", -np.inf, r"X \(2, 400\) holds -inf, first at X\[1, 37\]"),
        ("Y", np.nan, r"Y \(1, 400\) holds nan, first at Y\[0, 37\], example 38"),
    ],
)
def test_fit_refuses_nan_and_says_where_before_any_step(where, value, message):
    X, Y = nn.datasets.planar_flower()
    X, Y = X.copy(), Y.astype(np.float64)
    (X if where == "X" else Y)[-1, 37] = value
    (X if where == "X" else Y)[-1, 90] = value  # the first one is named
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    before = model.state_dict()
    for run in (dict(num_iterations=3), dict(num_epochs=1, mini_batch_size=64)):
        with pytest.raises(ValueError, match=message) as e:
            model.fit(X, Y, learning_rate=0.5, **run)
        assert str(e.value).index("含有") < str(e.value).index("holds")  # Chinese first
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())


def test_a_learning_rate_of_zero_measures_the_cost_and_changes_nothing():
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    before = model.state_dict()
    costs = model.fit(X, Y, 4, 0.0)
    assert costs == [pytest.approx(costs[0], abs=0)] * 4 and costs[0] == model.cost(X, Y).data
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())
    for opt in ("gd", "momentum", "rmsprop", "adam"):
        model.fit(X, Y, num_epochs=1, mini_batch_size=100, learning_rate=0, optimizer=opt)
        assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())
    with pytest.raises(ValueError, match="learning rate α must be a finite number ≥ 0, got -0.1"):
        model.fit(X, Y, 1, -0.1)


def test_the_scalar_view_equals_the_vectorized_network_where_the_output_saturates():
    model = nn.TwoLayerNet(2, 3, 1, seed=4)
    model.W2.data = np.array([[40.0, 40.0, 40.0]])  # z[2] ≈ 40 or more: σ(z[2]) rounds to 1.0
    model.b2.data = np.array([[45.0]])
    x, y = np.array([[0.5], [-1.2]]), np.array([[0.0]])  # the wrong label: J ≈ z[2]
    J = model.cost(x, y)
    J.backward()
    assert J.data > 37  # past where 1 − σ(z) is 0 in float64
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    assert view.loss.data == pytest.approx(J.data, rel=1e-12)
    grads = view.grads()
    assert abs(model.W2.grad).max() > 0.01 and abs(model.b2.grad[0, 0] - 1.0) < 1e-12  # dZ[2] = A − Y = 1
    for k, g in grads.items():
        np.testing.assert_allclose(g, getattr(model, k).grad, rtol=1e-10, atol=1e-14)


def test_a_model_prints_as_a_module_tree_in_the_courses_notation():
    assert repr(nn.TwoLayerNet(2, 4, 1, seed=1)) == (
        "TwoLayerNet(\n"
        "  (0): Linear(W[1] (4, 2), b[1] (4, 1))\n"
        "  (1): tanh()\n"
        "  (2): Dropout(keep_prob=1)\n"
        "  (3): Linear(W[2] (1, 4), b[2] (1, 1))\n"
        "  (4): sigmoid()\n"
        ") 共 17 个参数 / 17 parameters"
    )
    text = str(nn.DeepNet([2, 6, 4, 1], batch_norm=True, seed=1))
    assert "(1): BatchNorm(gamma[1] (6, 1), beta[1] (6, 1))" in text and "(4): Linear(W[2] (4, 6))" in text
    assert text.endswith(") 共 61 个参数 / 61 parameters")  # W1 12, γ1 6, β1 6, W2 24, γ2 4, β2 4, W3 4, b3 1
    assert "(0): Linear(w (3, 1), b (1, 1))" in repr(nn.LogisticRegression(3))
