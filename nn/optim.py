"""Optimizers: gradient descent, momentum and Adam, as in the course (course 2, week 2)."""
import numpy as np


class Optimizer:
    def __init__(self, params, learning_rate):
        self.params = list(params)
        self.learning_rate = learning_rate

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

    def step(self):
        for p in self.params:
            p.data = p.data - self.learning_rate * p.grad


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
