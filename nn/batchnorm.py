"""Batch normalization (course 2, week 3): Z[l] normalized over the examples (axis 1), then
scaled and shifted by learned γ[l], β[l] (b[l] is then dropped: β takes its place):

    μ = (1/m) Σ Z,  σ² = (1/m) Σ (Z − μ)²,  Ẑ = (Z − μ) / √(σ² + ε),  Z̃ = γ Ẑ + β

In training the batch's μ, σ² are used and exponentially weighted running averages kept
(running := (1 − momentum) running + momentum · batch, the variance unbiased: PyTorch's
BatchNorm1d); in evaluation the running ones. Built from the engine's ops, so its backward is
the course's formula by the chain rule."""

import numbers

import numpy as np

from tinygrad_cn import Function, Value
from tinygrad_cn.messages import bilingual

from .module import Module


class RunningStats(Function, name="running_stats", symbol="μ, σ² →"):
    """Z as it is; its effect folds the batch's mean and (unbiased) variance into `norm`'s running
    ones. A node of the graph, so a replayed graph (fit) keeps them up to date at every iteration,
    and an effect, so checkers and pictures that re-run the forward never change them."""

    @staticmethod
    def forward(ctx, Z, norm=None):
        return Z

    @staticmethod
    def effect(Z, norm=None):
        norm.running_mean = (1 - norm.momentum) * norm.running_mean + norm.momentum * Z.mean(axis=1, keepdims=True)
        norm.running_var = (1 - norm.momentum) * norm.running_var + norm.momentum * Z.var(axis=1, ddof=1, keepdims=True)

    @staticmethod
    def backward(ctx, g):
        return g  # the identity: statistics are not differentiated


class BatchNorm(Module):
    output_name = "Z̃"  # Z̃[l], before the activation
    buffers = ("running_mean", "running_var")  # saved and loaded with γ, β: eval() needs them

    def __init__(self, n, eps=1e-5, momentum=0.1):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(
                bilingual(
                    f"BatchNorm: n 必须是正整数，收到 {n!r}", f"BatchNorm: n must be a positive integer, got {n!r}"
                )
            )
        self.n, self.eps, self.momentum = int(n), float(eps), float(momentum)
        self.gamma = Value(np.ones((n, 1)), label="gamma")
        self.beta = Value(np.zeros((n, 1)), label="beta")
        self.running_mean, self.running_var = np.zeros((n, 1)), np.ones((n, 1))

    def forward(self, Z):
        if not isinstance(Z, Value) or Z.ndim != 2 or Z.shape[0] != self.n:
            raise ValueError(
                bilingual(
                    f"BatchNorm: Z 应为 ({self.n}, m)",
                    f"BatchNorm: Z must be ({self.n}, m), got {getattr(Z, 'shape', type(Z).__name__)}",
                )
            )
        if self.training:
            m = Z.shape[1]
            if m < 2:
                raise ValueError(
                    bilingual(
                        "BatchNorm: 训练时一批至少要有 2 个样本",
                        "BatchNorm: a training batch needs at least 2 examples",
                    )
                )
            Z = RunningStats.apply(Z, norm=self)
            centered = Z - Z.mean(axis=1, keepdims=True)
            var = (centered * centered).mean(axis=1, keepdims=True)
            Zhat = centered / (var + self.eps).sqrt()
        else:
            Zhat = (Z - self.running_mean) * (1 / np.sqrt(self.running_var + self.eps))
        return self.gamma * Zhat + self.beta
