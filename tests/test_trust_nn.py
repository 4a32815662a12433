"""Issue "trust at the edges", nn and viz: clear refusals instead of quiet nonsense."""

import numpy as np
import pytest

import nn
import viz
from tinygrad_cn import Value


@pytest.fixture(scope="module")
def flower():
    return nn.datasets.planar_flower()


def test_losses_refuse_labels_other_than_0_and_1():
    Z = Value(np.array([[0.3, -0.2, 1.0]]))
    for Y in (np.array([[0, 1, 2]]), np.array([[0, 0.5, 1]]), np.array([[-1, 1, 1]]), np.array([[0, np.nan, 1]])):
        with pytest.raises(ValueError, match="0 or 1"):
            nn.binary_cross_entropy_with_logits(Z, Y)
        with pytest.raises(ValueError, match="0 or 1"):
            nn.binary_cross_entropy(Z.sigmoid(), Y)


def test_binary_cross_entropy_refuses_what_is_not_a_probability():
    Y = np.array([[0.0, 1.0]])
    for A in (np.array([[0.5, 1.5]]), np.array([[-0.1, 0.5]]), np.array([[np.nan, 0.5]])):
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            nn.binary_cross_entropy(Value(A), Y)
    J = nn.binary_cross_entropy(Value(np.array([[0.0, 1.0]])), Y)  # the edges are fine: J = 0
    assert J.data == pytest.approx(0.0, abs=1e-12)


def test_fit_refuses_zero_examples(flower):
    with pytest.raises(ValueError, match="m ≥ 1"):
        nn.TwoLayerNet(2, 4, 1).fit(np.zeros((2, 0)), np.zeros((1, 0)), 10, 0.1)


def test_scalar_view_refusals():
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    with pytest.raises(ValueError, match="n_x = 2"):
        nn.scalar_two_layer(model, [1.0, 2.0, 3.0], 1)
    with pytest.raises(ValueError, match="n_x = 2"):
        nn.scalar_two_layer(model, None, 1)
    with pytest.raises(ValueError, match="y = 0 or 1"):
        nn.scalar_two_layer(model, [1.0, 2.0], 0.3)
    with pytest.raises(TypeError, match="two-layer"):
        nn.scalar_two_layer(nn.DeepNet([2, 3, 3, 1], seed=1), [1.0, 2.0], 1)
    with pytest.raises(TypeError, match="two-layer"):
        nn.scalar_two_layer("model", [1.0, 2.0], 1)


def test_scalar_view_is_faithful_to_a_two_layer_deepnet():
    """DeepNet([2, 3, 1]) is drawn neuron by neuron with the same loss and grads."""
    model = nn.DeepNet([2, 3, 1], hidden="relu", seed=4)
    x, y = np.array([[0.7], [-1.1]]), np.array([[1.0]])
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    J = model.cost(x, y)
    J.backward()
    assert view.loss.data == pytest.approx(J.data, rel=1e-12)
    for k, g in view.grads().items():
        np.testing.assert_allclose(g, getattr(model, k).grad, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("args", [("x", 0.1), ([1, 2], 0.1), (None, 0.1)])
def test_optimizers_refuse_what_is_not_a_parameter_list(args):
    for opt in (nn.GradientDescent, nn.Momentum, nn.Adam):
        with pytest.raises(TypeError, match="params"):
            opt(*args)


@pytest.mark.parametrize("lr", [-0.1, -1e-300, float("nan"), float("inf"), "0.1", None, True])
def test_optimizers_refuse_a_bad_learning_rate(lr):
    p = nn.TwoLayerNet(2, 2, 1).parameters()
    with pytest.raises((TypeError, ValueError), match="learning rate"):
        nn.GradientDescent(p, lr)


def test_gradient_descent_is_one_more_direction():
    p = Value(np.array([[1.0, 2.0]]))
    p.grad = np.array([[0.5, -1.0]])
    opt = nn.GradientDescent([p], 0.1)
    assert type(opt).step is nn.optim.Optimizer.step
    opt.step()
    np.testing.assert_allclose(p.data, [[0.95, 2.1]])


@pytest.mark.parametrize(
    "call",
    [viz.draw, viz.to_svg, lambda r: viz.render(r, "x.svg"), lambda r: viz.explore(r, "x.html"), viz.backprop_steps],
)
@pytest.mark.parametrize("root", [3.0, "J", None, np.ones(2)])
def test_viz_functions_need_a_value(call, root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match="Value"):
        call(root)
    assert list(tmp_path.iterdir()) == []


def test_every_model_calls_its_parents_constructor_and_builds_from_linear_layers():
    for model in (nn.LogisticRegression(3), nn.TwoLayerNet(2, 4, 1), nn.DeepNet([2, 3, 2, 1])):
        linears = [m for m in model.modules if isinstance(m, nn.Linear)]
        assert len(linears) == model.L and all(isinstance(m, nn.Module) for m in model.modules)
    assert list(nn.LogisticRegression(3).state_dict()) == ["w", "b"]
    assert not hasattr(nn.models.FeedForward, "logits") or "linear(" not in __import__("inspect").getsource(
        nn.models.FeedForward.logits
    )
