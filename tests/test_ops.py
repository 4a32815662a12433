"""Every op's backward rule against two-sided differences, over random shapes (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, broadcastable_shapes

import tinygrad_cn as tg
from tinygrad_cn import Value

FAST = settings(max_examples=60, deadline=None)
# away from 0: the course's relative difference is meaningless where a gradient vanishes
finite = st.floats(0.1, 3) | st.floats(-3, -0.1)
positive = st.floats(0.5, 3, allow_nan=False)


def arr(shape, elements=finite):
    return arrays(np.float64, shape, elements=elements)


def check(f, *xs, tol=1e-7):
    report = tg.gradcheck(f, *xs, eps=1e-6)
    assert report.difference <= tol, str(report)


@st.composite
def pair(draw, elements=finite, elements_b=None):
    """Two arrays whose shapes broadcast (course style: leading axes and size-1 axes)."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    other = draw(broadcastable_shapes(shape, min_dims=0, max_dims=len(shape), max_side=4))
    a, b = draw(arr(shape, elements)), draw(arr(other, elements if elements_b is None else elements_b))
    return (a, b) if draw(st.booleans()) else (b, a)


def no_rank1_trap(a, b):
    """The engine refuses (n,) against (n, 1); keep such pairs out of the gradient tests."""
    try:
        Value(a) + Value(b)
        return True
    except ValueError:
        return False


@FAST
@given(pair())
def test_add_sub_mul_broadcast(ab):
    a, b = ab
    if not no_rank1_trap(a, b):
        return
    W = np.random.default_rng(0).standard_normal(np.broadcast_shapes(a.shape, b.shape))
    for op in (lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y):
        check(lambda x, y: (op(x, y) * W).sum(), a, b)


@FAST
@given(pair(elements_b=positive))
def test_div_pow_broadcast(ab):
    a, b = ab
    if not no_rank1_trap(a, b):
        return
    check(lambda x, y: (x / (y * y + 1)).sum(), a, b)
    check(lambda x, y: ((x * x + 1) ** (y * 0.5)).sum(), a, b)


@FAST
@given(arr(array_shapes(max_dims=3, max_side=4)), st.sampled_from(["exp", "tanh", "sigmoid", "relu", "leaky_relu"]))
def test_unary(x, name):
    if name in ("relu", "leaky_relu"):
        x = np.where(np.abs(x) < 1e-3, 0.5, x)  # keep clear of the kink at 0
    W = np.random.default_rng(1).standard_normal(x.shape)
    check(lambda v: (getattr(v, name)() * W).sum(), x)


@FAST
@given(arr(array_shapes(max_dims=3, max_side=4), positive))
def test_log_and_number_powers(x):
    check(lambda v: (v.log() * v).sum(), x)
    check(lambda v: (v**3 - 2 / v + 1 - v).sum(), x)
    check(lambda v: (2.0**v).sum(), x)


@FAST
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.data())
def test_matmul(n, k, m, data):
    A, B = data.draw(arr((n, k))), data.draw(arr((k, m)))
    W = np.random.default_rng(2).standard_normal((n, m))
    check(lambda a, b: ((a @ b) * W).sum(), A, B)
    check(lambda a: ((a @ B) * W).sum(), A)  # right operand a constant array
    check(lambda b: ((A @ b) * W).sum(), B)  # reflected: ndarray @ Value


@FAST
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.data())
def test_affine_is_matmul_plus_bias(n, k, m, data):
    W, A, b = data.draw(arr((n, k))), data.draw(arr((k, m))), data.draw(arr((n, 1)))
    R = np.random.default_rng(6).standard_normal((n, m))
    check(lambda w, a, c: (tg.ops.affine(w, a, c) * R).sum(), W, A, b)
    np.testing.assert_allclose(tg.ops.affine(Value(W), Value(A), Value(b)).data, W @ A + b)


def test_affine_dA_of_one_output_row_is_exactly_the_matmul():
    rng = np.random.default_rng(3)
    W, A, b = (Value(rng.standard_normal(s)) for s in ((1, 4), (4, 7), (1, 1)))
    G = rng.standard_normal((1, 7))
    tg.ops.affine(W, A, b).backward(G)
    assert np.array_equal(A.grad, W.data.T @ G)  # Wᵀ dZ as an outer product: matmul's very numbers


@FAST
@given(arr(array_shapes(min_dims=1, max_dims=3, max_side=4)), st.data())
def test_reductions_and_shapes(x, data):
    axis = data.draw(st.none() | st.integers(0, x.ndim - 1))
    keep = data.draw(st.booleans())
    R = np.random.default_rng(3).standard_normal(np.sum(x, axis=axis, keepdims=keep).shape)
    check(lambda v: (v.sum(axis=axis, keepdims=keep) * R).sum(), x)
    check(lambda v: (v.mean(axis=axis, keepdims=keep) * R).sum(), x)
    T = np.random.default_rng(4).standard_normal(x.T.shape)
    check(lambda v: (v.T * T).sum(), x)
    check(lambda v: (v.reshape(-1) * T.reshape(-1)).sum(), x)
    if x.ndim == 3:
        P = np.random.default_rng(5).standard_normal(np.transpose(x, (1, 2, 0)).shape)
        check(lambda v: (v.transpose(1, 2, 0) * P).sum(), x)


def test_sum_of_values_and_reflected_forms():
    a = Value(2.0)
    y = sum([a, a * 3, 1 - a, 2 / a, 2**a, -a])
    y.backward()
    assert y.data == pytest.approx(2 + 6 + -1 + 1 + 4 - 2)
    assert a.grad == pytest.approx(1 + 3 - 1 - 0.5 + 4 * np.log(2) - 1)
    x = Value(np.ones((2, 2)))
    z = np.full((2, 2), 3.0) * x  # ndarray on the left still gives a Value
    assert isinstance(z, Value) and z.op == "*"


def test_value_exponent():
    x, y = Value(2.0), Value(3.0)
    z = x**y
    z.backward()
    assert z.data == 8.0 and x.grad == 12.0 and y.grad == pytest.approx(8 * np.log(2))


def test_activation_values_at_course_points():
    z = Value(np.array([[-2.0, 0.0, 3.0]]))
    np.testing.assert_array_equal(z.relu().data, [[0, 0, 3]])
    np.testing.assert_allclose(z.leaky_relu().data, [[-0.02, 0, 3]])
    np.testing.assert_allclose(z.sigmoid().data, 1 / (1 + np.exp(-z.data)))
    np.testing.assert_allclose(z.tanh().data, np.tanh(z.data))


def test_relu_and_leaky_relu_derivative_at_zero():
    for slope in (0.01, 0.2):
        z = Value(np.array([[-1.0, 0.0, 1.0]]))
        z.relu().sum().backward()
        np.testing.assert_array_equal(z.grad, [[0, 0, 1]])  # relu'(0) = 0, as PyTorch
        z.zero_grad()
        z.leaky_relu(slope).sum().backward()
        np.testing.assert_allclose(z.grad, [[slope, slope, 1]])  # leaky'(0) = slope
    s = Value(0.0)
    s.relu().backward()
    assert s.grad == 0.0


def test_sigmoid_is_stable_at_extremes():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning
        big = Value(np.array([[1000.0, -1000.0]])).sigmoid()
        assert Value(1000.0).sigmoid().data == 1.0 and Value(-1000.0).sigmoid().data == 0.0
    np.testing.assert_array_equal(big.data, [[1.0, 0.0]])


def test_float32_is_kept_and_ints_become_float64():
    assert Value(np.ones(3, dtype=np.float32)).data.dtype == np.float32
    assert Value(np.arange(3)).data.dtype == np.float64
    assert Value([[1, 2]]).data.dtype == np.float64
    assert type(Value(3).data) is float and type(Value(np.float64(2)).data) is float
