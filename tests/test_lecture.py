"""The lecture's numbers (seed 003 §2.5–2.8): J = 3(a + bc) and the derivative examples."""

import math

import pytest
from computation_graph import lecture_graph

import tinygrad_cn as tg
from tinygrad_cn import Value


def lecture():
    """The lecture's graph from its one builder (examples/computation_graph.py), as (J, v, u, a, b, c)."""
    J, v, a, u, b, c = lecture_graph()
    return J, v, u, a, b, c


def test_lecture_values_and_derivatives():
    J, v, u, a, b, c = lecture()
    assert (J.data, v.data, u.data) == (33.0, 11.0, 6.0)
    J.backward()
    assert J.grad == 1.0
    # every node keeps its grad, intermediate ones too: the lecture reads dv and du
    assert (v.grad, a.grad, u.grad, b.grad, c.grad) == (3.0, 3.0, 3.0, 6.0, 9.0)


def test_structure_of_lecture_graph():
    J, v, u, a, b, c = lecture()
    assert J.op == "*" and v.op == "+" and u.op == "*" and a.op == ""
    assert J.parents == (v,)  # the 3 is a constant of the op, not a node
    assert v.parents == (a, u) and u.parents == (b, c)


def test_grad_is_zero_before_backward_and_data_is_float():
    J, v, u, a, b, c = lecture()
    assert a.grad == 0.0 and type(a.data) is float and a.shape == ()


@pytest.mark.parametrize(
    "f, x, slope",
    [
        (lambda a: 3 * a, 2.0, 3.0),
        (lambda a: 3 * a, 5.0, 3.0),
        (lambda a: a**2, 2.0, 4.0),
        (lambda a: a**2, 5.0, 10.0),
        (lambda a: a**3, 2.0, 12.0),
        (lambda a: a.log(), 2.0, 0.5),
    ],
)
def test_seed_derivative_examples(f, x, slope):
    assert tg.grad(f)(x) == pytest.approx(slope, rel=1e-12)
    # nudging a by 0.001 moves f by about slope * 0.001 (the lecture's picture)
    nudge = f(Value(x + 0.001)).data - f(Value(x)).data
    assert nudge == pytest.approx(slope * 0.001, rel=2e-3)


def test_higher_order_cube():
    def f(a):
        return a**3

    assert tg.grad(f)(2.0) == 12.0
    assert tg.grad(tg.grad(f))(2.0) == 12.0
    assert tg.grad(tg.grad(tg.grad(f)))(2.0) == 6.0
    assert tg.grad(tg.grad(tg.grad(tg.grad(f))))(2.0) == 0.0


def test_higher_order_log_and_value_in_value_out():
    d2 = tg.grad(tg.grad(lambda a: a.log()))
    assert d2(2.0) == pytest.approx(-0.25)
    x = Value(2.0)
    g = tg.grad(lambda a: a**3)(x)
    assert isinstance(g, Value) and g.data == 12.0
    g.backward()  # d/dx (3x²) = 6x
    assert x.grad == 12.0


def test_create_graph_backward_gives_differentiable_grad():
    x = Value(3.0, label="x")
    y = x**2 * x.tanh()
    y.backward(create_graph=True)
    dx = x.grad
    assert isinstance(dx, Value)
    t = math.tanh(3.0)
    assert dx.data == pytest.approx(2 * 3 * t + 9 * (1 - t * t))
    x.zero_grad()
    dx.backward()
    expected = 2 * t + 2 * 3 * (1 - t * t) * 2 + 9 * (-2 * t * (1 - t * t))
    assert x.grad == pytest.approx(expected)
