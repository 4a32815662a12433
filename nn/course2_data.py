"""The 2-D data sets of course 2's assignments, made with numpy alone (no scikit-learn at run
time). circles and moons follow scikit-learn's make_circles and make_moons step by step with a
private RandomState(seed), which is what the course's np.random.seed(seed) before them gives;
football is a data set like the assignment's goalkeeper data (that one is a file we do not ship).
Each returns (X, Y): X (2, m), Y (1, m) of 0s and 1s."""

import numbers

import numpy as np

from tinygrad_cn.messages import bilingual


def _m(m, name):
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 2:
        raise ValueError(
            bilingual(f"{name}: m 必须是整数 ≥ 2，收到 {m!r}", f"{name}: m must be an integer ≥ 2, got {m!r}")
        )
    return int(m)


def _finish(rng, X, y, noise):
    """scikit-learn's last two steps: shuffle the examples, then add Gaussian noise."""
    order = np.arange(len(y))
    rng.shuffle(order)
    X, y = X[order], y[order]
    X = X + rng.normal(scale=noise, size=X.shape)
    return X.T.astype(np.float64), y.reshape(1, -1).astype(np.float64)


def circles(m=300, noise=0.05, factor=0.8, seed=1):
    """Two circles, the inner one (label 1) `factor` times the outer: the initialization assignment's
    data (train: m = 300, seed 1; test: m = 100, seed 2)."""
    m = _m(m, "circles")
    rng = np.random.RandomState(seed)
    n_out = m // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, m - n_out, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), np.cos(t_in) * factor), np.append(np.sin(t_out), np.sin(t_in) * factor)]).T
    return _finish(rng, X, np.hstack([np.zeros(n_out), np.ones(m - n_out)]), noise)


def moons(m=300, noise=0.2, seed=3):
    """Two interleaving half circles: the optimization assignment's data (m = 300, seed 3)."""
    m = _m(m, "moons")
    rng = np.random.RandomState(seed)
    n_out = m // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, m - n_out)
    X = np.vstack([np.append(np.cos(t_out), 1 - np.cos(t_in)), np.append(np.sin(t_out), 1 - np.sin(t_in) - 0.5)]).T
    return _finish(rng, X, np.hstack([np.zeros(n_out), np.ones(m - n_out)]), noise)


def football(m=211, seed=0, islands=5, radius=0.08):
    """Where the goalkeeper's kicks landed (2-D), 1 where the French players headed the ball, 0
    where the other team did, split by a wavy line; in `islands` small patches of the training
    field the labels are the other team's (what an unregularized network learns by heart and a
    regularized one does not). The assignment's split: train = football(211, seed=0), test =
    football(200, seed=1, islands=0)."""
    m = _m(m, "football")
    rng = np.random.RandomState(seed)
    X = np.c_[rng.uniform(-0.75, 0.6, m), rng.uniform(-0.75, 0.6, m)]
    y = (X[:, 1] > 0.15 * np.sin(4 * X[:, 0]) - 0.3 * X[:, 0] - 0.05).astype(float)
    for cx, cy in np.random.RandomState(100).uniform(-0.6, 0.5, (islands, 2)):  # the same patches every time
        near = np.hypot(X[:, 0] - cx, X[:, 1] - cy) < radius
        y[near] = 1 - y[near]
    return X.T.copy(), y.reshape(1, -1)
