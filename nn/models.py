"""The course's models: logistic regression, the two-layer network, the L-layer network.

All three are one feed-forward stack `Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l])`
with a sigmoid output, a mean binary cross-entropy cost and full-batch training.
"""
import sys

import numpy as np

import numbers

from tinygrad_cn import gradcheck_parameters, name_scope, no_grad
from tinygrad_cn.replay import Replay
from tinygrad_cn.value import data_of
from tinygrad_cn.messages import bilingual

from .init import initialize
from .layers import Activation, Linear, Sequential, as_input
from .losses import binary_cross_entropy_with_logits
from .optim import GradientDescent


class FeedForward(Sequential):
    """Layers 1..L, each a `Linear` step and its activation: `hidden` on 1..L-1, sigmoid on L.
    Parameters W1, b1, ..., WL, bL in the course's order (read them as model.W1)."""

    def __init__(self, layer_dims, hidden="relu", init="small", seed=None):
        if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2 or \
                not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1 for n in layer_dims):
            raise ValueError(bilingual(f"layer_dims 应为正整数列表 [n_x, n[1], ..., n[L]]，收到 {layer_dims!r:.80}",
                                       f"layer_dims must be positive integers [n_x, n[1], ..., n[L]], "
                                       f"got {layer_dims!r:.80}"))
        self.layer_dims, self.L, self.hidden = [int(n) for n in layer_dims], len(layer_dims) - 1, hidden
        params = initialize(self.layer_dims, init, seed)  # drawn layer by layer, as the course draws them
        modules = []
        for l in range(1, self.L + 1):
            layer = Linear(self.layer_dims[l - 1], self.layer_dims[l], layer=l, W=params[f"W{l}"])
            modules += [layer, Activation(hidden if l < self.L else "sigmoid")]
        super().__init__(*modules)

    def __getattr__(self, name):  # model.W1, model.b2: the course's names for the parameters
        if name != "modules" and "modules" in vars(self):
            found = dict(self.named_parameters()).get(name)
            if found is not None:
                return found
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def logits(self, X):
        """Z[L], the output layer before its sigmoid."""
        return super().forward(as_input(X), upto=-1)

    def forward(self, X):
        """A[L] = σ(Z[L]), the probabilities, (n[L], m)."""
        return super().forward(as_input(X))

    def cost(self, X, Y):
        """J = −(1/m) Σ (Y log A[L] + (1 − Y) log(1 − A[L])), computed from Z[L]: the same
        number, never log 0, and its backward is the course's dZ[L] = A[L] − Y."""
        Z = self.logits(X)
        with name_scope("cost"):
            return binary_cross_entropy_with_logits(Z, as_input(Y, "Y"))

    def gradient_check(self, X, Y, eps=1e-7):
        """The course's gradient check of this model on (X, Y): every parameter, in the course's
        order, nudged by ±ε; the report prints the difference, its verdict and what is off."""
        return gradcheck_parameters(lambda: self.cost(X, Y), self.named_parameters(), eps=eps)

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
        if X.ndim != 2 or X.shape[1] == 0:
            raise ValueError(bilingual(f"fit: X 应为 (n_x, m) 且 m ≥ 1，收到 {X.shape}",
                                       f"fit: X must be (n_x, m) with m ≥ 1 examples, got {X.shape}"))
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
        super().__init__([n_x, 1], init="zeros")
        self.modules[0] = Linear(n_x, 1, init="zeros", column=True)


class TwoLayerNet(FeedForward):
    """The week-3 network: W1 (n_h, n_x), b1, W2 (n_y, n_h), b2; tanh hidden layer by default."""

    def __init__(self, n_x, n_h, n_y, hidden="tanh", init="small", seed=None):
        super().__init__([n_x, n_h, n_y], hidden, init, seed)


class DeepNet(FeedForward):
    """The week-4 L-layer network: layer_dims = [n_x, n[1], ..., n[L]]."""
