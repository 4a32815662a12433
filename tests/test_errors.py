"""Bad input: clear errors in Chinese and English, in the course's notation."""

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Value


def test_matmul_mismatch_names_labels_and_shapes():
    W2 = Value(np.ones((1, 4)), label="W2")
    A1 = Value(np.ones((3, 400)), label="A1")
    with pytest.raises(ValueError) as e:
        W2 @ A1
    msg = str(e.value)
    assert "W[2] (1, 4) @ A[1] (3, 400)" in msg and "形状不匹配" in msg and "shape mismatch" in msg


def test_affine_names_its_operands_and_refuses_a_rank1_bias():
    W, A = Value(np.ones((4, 2)), label="W1"), Value(np.ones((3, 5)), label="A0")
    with pytest.raises(ValueError, match=r"affine\(W\[1\] \(4, 2\), A\[0\] \(3, 5\), b\[1\] \(4, 1\)\)"):
        tg.ops.affine(W, A, Value(np.ones((4, 1)), label="b1"))
    with pytest.raises(ValueError, match="one-dimensional"):
        tg.ops.affine(W, Value(np.ones((2, 4))), Value(np.ones(4), label="b1"))


def test_matmul_refuses_rank1():
    with pytest.raises(ValueError, match=r"2-D.*\(n, 1\)"):
        Value(np.ones((4, 2)), label="W1") @ Value(np.ones(2), label="x")


def test_broadcast_mismatch():
    with pytest.raises(ValueError, match=r"Z\[1\] \(4, 400\) \+ b\[1\] \(3, 1\)"):
        Value(np.ones((4, 400)), label="Z1") + Value(np.ones((3, 1)), label="b1")


def test_rank1_against_column_is_refused_not_broadcast():
    a = Value(np.ones(4), label="a")
    b = Value(np.ones((4, 1)), label="b")
    with pytest.raises(ValueError, match=r"one-dimensional.*\(4, 4\).*§2.16"):
        a * b
    # a row broadcast of a rank-1 array is ordinary numpy and allowed
    assert (a * Value(np.ones((3, 4)))).shape == (3, 4)


def test_unlabeled_operand_is_named_by_its_op():
    x = Value(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"tanh\(·\) \(2, 3\) @"):
        x.tanh() @ Value(np.ones((2, 3)))


@pytest.mark.parametrize("bad", ["abc", None, [["a"]], {"a": 1}, 1 + 2j, np.array(["x"]), True])
def test_non_numeric_data_is_a_type_error(bad):
    with pytest.raises(TypeError, match="数据必须是实数|无法转换"):
        Value(bad)


def test_non_numeric_operand_names_the_op():
    with pytest.raises(TypeError, match=r"^\*:"):
        Value(1.0) * "2"
    v = Value(1.0)
    with pytest.raises(TypeError):
        v.data = "x"


def test_reshape_error_names_op():
    with pytest.raises(ValueError, match=r"reshape.*\(2, 3\)"):
        Value(np.ones((2, 3)), label="A").reshape(4, 2)


def test_anomaly_log_of_zero_in_hand_written_cross_entropy():
    A = Value(np.array([[1.0, 0.5]]), label="A2")
    Y = np.array([[1.0, 0.0]])
    with tg.detect_anomaly():
        with pytest.raises(tg.AnomalyError) as e:
            with np.errstate(divide="ignore"):
                (Y * A.log() + (1 - Y) * (1 - A).log()).sum()
    msg = str(e.value)
    assert "log" in msg and "inf" in msg and "检测到异常" in msg and "forward" in msg


def test_anomaly_in_backward():
    class BadGrad(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, g):
            return g * np.nan

    x = Value(2.0, label="x")
    (x * 5).backward()  # a grad accumulated before the failing pass
    y = BadGrad.apply(x) * 3
    with tg.detect_anomaly(), pytest.raises(tg.AnomalyError, match="backward of BadGrad produced NaN"):
        y.backward()
    assert x.grad == 5.0 and y.grad_or_none is None  # the failed pass left every grad as it was
    y.backward()  # outside detect_anomaly: no check, NaN flows
    assert np.isnan(x.grad)


def test_nan_passes_silently_without_anomaly_mode():
    with np.errstate(divide="ignore"):
        v = Value(np.array([0.0])).log()
    assert np.isneginf(v.data[0])


def test_scalar_division_by_zero_follows_numpy():
    with np.errstate(divide="ignore"):
        assert np.isinf((Value(1.0) / 0.0).data)
        assert np.isneginf(Value(0.0).log().data)
