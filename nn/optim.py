"""Optimizers: gradient descent, momentum and Adam, as in the course (course 2, week 2).
Each says its update direction; `step` is θ := θ − α · direction for all of them."""

import math
import numbers

import numpy as np

from tinygrad_cn import Value
from tinygrad_cn.messages import bilingual


class Optimizer:
    def __init__(self, params, learning_rate):
        name = type(self).__name__
        if isinstance(params, (str, bytes, Value)) or not hasattr(params, "__iter__"):
            raise TypeError(
                bilingual(
                    f"{name}: params 必须是参数 Value 的列表（model.parameters()）",
                    f"{name}: params must be a list of parameter Values (model.parameters()), "
                    f"got {type(params).__name__}",
                )
            )
        self.params = list(params)
        if not all(isinstance(p, Value) and p.requires_grad for p in self.params):
            raise TypeError(
                bilingual(
                    f"{name}: params 中每一项都必须是需要梯度的 Value",
                    f"{name}: every item of params must be a Value that requires grad",
                )
            )
        if (
            isinstance(learning_rate, bool)
            or not isinstance(learning_rate, numbers.Real)
            or not math.isfinite(learning_rate)
            or learning_rate < 0  # 0 is allowed: steps that change nothing, to measure the cost as it trains
        ):
            raise ValueError(
                bilingual(
                    f"{name}: 学习率 α 必须是 ≥ 0 的有限实数，收到 {learning_rate!r}",
                    f"{name}: the learning rate α must be a finite number ≥ 0, got {learning_rate!r}",
                )
            )
        self.learning_rate = float(learning_rate)

    def zero_grad(self):
        for p in self.params:
            p.zero_grad()

    def step(self):
        lr, direction = self.learning_rate, self.direction
        for i, p in enumerate(self.params):
            p.data = p.data - lr * direction(i, p.grad)

    def direction(self, i, grad):
        raise NotImplementedError


class GradientDescent(Optimizer):
    """θ := θ − α dθ"""

    def direction(self, i, grad):
        return grad


class Momentum(Optimizer):
    """v := β v + (1 − β) dθ;  θ := θ − α v"""

    def __init__(self, params, learning_rate, beta=0.9):
        super().__init__(params, learning_rate)
        self.beta = beta
        self.v = [np.zeros_like(p.data) for p in self.params]

    def direction(self, i, grad):
        self.v[i] = self.beta * self.v[i] + (1 - self.beta) * grad
        return self.v[i]


class RMSprop(Optimizer):
    """s := β s + (1 − β) dθ²;  θ := θ − α dθ / (√s + ε)"""

    def __init__(self, params, learning_rate, beta=0.999, epsilon=1e-8):
        super().__init__(params, learning_rate)
        self.beta, self.epsilon = beta, epsilon
        self.s = [np.zeros_like(p.data) for p in self.params]

    def direction(self, i, grad):
        self.s[i] = self.beta * self.s[i] + (1 - self.beta) * grad * grad
        return grad / (np.sqrt(self.s[i]) + self.epsilon)


class Adam(Optimizer):
    """v := β₁v + (1−β₁)dθ; s := β₂s + (1−β₂)dθ²; θ := θ − α v̂ / (√ŝ + ε), with bias correction
    v̂ = v / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ), t counting updates (one per mini-batch)."""

    def __init__(self, params, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
        super().__init__(params, learning_rate)
        self.beta1, self.beta2, self.eps, self.t = beta1, beta2, epsilon, 0
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        self.t += 1
        super().step()

    def direction(self, i, grad):
        self.v[i] = self.beta1 * self.v[i] + (1 - self.beta1) * grad
        self.s[i] = self.beta2 * self.s[i] + (1 - self.beta2) * grad * grad
        v_hat = self.v[i] / (1 - self.beta1**self.t)
        s_hat = self.s[i] / (1 - self.beta2**self.t)
        return v_hat / (np.sqrt(s_hat) + self.eps)


OPTIMIZERS = {"gd": GradientDescent, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam}


def make_optimizer(optimizer, params, learning_rate):
    """An optimizer by the course's name ("gd", "momentum", "rmsprop", "adam"), or the instance given."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            bilingual(
                f"未知的优化器 {optimizer!r}，可选 {sorted(OPTIMIZERS)} 或一个优化器对象",
                f"unknown optimizer {optimizer!r}; choose from {sorted(OPTIMIZERS)} or pass one",
            )
        )
    return OPTIMIZERS[optimizer](params, learning_rate)


def inverse_time_decay(decay_rate):
    """α = α₀ / (1 + decay_rate · epoch), for fit(decay=...)."""
    return lambda alpha0, epoch: alpha0 / (1 + decay_rate * epoch)


def scheduled_decay(decay_rate, time_interval=1000):
    """α = α₀ / (1 + decay_rate · ⌊epoch / time_interval⌋): the course's fixed-interval schedule."""
    return lambda alpha0, epoch: alpha0 / (1 + decay_rate * (epoch // time_interval))
