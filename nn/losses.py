"""Losses as ops: forward and the course's derivative side by side (course §2.3, §4.7)."""

import numpy as np

from tinygrad_cn import Function, Value, log_softmax
from tinygrad_cn.messages import bilingual, describe
from tinygrad_cn.value import data_of

TINY = 1e-15  # keeps log finite at A = 0 or 1; inactive for any A a float64 sigmoid gives in (0, 1)


def check_labels(op, y):
    """Labels exactly 0 or 1 (an array): what a cost must check anew for every Y, even on a graph
    it has built before."""
    if y.dtype.kind not in "fiub" or np.count_nonzero(y * (1 - y)):  # y(1 − y) = 0 only at 0 and 1
        raise ValueError(bilingual(f"{op}: 标签 Y 只能是 0 或 1", f"{op}: labels Y must be 0 or 1"))


def _check(op, A, Y, probabilities):
    """Shapes (1, m) both, labels exactly 0 or 1, and A in [0, 1] when A is a probability."""
    a, y = data_of(A), data_of(Y)
    if not isinstance(A, Value) or type(a) is not np.ndarray:
        raise TypeError(
            bilingual(
                f"{op}: 预测必须是形状为 (1, m) 的 Value",
                f"{op}: the prediction must be a Value of shape (1, m), got {type(A).__name__}",
            )
        )
    if type(y) is not np.ndarray:
        y = np.asarray(y)
    if a.shape != y.shape or a.ndim != 2 or a.shape[1] == 0:
        raise ValueError(
            bilingual(
                f"{op}: 预测与标签的形状必须都是 (1, m)，m ≥ 1",
                f"{op}: prediction and labels must both be (1, m) with m ≥ 1: {describe(A)} vs {describe(Y)}",
            )
        )
    check_labels(op, y)
    if probabilities and not np.all((a >= 0) & (a <= 1)):
        raise ValueError(
            bilingual(
                f"{op}: 预测 A 是概率，必须在 [0, 1] 之内（传入的是 logits？请用 binary_cross_entropy_with_logits）",
                f"{op}: the prediction A is a probability and must lie in [0, 1] (logits? use "
                f"binary_cross_entropy_with_logits)",
            )
        )


def _examples(A):
    """m: the columns of A (1, m); one example when A is a single number (the scalar view)."""
    return A.shape[1] if getattr(A, "ndim", 0) == 2 else 1


class BinaryCrossEntropy(Function, name="binary_cross_entropy", symbol="BCE"):
    """J = −(1/m) Σ (Y log A + (1 − Y) log(1 − A))"""

    @staticmethod
    def forward(ctx, A, Y):
        m = _examples(A)
        return float(-(Y * np.log(np.maximum(A, TINY)) + (1 - Y) * np.log(np.maximum(1 - A, TINY))).sum() / m)

    @staticmethod
    def backward(ctx, g):
        A, Y = ctx.inputs
        m = _examples(A)
        # dA[L] = −(Y/A − (1−Y)/(1−A)) = (A − Y) / (A(1 − A)), per example; Y is data
        return g * (A - Y) / ((A * (1 - A) + TINY) * m), None


class BinaryCrossEntropyWithLogits(Function, name="bce_with_logits", symbol="BCE(σ(z))"):
    """The same cost from Z = logits: J = (1/m) Σ log(1 + e^Z) − Z Y, never overflowing."""

    @staticmethod
    def forward(ctx, Z, Y):
        softplus = np.maximum(Z, 0.0) + np.log1p(np.exp(-np.abs(Z)))  # log(1 + e^Z), never overflowing
        ctx.A = np.exp(Z - softplus)  # σ(Z) = e^Z / (1 + e^Z), kept for backward
        return float((np.add.reduce(softplus, None) - np.vdot(Z, Y)) / _examples(Z))  # (np.sum's wrappers cost a µs)

    @staticmethod
    def backward(ctx, g):
        Z, Y = ctx.inputs
        A = Z.sigmoid() if isinstance(Z, Value) else ctx.A  # a graph of σ(Z) when differentiated twice
        return (A - Y) * (g / _examples(Z)), None  # dZ[L] = A[L] − Y, per example


def binary_cross_entropy(A, Y):
    """J from probabilities A (1, m) and 0/1 labels Y (1, m)."""
    _check("binary_cross_entropy", A, Y, probabilities=True)
    J = BinaryCrossEntropy.apply(A, Y)
    J.label = "J"
    return J


def binary_cross_entropy_with_logits(Z, Y):
    """J from logits Z = Z[L] (1, m) and 0/1 labels Y (1, m): the same number as from σ(Z)."""
    _check("binary_cross_entropy_with_logits", Z, Y, probabilities=False)
    J = BinaryCrossEntropyWithLogits.apply(Z, Y)
    J.label = "J"
    return J


def one_hot(Y, C):
    """Labels as columns of 0s and 1s: integer labels (1, m) -> (C, m); one-hot (C, m) as it is."""
    y = np.asarray(data_of(Y))
    if y.ndim == 2 and y.shape[0] == C and C > 1 and np.count_nonzero(y * (1 - y)) == 0 and np.all(y.sum(axis=0) == 1):
        return y.astype(np.float64)
    if y.ndim != 2 or y.shape[0] != 1 or not np.all((y == np.round(y)) & (y >= 0) & (y < C)):
        raise ValueError(
            bilingual(
                f"标签应为 one-hot 的 (C, m) 或 0..C−1 的整数 (1, m)，C = {C}",
                f"labels must be one-hot (C, m) or integers 0..C−1 of shape (1, m), C = {C}; got {y.shape}",
            )
        )
    out = np.zeros((C, y.shape[1]))
    out[y[0].astype(np.int64), np.arange(y.shape[1])] = 1.0
    return out


def softmax_cross_entropy(Z, Y):
    """J = −(1/m) Σ Y ⊙ log softmax(Z) from the logits Z (C, m), stable; its gradient dJ/dZ[L] is
    (A[L] − Y) / m, the course's dZ[L] = A[L] − Y over m. Y one-hot (C, m) or integer labels (1, m)."""
    if not isinstance(Z, Value) or Z.ndim != 2:
        raise TypeError(
            bilingual(
                "softmax_cross_entropy: Z 必须是形状为 (C, m) 的 Value",
                "softmax_cross_entropy: Z must be a Value of shape (C, m)",
            )
        )
    C, m = Z.shape
    Yh = one_hot(Y, C)
    if Yh.shape[1] != m:
        raise ValueError(
            bilingual(
                f"softmax_cross_entropy: Z 是 {Z.shape}，标签有 {Yh.shape[1]} 列",
                f"softmax_cross_entropy: Z is {Z.shape} but the labels have {Yh.shape[1]} columns",
            )
        )
    J = -(log_softmax(Z, axis=0) * Yh).sum() * (1.0 / m)
    J.label = "J"
    return J
