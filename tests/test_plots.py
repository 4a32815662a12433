"""viz.plots: the cost curve and the decision boundary, drawn with matplotlib (Agg)."""

import matplotlib
import numpy as np
import pytest

import nn
from viz.plots import boundary_grid, plot_costs, plot_decision_boundary

matplotlib.use("Agg")


def test_the_cost_curve_is_the_costs():
    costs = [0.69, 0.5, 0.3, 0.25]
    ax = plot_costs(costs, every=100, learning_rate=1.2)
    x, y = ax.lines[0].get_data()
    assert list(x) == [0, 100, 200, 300] and list(y) == costs and "1.2" in ax.get_title()
    with pytest.raises(ValueError, match="costs"):
        plot_costs([])


def test_the_boundary_is_what_the_model_predicts():
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    model.fit(X, Y, 300, 1.2)
    x0, x1, predictions = boundary_grid(model, X, steps=40)
    np.testing.assert_array_equal(predictions.ravel(), model.predict(np.c_[x0.ravel(), x1.ravel()].T).ravel())
    assert set(np.unique(predictions)) <= {0, 1}
    ax = plot_decision_boundary(model, X, Y, steps=40, title="n_h = 4")
    assert ax.get_title() == "n_h = 4" and len(ax.collections) >= 2
    with pytest.raises(ValueError, match="2-D"):
        boundary_grid(model, np.ones((3, 5)))
    with pytest.raises(TypeError, match="predict"):
        boundary_grid(object(), X)
