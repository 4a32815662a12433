"""Inverted dropout (course 2, week 1): in training, each unit kept with probability keep_prob,
the kept ones divided by keep_prob so the expected value stays; in evaluation, nothing dropped."""

import numbers

import numpy as np

from tinygrad_cn import Function
from tinygrad_cn.messages import bilingual

from .module import Module


class DropoutOp(Function, name="dropout", symbol="dropout"):
    """A = A ⊙ D / keep_prob with D = (rand < keep_prob): a random forward (check_graph says so)."""

    @staticmethod
    def forward(ctx, A, keep_prob=1.0, rng=None):
        ctx.D = (rng.rand(*np.shape(A)) < keep_prob) / keep_prob  # the course's np.random.rand(...) < keep_prob
        return A * ctx.D

    @staticmethod
    def backward(ctx, g):
        return g * ctx.D  # dA = dA ⊙ D / keep_prob


class Dropout(Module):
    """nn.Dropout(keep_prob): masks drawn from a RandomState(seed) of its own, anew at every forward."""

    def __init__(self, keep_prob, seed=None):
        if isinstance(keep_prob, bool) or not isinstance(keep_prob, numbers.Real) or not 0 < keep_prob <= 1:
            raise ValueError(
                bilingual(
                    f"keep_prob 必须在 (0, 1] 之内，收到 {keep_prob!r}",
                    f"keep_prob must lie in (0, 1], got {keep_prob!r}",
                )
            )
        self.keep_prob, self.rng = float(keep_prob), np.random.RandomState(seed)

    def extra_repr(self, names=None):
        return f"keep_prob={self.keep_prob:g}"

    def named_parameters(self):
        return iter(())

    def forward(self, A):
        if not self.training or self.keep_prob == 1.0:
            return A
        return DropoutOp.apply(A, keep_prob=self.keep_prob, rng=self.rng)
