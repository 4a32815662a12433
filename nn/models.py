"""The course's models: logistic regression, the two-layer network, the L-layer network.

All three are one feed-forward stack `Z[l] = W[l] A[l-1] + b[l], A[l] = g[l](Z[l])`
with a sigmoid output, a mean binary cross-entropy cost and full-batch training.
"""

import math
import numbers
import sys

import numpy as np

from tinygrad_cn import Replay, Value, gradcheck_parameters, name_scope, no_grad
from tinygrad_cn.messages import bilingual
from tinygrad_cn.value import data_of

from .batchnorm import BatchNorm
from .dropout import Dropout
from .init import initialize
from .layers import Activation, Linear, Sequential, Softmax, as_input
from .losses import binary_cross_entropy_with_logits, check_labels, one_hot, softmax_cross_entropy
from .minibatch import random_mini_batches
from .optim import make_optimizer


class FeedForward(Sequential):
    """Layers 1..L, each a `Linear` step and its activation: `hidden` on 1..L-1; on L, sigmoid
    (output="sigmoid", labels 0/1) or softmax (output="softmax", C classes). Every hidden layer
    ends in a Dropout (keep_prob 1: nothing dropped, until fit(keep_prob=...) says otherwise);
    batch_norm=True normalizes each hidden Z[l] (nn.BatchNorm, with γ[l], β[l] instead of b[l]);
    column=True keeps layer 1's weights as the column vector w (n_x, 1) of logistic regression.
    Parameters W1, b1, ..., WL, bL in the course's order (read them as model.W1)."""

    def __init__(
        self, layer_dims, hidden="relu", init="small", seed=None, output="sigmoid", batch_norm=False, column=False
    ):
        if (
            not isinstance(layer_dims, (list, tuple))
            or len(layer_dims) < 2
            or not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1 for n in layer_dims)
        ):
            raise ValueError(
                bilingual(
                    f"layer_dims 应为正整数列表 [n_x, n[1], ..., n[L]]，收到 {layer_dims!r:.80}",
                    f"layer_dims must be positive integers [n_x, n[1], ..., n[L]], got {layer_dims!r:.80}",
                )
            )
        if output not in ("sigmoid", "softmax"):
            raise ValueError(
                bilingual(
                    f"output 只能是 'sigmoid' 或 'softmax'，收到 {output!r}",
                    f"output must be 'sigmoid' or 'softmax', got {output!r}",
                )
            )
        self.layer_dims, self.L, self.hidden = [int(n) for n in layer_dims], len(layer_dims) - 1, hidden
        self.output = output
        params = initialize(self.layer_dims, init, seed)  # drawn layer by layer, as the course draws them
        modules = []
        for l in range(1, self.L + 1):
            norm = batch_norm and l < self.L  # batch norm on the hidden layers: β[l] takes b[l]'s place
            modules.append(
                Linear(
                    self.layer_dims[l - 1],
                    self.layer_dims[l],
                    layer=l,
                    W=params[f"W{l}"],
                    bias=not norm,
                    column=column and l == 1,
                )
            )
            if norm:
                modules.append(BatchNorm(self.layer_dims[l]))
            if l < self.L:
                modules += [Activation(hidden), Dropout(1.0, seed=(seed or 0) + l)]
            elif output == "sigmoid":
                modules.append(Activation("sigmoid"))
            else:
                modules.append(Softmax())
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

    def cost(self, X, Y, lambd=0.0):
        """J from Z[L]: the mean cross-entropy (binary, or over C classes for a softmax output),
        plus (λ / 2m) Σ ‖W[l]‖²_F with lambd = λ (L2 regularization; b excluded). Taken from the
        logits, it is the same number, never log 0, and its backward gives ∂J/∂Z[L] = (A[L] − Y) / m: the course's
        dZ[L] = A[L] − Y divided by the m it averages over."""
        if not (type(lambd) in (float, int) and 0 <= lambd < math.inf):  # (0.0, the usual, is the fast path)
            self._check_lambd(lambd)
        X, Y = as_input(X), as_input(Y, "Y", scope="cost")
        Z = self.logits(X)
        with name_scope("cost"):
            J = softmax_cross_entropy(Z, Y) if self.output == "softmax" else binary_cross_entropy_with_logits(Z, Y)
            if lambd:
                m = Z.shape[1]
                J = J + sum((W * W).sum() for W in self.weights()) * (lambd / (2 * m))
                J.label = "J"
        return J

    @staticmethod
    def _check_lambd(lambd):
        if isinstance(lambd, bool) or not isinstance(lambd, numbers.Real):
            raise TypeError(
                bilingual(
                    f"cost: lambd 必须是实数，收到 {type(lambd).__name__}",
                    f"cost: lambd must be a real number, got {type(lambd).__name__}",
                )
            )
        if not np.isfinite(float(lambd)) or lambd < 0:
            raise ValueError(
                bilingual(
                    f"cost: L2 正则化系数 lambd 必须是非负有限实数，收到 {lambd!r:.40}",
                    f"cost: the L2 factor lambd must be a finite real number ≥ 0, got {lambd!r:.40}",
                )
            )

    def weights(self):
        """W[1], ..., W[L] (what L2 regularization penalizes)."""
        return [m.W for m in self.modules if isinstance(m, Linear)]

    def dropouts(self):
        return [m for m in self.modules if isinstance(m, Dropout)]

    def gradient_check(self, X, Y, eps=1e-7):
        """The course's gradient check of this model on (X, Y): every parameter, in the course's
        order, nudged by ±ε; the report prints the difference, its verdict and what is off."""
        return gradcheck_parameters(lambda: self.cost(X, Y), self.named_parameters(), eps=eps)

    def predict(self, X):
        """0/1 at a threshold of 0.5, or for a softmax output the class index (1, m); never drops."""
        was = self.training
        self.eval()
        try:
            with no_grad():
                A = self(X).data
        finally:
            self.train(was)
        if self.output == "softmax":
            return A.argmax(axis=0)[None, :]
        return (A > 0.5).astype(np.int64)

    def accuracy(self, X, Y):
        """Percent of examples predicted right (labels 0/1, integer classes, or one-hot)."""
        Y = np.asarray(data_of(Y))
        predictions = self.predict(X)
        if self.output == "softmax":
            Y = one_hot(Y, self.layer_dims[-1]).argmax(axis=0)[None, :]
        if predictions.shape != Y.shape:  # (1, m) against (m, 1) would broadcast into nonsense
            raise ValueError(
                bilingual(
                    f"Y 应为 {predictions.shape}，收到 {Y.shape}", f"Y must be {predictions.shape}, got {Y.shape}"
                )
            )
        return float(np.mean(predictions == Y) * 100)

    def fit(
        self,
        X,
        Y,
        num_iterations=None,
        learning_rate=0.0075,
        print_cost=False,
        optimizer="gd",
        *,
        num_epochs=None,
        mini_batch_size=None,
        seed=10,
        lambd=0.0,
        keep_prob=1.0,
        decay=None,
        progress=None,
    ):
        """Train as the course does. Full batch: num_iterations steps, costs[i] the cost at iteration i
        before its update. Mini-batches (course 2): num_epochs epochs of random_mini_batches(..., seed +
        e + 1) for epoch e, one cost per epoch (the per-example losses summed over the epoch, / m).
        optimizer: "gd" | "momentum" | "rmsprop" | "adam" or an instance; lambd: L2; keep_prob:
        inverted dropout on the hidden layers; decay(α₀, epoch) -> α, applied per epoch. progress=True
        shows a tqdm bar (a widget in Jupyter); by default only in an interactive terminal."""
        X, Y = as_input(X), as_input(Y, "Y")
        if X.ndim != 2 or X.shape[1] == 0:
            raise ValueError(
                bilingual(
                    f"fit: X 应为 (n_x, m) 且 m ≥ 1，收到 {X.shape}",
                    f"fit: X must be (n_x, m) with m ≥ 1 examples, got {X.shape}",
                )
            )
        if (num_iterations is None) == (num_epochs is None):
            raise ValueError(
                bilingual(
                    "fit: 给出 num_iterations（全批量）或 num_epochs（小批量）之一",
                    "fit: give num_iterations (full batch) or num_epochs (mini-batches), one of them",
                )
            )
        self._check_data(X, Y)
        opt = make_optimizer(optimizer, self.parameters(), learning_rate)
        for d in self.dropouts():
            d.__init__(keep_prob, seed=d.rng.randint(2**31) if keep_prob < 1 else None)
        self.train()
        try:
            if num_epochs is None:
                steps = self._bar(num_iterations, progress, bilingual("训练", "training"))
                return self._fit_full(X, Y, steps, opt, print_cost, lambd)
            steps = self._bar(num_epochs, progress, bilingual("训练（轮）", "training (epochs)"))
            return self._fit_epochs(
                X.data, Y.data, steps, mini_batch_size or X.shape[1], seed, opt, print_cost, lambd, decay
            )
        finally:
            for d in self.dropouts():
                d.keep_prob = 1.0  # dropout belongs to this training only

    def _check_data(self, X, Y):
        """Before any step: every number finite, and every label one the output can take (all of Y at
        once: a mini-batch's graph is re-run without looking at its labels again)."""
        for name, a in (("X", X.data), ("Y", Y.data)):
            a = np.asarray(a)
            if a.dtype.kind in "fc" and not np.all(np.isfinite(a)):
                where = tuple(int(i) for i in np.argwhere(~np.isfinite(a))[0])
                value = a[where]
                column = f"，即第 {where[-1] + 1} 个样本" if a.ndim == 2 else ""
                raise ValueError(
                    bilingual(
                        f"fit: {name} {a.shape} 含有 {value}，第一个在 {name}{list(where)}{column}；没有训练",
                        f"fit: {name} {a.shape} holds {value}, first at {name}{list(where)}"
                        + (f", example {where[-1] + 1} (column {where[-1]})" if a.ndim == 2 else "")
                        + ": nothing was trained",
                    )
                )
        y = np.asarray(Y.data)
        if self.output == "softmax":
            one_hot(y, self.layer_dims[-1])
        elif y.dtype.kind in "fiu" and np.count_nonzero(y * (1 - y)):
            where = tuple(int(i) for i in np.argwhere(y * (1 - y) != 0)[0])
            raise ValueError(
                bilingual(
                    f"fit: 标签 Y 只能是 0 或 1，{'Y' + str(list(where))} 是 {y[where]:g}；没有训练",
                    f"fit: labels Y must be 0 or 1, Y{list(where)} is {y[where]:g}: nothing was trained",
                )
            )
        else:
            check_labels("fit", y)

    @staticmethod
    def _bar(n, progress, desc):
        """range(n), shown as a tqdm progress bar when asked (or, by default, in a terminal)."""
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise ValueError(
                bilingual(
                    f"迭代次数必须是非负整数，收到 {n!r}",
                    f"the number of steps must be a non-negative integer, got {n!r}",
                )
            )
        show = sys.stderr.isatty() if progress is None else bool(progress)
        return _tqdm()(range(n), desc=desc, disable=not show, leave=False)

    def _fit_full(self, X, Y, steps, opt, print_cost, lambd):
        costs = []
        J = self.cost(X, Y, lambd)
        graph = Replay(J)  # the same graph every iteration: build it once, re-run it after
        for i in steps:
            if i:
                graph.forward_backward()  # the leaves checked once for both passes
            else:
                graph.backward()  # fresh grads for every node of the graph: no zero_grad needed
            opt.step()
            costs.append(J.data)
            if print_cost and i % 1000 == 0:
                steps.write(f"Cost after iteration {i}: {J.data:f}")
        return costs

    def _fit_epochs(self, X, Y, epochs, mini_batch_size, seed, opt, print_cost, lambd, decay):
        m, alpha0, graphs, costs = X.shape[1], opt.learning_rate, {}, []
        for epoch in epochs:
            total = 0.0
            for Xb, Yb in random_mini_batches(X, Y, mini_batch_size, seed + epoch + 1):
                size = Xb.shape[1]
                if size not in graphs:  # one recorded graph per batch size (the last batch may be smaller)
                    leaves = (Value(Xb, label="X", requires_grad=False), Value(Yb, label="Y", requires_grad=False))
                    J = self.cost(*leaves, lambd)
                    graphs[size] = (J, Replay(J), leaves)
                    graphs[size][1].backward()
                else:
                    J, graph, leaves = graphs[size]
                    leaves[0].data, leaves[1].data = Xb, Yb
                    graph.forward_backward()
                opt.step()
                total += J.data * size
            costs.append(total / m)
            if decay is not None:
                opt.learning_rate = decay(alpha0, epoch + 1)
            if print_cost and epoch % 1000 == 0:
                epochs.write(f"Cost after epoch {epoch}: {costs[-1]:f}")
        return costs


class LogisticRegression(FeedForward):
    """A = σ(wᵀX + b) with w (n_x, 1) and b (1, 1), both starting at zero as in the course."""

    def __init__(self, n_x):
        super().__init__([n_x, 1], init="zeros", column=True)


class TwoLayerNet(FeedForward):
    """The week-3 network: W1 (n_h, n_x), b1, W2 (n_y, n_h), b2; tanh hidden layer by default."""

    def __init__(self, n_x, n_h, n_y, hidden="tanh", init="small", seed=None):
        super().__init__([n_x, n_h, n_y], hidden, init, seed)


class DeepNet(FeedForward):
    """The week-4 L-layer network: layer_dims = [n_x, n[1], ..., n[L]]; output="softmax" for C classes."""


def _tqdm():
    """tqdm's widget bar in Jupyter when ipywidgets is there, else its text bar: imported when a
    bar is made, so that `import nn` never prints tqdm's "IProgress not found" warning."""
    try:
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm
