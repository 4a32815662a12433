"""Plots where people would rather look than read, after the course's figures: the cost curve of
a fit and the decision boundary of any model with `predict`. matplotlib comes from the `plot`
extra (pip install -e '.[plot]'); viz itself does not need it."""

import numpy as np

from tinygrad_cn.messages import bilingual

from . import fonts


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            bilingual(
                "画图需要 matplotlib：pip install -e '.[plot]'", "plots need matplotlib: pip install -e '.[plot]'"
            )
        ) from None
    return plt


def _words():
    """Text properties for a plot's words: the bundled Noto Sans SC (viz/fonts.py), so Chinese
    shows on any machine, then matplotlib's own DejaVu Sans for a glyph it lacks (x₁)."""
    from matplotlib import font_manager

    path = fonts.font_file()
    if all(f.fname != path for f in font_manager.fontManager.ttflist):  # matplotlib's registry, once
        font_manager.fontManager.addfont(path)
    return {"fontfamily": [fonts.FAMILY, "DejaVu Sans"]}


def plot_costs(costs, every=1, learning_rate=None, ax=None):
    """The cost against iterations (or epochs), as the course plots it; returns the Axes."""
    costs = np.asarray(costs, dtype=np.float64)
    if costs.ndim != 1 or costs.size == 0:
        raise ValueError(
            bilingual(
                "plot_costs: 需要一串代价（fit 的返回值）", "plot_costs: needs a list of costs (what fit returns)"
            )
        )
    plt = _pyplot()
    ax = ax or plt.figure(figsize=(5, 3.5), layout="constrained").gca()
    ax.plot(np.arange(costs.size) * every, costs)
    words = _words()
    ax.set_xlabel(bilingual("迭代次数", "iterations"), **words)
    ax.set_ylabel(bilingual("代价 J", "cost J"), **words)
    if learning_rate is not None:
        ax.set_title(f"学习率 learning rate α = {learning_rate:g}", **words)
    return ax


def boundary_grid(model, X, steps=200, margin=1.0):
    """(x0, x1, predictions) on a grid covering X (2, m) with `margin` around it."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] == 0:
        raise ValueError(
            bilingual("决策边界只能画二维数据 X (2, m)", f"a decision boundary needs 2-D data X (2, m), got {X.shape}")
        )
    if not hasattr(model, "predict"):
        raise TypeError(bilingual("模型需要有 predict(X)", "the model needs a predict(X) method"))
    x0, x1 = np.meshgrid(
        np.linspace(X[0].min() - margin, X[0].max() + margin, steps),
        np.linspace(X[1].min() - margin, X[1].max() + margin, steps),
    )
    predictions = np.asarray(model.predict(np.c_[x0.ravel(), x1.ravel()].T)).reshape(x0.shape)
    return x0, x1, predictions


def plot_decision_boundary(model, X, Y, ax=None, steps=200, title=None):
    """The regions the model predicts, with the examples on top (the course's plot_decision_boundary)."""
    plt = _pyplot()
    x0, x1, predictions = boundary_grid(model, X, steps)
    ax = ax or plt.figure(figsize=(5, 4), layout="constrained").gca()
    ax.contourf(x0, x1, predictions, cmap=plt.cm.Spectral, alpha=0.6)
    ax.scatter(
        np.asarray(X)[0],
        np.asarray(X)[1],
        c=np.asarray(Y).reshape(-1),
        s=12,
        cmap=plt.cm.Spectral,
        edgecolors="k",
        linewidths=0.3,
    )
    words = _words()
    ax.set_xlabel("x₁", **words)
    ax.set_ylabel("x₂", **words)
    if title:
        ax.set_title(title, **words)
    return ax
