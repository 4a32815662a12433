"""The course's hand-derived formulas in plain numpy: the independent witness.

Nothing here imports the engine. Tests hold the engine's gradients to these
(notation.md §3, §5, §7). Names and equations are the course's.
"""

import numpy as np


# ---- activations and their derivatives (§3.6–3.8) --------------------------
def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def relu(Z):
    return np.maximum(0, Z)


def leaky_relu(Z, slope=0.01):
    return np.where(Z > 0, Z, slope * Z)


G = {"sigmoid": sigmoid, "tanh": np.tanh, "relu": relu, "leaky_relu": leaky_relu}


def g_prime(name, Z):
    """g'(Z) as the course tabulates it; 0 (or the slope) at Z = 0."""
    if name == "sigmoid":
        A = sigmoid(Z)
        return A * (1 - A)
    if name == "tanh":
        return 1 - np.tanh(Z) ** 2
    if name == "relu":
        return (Z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(Z > 0, 1.0, 0.01)
    raise ValueError(name)


def compute_cost(A, Y):
    """J = −(1/m) Σ (Y log A + (1 − Y) log(1 − A))"""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)


# ---- logistic regression (§2.2–2.14) -----------------------------------------
def propagate(w, b, X, Y):
    """Forward and backward of logistic regression: ({"dw", "db"}, cost)."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = compute_cost(A, Y)
    dZ = A - Y
    return {"dw": X @ dZ.T / m, "db": np.sum(dZ) / m}, cost


# ---- the two-layer network (§3.9–3.10): 4 forward, 6 backward equations ------
def two_layer_forward(X, params, hidden="tanh"):
    Z1 = params["W1"] @ X + params["b1"]
    A1 = G[hidden](Z1)
    Z2 = params["W2"] @ A1 + params["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def two_layer_backward(params, cache, X, Y, hidden="tanh"):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dW2 = dZ2 @ cache["A1"].T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = params["W2"].T @ dZ2 * g_prime(hidden, cache["Z1"])
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


# ---- the L-layer network (§4.1–4.7): forward and backward blocks --------------
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev + b
    return G[activation](Z), (A_prev, W, b, Z)


def L_model_forward(X, params, hidden="relu"):
    caches, A = [], X
    L = len(params) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, params[f"W{l}"], params[f"b{l}"], "sigmoid" if l == L else hidden)
        caches.append(cache)
    return A, caches


def linear_activation_backward(dA, cache, activation):
    A_prev, W, b, Z = cache
    m = A_prev.shape[1]
    dZ = dA * g_prime(activation, Z)
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    return W.T @ dZ, dW, db


def L_model_backward(AL, Y, caches, hidden="relu"):
    grads, L = {}, len(caches)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else hidden
        )
    return grads


def update_parameters(params, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in params.items()}


# ---- course 2: regularization, dropout, optimizers, softmax (weeks 1–3) ----------
def compute_cost_with_regularization(A, Y, params, lambd):
    """J + (λ / 2m) Σ ‖W[l]‖²_F (b excluded)."""
    m = Y.shape[1]
    L2 = sum(np.sum(np.square(v)) for k, v in params.items() if k.startswith("W"))
    return compute_cost(A, Y) + lambd / (2 * m) * L2


def l2_gradient(W, lambd, m):
    """What L2 adds to dW: (λ / m) W."""
    return lambd / m * W


def dropout_forward(A, D, keep_prob):
    """Inverted dropout with a drawn mask D = (rand < keep_prob): A ⊙ D / keep_prob."""
    return A * D / keep_prob


def dropout_backward(dA, D, keep_prob):
    return dA * D / keep_prob


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """The course's own: np.random.seed(seed), np.random.permutation(m), full batches, then the rest."""
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    X, Y = X[:, permutation], Y[:, permutation]
    batches = [
        (X[:, k * mini_batch_size : (k + 1) * mini_batch_size], Y[:, k * mini_batch_size : (k + 1) * mini_batch_size])
        for k in range(m // mini_batch_size)
    ]
    if m % mini_batch_size:
        batches.append(
            (X[:, (m // mini_batch_size) * mini_batch_size :], Y[:, (m // mini_batch_size) * mini_batch_size :])
        )
    return batches


def momentum_update(W, dW, v, beta, learning_rate):
    v = beta * v + (1 - beta) * dW
    return W - learning_rate * v, v


def rmsprop_update(W, dW, s, beta, learning_rate, epsilon=1e-8):
    s = beta * s + (1 - beta) * dW**2
    return W - learning_rate * dW / (np.sqrt(s) + epsilon), s


def adam_update(W, dW, v, s, t, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v = beta1 * v + (1 - beta1) * dW
    s = beta2 * s + (1 - beta2) * dW**2
    v_corrected, s_corrected = v / (1 - beta1**t), s / (1 - beta2**t)
    return W - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon), v, s


def softmax(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_cost(A, Y):
    """−(1/m) Σ Y ⊙ log A for one-hot Y (C, m)."""
    return float(-np.sum(Y * np.log(A)) / Y.shape[1])


def softmax_dZ(A, Y):
    """dZ[L] = A[L] − Y for a softmax output with the cross-entropy cost (per example)."""
    return A - Y


def batchnorm_forward(Z, gamma, beta, eps=1e-5):
    """μ, σ² over the examples; Ẑ = (Z − μ)/√(σ² + ε); Z̃ = γ Ẑ + β. Returns Z̃ and the cache."""
    mu = Z.mean(axis=1, keepdims=True)
    var = Z.var(axis=1, keepdims=True)
    Zhat = (Z - mu) / np.sqrt(var + eps)
    return gamma * Zhat + beta, (Zhat, var, gamma, eps)


def batchnorm_backward(dZt, cache):
    """The chain rule through batch norm, in its compact form: (dZ, dγ, dβ)."""
    Zhat, var, gamma, eps = cache
    m = dZt.shape[1]
    dgamma = np.sum(dZt * Zhat, axis=1, keepdims=True)
    dbeta = np.sum(dZt, axis=1, keepdims=True)
    dZhat = dZt * gamma
    dZ = (m * dZhat - dZhat.sum(axis=1, keepdims=True) - Zhat * np.sum(dZhat * Zhat, axis=1, keepdims=True)) / (
        m * np.sqrt(var + eps)
    )
    return dZ, dgamma, dbeta
