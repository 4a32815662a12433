"""Small data sets made with numpy alone (no scikit-learn); examples as columns:
each returns (X, Y) with X of shape (n_x, m) and Y of shape (1, m) holding 0/1.
Randomness is private (a generator of its own per call): numpy's global state is untouched."""

import numbers

import numpy as np

from tinygrad_cn.messages import bilingual


def _check_m(m, name, even=False):
    if isinstance(m, bool) or not isinstance(m, numbers.Integral) or m < 2 or (even and m % 2):
        need = "正偶数 ≥ 2" if even else "整数 ≥ 2"
        raise ValueError(
            bilingual(
                f"{name}: m 必须是{need}，收到 {m!r}",
                f"{name}: m must be {'an even' if even else 'an'} integer ≥ 2, got {m!r}"
                + (" (two classes of m/2 points each)" if even else ""),
            )
        )
    return int(m)


def planar_flower(m=400, seed=1):
    """The course's week-3 "flower": X (2, m), Y (1, m), the very numbers of the assignment
    (which calls np.random.seed(1) and then np.random.randn: RandomState(1) draws the same)."""
    m = _check_m(m, "planar_flower", even=True)
    rng = np.random.RandomState(seed)
    N = m // 2  # points per class
    D = 2  # dimensionality
    a = 4  # maximum ray of the flower
    X = np.zeros((m, D))
    Y = np.zeros((m, 1))
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def _columns(X, y):
    return X.T.astype(np.float64), y.reshape(1, -1).astype(np.float64)


def noisy_circles(m=400, noise=0.1, factor=0.5, seed=0):
    """Two concentric circles: label 1 inside."""
    m = _check_m(m, "noisy_circles")
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(float)
    t = rng.uniform(0, 2 * np.pi, m)
    r = np.where(y == 1, factor, 1.0)
    X = np.c_[r * np.cos(t), r * np.sin(t)] + rng.normal(0, noise, (m, 2))
    return _columns(X, y)


def moons(m=400, noise=0.1, seed=0):
    """Two interleaving half circles."""
    m = _check_m(m, "moons")
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(float)
    t = rng.uniform(0, np.pi, m)
    X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return _columns(X + rng.normal(0, noise, (m, 2)), y)


def blobs(m=400, n_x=2, spread=1.0, seed=0):
    """Two Gaussian blobs in n_x dimensions, centres ±1.5 on every axis."""
    m = _check_m(m, "blobs")
    rng = np.random.default_rng(seed)
    y = (np.arange(m) % 2).astype(float)
    centres = np.where(y[:, None] == 1, 1.5, -1.5) * np.ones((m, n_x))
    return _columns(centres + rng.normal(0, spread, (m, n_x)), y)
