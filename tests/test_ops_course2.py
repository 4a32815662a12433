"""Course 2's ops at their edges: ties, kinks, large logits, repeated indices, empty slices, and
clear refusals for bad input."""

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Value


def test_softmax_and_log_softmax_are_stable_at_large_logits():
    z = np.array([[1000.0, -1000.0], [999.0, 0.0], [-1000.0, 1000.0]])
    a = tg.softmax(Value(z)).data
    assert np.all(np.isfinite(a)) and np.allclose(a.sum(axis=0), 1)
    np.testing.assert_allclose(a[:, 0], [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1)), 0.0], atol=1e-12)
    ls = tg.log_softmax(Value(z)).data
    assert np.all(np.isfinite(ls[:2, 0])) and ls[2, 0] == pytest.approx(-2000 + np.log(1 / (1 + np.exp(-1))), abs=1e-9)


def test_repeated_indices_sum_their_grads_and_empty_slices_give_zeros():
    x = Value(np.arange(4.0))
    x[np.array([1, 1, 3])].sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 2.0, 0.0, 1.0])
    y = Value(np.arange(4.0))
    empty = y[2:2]
    assert empty.shape == (0,)
    empty.sum().backward()
    np.testing.assert_array_equal(y.grad, np.zeros(4))


def test_abs_and_clip_at_their_kinks():
    assert tg.grad(lambda v: abs(v))(0.0) == 0.0  # sign(0) = 0, as PyTorch
    assert tg.grad(lambda v: v.clip(-1.0, 1.0))(1.0) == 1.0  # the edge belongs inside
    assert tg.grad(lambda v: v.clip(-1.0, 1.0))(1.5) == 0.0
    assert tg.grad(lambda v: v.clip(lo=0.0))(-2.0) == 0.0


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda x: x[10], "index"),
        (lambda x: x[1.5], "index"),
        (lambda x: x["a"], "index"),
        (lambda x: x[np.array([True, False, True])], "index"),
        (lambda x: x.max(axis=3), "axis"),
        (lambda x: Value(np.zeros((0, 2))).max(), "empty"),
        (lambda x: tg.softmax(x, axis=2), "axis"),
        (lambda x: tg.concatenate([x, Value(np.ones((3, 3)))], axis=1), "concatenate"),
        (lambda x: tg.concatenate(x), "list"),
        (lambda x: tg.stack([x, Value(np.ones((3, 3)))]), "stack"),
        (lambda x: tg.stack([x], axis=5), "axis"),
        (lambda x: x.clip(), "lo or hi"),
        (lambda x: Value(2.0)[0], "index"),
    ],
)
def test_bad_input_is_a_clear_error(call, words):
    with pytest.raises((TypeError, ValueError), match=words):
        call(Value(np.ones((2, 3))))
