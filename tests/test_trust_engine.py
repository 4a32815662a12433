"""Issue "trust at the edges", the engine's part: exact derivatives where they were wrong,
IEEE results on floats as on arrays, and a clear TypeError/ValueError for bad input."""

import warnings

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Value, grad


# ---- second derivatives when a constant is the very object that is a Value's data ----------
def test_constant_that_is_the_inputs_own_data_stays_a_constant():
    c = 2.0
    assert grad(grad(lambda x: x * c))(c) == 0.0
    assert grad(grad(lambda x: x / c))(c) == 0.0
    assert grad(grad(lambda x: x**c))(c) == 2.0  # d²/dx² x² = 2
    assert grad(grad(lambda x: x * x.data))(3.0) == 0.0
    assert grad(grad(lambda x: x.data * x))(3.0) == 0.0


def test_hessian_of_w_times_its_own_starting_data_is_zero():
    w0 = np.array([[1.0, -2.0, 0.5]])
    w = Value(w0, label="w")
    (g,) = tg.gradients((w * w0).sum(), [w], create_graph=True)
    np.testing.assert_array_equal(g.data, w0)
    assert not g.requires_grad  # dJ/dw = w0 is a constant: not a function of w, so the Hessian is 0
    assert tg.grad(lambda v: (tg.grad(lambda u: (u * w0).sum())(v) * 1.0).sum())(w0.copy()).tolist() == [[0, 0, 0]]


# ---- the boundaries where PyTorch, HIPS and JAX give 0, not nan ----------------------------
def test_x_to_the_zero_is_flat_even_at_zero():
    assert grad(lambda x: x**0.0)(0.0) == 0.0
    assert grad(grad(lambda x: x**0.0))(0.0) == 0.0
    x = np.array([0.0, 2.0, -1.5])
    np.testing.assert_array_equal(grad(lambda v: (v**0.0).sum())(x), np.zeros(3))


def test_zero_to_a_positive_power_is_flat_in_the_exponent():
    assert grad(lambda y: 0.0**y)(2.0) == 0.0
    assert grad(grad(lambda y: 0.0**y))(2.0) == 0.0
    y = np.array([0.5, 1.0, 3.0])
    np.testing.assert_array_equal(grad(lambda v: (0.0**v).sum())(y), np.zeros(3))
    # away from the boundary the rule is the ordinary one: d/dy 2^y = 2^y ln 2
    assert grad(lambda y: 2.0**y)(3.0) == pytest.approx(8 * np.log(2))


# ---- IEEE on floats, as numpy and PyTorch give on arrays ----------------------------------
@pytest.mark.parametrize("kind", [float, lambda v: np.array([v])])
def test_log_of_zero_and_one_over_zero_give_inf_not_an_exception(kind):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no RuntimeWarning either
        x = Value(kind(0.0))
        y = x.log()
        y.sum().backward() if y.shape else y.backward()
        assert np.all(np.isneginf(y.data)) and np.all(np.isposinf(x.grad))
        x = Value(kind(0.0))
        z = 1 / x
        z.sum().backward() if z.shape else z.backward()
        assert np.all(np.isposinf(z.data)) and np.all(np.isneginf(x.grad))


def test_saturated_log_sigmoid_on_floats_and_arrays_agree():
    outs = []
    for kind in (float, lambda v: np.array(v)):
        z = Value(kind(-1000.0))
        J = z.sigmoid().log()
        J.backward()
        outs.append((float(J.data), float(z.grad)))
    assert outs[0][0] == outs[1][0] == -np.inf
    assert np.isnan(outs[0][1]) and np.isnan(outs[1][1])


def test_detect_anomaly_names_the_op_on_floats():
    with tg.detect_anomaly():
        x = Value(0.0, label="x")
        with pytest.raises(tg.AnomalyError, match="log"):
            x.log()


# ---- every other bad input: a clear error ---------------------------------------------------
def test_non_value_roots_are_refused():
    for call in (lambda: tg.backward(3.0), lambda: tg.gradients(np.ones(2), []), lambda: tg.check_graph("J")):
        with pytest.raises(TypeError, match="Value"):
            call()
    with pytest.raises(TypeError, match="list of Values"):
        tg.gradients(Value(1.0) * 2, [1.0])


def test_sum_over_an_axis_of_a_scalar_is_refused():
    with pytest.raises(ValueError, match="sum"):
        Value(2.0).sum(axis=0)
    with pytest.raises(ValueError, match="mean"):
        Value(2.0).mean(axis=1)


def test_backward_accepts_a_float32_zero_d_array_as_seed():
    x = Value(3.0)
    (x * x).backward(grad=np.array(1.0, dtype=np.float32))
    assert x.grad == 6.0 and type(x.grad) is float


def test_a_non_string_label_never_breaks_an_error_message():
    W = Value(np.ones((2, 3)))
    W.label = 12345
    with pytest.raises(ValueError, match="12345"):
        W @ Value(np.ones((2, 2)))
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


@pytest.mark.parametrize("bad", [[1.0], 2, np.array([1 + 2j]), "x", None.__class__])
def test_custom_backward_returning_a_wrong_kind_of_grad(bad):
    class Bad(tg.Function):
        name = "test_bad_grad"

        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return bad

    try:
        y = Bad.apply(Value(np.array([1.0])))
        with pytest.raises(TypeError, match="test_bad_grad"):
            y.sum().backward()
    finally:
        del tg.REGISTRY["test_bad_grad"]


def test_custom_backward_returning_a_value_outside_create_graph():
    class GivesValue(tg.Function):
        name = "test_gives_value"

        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return Value(2.0) * g

    try:
        with pytest.raises(TypeError, match="create_graph"):
            GivesValue.apply(Value(1.0)).backward()
        x = Value(1.0)  # under create_graph a Value is what a rule should give
        (g,) = tg.gradients(GivesValue.apply(x), [x], create_graph=True)
        assert g.data == 2.0
    finally:
        del tg.REGISTRY["test_gives_value"]


def test_an_elementwise_op_with_one_input():
    class Twice(tg.Function):
        name, elementwise = "test_twice", True

        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    try:
        x = Value(np.ones((2, 1)))
        Twice.apply(x).sum().backward()
        np.testing.assert_array_equal(x.grad, 2 * np.ones((2, 1)))
    finally:
        del tg.REGISTRY["test_twice"]


def test_an_op_may_not_replace_a_value_attribute():
    with pytest.raises(TypeError, match="backward"):

        class Clash(tg.Function):
            name, method = "test_clash", "backward"

            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g

    tg.REGISTRY.pop("test_clash", None)


def test_a_refusal_says_which_op_and_inputs_for_pictures():
    W2 = Value(np.ones((1, 4)), label="W2")
    A1 = Value(np.ones((3, 400)), label="A1")
    with pytest.raises(tg.OpError) as e:
        W2 @ A1
    assert e.value.op is tg.ops.MatMul and e.value.inputs == (W2, A1)
    assert "W[2] (1, 4) @ A[1] (3, 400)" in str(e.value) and isinstance(e.value, ValueError)
    with pytest.raises(tg.OpError) as e:
        Value(np.ones(3)) + Value(np.ones((3, 1)))
    assert e.value.op is tg.ops.Add and "§2.16" in str(e.value)
