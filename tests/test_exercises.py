"""nn.exercises: each check passes the course's solution, and fails on planted mistakes with the hint
that names them, in every item a function returns."""

import copy

import numpy as np
import pytest

from nn.exercises import EXERCISES, check
from nn.exercises.week2 import sigmoid

COURSE_1 = """sigmoid sigmoid_derivative initialize_with_zeros propagate optimize predict layer_sizes
initialize_parameters forward_propagation compute_cost backward_propagation update_parameters
initialize_parameters_deep linear_forward linear_activation_forward L_model_forward linear_backward
linear_activation_backward L_model_backward""".split()


def test_every_assignment_function_of_course_1_is_an_exercise():
    assert list(EXERCISES) == COURSE_1


@pytest.mark.parametrize("name", COURSE_1)
def test_the_solution_passes(name, capsys):
    result = EXERCISES[name].check(EXERCISES[name].solution)
    assert result and result.passed
    assert "全部通过" in capsys.readouterr().out and "all passed" in result.message


def _leaves(out, path=()):
    """Every numeric item of a nested output, as a path of keys and indices."""
    if isinstance(out, dict):
        return [p for k, v in out.items() for p in _leaves(v, (*path, k))]
    if isinstance(out, (tuple, list)):
        return [p for i, v in enumerate(out) for p in _leaves(v, (*path, i))]
    return [path]


def _mutable(out):
    """A deep copy with tuples as lists, so one item can be changed in place."""
    if isinstance(out, dict):
        return {k: _mutable(v) for k, v in out.items()}
    if isinstance(out, (tuple, list)):
        return [_mutable(v) for v in out]
    return copy.deepcopy(out)


def _perturbed(out, path):
    """The output with the item at path off by 0.5."""
    out = _mutable(out)
    if not path:
        return np.asarray(out) + 0.5
    parent = out
    for k in path[:-1]:
        parent = parent[k]
    parent[path[-1]] = np.asarray(parent[path[-1]]) + 0.5
    return out


CASES = [(name, path) for name in COURSE_1 for path in _leaves(EXERCISES[name].solution(*EXERCISES[name].cases(np.random.default_rng(17))[0]))]  # fmt: skip


@pytest.mark.parametrize("name, path", CASES, ids=[f"{n}{list(p)}" for n, p in CASES])
def test_a_mistake_in_any_returned_item_fails_and_is_named(name, path):
    """Each item the solution returns, off by 0.5: the check fails and names that item."""
    exercise = EXERCISES[name]

    def planted(*args):
        return _perturbed(exercise.solution(*args), path)

    result = exercise.check(planted, quiet=True)
    assert not result
    assert f"{exercise.item_name(path)}: " in result.message, result.message


# ---- planted mistakes, each with the hint that names it -----------------------------------------
def _m(X):
    return X.shape[1]


def _propagate_parts(w, b, X, Y):
    A = sigmoid(w.T @ X + b)
    return A, A - Y, _m(X)


def _tanh_net(p, X, Y):
    A1 = np.tanh(p["W1"] @ X + p["b1"])
    A2 = sigmoid(p["W2"] @ A1 + p["b2"])
    return A1, A2, A2 - Y, X.shape[1]


def _bp(p, cache, X, Y, dW1=None, db1=None, dW2=None, db2=None):
    """backward_propagation with one equation replaced."""
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = p["W2"].T @ dZ2 * (1 - cache["A1"] ** 2)
    return {
        "dW1": dW1(dZ1, X, m) if dW1 else dZ1 @ X.T / m,
        "db1": db1(dZ1, m) if db1 else np.sum(dZ1, axis=1, keepdims=True) / m,
        "dW2": dW2(dZ2, cache["A1"], m) if dW2 else dZ2 @ cache["A1"].T / m,
        "db2": db2(dZ2, m) if db2 else np.sum(dZ2, axis=1, keepdims=True) / m,
    }


def _lb(dZ, cache, dA=None, dW=None, db=None):
    """linear_backward with one equation replaced."""
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return (
        dA(W, dZ, m) if dA else W.T @ dZ,
        dW(dZ, A_prev, m) if dW else dZ @ A_prev.T / m,
        db(dZ, m) if db else np.sum(dZ, axis=1, keepdims=True) / m,
    )


def _seed_inside(n_x, n_h, n_y):
    np.random.seed(2)
    return EXERCISES["initialize_parameters"].solution(n_x, n_h, n_y)


PLANTED = {
    "sigmoid": [
        (lambda z: 1 / (1 + np.exp(z)), "the exponent lost its sign"),
        (lambda z: sigmoid(z).ravel(), "one-dimensional array"),
    ],
    "sigmoid_derivative": [
        (sigmoid, "multiply by (1 − s)"),
        (lambda x: x * (1 - x), "compute s = σ(x) first"),
        (lambda x: -sigmoid(x) * (1 - sigmoid(x)), "sign is flipped"),
    ],
    "initialize_with_zeros": [
        (lambda d: (np.zeros((1, d)), 0.0), "w: "),
        (lambda d: (np.zeros(d), 0.0), "one-dimensional array"),
        (lambda d: (np.zeros((d, 1)), 1.0), "b: "),
    ],
    "propagate": [
        (lambda w, b, X, Y: ({"dw": X @ (sigmoid(w.T @ X + b) - Y).T, "db": 0}, 0), "X dZᵀ with dZ = A − Y"),
        (lambda w, b, X, Y: ({"dw": X @ (sigmoid(w.T @ X + b) - Y).T * 2, "db": 0}, 0), "grads['dw']: 数值不对"),
        (lambda w, b, X, Y: ({"dw": (sigmoid(w.T @ X + b) - Y) @ X.T / _m(X), "db": 0}, 0), "transposed"),
        (
            lambda w, b, X, Y: (
                {"dw": X @ (sigmoid(w.T @ X + b) - Y).T / _m(X), "db": np.sum(Y - sigmoid(w.T @ X + b)) / _m(X)},
                0,
            ),
            "grads['db']: 符号反了 / the sign is flipped",
        ),
        (
            lambda w, b, X, Y: (
                {
                    "dw": X @ (sigmoid(w.T @ X + b) - Y).T / _m(X),
                    "db": np.sum(sigmoid(w.T @ X + b) - Y, axis=1, keepdims=True) / _m(X),
                },  # fmt: skip
                0,
            ),
            "use np.squeeze",
        ),
        (
            lambda w, b, X, Y: (
                EXERCISES["propagate"].solution(w, b, X, Y)[0],
                EXERCISES["propagate"].solution(w, b, X, Y)[1] * _m(X),
            ),
            "cost: ",
        ),
        (
            lambda w, b, X, Y: (
                EXERCISES["propagate"].solution(w, b, X, Y)[0],
                float(-np.sum(Y * np.log(sigmoid(w.T @ X + b))) / _m(X)),
            ),
            "the cost lost the term (1 − Y) log(1 − A)",
        ),
    ],
    "optimize": [
        (lambda w, b, X, Y, n, a: EXERCISES["optimize"].solution(w, b, X, Y, n, -a), "the update goes the wrong way"),
        (lambda w, b, X, Y, n, a: EXERCISES["optimize"].solution(w, b, X, Y, n, a)[:2] + ([],), "costs: "),
        (lambda w, b, X, Y, n, a: EXERCISES["optimize"].solution(w, b, X, Y, n + 1, a), "params['w']: 数值不对"),
    ],
    "predict": [
        (lambda w, b, X: sigmoid(w.T @ X + b), "return labels 0 or 1, not ŷ"),
        (lambda w, b, X: (sigmoid(w.T @ X + b) < 0.5).astype(float), "predict 1 where ŷ > 0.5"),
    ],
    "layer_sizes": [
        (lambda X, Y: (X.shape[0], 5, Y.shape[0]), "n_h: "),
        (lambda X, Y: (X.shape[1], 4, Y.shape[0]), "n_x: "),
        (lambda X, Y: (X.shape[0], 4), "items"),
    ],
    "initialize_parameters": [
        (
            lambda *n: {k: v * 100 for k, v in EXERCISES["initialize_parameters"].solution(*n).items()},
            "0.01 is missing",
        ),  # fmt: skip
        (lambda *n: {k: v * 0 for k, v in EXERCISES["initialize_parameters"].solution(*n).items()}, "(symmetry)"),
        (_seed_inside, "do not set the seed yourself"),
        (
            lambda n_x, n_h, n_y: {**EXERCISES["initialize_parameters"].solution(n_x, n_h, n_y), "b2": np.zeros(n_y)},
            "parameters['b2']: ",
        ),
        (lambda n_x, n_h, n_y: {"W1": np.random.randn(n_x, n_h) * 0.01}, "transposed"),
    ],
    "forward_propagation": [
        (lambda X, p: (sigmoid(p["W2"] @ sigmoid(p["W1"] @ X + p["b1"]) + p["b2"]), {}), "tanh, not σ"),
        (lambda X, p: (_tanh_net(p, X, 0)[1], {}), "the key 'Z1' is missing"),
        (
            lambda X, p: (
                EXERCISES["forward_propagation"].solution(X, p)[0],
                {**EXERCISES["forward_propagation"].solution(X, p)[1], "Z2": p["W2"] @ np.tanh(p["W1"] @ X)},
            ),
            "cache['Z2']: ",
        ),
    ],
    "compute_cost": [
        (lambda A, Y: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)), "1/m is missing"),
        (lambda A, Y: np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1], "sign is flipped"),
        (
            lambda A, Y: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=1, keepdims=True) / Y.shape[1],
            "np.squeeze",
        ),  # fmt: skip
        (lambda A, Y: float(-np.sum(Y * np.log(A)) / Y.shape[1]), "(1 − Y) log(1 − A2) is missing"),
        (lambda A, Y: -np.sum(Y * np.log(A - A) + (1 - Y) * np.log(1 - A)), "nan or inf"),
    ],
    "backward_propagation": [
        (lambda p, c, X, Y: _bp(p, c, X, Y, dW1=lambda dZ1, X, m: dZ1 @ X.T), "grads['dW1']: "),
        (lambda p, c, X, Y: _bp(p, c, X, Y, db1=lambda dZ1, m: np.sum(dZ1, axis=1) / m), "keepdims=True"),
        (lambda p, c, X, Y: _bp(p, c, X, Y, dW2=lambda dZ2, A1, m: A1 @ dZ2.T / m), "transposed"),
        (
            lambda p, c, X, Y: _bp(p, c, X, Y, db2=lambda dZ2, m: -np.sum(dZ2, axis=1, keepdims=True) / m),
            "grads['db2']: 符号反了",
        ),  # fmt: skip
        (lambda p, c, X, Y: _bp(p, c, X, Y, db2=lambda dZ2, m: np.sum(dZ2) / m), "not over all"),
        (
            lambda p, c, X, Y: {**_bp(p, c, X, Y), **EXERCISES["backward_propagation"].mistakes[0][1](p, c, X, Y)},
            "tanh' is 1 − A1²",
        ),
        (
            lambda p, c, X, Y: _bp(p, c, X, Y, dW1=lambda dZ1, X, m: (p["W2"].T @ (c["A2"] - Y)) @ X.T / m),
            "lost the factor g'(Z1)",
        ),
    ],
    "update_parameters": [
        (lambda p, g, a: {k: v + a * g["d" + k] for k, v in p.items()}, "the update goes the wrong way"),
        (lambda p, g, a: {k: v - g["d" + k] for k, v in p.items()}, "the learning rate α is missing"),
        (
            lambda p, g, a: {**p, **{k: p[k] - a * g["d" + k] for k in ("W1", "b1", "W2", "b2")}},
            "parameters['W3']: ",
        ),
    ],
    "initialize_parameters_deep": [
        (
            lambda d: {k: v * 100 for k, v in EXERCISES["initialize_parameters_deep"].solution(d).items()},
            "0.01 is missing",
        ),  # fmt: skip
        (lambda d: EXERCISES["initialize_parameters_deep"].solution(d[:-1]), "the key 'W2' is missing"),
        (
            lambda d: {
                k: v.ravel() if k[0] == "b" else v
                for k, v in EXERCISES["initialize_parameters_deep"].solution(d).items()
            },
            "parameters['b1']: 形状是一维数组",
        ),
    ],
    "linear_forward": [
        (lambda A, W, b: ((A.T @ W.T + b.T), (A, W, b)), "Z: "),
        (lambda A, W, b: (W @ A + b, (W, A, b)), "cache[0]: "),
        (lambda A, W, b: (W @ A, (A, W, b)), "Z: 数值不对"),
    ],
    "linear_activation_forward": [
        (
            lambda A, W, b, g: EXERCISES["linear_activation_forward"].solution(
                A, W, b, "sigmoid" if g == "relu" else "relu"
            ),  # fmt: skip
            "the activations are swapped",
        ),
        (lambda A, W, b, g: (EXERCISES["linear_activation_forward"].solution(A, W, b, g)[0], ((A, W, b),)), "items"),
        (
            lambda A, W, b, g: (EXERCISES["linear_activation_forward"].solution(A, W, b, g)[0], ((A, W, b), W @ A)),
            "cache[1]: ",
        ),
    ],
    "L_model_forward": [
        (
            lambda X, p: (np.maximum(0, EXERCISES["L_model_forward"].solution(X, p)[1][-1][1]), None),
            "ReLU in the hidden layers, σ in the last",
        ),
        (
            lambda X, p: (
                EXERCISES["L_model_forward"].solution(X, p)[0],
                EXERCISES["L_model_forward"].solution(X, p)[1][:-1],
            ),
            "caches: ",
        ),  # fmt: skip
    ],
    "linear_backward": [
        (lambda dZ, c: _lb(dZ, c, dA=lambda W, dZ, m: W.T @ dZ / m), "an extra 1/m"),
        (lambda dZ, c: _lb(dZ, c, dW=lambda dZ, A, m: dZ @ A.T), "dW: "),
        (lambda dZ, c: _lb(dZ, c, dW=lambda dZ, A, m: A @ dZ.T / m), "transposed"),
        (lambda dZ, c: _lb(dZ, c, db=lambda dZ, m: np.sum(dZ, axis=1) / m), "keepdims=True"),
        (lambda dZ, c: _lb(dZ, c, dA=lambda W, dZ, m: W @ dZ), "your function raised: "),
    ],
    "linear_activation_backward": [
        (lambda dA, c, g: _lb(dA, c[0]), "the factor g'(Z) is missing"),
        (
            lambda dA, c, g: (
                _lb(-dA * (c[1] > 0), c[0])
                if g == "relu"
                else EXERCISES["linear_activation_backward"].solution(dA, c, g)
            ),
            "dA_prev: 符号反了",
        ),  # fmt: skip
        (lambda dA, c, g: _lb(dA * sigmoid(c[1]) * (1 - sigmoid(c[1])), c[0]), "dA_prev: "),
    ],
    "L_model_backward": [
        (
            lambda AL, Y, caches: {
                **EXERCISES["L_model_backward"].solution(AL, Y, caches),
                **EXERCISES["L_model_backward"].mistakes[0][1](AL, Y, caches),
            },  # fmt: skip
            "the last block is σ, not ReLU",
        ),
        (
            lambda AL, Y, caches: {
                k: v for k, v in EXERCISES["L_model_backward"].solution(AL, Y, caches).items() if k != "dA0"
            },  # fmt: skip
            "the key 'dA0' is missing",
        ),
        (
            lambda AL, Y, caches: {
                k: v / Y.shape[1] if k.startswith("dA") else v
                for k, v in EXERCISES["L_model_backward"].solution(AL, Y, caches).items()
            },  # fmt: skip
            "an extra 1/m",
        ),
    ],
}

PLANTED_CASES = [(name, fn, hint) for name, planted in PLANTED.items() for fn, hint in planted]


def test_every_exercise_has_planted_mistakes():
    assert set(PLANTED) == set(COURSE_1) and all(len(v) >= 2 for v in PLANTED.values())


@pytest.mark.parametrize(
    "name, fn, hint", PLANTED_CASES, ids=[f"{n}-{i}" for n in PLANTED for i in range(len(PLANTED[n]))]
)
def test_a_planted_mistake_fails_with_its_hint(name, fn, hint):
    result = EXERCISES[name].check(fn, quiet=True)
    assert not result and not result.passed
    assert hint in result.message, result.message


# ---- what a student may hand in ------------------------------------------------------------------
def test_unanswered_exercise_says_what_is_still_to_do(capsys):
    def propagate(w, b, X, Y):
        raise NotImplementedError

    result = EXERCISES["propagate"].check(propagate)
    assert not result and "还没写" in capsys.readouterr().out and "not written yet" in result.message


def test_a_students_exception_is_a_hint_not_raised():
    def sigmoid(z):
        return 1 / (1 + np.exp(-z)) @ np.ones((7, 7))

    result = EXERCISES["sigmoid"].check(sigmoid, quiet=True)
    assert not result and "your function raised: ValueError" in result.message and "例 1 / case 1" in result.message
    assert "the shapes do not fit: W[l] is (n[l], n[l−1])" in result.message


def test_a_body_left_as_none_is_named():
    result = EXERCISES["sigmoid_derivative"].check(lambda x: None, quiet=True)
    assert "got NoneType" in result.message
    result = EXERCISES["propagate"].check(lambda w, b, X, Y: None, quiet=True)
    assert "should return a tuple or list of 2 items, got NoneType" in result.message
    result = EXERCISES["backward_propagation"].check(lambda *a: [1, 2], quiet=True)
    assert "should return a dict" in result.message


def test_a_value_returned_instead_of_numbers_is_named():
    from tinygrad_cn import Value

    result = EXERCISES["sigmoid"].check(lambda z: Value(sigmoid(z)), quiet=True)
    assert "a Value was returned" in result.message


@pytest.mark.parametrize("hostile", [None, 3, "sigmoid", np.zeros(3), [sigmoid]])
def test_check_refuses_what_is_not_a_function(hostile):
    with pytest.raises(TypeError, match="check\\(sigmoid\\) 需要一个函数.* / check\\(sigmoid\\) needs a function, got"):
        EXERCISES["sigmoid"].check(hostile)


@pytest.mark.parametrize("name", ["sigmod", None, 3])
def test_check_by_name_refuses_an_unknown_name(name):
    with pytest.raises(ValueError, match="没有名为 .* 的练习.* / no exercise named"):
        check(name, sigmoid)


def test_check_by_name_and_the_students_random_state_is_left_alone():
    np.random.seed(5)
    before = np.random.rand()
    np.random.seed(5)
    assert check("initialize_parameters", EXERCISES["initialize_parameters"].solution)
    assert np.random.rand() == before


def test_the_students_inputs_are_copies():
    """A function that writes into its inputs does not change the next case or the reference."""

    def update_parameters(parameters, grads, learning_rate=1.2):
        for k in parameters:
            parameters[k] -= learning_rate * grads["d" + k]
        return parameters

    assert EXERCISES["update_parameters"].check(update_parameters, quiet=True)


def test_the_engine_is_the_witness_for_gradients():
    """The expected dw of propagate comes from the engine's backward, not from the solution: a
    solution with a slip would fail its own check."""
    exercise = EXERCISES["propagate"]
    assert exercise.expect is not exercise.solution
    w, b, X, Y = exercise.cases(np.random.default_rng(0))[0]
    grads, cost = exercise.expect(w, b, X, Y)
    ref, ref_cost = exercise.solution(w, b, X, Y)
    np.testing.assert_allclose(grads["dw"], ref["dw"], rtol=1e-12)
    assert abs(cost - ref_cost) < 1e-12


@pytest.mark.parametrize(
    "returned, hint",
    [
        (np.array([]), "形状是 (0,)，应为 (3, 4) / shape (0,), expected (3, 4)"),
        ("sigmoid", "should be numbers (a numpy array), got str"),
        (np.full((3, 4), np.nan), "nan or inf appeared"),
        ([[1, 2], [3]], "should be numbers (a numpy array), got list"),
    ],
)
def test_odd_returns_are_named_not_raised(returned, hint):
    result = EXERCISES["sigmoid"].check(lambda z: returned, quiet=True)
    assert not result and hint in result.message, result.message


def test_a_function_with_the_wrong_arguments_is_a_hint():
    result = EXERCISES["propagate"].check(lambda w, b, X: None, quiet=True)
    assert not result and "your function raised: TypeError" in result.message
