"""Week 4's assignment (the deep network, step by step): forward and backward blocks with their
caches, and the engine's autograd as the witness for every backward block.

The course writes dA[l] and dZ[l] for m·∂J/∂A[l] and m·∂J/∂Z[l] (each column is one example's loss
derivative) but dW[l], db[l] for ∂J/∂W[l], ∂J/∂b[l] themselves: hence the 1/m in dW and db only.
The engine's gradients are of J, so the checks multiply its ∂J/∂A by m."""

import numpy as np

from tinygrad_cn import Value

from ..losses import binary_cross_entropy
from .checking import Exercise
from .week2 import sigmoid


# ---- the reference solutions, with the course's signatures -------------------------------------
def initialize_parameters_deep(layer_dims):
    """W[l] = np.random.randn(n[l], n[l−1]) * 0.01, b[l] = zeros (n[l], 1), for l = 1 … L."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b; cache (A, W, b)."""
    return W @ A + b, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b), g "sigmoid" or "relu"; cache (linear cache, Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = sigmoid(Z) if activation == "sigmoid" else np.maximum(0, Z)
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """[LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID: (AL, caches, one per layer)."""
    caches, A = [], X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], "sigmoid" if l == L else "relu"
        )
        caches.append(cache)
    return A, caches


def linear_backward(dZ, cache):
    """dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ dZ (axis=1, keepdims), dA_prev = Wᵀ dZ."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_activation_backward(dA, cache, activation):
    """dZ = dA * g'(Z), then linear_backward: (dA_prev, dW, db)."""
    linear_cache, Z = cache
    if activation == "sigmoid":
        s = sigmoid(Z)
        dZ = dA * s * (1 - s)
    else:
        dZ = dA * (Z > 0)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """From dAL = −(Y/AL − (1 − Y)/(1 − AL)) back through every block:
    {"dA{l−1}", "dW{l}", "db{l}"} for l = L … 1."""
    grads, L = {}, len(caches)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu"
        )
        grads[f"dA{l - 1}"] = dA
    return grads


# ---- the engine's answers: J built from the cache's leaves, its gradients read back ---------
def _block(A_prev, W, b, activation):
    Z = W @ A_prev + b
    return Z.sigmoid() if activation == "sigmoid" else Z.relu()


def _leaves(cache):
    return [Value(x, label=name) for x, name in zip(cache, ("A_prev", "W", "b"))]


def _linear_backward_by_engine(dZ, cache):
    A_prev, W, b = _leaves(cache)
    m = dZ.shape[1]
    ((W @ A_prev + b) * dZ).sum().backward(np.float64(1 / m))  # J with ∂J/∂Z = dZ/m
    return m * A_prev.grad, W.grad, b.grad


def _linear_activation_backward_by_engine(dA, cache, activation):
    A_prev, W, b = _leaves(cache[0])
    m = dA.shape[1]
    (_block(A_prev, W, b, activation) * dA).sum().backward(np.float64(1 / m))  # ∂J/∂A = dA/m
    return m * A_prev.grad, W.grad, b.grad


def _L_model_backward_by_engine(AL, Y, caches):
    A, L, m, grads, inputs = None, len(caches), Y.shape[1], {}, []
    for l, ((A_prev, W, b), _) in enumerate(caches, 1):
        A = Value(A_prev, label="X") if A is None else A
        inputs.append(A)
        W, b = Value(W, label=f"W{l}"), Value(b, label=f"b{l}")
        grads[f"dW{l}"], grads[f"db{l}"] = W, b
        A = _block(A, W, b, "sigmoid" if l == L else "relu")
    binary_cross_entropy(A, Y).backward()
    grads = {key: value.grad for key, value in grads.items()}
    grads.update({f"dA{l}": m * A.grad for l, A in enumerate(inputs)})
    return grads


# ---- random cases ------------------------------------------------------------------------------
SHAPES = ((3, 4, 5), (2, 3, 7), (4, 1, 1))  # (n[l−1], n[l], m): no two alike, so a transpose shows


def _linear(rng, n_prev, n, m):
    return rng.normal(size=(n_prev, m)), rng.normal(size=(n, n_prev)), rng.normal(size=(n, 1))


def _activation_cases(rng):
    return [(*_linear(rng, *s), g) for s, g in zip(SHAPES, ("relu", "sigmoid", "relu"))]


def _backward_cases(rng, activation=False):
    cases = []
    for (n_prev, n, m), g in zip(SHAPES, ("sigmoid", "relu", "sigmoid")):
        linear_cache, dA = _linear(rng, n_prev, n, m), rng.normal(size=(n, m))
        cases.append((dA, (linear_cache, linear_forward(*linear_cache)[0]), g) if activation else (dA, linear_cache))
    return cases


def _deep_parameters(rng, dims):
    return {f"{w}{l}": rng.normal(size=(dims[l], dims[l - 1]) if w == "W" else (dims[l], 1)) for l in range(1, len(dims)) for w in "Wb"}  # fmt: skip


def _deep_cases(rng):
    return [(rng.normal(size=(d[0], m)), _deep_parameters(rng, d)) for d, m in (((3, 4, 2, 1), 5), ((2, 3, 1), 4))]


def _L_backward_cases(rng):
    cases = []
    for X, parameters in _deep_cases(rng):
        AL, caches = L_model_forward(X, parameters)
        cases.append((AL, (rng.random(AL.shape) > 0.5).astype(float), caches))
    return cases


def _m_of_dZ(dZ, *rest):
    return dZ.shape[1]


def _relu_everywhere(AL, Y, caches):
    """The slip: the output block's σ' replaced by ReLU's."""
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    return {f"dW{len(caches)}": linear_activation_backward(dA, caches[-1], "relu")[1]}


EXERCISES = (
    Exercise(
        "initialize_parameters_deep",
        initialize_parameters_deep,
        lambda rng: [([5, 4, 3],), ([3, 4, 2, 1],)],
        outputs="parameters",
        seeded=True,
        advice="对 l = 1 … L 依次用 np.random.randn(n[l], n[l−1]) * 0.01，不要自己设 seed / draw "
        "np.random.randn(n[l], n[l−1]) * 0.01 for l = 1 … L in order, and do not set the seed yourself",
        mistakes=(
            (
                "少了 × 0.01 / the factor 0.01 is missing",
                lambda d: {k: v * 100 for k, v in initialize_parameters_deep(d).items()},
            ),  # fmt: skip
        ),
    ),
    Exercise(
        "linear_forward",
        linear_forward,
        lambda rng: [_linear(rng, *s) for s in SHAPES],
        outputs=("Z", "cache"),
    ),
    Exercise(
        "linear_activation_forward",
        linear_activation_forward,
        _activation_cases,
        outputs=("A", "cache"),
        mistakes=(
            (
                "激活函数用反了：看 activation 参数 / the activations are swapped: read the activation argument",
                lambda A, W, b, g: linear_activation_forward(A, W, b, "relu" if g == "sigmoid" else "sigmoid"),
            ),
        ),
    ),
    Exercise(
        "L_model_forward",
        L_model_forward,
        _deep_cases,
        outputs=("AL", "caches"),
        advice="隐藏层用 ReLU，最后一层用 σ / ReLU in the hidden layers, σ in the last",
    ),
    Exercise(
        "linear_backward",
        linear_backward,
        _backward_cases,
        expect=_linear_backward_by_engine,
        outputs=("dA_prev", "dW", "db"),
        m=_m_of_dZ,
    ),
    Exercise(
        "linear_activation_backward",
        linear_activation_backward,
        lambda rng: _backward_cases(rng, activation=True),
        expect=_linear_activation_backward_by_engine,
        outputs=("dA_prev", "dW", "db"),
        m=_m_of_dZ,
        mistakes=(
            (
                "少了 g'(Z)：dZ = dA * g'(Z) / the factor g'(Z) is missing: dZ = dA * g'(Z)",
                lambda dA, cache, g: linear_backward(dA, cache[0]),
            ),
        ),
    ),
    Exercise(
        "L_model_backward",
        L_model_backward,
        _L_backward_cases,
        expect=_L_model_backward_by_engine,
        outputs="grads",
        m=lambda AL, Y, caches: Y.shape[1],
        mistakes=(("最后一层是 σ，不是 ReLU / the last block is σ, not ReLU", _relu_everywhere),),
    ),
)
