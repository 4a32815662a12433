"""Mini-batches as the course makes them (course 2, week 2)."""

import math
import numbers

import numpy as np

from tinygrad_cn.messages import bilingual


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """[(X_t, Y_t), ...]: the columns shuffled by RandomState(seed).permutation(m) (the very
    permutation of the course's np.random.seed(seed); np.random.permutation(m)), then full batches
    in order, then the smaller last one. numpy's global random state is left alone."""
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1] or X.shape[1] == 0:
        raise ValueError(
            bilingual(
                "random_mini_batches: X 应为 (n_x, m)，Y 应为 (n_y, m)，m ≥ 1",
                f"random_mini_batches: X must be (n_x, m) and Y (n_y, m) with m ≥ 1, got {X.shape} and {Y.shape}",
            )
        )
    if isinstance(mini_batch_size, bool) or not isinstance(mini_batch_size, numbers.Integral) or mini_batch_size < 1:
        raise ValueError(
            bilingual(
                f"mini_batch_size 必须是正整数，收到 {mini_batch_size!r}",
                f"mini_batch_size must be a positive integer, got {mini_batch_size!r}",
            )
        )
    m = X.shape[1]
    permutation = list(np.random.RandomState(seed).permutation(m))
    X, Y = X[:, permutation], Y[:, permutation]
    full = math.floor(m / mini_batch_size)
    batches = [
        (X[:, k * mini_batch_size : (k + 1) * mini_batch_size], Y[:, k * mini_batch_size : (k + 1) * mini_batch_size])
        for k in range(full)
    ]
    if m % mini_batch_size:
        batches.append((X[:, full * mini_batch_size :], Y[:, full * mini_batch_size :]))
    return batches
