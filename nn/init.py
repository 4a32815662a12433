"""Initialization as the course does it (seed §3.11; week 4)."""

import numpy as np

from tinygrad_cn.messages import bilingual

SCALES = {
    "zeros": lambda n_prev: 0.0,  # course 2: every hidden unit the same, forever
    "random": lambda n_prev: 10.0,  # course 2: np.random.randn(...) * 10, "too large"
    "small": lambda n_prev: 0.01,  # np.random.randn(...) * 0.01
    "he": lambda n_prev: np.sqrt(2.0 / n_prev),  # for relu layers
    "xavier": lambda n_prev: np.sqrt(1.0 / n_prev),  # for tanh layers
}


def initialize(layer_dims, init="small", seed=None):
    """{"W1", "b1", ..., "WL", "bL"} for layer_dims = [n_x, n[1], ..., n[L]].

    With `seed`, draws from a private np.random.RandomState(seed), layer by layer
    W[l] = randn(n[l], n[l-1]) * scale, b[l] = zeros((n[l], 1)): the exact numbers of the
    course's assignments (which call np.random.seed(seed) first), without touching numpy's
    global random state. Without a seed, numpy's global generator draws them.
    """
    if init not in SCALES:
        raise ValueError(
            bilingual(
                f"未知的初始化 {init!r}，可选 {sorted(SCALES)}", f"unknown init {init!r}; choose from {sorted(SCALES)}"
            )
        )
    rng = np.random if seed is None else np.random.RandomState(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        params[f"W{l}"] = rng.randn(n, n_prev) * SCALES[init](n_prev)
        params[f"b{l}"] = np.zeros((n, 1))
    return params
