"""Issue "trust at the edges", the checkers: never "fine" without comparing, honest at
saturation, wrong Nones and random forwards reported, second order, a whole model."""

import numpy as np
import pytest
from test_custom_and_gradcheck import MySigmoid

import nn
import tinygrad_cn as tg
from tinygrad_cn import Value


class ForgotInput(tg.Function):
    """a·b whose backward forgets b's grad (None for a differentiable input)."""

    name = "test_forgot_input"

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return g * b, None


class Dropout(tg.Function):
    """A random forward: nothing to compare a derivative with."""

    name = "test_dropout"

    @staticmethod
    def forward(ctx, x):
        mask = np.random.rand(*np.shape(x)) < 0.5
        ctx.mask = mask
        return x * mask / 0.5

    @staticmethod
    def backward(ctx, g):
        return g * ctx.mask / 0.5


def flower_model():
    X, Y = nn.datasets.planar_flower()
    return nn.TwoLayerNet(2, 4, 1, seed=2), X, Y


def test_a_function_that_ignores_its_inputs_is_not_checked():
    model, X, Y = flower_model()
    rep = tg.gradcheck(lambda W1, b1, W2, b2: model.cost(X, Y), model.W1, model.b1, model.W2, model.b2)
    assert not rep.ok and rep.key == "not checked" and "fine" not in str(rep).split("\n")[0]
    assert [c.key for c in rep.per_input] == ["not checked"] * 4
    assert "gradcheck_parameters" in str(rep)
    with pytest.raises(AssertionError, match="not checked"):
        tg.assert_gradcheck(lambda x: Value(1.0) * 2, np.ones(3))


def test_two_zero_vectors_are_not_a_pass():
    rep = tg.gradcheck(lambda x, y: (x * 2).sum(), np.ones(2), np.ones(3))
    assert [c.key for c in rep.per_input] == ["fine", "not checked"] and not rep.ok


def test_saturated_tanh_and_sigmoid_are_fine_and_say_why():
    rep = tg.gradcheck(lambda x: x.tanh(), 10.0)
    assert rep.ok and rep.key == "noise" and rep.per_input[0].max_error <= rep.per_input[0].floor
    assert rep.difference > 1e-3  # the course's relative difference alone would have cried "bug"
    assert "noise" in str(rep)
    z = Value(np.array([[10.0, -12.0, 0.5, 30.0]]))
    assert tg.check_graph(z.tanh().sum()) == [] and tg.check_graph(z.sigmoid().sum()) == []


def test_saturated_points_pass_pytorchs_gradcheck_too():
    torch = pytest.importorskip("torch", reason="PyTorch 未安装 / PyTorch not installed (bench extra)")
    for f, x in ((torch.tanh, 10.0), (torch.sigmoid, -30.0)):
        assert torch.autograd.gradcheck(f, (torch.tensor([x], dtype=torch.float64, requires_grad=True),))
    assert tg.gradcheck(lambda v: v.sigmoid(), -30.0).ok


def test_a_wrong_rule_is_still_a_bug_above_the_floor():
    rep = tg.gradcheck(lambda v: (v * v).tanh().sum() + 0 * v.sum(), np.array([0.3, -0.7]))
    assert rep.ok
    bad = tg.gradcheck(lambda a, b: ForgotInput.apply(a, b).sum(), np.array([0.5, 2.0]), np.array([1.5, -1.0]))
    assert not bad.ok and bad.per_input[1].key == "bug" and bad.worst.startswith("inputs[1]")


def test_check_graph_reports_a_none_for_a_differentiable_input():
    a, b = Value(np.array([0.5, 2.0]), label="a"), Value(np.array([1.5, -1.0]), label="b")
    y = ForgotInput.apply(a, b)
    y.label = "y"
    (found,) = tg.check_graph(y.sum())
    assert found.wrong and found.op == "test_forgot_input" and "None" in str(found) and "b" in str(found)


def test_check_graph_says_a_random_forward_cannot_be_checked():
    x = Value(np.ones((3, 4)), label="A1")
    d = Dropout.apply(x)
    (found,) = tg.check_graph(d.sum())
    assert found.status == "not checkable" and not found.wrong and "random" in str(found)


def test_eps_must_be_a_positive_small_number():
    for eps in (0, 0.0, -1e-7, float("nan"), float("inf"), 2.0, "1e-7", True):
        with pytest.raises(ValueError, match="eps"):
            tg.gradcheck(lambda v: v * v, 1.0, eps=eps)
        with pytest.raises(ValueError, match="eps"):
            tg.check_graph(Value(1.0) * Value(2.0), eps=eps)
        with pytest.raises(ValueError, match="eps"):
            tg.gradgradcheck(lambda v: v * v * v, 1.0, eps=eps)


def test_gradgradcheck_second_derivatives():
    assert tg.gradgradcheck(lambda z: MySigmoid.apply(z).sum(), np.array([0.3, -1.2])).ok
    assert tg.gradgradcheck(lambda W, X: (W @ X).tanh().sum(), np.ones((2, 3)) * 0.3, np.eye(3)).ok


def test_gradcheck_parameters_on_the_flower_network():
    model, X, Y = flower_model()
    rep = tg.gradcheck_parameters(lambda: model.cost(X, Y), model.named_parameters())
    assert rep.ok and rep.difference < 2e-7
    assert [c.name for c in rep.per_input] == ["W[1] (4, 2)", "b[1] (4, 1)", "W[2] (1, 4)", "b[2] (1, 1)"]
    before = {k: v.copy() for k, v in model.state_dict().items()}
    assert all(np.array_equal(before[k], v) for k, v in model.state_dict().items())  # restored


def test_gradcheck_parameters_names_the_parameter_that_is_off():
    model, X, Y = flower_model()
    X, Y = X[:, :20], Y[:, :20]

    def cost():  # layer 2 through a backward that forgot W2's grad
        A1 = (model.W1 @ X + model.b1).tanh()
        Z2 = ForgotInput.apply(A1, model.W2.T).sum(axis=0, keepdims=True) + model.b2
        return nn.binary_cross_entropy_with_logits(Z2, Y)

    rep = tg.gradcheck_parameters(cost, model.named_parameters())
    assert not rep.ok and rep.worst.startswith("W[2]")
    assert all(c.ok for c in rep.per_input if not c.name.startswith("W[2]"))


def teardown_module():
    for name in ("test_forgot_input", "test_dropout"):
        tg.REGISTRY.pop(name, None)


def _header_says(c, tol):
    """The verdict the report's header line states for one row, read as the header writes it."""
    if c.difference <= tol or c.max_error <= c.floor:
        return "fine"
    return "look again" if c.difference < 1e-3 else "bug"


@pytest.mark.parametrize(
    "f, x",
    [
        (lambda v: v.tanh().sum(), np.array([0.3, -1.2])),  # fine
        (lambda v: v.tanh().sum(), np.array([8.0])),  # saturated: 6e-5, only noise
        (lambda v: v.tanh().sum(), np.array([9.0, 10.0])),  # 3e-3 and 3e-2: "bug" by size, noise by the floor
        (lambda v: MySigmoid.apply(v).sum(), np.array([0.5])),
    ],
)
def test_the_report_header_and_its_verdicts_tell_one_story(f, x):
    report = tg.gradcheck(f, x)
    header = str(report).split("\n")[1]
    assert "noise floor" in header and "fine" in header.split("noise floor")[1].split(";")[0]
    assert "1e-05" not in header and "≈" not in header  # the old header's "≈ 1e-5 look again"
    for c in report.per_input:
        assert c.key.replace("noise", "fine") == _header_says(c, report.tol)
