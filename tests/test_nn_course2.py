"""Course 2 on the engine, held to the course's formulas (nn.formulas) and to numerical gradients:
initialization, L2, inverted dropout, mini-batches, optimizers, learning-rate decay, softmax."""

import numpy as np
import pytest

import nn
import tinygrad_cn as tg
from nn import formulas as F
from tinygrad_cn import Value


def blobs():
    return nn.datasets.blobs(120, n_x=2, seed=3)


def test_random_mini_batches_are_the_courses():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 150)), (rng.uniform(size=(1, 150)) > 0.5).astype(float)
    state = np.random.get_state()
    ours = nn.random_mini_batches(X, Y, 64, seed=7)
    after = np.random.get_state()
    assert np.array_equal(state[1], after[1])  # the global generator untouched
    theirs = F.random_mini_batches(X, Y, 64, seed=7)
    assert [b[0].shape[1] for b in ours] == [64, 64, 22]
    for (xa, ya), (xb, yb) in zip(ours, theirs):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    with pytest.raises(ValueError, match="mini_batch_size"):
        nn.random_mini_batches(X, Y, 0)


def test_l2_cost_and_gradient_are_the_courses():
    X, Y = blobs()
    model = nn.DeepNet([2, 4, 3, 1], seed=2)
    J = model.cost(X, Y, lambd=0.7)
    A = model(X).data
    params = {k: v for k, v in model.state_dict().items()}
    assert J.data == pytest.approx(F.compute_cost_with_regularization(A, Y, params, 0.7), rel=1e-12)
    J.backward()
    plain = nn.DeepNet([2, 4, 3, 1], seed=2)
    plain.cost(X, Y).backward()
    m = X.shape[1]
    for l in (1, 2, 3):
        np.testing.assert_allclose(
            getattr(model, f"W{l}").grad - getattr(plain, f"W{l}").grad,
            F.l2_gradient(getattr(model, f"W{l}").data, 0.7, m),
            rtol=1e-10,
            atol=1e-15,
        )
        np.testing.assert_allclose(getattr(model, f"b{l}").grad, getattr(plain, f"b{l}").grad, rtol=1e-12)
    smooth = nn.DeepNet([2, 4, 3, 1], hidden="tanh", seed=2)  # relu's kink at Z = b = 0 is no place to check
    assert tg.gradcheck_parameters(lambda: smooth.cost(X[:, :20], Y[:, :20], lambd=0.7), smooth.named_parameters()).ok


def test_dropout_is_inverted_and_only_in_training():
    A = Value(np.ones((1000, 8)))
    d = nn.Dropout(0.8, seed=1)
    out = d(A).data
    kept = out != 0
    assert set(np.unique(out)) == {0.0, 1 / 0.8} and abs(kept.mean() - 0.8) < 0.02
    assert d.eval()(A) is A and nn.Dropout(1.0)(A) is A
    D = kept.astype(float)
    np.testing.assert_allclose(out, F.dropout_forward(A.data, D, 0.8))
    B = Value(np.full((3, 4), 2.0))
    y = nn.Dropout(0.5, seed=3)(B)
    y.sum().backward()
    np.testing.assert_allclose(B.grad, F.dropout_backward(np.ones((3, 4)), (y.data != 0) * 1.0, 0.5))
    (found,) = tg.check_graph(y.sum())
    assert found.status == "not checkable"  # a random forward is said to be one
    with pytest.raises(ValueError, match="keep_prob"):
        nn.Dropout(0)


def test_fit_with_dropout_drops_hidden_units_in_training_and_never_in_predict():
    X, Y = blobs()
    model = nn.DeepNet([2, 5, 1], seed=1)
    before = model.predict(X)
    costs = model.fit(X, Y, 30, 0.3, keep_prob=0.5)
    assert len(costs) == 30 and all(np.isfinite(costs))
    assert all(d.keep_prob == 1.0 for d in model.dropouts())  # nothing dropped after training
    assert np.array_equal(model.predict(X), model.predict(X)) and before.shape == (1, 120)


@pytest.mark.parametrize(
    "name, cls, formula",
    [("momentum", nn.Momentum, "momentum"), ("rmsprop", nn.RMSprop, "rmsprop"), ("adam", nn.Adam, "adam")],
)
def test_optimizers_are_the_courses_updates(name, cls, formula):
    rng = np.random.default_rng(1)
    W0 = rng.standard_normal((2, 3))
    p = Value(W0.copy())
    opt = nn.make_optimizer(name, [p], 0.01)
    assert isinstance(opt, cls)
    W, v, s = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
    for t in range(1, 6):
        g = rng.standard_normal((2, 3))
        p.grad = g
        opt.step()
        if formula == "momentum":
            W, v = F.momentum_update(W, g, v, 0.9, 0.01)
        elif formula == "rmsprop":
            W, s = F.rmsprop_update(W, g, s, 0.999, 0.01)
        else:
            W, v, s = F.adam_update(W, g, v, s, t, 0.01)
        np.testing.assert_allclose(p.data, W, rtol=1e-12)
    with pytest.raises(ValueError, match="optimizer"):
        nn.make_optimizer("sgd2", [p], 0.1)


def test_learning_rate_decay_both_forms():
    assert nn.inverse_time_decay(1.0)(0.1, 2) == pytest.approx(0.1 / 3)
    assert nn.scheduled_decay(1.0, time_interval=1000)(0.1, 2500) == pytest.approx(0.1 / 3)
    X, Y = blobs()
    model = nn.DeepNet([2, 3, 1], seed=1)
    opt = nn.GradientDescent(model.parameters(), 0.1)
    model.fit(
        X, Y, num_epochs=4, mini_batch_size=50, optimizer=opt, learning_rate=0.1, decay=nn.inverse_time_decay(1.0)
    )
    assert opt.learning_rate == pytest.approx(0.1 / 5)


def test_epoch_costs_are_the_per_example_losses_summed_over_the_epoch():
    X, Y = blobs()
    model = nn.DeepNet([2, 3, 1], seed=1)
    twin = nn.DeepNet([2, 3, 1], seed=1)
    costs = model.fit(X, Y, num_epochs=2, mini_batch_size=50, learning_rate=0.05, seed=10)
    opt = nn.GradientDescent(twin.parameters(), 0.05)
    for epoch in range(2):  # the course's loop, written out
        total = 0.0
        for Xb, Yb in F.random_mini_batches(X, Y, 50, seed=10 + epoch + 1):
            J = twin.cost(Xb, Yb)
            twin.zero_grad()
            J.backward()
            opt.step()
            total += J.data * Xb.shape[1]
        assert costs[epoch] == pytest.approx(total / X.shape[1], rel=1e-12)
    for k, v in twin.state_dict().items():
        np.testing.assert_allclose(model.state_dict()[k], v, rtol=1e-12)


def test_softmax_output_costs_predictions_and_accuracy():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 90))
    labels = (X[0] > 0).astype(int) + (X[1] > 0).astype(int)  # three classes
    Y = labels[None, :]
    model = nn.DeepNet([2, 6, 3], hidden="tanh", seed=3, output="softmax")
    J = model.cost(X, Y)
    A = model(X).data
    onehot = nn.one_hot(Y, 3)
    assert J.data == pytest.approx(F.softmax_cost(A, onehot), rel=1e-12)
    assert model.cost(X, onehot).data == pytest.approx(J.data, rel=1e-15)  # one-hot labels: the same J
    np.testing.assert_allclose(F.softmax(model.logits(X).data), A, rtol=1e-12)
    model.fit(X, Y, 400, 0.5)
    assert model.predict(X).shape == (1, 90) and model.accuracy(X, Y) > 80
    assert model.accuracy(X, onehot) == model.accuracy(X, Y)
    with pytest.raises(ValueError, match="labels"):
        model.cost(X, (labels + 5)[None, :])


def test_softmax_cross_entropy_gradient_is_a_minus_y():
    rng = np.random.default_rng(4)
    Z = Value(rng.standard_normal((4, 7)))
    Y = nn.one_hot(rng.integers(0, 4, (1, 7)), 4)
    nn.softmax_cross_entropy(Z, Y).backward()
    np.testing.assert_allclose(Z.grad, F.softmax_dZ(F.softmax(Z.data), Y) / 7, rtol=1e-10, atol=1e-15)


def test_batch_norm_in_a_deep_net_replaces_b_and_keeps_running_statistics_under_fit():
    X, Y = blobs()
    model = nn.DeepNet([2, 4, 3, 1], seed=1, batch_norm=True)
    assert [name for name, _ in model.named_parameters()] == [
        "W1",
        "gamma1",
        "beta1",
        "W2",
        "gamma2",
        "beta2",
        "W3",
        "b3",
    ]
    assert list(model.state_dict())[8:] == ["running_mean1", "running_var1", "running_mean2", "running_var2"]
    norm = model.modules[1]
    Z1 = model.W1.data @ X
    model.fit(X, Y, 5, 1e-12)  # W1 still: Z[1] the same at every iteration
    np.testing.assert_allclose(norm.running_mean, (1 - 0.9**5) * Z1.mean(axis=1, keepdims=True), rtol=1e-9)
    np.testing.assert_allclose(
        norm.running_var, 0.9**5 + (1 - 0.9**5) * Z1.var(axis=1, ddof=1, keepdims=True), rtol=1e-9
    )  # five updates: fit's replayed graph keeps them coming
    before = norm.running_mean.copy()
    model.predict(X)  # evaluation: running statistics used, not updated
    np.testing.assert_array_equal(norm.running_mean, before)
    assert model.training
    smooth = nn.DeepNet([2, 3, 1], hidden="tanh", seed=2, batch_norm=True)
    assert tg.gradcheck_parameters(lambda: smooth.cost(X[:, :30], Y[:, :30]), smooth.named_parameters()).ok


def test_batch_norm_is_the_courses_formula_forward_and_backward():
    rng = np.random.default_rng(8)
    Z0, G = rng.standard_normal((3, 10)) * 2 + 1, rng.standard_normal((3, 10))
    bn = nn.BatchNorm(3)
    bn.gamma.data, bn.beta.data = rng.uniform(0.5, 2, (3, 1)), rng.standard_normal((3, 1))
    Z = Value(Z0)
    out = bn(Z)
    (out * G).sum().backward()
    expected, cache = F.batchnorm_forward(Z0, bn.gamma.data, bn.beta.data)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    dZ, dgamma, dbeta = F.batchnorm_backward(G, cache)
    np.testing.assert_allclose(Z.grad, dZ, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(bn.gamma.grad, dgamma, rtol=1e-10)
    np.testing.assert_allclose(bn.beta.grad, dbeta, rtol=1e-10)
