"""Graphs built again without the Python that built them: FeedForward.cost's Recipe (a fresh graph
of the same ops) and the written-out forward and walk (compiled.py) of Replay and Recipe. Each is
held to what the ordinary path gives, number for number, and to the same refusals."""

import numpy as np
import pytest

import nn
from tinygrad_cn import Function, OpError, Value, detect_anomaly, no_grad
from tinygrad_cn.autodiff import all_nodes
from tinygrad_cn.compiled import LIMIT, compile_walk
from tinygrad_cn.replay import Recipe, Replay

X, Y = nn.datasets.planar_flower()


def signature(J):
    """Everything a picture or a user can read of a graph, node by node."""

    def attrs(n):  # a module or generator passed as an attribute: its kind (two models have two)
        return {k: v if isinstance(v, (int, float, str)) else type(v).__name__ for k, v in n.attrs.items()}

    return [(n.op, n.label, n.scope, attrs(n), n.shape, n.requires_grad, n.is_leaf) for n in all_nodes(J)]


def same_graph(J, K):
    assert signature(J) == signature(K)
    for a, b in zip(all_nodes(J), all_nodes(K)):
        assert np.array_equal(a.data, b.data)
        assert (a.grad_or_none is None) == (b.grad_or_none is None)
        if a.grad_or_none is not None:
            assert np.array_equal(a.grad_or_none, b.grad_or_none)


@pytest.fixture
def rebuilds(monkeypatch):
    """How many graphs a Recipe made (so a test knows the fast path ran)."""
    count = [0]
    make = Recipe.make

    def counted(self, *inputs):
        root = make(self, *inputs)
        count[0] += root is not None
        return root

    monkeypatch.setattr(Recipe, "make", counted)
    return count


MODELS = {
    "two_layer": lambda: nn.TwoLayerNet(2, 4, 1, seed=2),
    "deep_relu": lambda: nn.DeepNet([2, 5, 3, 1], seed=1),
    "logistic": lambda: nn.LogisticRegression(2),
    "batch_norm": lambda: nn.DeepNet([2, 5, 3, 1], seed=1, batch_norm=True),
}


@pytest.mark.parametrize("lambd", [0.0, 0.7])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_a_rebuilt_cost_is_the_graph_a_fresh_model_builds(name, lambd, rebuilds):
    model, fresh = MODELS[name](), MODELS[name]()
    for step in range(3):  # the first two build, the third is rebuilt
        J = model.cost(X, Y, lambd)
        K = fresh.cost(X, Y, lambd)
        for m in (model, fresh):
            m.zero_grad()
        J.backward()
        K.backward()
        same_graph(J, K)
        for (name_a, p), (name_b, q) in zip(model.named_parameters(), fresh.named_parameters()):
            assert name_a == name_b and np.array_equal(p.grad, q.grad)
        for m in (model, fresh):  # a step, so that the next graph is on new parameters
            for p in m.parameters():
                p.data = p.data - 0.5 * p.grad
        fresh = MODELS[name]()  # a model that has never built this graph, in the same state
        fresh.load_state_dict(model.state_dict())
        if name == "batch_norm":  # (its running averages are state too)
            for a, b in zip(model.modules, fresh.modules):
                if isinstance(a, nn.BatchNorm):
                    b.running_mean, b.running_var = a.running_mean.copy(), a.running_var.copy()
    assert rebuilds[0] == 1


def test_a_rebuilt_graph_leaves_the_earlier_graphs_as_they_were(rebuilds):
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    first = [model.cost(X, Y) for _ in range(3)]
    J_before = [J.data for J in first]
    later = model.cost(X * 3.0, 1.0 - Y)  # other data, the same shapes: the same recipe
    assert rebuilds[0] == 2 and later.data != first[0].data
    assert [J.data for J in first] == J_before
    first[2].backward()  # an old graph still walks, to its own grads
    fresh = nn.TwoLayerNet(2, 4, 1, seed=2)
    K = fresh.cost(X, Y)
    K.backward()
    same_graph(first[2], K)


def test_what_the_graph_depends_on_makes_a_new_graph(rebuilds):
    """Switches, shapes, the parameters themselves: each change gives what a fresh build gives."""
    model = nn.DeepNet([2, 5, 3, 1], seed=1)
    for _ in range(3):
        model.cost(X, Y)
    assert rebuilds[0] == 1

    def check(Xs, Ys, lambd=0.0):
        fresh = nn.DeepNet([2, 5, 3, 1], seed=1)
        fresh.load_state_dict(model.state_dict())
        fresh.train(model.training)
        for a, b in zip(model.dropouts(), fresh.dropouts()):
            b.keep_prob = a.keep_prob
        model.zero_grad()
        J, K = model.cost(Xs, Ys, lambd), fresh.cost(Xs, Ys, lambd)
        J.backward()
        K.backward()
        same_graph(J, K)
        return J

    check(X[:, :100], Y[:, :100])  # another m
    J = check(X, Y, lambd=0.3)  # L2 on
    assert any(n.op == "*" and n.inputs[0] is n.inputs[1] for n in all_nodes(J))  # W * W is there
    model.eval()
    check(X, Y)  # eval: no dropout, batch statistics not kept
    model.train()
    for d in model.dropouts():
        d.keep_prob = 0.5
    J = check(X, Y)  # every call draws its own masks: the same draws as the fresh model's
    assert any(n.op == "dropout" for n in all_nodes(J))
    for d in model.dropouts():
        d.keep_prob = 1.0
    model.modules[0].W = Value(np.full((5, 2), 0.1), label="W1")  # a parameter replaced
    J = check(X, Y)
    assert any(n is model.modules[0].W for n in all_nodes(J))


def test_a_rebuilt_cost_still_checks_the_labels():
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    for _ in range(3):
        model.cost(X, Y)
    bad = Y.copy()
    bad[0, 7] = 2.0
    with pytest.raises(ValueError, match="0 或 1.*0 or 1"):
        model.cost(X, bad)
    with pytest.raises(ValueError, match=r"\(1, m\)"):
        model.cost(X, Y[:, :10])  # another shape: built, and refused, as ever
    with pytest.raises(ValueError):
        model.cost(X[:1], Y)  # W1 (4, 2) @ X (1, 400)


def test_parameters_and_inputs_that_change_requires_grad():
    model, fresh = nn.TwoLayerNet(2, 4, 1, seed=2), nn.TwoLayerNet(2, 4, 1, seed=2)
    for _ in range(3):
        model.cost(X, Y)
    model.W1.requires_grad = fresh.W1.requires_grad = False
    J, K = model.cost(X, Y), fresh.cost(X, Y)
    J.backward()
    K.backward()
    same_graph(J, K)
    assert model.W1.grad_or_none is None and model.W2.grad_or_none is not None
    Xg = Value(X, label="X")  # an input that wants its own grad (dJ/dX)
    for _ in range(3):
        J = model.cost(Xg, Y)
    model.zero_grad()
    Xg.zero_grad()
    J.backward()
    dX = Xg.grad.copy()
    Xf = Value(X, label="X")
    K = fresh.cost(Xf, Y)
    K.backward()
    assert np.array_equal(dX, Xf.grad)


def test_no_grad_and_detect_anomaly_build_as_usual():
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    for _ in range(3):
        model.cost(X, Y)
    with no_grad():
        J = model.cost(X, Y)
    assert J.is_leaf and not J.requires_grad
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with detect_anomaly(), pytest.raises(ValueError, match="affine"):
        model.cost(Xn, Y)


def test_recipe_refuses_what_it_cannot_rebuild():
    a, b = Value(np.ones((2, 1)), label="a"), Value(np.ones((2, 1)), label="b")
    J = ((a * b).tanh() + 1.0).sum()
    with pytest.raises(ValueError, match="leaves"):
        Recipe(J, (a * b,))
    recipe = Recipe(J, (a,))
    for wrong in ((), (np.ones((2, 1)),), (Value(np.ones((3, 1))),), (Value(2.0),), (a, a)):
        assert recipe.make(*wrong) is None
        with pytest.raises(ValueError, match="形状.*shapes"):
            recipe(*wrong)
    K = recipe(Value(np.full((2, 1), 2.0)))
    assert K.data == pytest.approx(2 * (np.tanh(2.0) + 1.0))
    with detect_anomaly(), pytest.raises(ValueError, match="detect_anomaly"):
        recipe(Value(np.ones((2, 1))))
    with no_grad(), pytest.raises(ValueError, match="no_grad"):
        recipe(Value(np.ones((2, 1))))
    b.data = np.ones((3, 1))  # another leaf of another shape: the ops would see something else
    assert recipe.make(Value(np.ones((2, 1)))) is None
    x = Value(1.0)
    y = x
    for _ in range(LIMIT):
        y = y * 1.0
    with pytest.raises(ValueError, match="too big"):
        Recipe(y, (x,))


class Twice(Function):
    """A custom op with a context, attributes and a broadcasting input: x * s * scale."""

    @staticmethod
    def forward(ctx, x, s, scale=1.0):
        ctx.save_for_backward(x, s)
        return x * s * scale

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        return g * s * ctx.attrs["scale"], g * x * ctx.attrs["scale"]


def walks():
    """Graphs with every case the walk meets: two and three inputs, one-input rules returning a bare
    grad, constants, broadcasting back to a (3, 1) and to a float, a context with attributes."""
    rng = np.random.default_rng(0)
    W = Value(rng.normal(size=(3, 2)), label="W")
    b = Value(rng.normal(size=(3, 1)), label="b")
    A = Value(rng.normal(size=(2, 5)), label="A", requires_grad=False)
    c = Value(0.7, label="c")
    Z = W @ A + b  # (3, 5) + (3, 1)
    H = Twice.apply(Z.tanh(), b, scale=2.0) * c + 3.0
    J1 = (H.relu() + Z.sigmoid() * 0.5).sum() + c * c
    x = Value(0.3, label="x")
    J2 = (x * x).exp() + (2.0 - x).log() * x
    return [J1, J2]


@pytest.mark.parametrize("k", [0, 1])
def test_the_written_out_walk_gives_the_walks_grads(k):
    J = walks()[k]
    J.backward()
    expected = {id(n): n.grad_or_none for n in all_nodes(J)}
    graph = Replay(J)
    graph.forward()
    graph.backward()
    for n in all_nodes(J):
        want = expected[id(n)]
        assert (n.grad_or_none is None) == (want is None)
        if want is not None:
            assert np.array_equal(n.grad_or_none, want), n.label or n.op


def op_whose_backward_returns(answer):
    class Odd(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, g):
            return answer(g)

    return Odd


def test_the_written_out_walk_refuses_as_the_walk_does():
    WrongCount = op_whose_backward_returns(lambda g: (g, g))
    IntGrad = op_whose_backward_returns(lambda g: np.ones(np.shape(g), dtype=np.int64))
    for op, error in ((WrongCount, "must return 1 grads"), (IntGrad, "int64")):
        x = Value(np.ones((2, 2)), label="x")
        J = op.apply(x).sum()
        graph = Replay(J)
        with pytest.raises(TypeError, match=error):
            graph.backward()
        assert all(n.grad_or_none is None for n in all_nodes(J))  # nothing half done
    assert compile_walk([Value(1.0)] * (LIMIT + 1)) is None


def test_the_written_out_forward_refuses_as_apply_does():
    W = Value(np.ones((4, 2)), label="W1")
    A = Value(np.ones((2, 3)), label="X", requires_grad=False)
    J = (W @ A).tanh().sum()
    graph = Replay(J)
    A.data = np.ones((5, 3))
    with pytest.raises(OpError, match=r"W\[1\] \(4, 2\) @ X \(5, 3\)") as caught:
        graph.forward()
    assert caught.value.op.name == "@"
    A.data = np.full((2, 3), 2.0)
    graph.forward()
    assert J.data == pytest.approx(12 * np.tanh(4.0))


def test_an_input_that_stops_requiring_grad_gets_none_from_the_written_out_walk():
    a, b = Value(np.ones((2, 2)), label="a"), Value(np.full((2, 2), 3.0), label="b")
    J = (a * b).sum()  # × returns both grads whatever needs_input_grad says
    graph = Replay(J)
    b.requires_grad = False
    graph.backward()
    assert b.grad_or_none is None and np.array_equal(a.grad, np.full((2, 2), 3.0))


@pytest.mark.parametrize(
    "lambd, error",
    [
        ("abc", TypeError),
        (None, TypeError),
        (True, TypeError),
        (np.nan, ValueError),
        (-1, ValueError),
        (np.inf, ValueError),
    ],
)
def test_cost_refuses_an_l2_factor_that_is_not_a_finite_number_at_least_0(lambd, error):
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    with pytest.raises(error, match="lambd"):
        model.cost(X, Y, lambd)
    assert model.cost(X, Y, np.float64(0.5)).data == pytest.approx(model.cost(X, Y, 0.5).data)


def test_a_parameter_of_another_shape_builds_as_usual(rebuilds):
    model = nn.DeepNet([2, 5, 3, 1], seed=1, batch_norm=True)
    for _ in range(3):
        model.cost(X, Y)
    assert rebuilds[0] == 1
    norm = model.modules[1]
    norm.gamma.data = np.ones(5)  # the ordinary path refuses it, naming gamma
    with pytest.raises(ValueError, match=r"gamma \(5,\)"):
        model.cost(X, Y)
    assert rebuilds[0] == 1


@pytest.mark.parametrize("junk", [1.0, None, "J", np.ones(2), [Value(1.0)]])
def test_replay_and_recipe_refuse_what_is_not_a_graph(junk):
    with pytest.raises(TypeError, match="Replay.*Value"):
        Replay(junk)
    with pytest.raises(TypeError, match="Recipe.*Value"):
        Recipe(junk, ())
    J = Value(np.ones((2, 2)), label="a").sum()
    with pytest.raises(ValueError, match="leaves"):
        Recipe(J, junk)
