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
            raise TypeError(bilingual(f"{name}: params 必须是参数 Value 的列表（model.parameters()）",
                                      f"{name}: params must be a list of parameter Values (model.parameters()), "
                                      f"got {type(params).__name__}"))
        self.params = list(params)
        if not all(isinstance(p, Value) and p.requires_grad for p in self.params):
            raise TypeError(bilingual(f"{name}: params 中每一项都必须是需要梯度的 Value",
                                      f"{name}: every item of params must be a Value that requires grad"))
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) \
                or not math.isfinite(learning_rate) or learning_rate <= 0:
            raise ValueError(bilingual(f"{name}: 学习率 α 必须是正的有限实数，收到 {learning_rate!r}",
                                       f"{name}: the learning rate α must be a positive finite number, "
                                       f"got {learning_rate!r}"))
        self.learning_rate = float(learning_rate)

    def zero_grad(self):
        for p in self.params:
            p.zero_grad()

    def step(self):
        for i, p in enumerate(self.params):
            p.data = p.data - self.learning_rate * self.direction(i, p.grad)

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


class Adam(Optimizer):
    """v := β₁v + (1−β₁)dθ; s := β₂s + (1−β₂)dθ²; θ := θ − α v̂ / (√ŝ + ε), with bias correction."""

    def __init__(self, params, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(params, learning_rate)
        self.beta1, self.beta2, self.eps, self.t = beta1, beta2, eps, 0
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        self.t += 1
        super().step()

    def direction(self, i, grad):
        self.v[i] = self.beta1 * self.v[i] + (1 - self.beta1) * grad
        self.s[i] = self.beta2 * self.s[i] + (1 - self.beta2) * grad * grad
        v_hat = self.v[i] / (1 - self.beta1 ** self.t)
        s_hat = self.s[i] / (1 - self.beta2 ** self.t)
        return v_hat / (np.sqrt(s_hat) + self.eps)
