"""Week 2's assignment (logistic regression as a neural network): the course's functions, and the
engine's autograd as the witness for every gradient (dw, db, σ')."""

import numpy as np

from tinygrad_cn import Value

from ..losses import binary_cross_entropy
from .checking import Exercise


# ---- the reference solutions, with the course's signatures -------------------------------------
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise."""
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(x):
    """σ'(x) = s(1 − s) with s = σ(x)."""
    s = sigmoid(x)
    return s * (1 - s)


def initialize_with_zeros(dim):
    """w (dim, 1) of zeros and b = 0.0 (for logistic regression zeros are fine)."""
    return np.zeros((dim, 1)), 0.0


def propagate(w, b, X, Y):
    """Forward and backward over m examples: ({"dw": (n_x, 1), "db": number}, cost)."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    dZ = A - Y
    return {"dw": X @ dZ.T / m, "db": np.sum(dZ) / m}, float(cost)


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Gradient descent w := w − α dw, b := b − α db; the cost kept every 100 iterations.
    Returns ({"w", "b"}, the last {"dw", "db"}, costs)."""
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"迭代 {i} 次后的成本 / cost after iteration {i}: {cost:f}")
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """Labels 0 or 1 (1, m): 1 where ŷ = σ(wᵀX + b) > 0.5."""
    A = sigmoid(w.T @ X + b)
    return (A > 0.5).astype(float)


# ---- the engine's answers for the gradients --------------------------------------------------
def _sigmoid_derivative_by_engine(x):
    z = Value(x)
    z.sigmoid().backward(np.ones_like(x))
    return z.grad


def _propagate_by_engine(w, b, X, Y):
    w, b = Value(w, label="w"), Value(float(b), label="b")
    J = binary_cross_entropy((w.T @ X + b).sigmoid(), Y)
    J.backward()
    return {"dw": w.grad, "db": float(b.grad)}, float(J.data)


def _optimize_by_engine(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = _propagate_by_engine(w, b, X, Y)
        w, b = w - learning_rate * grads["dw"], b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs


# ---- random cases ------------------------------------------------------------------------------
def _logistic_case(rng, n_x, m):
    w, b = rng.normal(size=(n_x, 1)), float(rng.normal())
    return w, b, rng.normal(size=(n_x, m)), (rng.random((1, m)) > 0.5).astype(float)


def _arrays(rng):
    return [(rng.normal(size=s) * 3,) for s in ((3, 4), (1, 5), (2, 1))]


def _logistic(rng):
    return [_logistic_case(rng, n_x, m) for n_x, m in ((3, 5), (2, 7), (4, 1))]


def _optimize(rng):
    return [(*_logistic_case(rng, n_x, m), n, a) for n_x, m, n, a in ((3, 5, 3, 0.1), (2, 6, 101, 0.05))]


def _m_of_X(w, b, X, *rest):
    return X.shape[1]


EXERCISES = (
    Exercise(
        "sigmoid",
        sigmoid,
        _arrays,
        mistakes=(
            ("e 的指数少了负号：σ(z) = 1/(1 + e^(−z)) / the exponent lost its sign", lambda z: 1 / (1 + np.exp(z))),
        ),
    ),
    Exercise(
        "sigmoid_derivative",
        sigmoid_derivative,
        _arrays,
        expect=_sigmoid_derivative_by_engine,
        mistakes=(
            ("这是 s = σ(x)，还要乘 (1 − s) / that is s = σ(x); multiply by (1 − s)", sigmoid),
            ("用了 x(1 − x)：先算 s = σ(x) / x(1 − x) used: compute s = σ(x) first", lambda x: x * (1 - x)),
        ),
    ),
    Exercise(
        "initialize_with_zeros",
        initialize_with_zeros,
        lambda rng: [(2,), (5,), (1,)],
        outputs=("w", "b"),
    ),
    Exercise(
        "propagate",
        propagate,
        _logistic,
        expect=_propagate_by_engine,
        outputs=("grads", "cost"),
        m=_m_of_X,
        mistakes=(
            (
                "dw 应为 (1/m) X dZᵀ，dZ = A − Y / dw is (1/m) X dZᵀ with dZ = A − Y",
                lambda w, b, X, Y: ({"dw": X @ (sigmoid(w.T @ X + b) - Y).T}, None),
            ),
            (
                "成本少了 (1 − Y) log(1 − A) 一项 / the cost lost the term (1 − Y) log(1 − A)",
                lambda w, b, X, Y: (None, float(-np.sum(Y * np.log(sigmoid(w.T @ X + b))) / X.shape[1])),
            ),
        ),
    ),
    Exercise(
        "optimize",
        optimize,
        _optimize,
        expect=_optimize_by_engine,
        outputs=("params", "grads", "costs"),
        m=_m_of_X,
        mistakes=(
            (
                "更新的方向反了：w := w − α dw / the update goes the wrong way: w := w − α dw",
                lambda w, b, X, Y, n, a: optimize(w, b, X, Y, n, -a),
            ),
        ),
    ),
    Exercise(
        "predict",
        predict,
        lambda rng: [case[:3] for case in _logistic(rng)],
        advice="ŷ > 0.5 时预测为 1，否则为 0 / predict 1 where ŷ > 0.5, else 0",
        mistakes=(
            ("要返回标签 0 或 1，不是概率 ŷ / return labels 0 or 1, not ŷ", lambda w, b, X: sigmoid(w.T @ X + b)),
        ),
    ),
)
