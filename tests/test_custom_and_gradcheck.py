"""Custom ops through the same door, gradcheck and check_graph."""

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Value


class MySigmoid(tg.Function):
    @staticmethod
    def forward(ctx, z):
        a = 1 / (1 + np.exp(-z))
        ctx.save_for_backward(a)
        return a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * a * (1 - a)


class WrongSigmoid(MySigmoid):
    """MySigmoid's forward with a backward that forgot the (1 - a)."""

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * a  # forgot (1 - a)


def test_custom_op_goes_through_the_same_door():
    x = Value(np.array([[0.5, -1.0]]), label="z")
    y = MySigmoid.apply(x)
    assert isinstance(y, Value) and y.op == "MySigmoid" and y.parents == (x,)
    assert tg.REGISTRY["MySigmoid"] is MySigmoid and tg.REGISTRY["*"] is tg.ops.Mul
    y.sum().backward()
    s = 1 / (1 + np.exp(-x.data))
    np.testing.assert_allclose(x.grad, s * (1 - s))


def test_custom_op_needs_forward_and_backward():
    with pytest.raises(TypeError, match="backward"):

        class NoBackward(tg.Function):
            @staticmethod
            def forward(ctx, x):
                return x


def test_custom_op_returning_wrong_number_of_grads():
    class TwoIn(tg.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(TypeError, match="TwoIn.backward must return 2 grads"):
        TwoIn.apply(Value(1.0), Value(2.0)).backward()


def test_custom_op_second_derivative_through_saved_output():
    x = Value(0.3)
    d2 = tg.grad(tg.grad(lambda v: MySigmoid.apply(v)))(x)
    s = 1 / (1 + np.exp(-0.3))
    assert d2.data == pytest.approx(s * (1 - s) * (1 - 2 * s))


def test_gradcheck_report_numbers_and_verdicts():
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((3, 2)), rng.standard_normal((3, 1))
    X = rng.standard_normal((2, 5))
    rep = tg.gradcheck(lambda W, b: (W @ X + b).tanh().sum(), W, b)
    assert rep.ok and rep.difference < 1e-7 and "fine" in rep.verdict
    assert [c.name for c in rep.per_input] == ["inputs[0] (3, 2)", "inputs[1] (3, 1)"]
    text = str(rep)
    assert "梯度检验" in text and "gradient check" in text and "正确" in text
    assert "<table>" in rep._repr_html_()

    bad = tg.gradcheck(lambda z: WrongSigmoid.apply(z).sum(), rng.standard_normal((2, 3)))
    assert not bad.ok and bad.difference >= 1e-3 and "bug" in bad.verdict


def test_gradcheck_works_in_float64_for_float32_inputs():
    x = Value(np.array([0.3, -0.2], dtype=np.float32), label="x")
    rep = tg.gradcheck(lambda v: (v * v * v).sum(), x)
    assert rep.ok and x.data.dtype == np.float32


def test_assert_gradcheck_message():
    tg.assert_gradcheck(lambda a: a**3, 2.0)
    with pytest.raises(AssertionError, match="bug"):
        tg.assert_gradcheck(lambda z: WrongSigmoid.apply(z), 0.7)


def test_gradcheck_needs_scalar_output():
    with pytest.raises(TypeError, match="scalar"):
        tg.gradcheck(lambda v: v * 2, np.ones((2, 2)))


def test_check_graph_finds_the_wrong_rule_by_name():
    rng = np.random.default_rng(1)
    W1 = Value(rng.standard_normal((4, 2)), label="W1")
    b1 = Value(np.zeros((4, 1)), label="b1")
    X = Value(rng.standard_normal((2, 50)), label="X", requires_grad=False)
    Z1 = W1 @ X + b1
    Z1.label = "Z1"
    A1 = WrongSigmoid.apply(Z1)
    A1.label = "A1"
    J = (A1 * A1).relu().mean()
    J.label = "J"
    fails = tg.check_graph(J)
    assert [(f.op, f.label) for f in fails] == [("WrongSigmoid", "A1")]
    assert "WrongSigmoid" in str(fails[0]) and "A1" in str(fails[0]) and fails[0].difference > 1e-3

    A1_ok = MySigmoid.apply(Z1)
    assert tg.check_graph(A1_ok.relu().sum()) == []


def test_check_graph_skips_kinks():
    z = Value(np.array([[0.0, 1.0, -1.0]]))
    assert tg.check_graph(z.relu().sum()) == []  # relu at exactly 0 is not a failure
