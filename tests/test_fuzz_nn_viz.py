"""Fuzz nn's and viz's public functions with wrong types, shapes, NaN/inf, empty arrays and hostile
strings: a result, or a clear TypeError/ValueError (FileNotFoundError, also a ValueError here, for a
missing file) — never an AttributeError, IndexError, KeyError or ZeroDivisionError from inside."""

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import nn
import viz
from tinygrad_cn import Value

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.lists(st.integers(-3, 5), max_size=4),
    st.just(np.array([])),
    st.just(np.zeros((2, 0))),
    arrays(
        st.sampled_from([np.float64, np.int64, np.bool_, np.complex128, "U2"]),
        array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
        elements=None,
    ),
    arrays(
        np.float64,
        st.sampled_from([(2, 5), (1, 5), (5, 2), (2,), (3, 5)]),
        elements=st.floats(allow_nan=True, allow_infinity=True),
    ),
    st.just(Value(np.ones((2, 5)))),
    st.just(object()),
    st.just("\x00<script>\ud800"),
)


def attempt(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (TypeError, ValueError) as e:
        assert str(e), f"{type(e).__name__} without a message from {fn}"
        return e


@FUZZ
@given(junk, junk)
def test_models_and_their_methods(x, y):
    for make in (
        lambda: nn.TwoLayerNet(2, 3, 1, seed=1),
        lambda: nn.LogisticRegression(2),
        lambda: nn.DeepNet([2, 3, 1], seed=1),
    ):
        model = make()
        attempt(model, x)
        attempt(model.cost, x, y)
        attempt(model.predict, x)
        attempt(model.accuracy, x, y)
        attempt(model.fit, x, y, 2, 0.1)
        attempt(model.fit, np.ones((2, 5)), (np.arange(5) % 2)[None, :].astype(float), x, 0.1)
        attempt(model.fit, np.ones((2, 5)), (np.arange(5) % 2)[None, :].astype(float), 2, x)
        attempt(model.load_state_dict, x)
    attempt(nn.TwoLayerNet, x, 3, 1)
    attempt(nn.DeepNet, x)
    attempt(nn.LogisticRegression, x)


@FUZZ
@given(junk, junk)
def test_losses_layers_init_optimizers_datasets(x, y):
    attempt(nn.binary_cross_entropy, x, y)
    attempt(nn.binary_cross_entropy_with_logits, x, y)
    attempt(nn.binary_cross_entropy, Value(np.full((1, 5), 0.5)), x)
    attempt(nn.initialize, x)
    attempt(nn.initialize, [2, 3], x)
    attempt(nn.Linear(2, 3), x)
    attempt(nn.Activation, x)
    attempt(nn.GradientDescent, x, y)
    attempt(nn.Adam, x, 0.1)
    attempt(nn.Momentum, nn.TwoLayerNet(2, 2, 1).parameters(), x)
    for make in (nn.datasets.planar_flower, nn.datasets.moons, nn.datasets.noisy_circles, nn.datasets.blobs):
        attempt(make, x)
    attempt(nn.scalar_two_layer, nn.TwoLayerNet(2, 2, 1), x, y)


@FUZZ
@given(junk, st.text(max_size=20))
def test_files_with_hostile_names_and_contents(x, name):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        model = nn.TwoLayerNet(2, 2, 1, seed=1)
        target = os.path.join(folder, name)
        attempt(model.save, target)
        attempt(model.load, target)
        attempt(model.load, x if isinstance(x, str) else os.path.join(folder, "none.npz"))
        with open(os.path.join(folder, "junk.npz"), "wb") as f:
            f.write(str(x).encode("utf-8", "replace"))
        attempt(model.load, os.path.join(folder, "junk.npz"))


@FUZZ
@given(junk, junk)
def test_viz_functions(x, y):
    J = (Value(2.0, label="a") * 3).tanh()
    J.backward()
    for call in (viz.draw, viz.to_svg, viz.backprop_steps):
        attempt(call, x)
    attempt(viz.draw, J, lang=x)
    attempt(viz.draw, J, collapse=x)
    attempt(viz.draw, J, max_nodes=x) if not isinstance(x, (int, float)) or isinstance(x, bool) else None
    attempt(viz.side_by_side, x)
    attempt(viz.side_by_side, [J, J], x)
    attempt(viz.render_bytes, x)
    attempt(viz.render_bytes, "digraph { a -> b }", x)
