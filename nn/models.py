"""The course's models: logistic regression, the two-layer network, the L-layer network.

All three are one feed-forward stack `Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l])`
with a sigmoid output, a mean binary cross-entropy cost and full-batch training.
"""
import sys

import numpy as np

from tinygrad_cn import Value, name_scope, no_grad
from tinygrad_cn.replay import Replay
from tinygrad_cn.value import data_of
from tinygrad_cn.messages import bilingual

from .init import initialize
from .layers import activation, as_input, linear
from .losses import binary_cross_entropy_with_logits
from .module import Module
from .optim import GradientDescent


class FeedForward(Module):
    """Layers 1..L, parameters W1, b1, ..., WL, bL as attributes; `hidden` on 1..L-1, sigmoid on L."""

    def __init__(self, layer_dims, hidden="relu", init="small", seed=None):
        if len(layer_dims) < 2 or any(int(n) != n or n < 1 for n in layer_dims):
            raise ValueError(bilingual(f"layer_dims 应为正整数列表 [n_x, n[1], ..., n[L]]，收到 {layer_dims}",
                                       f"layer_dims must be positive integers [n_x, n[1], ..., n[L]], got {layer_dims}"))
        self.layer_dims = list(layer_dims)
        self.L = len(layer_dims) - 1
        self.hidden = hidden
        self.activations = [activation(hidden)] * (self.L - 1) + [activation("sigmoid")]
        for name, data in initialize(layer_dims, init, seed).items():
            setattr(self, name, Value(data, label=name))

    def logits(self, X):
        """Z[L], the output layer before its sigmoid."""
        A = as_input(X)
        for l, g in enumerate(self.activations[:-1], start=1):
            with name_scope(f"layer {l}"):
                A = g(linear(getattr(self, f"W{l}"), getattr(self, f"b{l}"), A, l))
                A.label = f"A{l}"
        with name_scope(f"layer {self.L}"):
            return linear(getattr(self, f"W{self.L}"), getattr(self, f"b{self.L}"), A, self.L)

    def forward(self, X):
        """A[L] = σ(Z[L]), the probabilities, (n[L], m)."""
        Z = self.logits(X)
        with name_scope(f"layer {self.L}"):
            A = Z.sigmoid()
        A.label = f"A{self.L}"
        return A

    def cost(self, X, Y):
        """J = −(1/m) Σ (Y log A[L] + (1 − Y) log(1 − A[L])), computed from Z[L]: the same
        number, never log 0, and its backward is the course's dZ[L] = A[L] − Y."""
        Z = self.logits(X)
        with name_scope("cost"):
            return binary_cross_entropy_with_logits(Z, as_input(Y, "Y"))

    @no_grad()
    def predict(self, X):
        """0/1 at a threshold of 0.5."""
        return (self(X).data > 0.5).astype(np.int64)

    def accuracy(self, X, Y):
        """Percent of examples predicted right."""
        Y = np.asarray(data_of(Y))
        predictions = self.predict(X)
        if predictions.shape != Y.shape:  # (1, m) against (m, 1) would broadcast into nonsense
            raise ValueError(bilingual(f"Y 应为 {predictions.shape}，收到 {Y.shape}",
                                       f"Y must be {predictions.shape}, got {Y.shape}"))
        return float(np.mean(predictions == Y) * 100)

    def fit(self, X, Y, num_iterations, learning_rate, print_cost=False, optimizer=None):
        """Full-batch training as the course does it; costs[i] is the cost at iteration i
        before that iteration's update."""
        X, Y = as_input(X), as_input(Y, "Y")
        opt = optimizer or GradientDescent(self.parameters(), learning_rate)
        progress = print_cost and num_iterations >= 2000 and sys.stderr.isatty()
        costs = []
        J = self.cost(X, Y)
        graph = Replay(J)  # the same graph every iteration: build it once, re-run it after
        for i in range(num_iterations):
            if i:
                graph.forward()
            graph.backward()  # fresh grads for every node of the graph: no zero_grad needed
            opt.step()
            costs.append(J.data)
            if print_cost and i % 1000 == 0:
                print(f"Cost after iteration {i}: {J.data:f}")
            if progress and i % max(1, num_iterations // 100) == 0:
                print(f"\r  训练中 / training {100 * i // num_iterations:3d}%", end="", file=sys.stderr)
        if progress:
            print("\r" + " " * 30 + "\r", end="", file=sys.stderr)
        return costs


class LogisticRegression(FeedForward):
    """A = σ(wᵀX + b) with w (n_x, 1) and b (1, 1), both starting at zero as in the course."""

    def __init__(self, n_x):
        self.layer_dims, self.L, self.hidden = [n_x, 1], 1, None
        self.activations = [activation("sigmoid")]
        self.w = Value(np.zeros((n_x, 1)), label="w")
        self.b = Value(np.zeros((1, 1)), label="b")

    def logits(self, X):
        with name_scope("layer 1"):
            X = as_input(X)
            if X.ndim != 2 or X.shape[0] != self.w.shape[0]:
                raise ValueError(bilingual(f"w 是 {self.w.shape} 但 X 是 {X.shape}：X 应为 (n_x, m)",
                                           f"w is {self.w.shape} but X is {X.shape}: X must be (n_x, m)"))
            Z = self.w.T @ X + self.b
            Z.label = "Z1"
        return Z


class TwoLayerNet(FeedForward):
    """The week-3 network: W1 (n_h, n_x), b1, W2 (n_y, n_h), b2; tanh hidden layer by default."""

    def __init__(self, n_x, n_h, n_y, hidden="tanh", init="small", seed=None):
        super().__init__([n_x, n_h, n_y], hidden, init, seed)


class DeepNet(FeedForward):
    """The week-4 L-layer network: layer_dims = [n_x, n[1], ..., n[L]]."""
