"""The course's models, layers, initialization, optimizers, datasets and files."""

import os

import numpy as np
import pytest

import nn
from tinygrad_cn import Value


@pytest.fixture(scope="module")
def flower():
    return nn.datasets.planar_flower()


def test_planar_flower_is_the_courses(flower):
    X, Y = flower
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert Y[0, :200].sum() == 0 and Y[0, 200:].sum() == 200
    np.testing.assert_allclose(X[:, 0], [1.20444229, 3.57611415], rtol=1e-8)
    np.random.seed(1)  # the course's draws, redone here step by step
    t = np.linspace(0, 3.12, 200) + np.random.randn(200) * 0.2
    r = 4 * np.sin(4 * t) + np.random.randn(200) * 0.2
    np.testing.assert_array_equal(X[:, :200], np.c_[r * np.sin(t), r * np.cos(t)].T)


def test_other_datasets_shapes_and_labels():
    for make in (nn.datasets.noisy_circles, nn.datasets.moons, nn.datasets.blobs):
        X, Y = make(m=60)
        assert X.shape == (2, 60) and Y.shape == (1, 60) and set(np.unique(Y)) == {0.0, 1.0}


def test_flower_training_reproduces_the_course_numbers(flower):
    X, Y = flower
    model = nn.TwoLayerNet(2, 4, 1, seed=2)  # the assignment's np.random.seed(2)
    costs = model.fit(X, Y, num_iterations=1001, learning_rate=1.2)
    assert round(costs[0], 6) == 0.693048 and round(costs[1000], 6) == 0.288083


def test_flower_accuracy_and_logistic_baseline(flower):
    X, Y = flower
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    model.fit(X, Y, 10000, 1.2)
    assert model.accuracy(X, Y) >= 90.0
    lr = nn.LogisticRegression(2)
    lr.fit(X, Y, 2000, 0.1)
    assert 44 <= lr.accuracy(X, Y) <= 50  # the course: 47%, a line cannot split a flower


def test_costs_are_taken_before_each_update_and_printed(capsys, flower):
    X, Y = flower
    model = nn.TwoLayerNet(2, 3, 1, seed=0)
    first = model.cost(X, Y).data
    costs = model.fit(X, Y, 1001, 0.5, print_cost=True)
    out = capsys.readouterr().out.splitlines()
    assert costs[0] == first and len(costs) == 1001
    assert out == [f"Cost after iteration 0: {costs[0]:f}", f"Cost after iteration 1000: {costs[1000]:f}"]
    assert model.cost(X, Y).data < costs[-1]  # the last update was applied after costs[-1]


def test_seeded_init_is_the_courses_draws():
    model = nn.DeepNet([3, 4, 2, 1], seed=3)
    np.random.seed(3)
    for l, (n, n_prev) in enumerate([(4, 3), (2, 4), (1, 2)], start=1):
        np.testing.assert_array_equal(getattr(model, f"W{l}").data, np.random.randn(n, n_prev) * 0.01)
        np.testing.assert_array_equal(getattr(model, f"b{l}").data, np.zeros((n, 1)))
    he = nn.initialize([50, 20], "he", seed=0)["W1"]
    xa = nn.initialize([50, 20], "xavier", seed=0)["W1"]
    np.testing.assert_allclose(he / xa, np.sqrt(2))
    assert abs(he.std() - np.sqrt(2 / 50)) < 0.03
    with pytest.raises(ValueError, match="unknown init"):
        nn.initialize([2, 2], "ones")
    assert not nn.initialize([2, 3], "zeros", seed=1)["W1"].any()  # course 2: all zeros
    np.random.seed(1)
    np.testing.assert_array_equal(nn.initialize([2, 3], "random", seed=1)["W1"], np.random.randn(3, 2) * 10)


def test_week3_shapes(flower):
    X, Y = flower
    model = nn.TwoLayerNet(2, 4, 1)
    assert model.W1.shape == (4, 2) and model.b1.shape == (4, 1)
    assert model.W2.shape == (1, 4) and model.b2.shape == (1, 1)
    model.cost(X, Y).backward()
    for k in ("W1", "b1", "W2", "b2"):
        assert getattr(model, k).grad.shape == getattr(model, k).shape
    assert model(X).shape == (1, 400) and model.predict(X).shape == (1, 400)
    assert set(np.unique(model.predict(X))) <= {0, 1}


def test_zero_initialization_keeps_hidden_units_identical(flower):
    X, Y = flower
    model = nn.TwoLayerNet(2, 4, 1, seed=0)
    model.W1.data = np.zeros((4, 2))
    model.W2.data = np.zeros((1, 4))
    model.fit(X, Y, 200, 1.2)
    W1 = model.W1.data
    assert np.all(W1 == W1[0]) and np.all(model.W2.data == model.W2.data[0, 0])  # symmetry never breaks
    random = nn.TwoLayerNet(2, 4, 1, seed=0)
    random.fit(X, Y, 200, 1.2)
    assert not np.allclose(random.W1.data, random.W1.data[0])


def test_linear_layer_and_its_refusals():
    layer = nn.Linear(2, 4, seed=1)
    assert layer.W.shape == (4, 2) and layer.b.shape == (4, 1)
    assert layer(np.ones((2, 400))).shape == (4, 400)
    with pytest.raises(ValueError, match=r"W\[1\] is \(4, 2\) but A\[0\] is \(3, 400\)"):
        layer(np.ones((3, 400)))
    with pytest.raises(ValueError, match=r"A\[0\] has shape \(2,\).*rank-1"):
        layer(np.ones(2))
    with pytest.raises(ValueError, match=r"W\[2\] is \(1, 4\) but A\[1\] is \(3, 5\)"):
        nn.linear(nn.TwoLayerNet(2, 4, 1).W2, Value(np.zeros((1, 1))), np.ones((3, 5)), 2)


def test_sequential_names_parameters_as_the_course():
    net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid())
    assert list(net.state_dict()) == ["W1", "b1", "W2", "b2"]
    out = net(np.ones((2, 5)))
    assert out.shape == (1, 5) and out.op == "sigmoid"
    assert len(net.parameters()) == 4


def test_activation_functions_and_modules():
    z = Value(np.array([[-1.0, 2.0]]))
    np.testing.assert_allclose(nn.relu(z).data, [[0, 2]])
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(z).data, [[-0.1, 2]])
    np.testing.assert_allclose(nn.tanh(z).data, np.tanh(z.data))
    np.testing.assert_allclose(nn.Sigmoid()(z).data, nn.formulas.sigmoid(z.data))
    with pytest.raises(ValueError, match="unknown activation"):
        nn.TwoLayerNet(2, 3, 1, hidden="softmax")


def test_save_load_round_trip_and_refusals(tmp_path, flower):
    X, Y = flower
    model = nn.TwoLayerNet(2, 4, 1, seed=1)
    model.fit(X, Y, 50, 1.0)
    path = tmp_path / "flower.npz"
    model.save(path)
    assert sorted(os.listdir(tmp_path)) == ["flower.npz"]  # no temporary left behind
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary file, not a private temp
    other = nn.TwoLayerNet(2, 4, 1, seed=9).load(path)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(getattr(other, k).data, v)

    before = other.state_dict()
    bad = dict(before)
    bad.pop("b2")
    np.savez(tmp_path / "missing.npz", **bad)
    np.savez(tmp_path / "extra.npz", **before, W3=np.ones(1))
    np.savez(tmp_path / "shape.npz", **{**before, "W1": np.ones((3, 2))})
    for name, err, words in [
        ("missing", ValueError, "missing"),
        ("extra", ValueError, "unexpected"),
        ("shape", ValueError, r"W1 should have shape \(4, 2\)"),
    ]:
        with pytest.raises(err, match=words):
            other.load(tmp_path / f"{name}.npz")
        for k, v in before.items():  # nothing was changed
            np.testing.assert_array_equal(getattr(other, k).data, v)


def test_save_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    model = nn.TwoLayerNet(2, 2, 1)
    target = tmp_path / "m.npz"
    model.save(target)
    old = target.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", boom)
    with pytest.raises(OSError):
        nn.TwoLayerNet(2, 2, 1, seed=5).save(target)
    assert target.read_bytes() == old and os.listdir(tmp_path) == ["m.npz"]


def test_optimizers_follow_their_formulas():
    g = np.array([[0.5, -1.0]])

    def run(opt_cls, steps, **kw):
        p = Value(np.array([[1.0, 2.0]]))
        opt = opt_cls([p], 0.1, **kw)
        for _ in range(steps):
            opt.zero_grad()
            (p * g).sum().backward()
            opt.step()
        return p.data

    np.testing.assert_allclose(run(nn.GradientDescent, 2), [[1.0, 2.0]] - 0.2 * g)
    v1 = 0.1 * g
    v2 = 0.9 * v1 + 0.1 * g
    np.testing.assert_allclose(run(nn.Momentum, 2), [[1.0, 2.0]] - 0.1 * (v1 + v2))
    # Adam's first step moves every parameter by α·sign(g) (bias-corrected v̂/√ŝ = ±1)
    np.testing.assert_allclose(run(nn.Adam, 1), [[1.0, 2.0]] - 0.1 * np.sign(g), rtol=1e-7)


def test_fit_with_adam_learns(flower):
    X, Y = flower
    model = nn.DeepNet([2, 8, 4, 1], init="he", seed=1)
    costs = model.fit(X, Y, 300, 0.01, optimizer=nn.Adam(model.parameters(), 0.01))
    assert costs[-1] < costs[0] * 0.6


def test_scalar_view_equals_vectorized():
    model = nn.TwoLayerNet(3, 4, 1, seed=4, init="he")
    x, y = np.array([[0.5], [-1.2], [2.0]]), np.array([[1.0]])
    model.cost(x, y).backward()
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    assert view.loss.data == pytest.approx(model.cost(x, y).data, rel=1e-12)
    for k, g in view.grads().items():
        np.testing.assert_allclose(g, getattr(model, k).grad, rtol=1e-10, atol=1e-14)
    assert view.W[1][0][1].label == "w₁₂[1]"


def test_model_input_refusals():
    model = nn.TwoLayerNet(2, 4, 1)
    with pytest.raises(ValueError, match=r"W\[1\] is \(4, 2\) but A\[0\] is \(400, 2\)"):
        model(np.ones((400, 2)))  # examples must be columns
    with pytest.raises(ValueError, match="layer_dims"):
        nn.DeepNet([2])
    with pytest.raises(ValueError, match=r"wᵀ is \(1, 2\) but A\[0\] is \(3, 5\)"):
        nn.LogisticRegression(2)(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"Y must be \(1, 5\), got \(5, 1\)"):
        model.accuracy(np.ones((2, 5)), np.ones((5, 1)))


def test_fit_shows_a_tqdm_bar_only_when_asked_or_in_a_terminal(capsys, flower):
    X, Y = flower
    nn.TwoLayerNet(2, 2, 1, seed=1).fit(X, Y, 20, 0.5)
    assert capsys.readouterr().err == ""  # not a terminal: no bar
    nn.TwoLayerNet(2, 2, 1, seed=1).fit(X, Y, 20, 0.5, progress=True)
    err = capsys.readouterr().err
    assert "训练 / training" in err and "0/20" in err  # the bar (cleared when done: leave=False)
    with pytest.raises(ValueError, match="non-negative integer"):
        nn.TwoLayerNet(2, 2, 1).fit(X, Y, -3, 0.5)
