"""Side by side with PyTorch (float64): values, first derivatives and second derivatives
(Hessian-vector products) of every op, over random broadcasting shapes (hypothesis).

PyTorch comes from the `compare` extra; CI installs it (TINYGRAD_CN_STRICT=1 makes its
absence a failure there), elsewhere these tests skip with the reason."""

import numpy as np
import pytest
from conftest import need_module
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, broadcastable_shapes

import tinygrad_cn as tg
from tinygrad_cn import Value

torch = need_module("torch")
CHECK = settings(max_examples=40, deadline=None)


def finite(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def broadcast_pair(draw, a_elements, b_elements):
    """Two arrays whose shapes broadcast (either may be the larger), without the rank-1 trap
    the engine refuses; the first is drawn from a_elements, the second from b_elements."""
    shape = draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    other = draw(broadcastable_shapes(shape, min_dims=len(shape), max_dims=len(shape), max_side=4))
    if draw(st.booleans()):
        shape, other = other, shape
    return draw(arrays(np.float64, shape, elements=a_elements)), draw(arrays(np.float64, other, elements=b_elements))


def compare(ours, theirs, *xs, rtol=1e-9, atol=1e-10):
    """J = Σ W ⊙ tanh(op(...)) both ways: value, ∇J, and the Hessian along a random v."""
    rng = np.random.default_rng(len(xs))
    vs = [Value(x) for x in xs]
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = ours(*vs)
    W = rng.standard_normal(out.shape)
    J = (out.tanh() * W).sum()
    TJ = (torch.tanh(theirs(*ts)) * torch.tensor(W)).sum()
    np.testing.assert_allclose(out.data, theirs(*ts).detach().numpy(), rtol=rtol, atol=atol)
    grads = tg.gradients(J, vs, create_graph=True)
    tgrads = torch.autograd.grad(TJ, ts, create_graph=True)
    for g, tgr in zip(grads, tgrads):
        np.testing.assert_allclose(tg.value.data_of(g), tgr.detach().numpy(), rtol=rtol, atol=atol)
    dirs = [rng.standard_normal(x.shape) for x in xs]
    s = Value(0.0, requires_grad=False)
    for g, d in zip(grads, dirs):
        s = s + (g * d).sum() if isinstance(g, Value) else s
    ours_hv = tg.gradients(s, vs) if s.requires_grad else [np.zeros(x.shape) for x in xs]
    ts_ = sum((tgr * torch.tensor(d)).sum() for tgr, d in zip(tgrads, dirs))
    theirs_hv = torch.autograd.grad(ts_, ts, allow_unused=True)
    for h, th, x in zip(ours_hv, theirs_hv, xs):
        th = np.zeros(x.shape) if th is None else th.numpy()
        np.testing.assert_allclose(h, th, rtol=1e-8, atol=1e-9)


@CHECK
@given(broadcast_pair(finite(-2, 2), finite(-2, 2)))
def test_add_sub_mul_broadcast(ab):
    for op in (lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y):
        compare(op, op, *ab)


@CHECK
@given(broadcast_pair(finite(-2, 2), finite(0.5, 2)))
def test_div(ab):
    compare(lambda x, y: x / y, lambda x, y: x / y, *ab)


@CHECK
@given(broadcast_pair(finite(0.3, 2), finite(-2, 2)))
def test_pow(ab):
    compare(lambda x, y: x**y, lambda x, y: x**y, *ab)


@CHECK
@given(arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=4), elements=finite(-3, 3)))
def test_unary_functions(x):
    pairs = [
        (lambda v: -v, lambda t: -t),
        (lambda v: v.exp(), torch.exp),
        (lambda v: v.tanh(), torch.tanh),
        (lambda v: v.sigmoid(), torch.sigmoid),
        (lambda v: v.softplus(), torch.nn.functional.softplus),
        (lambda v: (v * v + 0.5).log(), lambda t: torch.log(t * t + 0.5)),
    ]
    for ours, theirs in pairs:
        compare(ours, theirs, x)
    away = np.where(np.abs(x) < 0.1, 0.5, x)  # relu's kink is not a derivative to compare
    compare(lambda v: v.relu(), torch.relu, away)
    compare(lambda v: v.leaky_relu(0.2), lambda t: torch.nn.functional.leaky_relu(t, 0.2), away)


@CHECK
@given(arrays(np.float64, array_shapes(min_dims=2, max_dims=3, max_side=4), elements=finite(-2, 2)), st.data())
def test_reductions_and_shapes(x, data):
    axis = data.draw(st.integers(0, x.ndim - 1))
    keep = data.draw(st.booleans())
    compare(lambda v: v.sum(axis=axis, keepdims=keep), lambda t: t.sum(dim=axis, keepdim=keep), x)
    compare(lambda v: v.mean(axis=axis, keepdims=keep), lambda t: t.mean(dim=axis, keepdim=keep), x)
    compare(lambda v: v.sum().reshape(1, 1), lambda t: t.sum().reshape(1, 1), x)
    perm = tuple(reversed(range(x.ndim)))
    compare(lambda v: v.transpose(perm), lambda t: t.permute(perm), x)
    compare(lambda v: v.reshape(-1), lambda t: t.reshape(-1), x)
    mask = x > 0
    compare(lambda v: tg.ops.where(mask, v, v * v), lambda t: torch.where(torch.tensor(mask), t, t * t), x)


@CHECK
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 5), st.data())
def test_matmul_and_affine(n, k, m, data):
    W, A = (
        data.draw(arrays(np.float64, (n, k), elements=finite(-2, 2))),
        data.draw(arrays(np.float64, (k, m), elements=finite(-2, 2))),
    )
    b = data.draw(arrays(np.float64, (n, 1), elements=finite(-2, 2)))
    compare(lambda w, a: w @ a, lambda w, a: w @ a, W, A)
    compare(tg.ops.affine, lambda w, a, c: w @ a + c, W, A, b)


def test_boundaries_match_pytorch():
    """x**0 at 0, d/dy 0**y, and IEEE results at 0, first and second order, floats and arrays."""
    for x0 in (0.0, np.array([0.0, 1.5])):
        t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad((t**0.0).sum(), t, create_graph=True)
        assert not g.requires_grad or not torch.autograd.grad(g.sum(), t, allow_unused=True)[0].any()
        f = (lambda v: (v**0.0).sum()) if np.ndim(x0) else (lambda v: v**0.0)
        np.testing.assert_array_equal(tg.grad(f)(x0), g.detach().numpy())
        assert tg.grad(lambda v: tg.grad(f)(v).sum() if np.ndim(x0) else tg.grad(f)(v))(x0) is not None
        assert not np.any(tg.grad(lambda v: tg.grad(f)(v).sum() if np.ndim(x0) else tg.grad(f)(v))(x0))
        y0 = 2.0
        ty = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
        (gy,) = torch.autograd.grad(torch.tensor(0.0, dtype=torch.float64) ** ty, ty)
        assert tg.grad(lambda y: 0.0**y)(y0) == gy.item() == 0.0
    for f, tf in ((lambda v: v.log(), torch.log), (lambda v: 1 / v, lambda t: 1 / t)):
        t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        (tgd,) = torch.autograd.grad(tf(t), t)
        assert tg.grad(f)(0.0) == tgd.item()


def test_softmax_cross_entropy_style_stability_against_pytorch():
    """Saturated sigmoid/log at ±1000 on floats and arrays: the same inf/nan PyTorch gives."""
    z = np.array([-1000.0, 1000.0])
    t = torch.tensor(z, requires_grad=True)
    (tgz,) = torch.autograd.grad(torch.log(torch.sigmoid(t)).sum(), t)
    v = Value(z)
    J = v.sigmoid().log().sum()
    J.backward()
    np.testing.assert_array_equal(np.isnan(v.grad), np.isnan(tgz.numpy()))
    np.testing.assert_array_equal(v.grad[~np.isnan(v.grad)], tgz.numpy()[~np.isnan(tgz.numpy())])


@CHECK
@given(arrays(np.float64, (1, 3), elements=finite(-2, 2)), st.integers(1, 4))
def test_broadcast_to(x, rows):
    compare(lambda v: tg.REGISTRY["broadcast_to"].apply(v, shape=(rows, 3)), lambda t: t.expand(rows, 3), x)


@CHECK
@given(arrays(np.float64, (1, 6), elements=finite(-4, 4)), st.data())
def test_the_course_losses_against_pytorch(z, data):
    import nn

    y = np.array(data.draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=6, max_size=6)))[None, :]
    compare(
        lambda v: nn.binary_cross_entropy_with_logits(v, y),
        lambda t: torch.nn.functional.binary_cross_entropy_with_logits(t, torch.tensor(y)),
        z,
    )
    a = 1 / (1 + np.exp(-z))
    compare(
        lambda v: nn.binary_cross_entropy(v, y),
        lambda t: torch.nn.functional.binary_cross_entropy(t, torch.tensor(y)),
        a,
    )


@CHECK
@given(arrays(np.float64, (3, 4), elements=finite(-3, 3)), arrays(np.float64, (1, 4), elements=finite(-3, 3)))
def test_course2_ops_against_pytorch(x, y):
    compare(lambda v: abs(v + 0.05), lambda t: torch.abs(t + 0.05), np.where(np.abs(x + 0.05) < 0.1, 1.0, x))
    compare(lambda v: (v * v + 0.5).sqrt(), lambda t: torch.sqrt(t * t + 0.5), x)
    compare(tg.maximum, torch.maximum, x, y)
    compare(tg.minimum, torch.minimum, x, y)
    compare(lambda v: v.max(axis=0, keepdims=True), lambda t: torch.amax(t, dim=0, keepdim=True), x)
    compare(lambda v: v.min(axis=1), lambda t: torch.amin(t, dim=1), x)
    compare(lambda v: v.clip(-1.0, 1.0), lambda t: torch.clamp(t, -1.0, 1.0), x)
    compare(lambda v: tg.softmax(v, axis=0), lambda t: torch.softmax(t, dim=0), x)
    compare(lambda v: tg.log_softmax(v, axis=0), lambda t: torch.log_softmax(t, dim=0), x)
    idx = np.array([2, 0, 2])
    compare(lambda v: v[idx], lambda t: t[torch.tensor(idx)], x)
    compare(lambda v: v[1:, ::2], lambda t: t[1:, ::2], x)
    compare(lambda v: v[v.data > 0] if (x > 0).any() else v, lambda t: t[t > 0] if (x > 0).any() else t, x)
    compare(lambda a, b: tg.concatenate([a, b], axis=0), lambda a, b: torch.cat([a, b], dim=0), x, y)
    compare(lambda a, b: tg.stack([a, b * 2], axis=1), lambda a, b: torch.stack([a, b * 2], dim=1), x, x)


def test_ties_split_like_pytorch_amax_and_maximum():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    t = torch.tensor(x, requires_grad=True)
    (tg_,) = torch.autograd.grad(torch.amax(t, dim=1).sum(), t)
    np.testing.assert_allclose(tg.grad(lambda v: v.max(axis=1).sum())(x), tg_.numpy())
    a, b = np.array([1.0, 2.0]), np.array([1.0, 0.0])
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    ga, gb = torch.autograd.grad(torch.maximum(ta, tb).sum(), (ta, tb))
    va, vb = Value(a), Value(b)
    tg.maximum(va, vb).sum().backward()
    np.testing.assert_allclose(va.grad, ga.numpy())
    np.testing.assert_allclose(vb.grad, gb.numpy())


def test_batch_norm_equals_pytorch_batchnorm1d():
    """Forward, backward and running statistics, training and evaluation, to 1e-10 in float64."""
    import nn

    rng = np.random.default_rng(5)
    bn = nn.BatchNorm(4)
    tbn = torch.nn.BatchNorm1d(4, eps=1e-5, momentum=0.1, dtype=torch.float64)
    bn.gamma.data, bn.beta.data = rng.uniform(0.5, 2, (4, 1)), rng.standard_normal((4, 1))
    with torch.no_grad():
        tbn.weight.copy_(torch.tensor(bn.gamma.data[:, 0]))
        tbn.bias.copy_(torch.tensor(bn.beta.data[:, 0]))
    for step in range(3):
        Z = rng.standard_normal((4, 9)) * 3 + step
        W = rng.standard_normal((4, 9))
        v = Value(Z)
        out = bn(v)
        (out * W).sum().backward()
        t = torch.tensor(Z.T, requires_grad=True)
        tout = tbn(t)
        (tout * torch.tensor(W.T)).sum().backward()
        np.testing.assert_allclose(out.data, tout.detach().numpy().T, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(v.grad, t.grad.numpy().T, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(bn.gamma.grad[:, 0], tbn.weight.grad.numpy(), rtol=1e-10)
        np.testing.assert_allclose(bn.beta.grad[:, 0], tbn.bias.grad.numpy(), rtol=1e-10)
        tbn.weight.grad = tbn.bias.grad = None
        bn.gamma.zero_grad(), bn.beta.zero_grad()
        np.testing.assert_allclose(bn.running_mean[:, 0], tbn.running_mean.numpy(), rtol=1e-10)
        np.testing.assert_allclose(bn.running_var[:, 0], tbn.running_var.numpy(), rtol=1e-10)
    bn.eval(), tbn.eval()
    Z = rng.standard_normal((4, 5))
    np.testing.assert_allclose(bn(Value(Z)).data, tbn(torch.tensor(Z.T)).detach().numpy().T, rtol=1e-10)


def test_softmax_cross_entropy_equals_pytorch():
    import nn

    rng = np.random.default_rng(6)
    Z, labels = rng.standard_normal((5, 8)) * 4, rng.integers(0, 5, 8)
    v = Value(Z)
    J = nn.softmax_cross_entropy(v, labels[None, :])
    J.backward()
    t = torch.tensor(Z.T, requires_grad=True)
    TJ = torch.nn.functional.cross_entropy(t, torch.tensor(labels))
    TJ.backward()
    assert J.data == pytest.approx(TJ.item(), rel=1e-12)
    np.testing.assert_allclose(v.grad, t.grad.numpy().T, rtol=1e-10, atol=1e-14)
    compare(
        lambda z: nn.softmax_cross_entropy(z, labels[None, :]),
        lambda z: torch.nn.functional.cross_entropy(z.T, torch.tensor(labels)),
        Z,
    )
