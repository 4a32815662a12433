"""Week 3's assignment (the two-layer network on the flower): the course's functions, and the
engine's autograd as the witness for the 6 backward equations."""

import numpy as np

from tinygrad_cn import Value

from ..losses import binary_cross_entropy
from .checking import Exercise
from .week2 import sigmoid


# ---- the reference solutions, with the course's signatures -------------------------------------
def layer_sizes(X, Y):
    """(n_x, n_h, n_y) with n_h = 4, as the assignment fixes it."""
    return X.shape[0], 4, Y.shape[0]


def initialize_parameters(n_x, n_h, n_y):
    """W[l] = np.random.randn(n[l], n[l−1]) * 0.01 (breaks the symmetry, keeps tanh off its flat
    ends), b[l] = zeros; drawn in the order W1, W2."""
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, parameters):
    """The 4 forward equations (tanh hidden, sigmoid out): (A2, cache {"Z1", "A1", "Z2", "A2"})."""
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    """The cost J = −(1/m) Σ (Y log A2 + (1 − Y) log(1 − A2)), a number."""
    m = Y.shape[1]
    return float(np.squeeze(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m))


def backward_propagation(parameters, cache, X, Y):
    """The 6 backward equations: {"dW1", "db1", "dW2", "db2"}."""
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = parameters["W2"].T @ dZ2 * (1 - cache["A1"] ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """W[l] := W[l] − α dW[l], b[l] := b[l] − α db[l] for every layer (2 or L)."""
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


# ---- the engine's answers --------------------------------------------------------------------
def _compute_cost_by_engine(A2, Y):
    return binary_cross_entropy(Value(A2), Y).data


def _backward_propagation_by_engine(parameters, cache, X, Y):
    p = {key: Value(value, label=key) for key, value in parameters.items()}
    A1 = (p["W1"] @ X + p["b1"]).tanh()
    binary_cross_entropy((p["W2"] @ A1 + p["b2"]).sigmoid(), Y).backward()
    return {"d" + key: value.grad for key, value in p.items()}


# ---- random cases ------------------------------------------------------------------------------
def _flower_like(rng, n_x, n_h, m):
    parameters = {
        "W1": rng.normal(size=(n_h, n_x)),
        "b1": rng.normal(size=(n_h, 1)),
        "W2": rng.normal(size=(1, n_h)),
        "b2": rng.normal(size=(1, 1)),
    }
    return parameters, rng.normal(size=(n_x, m)), (rng.random((1, m)) > 0.5).astype(float)


SHAPES = ((2, 4, 5), (3, 2, 7), (2, 3, 1))  # (n_x, n_h, m): no two alike, so a transpose shows


def _backward_cases(rng):
    cases = []
    for shape in SHAPES:
        parameters, X, Y = _flower_like(rng, *shape)
        cases.append((parameters, forward_propagation(X, parameters)[1], X, Y))
    return cases


def _update_cases(rng):
    two, _, _ = _flower_like(rng, 3, 4, 1)
    deep = {f"{w}{l}": rng.normal(size=(n, k) if w == "W" else (n, 1)) for l, (n, k) in enumerate(((4, 3), (2, 4), (1, 2)), 1) for w in "Wb"}  # fmt: skip
    return [(p, {"d" + k: rng.normal(size=v.shape) for k, v in p.items()}, a) for p, a in ((two, 0.5), (deep, 1.2))]


def _g_prime_sigmoid(parameters, cache, X, Y):
    """The slip: g'(Z1) of a sigmoid, A1(1 − A1), for the tanh hidden layer."""
    dZ1 = parameters["W2"].T @ (cache["A2"] - Y) * cache["A1"] * (1 - cache["A1"])
    m = X.shape[1]
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}


def _no_g_prime(parameters, cache, X, Y):
    dZ1 = parameters["W2"].T @ (cache["A2"] - Y)
    m = X.shape[1]
    return {"dW1": dZ1 @ X.T / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}


def _sigmoid_hidden(X, p):
    A1 = sigmoid(p["W1"] @ X + p["b1"])
    Z2 = p["W2"] @ A1 + p["b2"]
    return sigmoid(Z2), {"A1": A1}


EXERCISES = (
    Exercise(
        "layer_sizes",
        layer_sizes,
        lambda rng: [(rng.normal(size=(n_x, m)), np.ones((n_y, m))) for n_x, n_y, m in ((2, 1, 5), (5, 3, 2))],
        outputs=("n_x", "n_h", "n_y"),
    ),
    Exercise(
        "initialize_parameters",
        initialize_parameters,
        lambda rng: [(2, 4, 1), (3, 5, 2)],
        outputs="parameters",
        seeded=True,
        advice="按 W1、W2 的顺序用 np.random.randn(...) * 0.01，不要自己设 seed / draw W1 then W2 with "
        "np.random.randn(...) * 0.01 and do not set the seed yourself",
        mistakes=(
            (
                "少了 × 0.01 / the factor 0.01 is missing",
                lambda *n: {k: v * 100 for k, v in initialize_parameters(*n).items()},
            ),  # fmt: skip
            (
                "W 全是 0：所有隐藏单元算的一样，训练后也一样（对称性）/ W all zeros: every hidden unit computes "
                "the same, and stays so (symmetry)",
                lambda *n: {k: v * 0 for k, v in initialize_parameters(*n).items()},
            ),
        ),
    ),
    Exercise(
        "forward_propagation",
        forward_propagation,
        lambda rng: [_flower_like(rng, *shape)[1::-1] for shape in SHAPES],
        outputs=("A2", "cache"),
        mistakes=(("隐藏层用 tanh，不是 σ / the hidden layer is tanh, not σ", _sigmoid_hidden),),
    ),
    Exercise(
        "compute_cost",
        compute_cost,
        lambda rng: [(sigmoid(rng.normal(size=(1, m))), (rng.random((1, m)) > 0.5).astype(float)) for m in (5, 8, 1)],
        expect=_compute_cost_by_engine,
        m=lambda A2, Y: Y.shape[1],
        mistakes=(
            (
                "少了 (1 − Y) log(1 − A2) 一项 / the term (1 − Y) log(1 − A2) is missing",
                lambda A2, Y: float(-np.sum(Y * np.log(A2)) / Y.shape[1]),
            ),
        ),
    ),
    Exercise(
        "backward_propagation",
        backward_propagation,
        _backward_cases,
        expect=_backward_propagation_by_engine,
        outputs="grads",
        m=lambda parameters, cache, X, Y: X.shape[1],
        mistakes=(
            ("tanh 的导数是 1 − A1²，不是 A1(1 − A1) / tanh' is 1 − A1², not A1(1 − A1)", _g_prime_sigmoid),
            ("dZ1 = W2ᵀ dZ2 * g'(Z1)：少了 g'(Z1) / dZ1 lost the factor g'(Z1)", _no_g_prime),
        ),
    ),
    Exercise(
        "update_parameters",
        update_parameters,
        _update_cases,
        outputs="parameters",
        mistakes=(
            (
                "更新的方向反了：W := W − α dW / the update goes the wrong way",
                lambda p, g, a: update_parameters(p, g, -a),
            ),  # fmt: skip
            ("忘了学习率 α / the learning rate α is missing", lambda p, g, a: update_parameters(p, g, 1.0)),
        ),
    ),
)
