"""Losses as ops: forward and the course's derivative side by side (course §2.3, §4.7)."""
import numpy as np

from tinygrad_cn import Function, Value
from tinygrad_cn.messages import bilingual, describe
from tinygrad_cn.value import data_of

TINY = 1e-15  # keeps log finite at A = 0 or 1; inactive for any A a float64 sigmoid gives in (0, 1)


def _check(op, A, Y):
    shape_a, shape_y = np.shape(data_of(A)), np.shape(data_of(Y))
    if shape_a != shape_y or len(shape_a) != 2:
        raise ValueError(bilingual(f"{op}: 预测与标签的形状必须都是 (1, m)",
                                   f"{op}: prediction and labels must both be (1, m): "
                                   f"{describe(A)} vs {describe(Y)}"))


class BinaryCrossEntropy(Function):
    """J = −(1/m) Σ (Y log A + (1 − Y) log(1 − A))"""
    name = "binary_cross_entropy"

    @staticmethod
    def forward(ctx, A, Y):
        ctx.save_for_backward(A, Y)
        m = A.shape[1]
        return float(-(Y * np.log(np.maximum(A, TINY)) + (1 - Y) * np.log(np.maximum(1 - A, TINY))).sum() / m)

    @staticmethod
    def backward(ctx, g):
        A, Y = ctx.saved_tensors
        m = A.shape[1]
        # dA[L] = −(Y/A − (1−Y)/(1−A)) = (A − Y) / (A(1 − A)), per example; Y is data
        return g * (A - Y) / ((A * (1 - A) + TINY) * m), None


class BinaryCrossEntropyWithLogits(Function):
    """The same cost from Z = logits: J = (1/m) Σ log(1 + e^Z) − Z Y, never overflowing."""
    name = "bce_with_logits"

    @staticmethod
    def forward(ctx, Z, Y):
        ctx.save_for_backward(Z, Y)
        softplus = np.maximum(Z, 0.0) + np.log1p(np.exp(-np.abs(Z)))  # log(1 + e^Z), never overflowing
        ctx.A = np.exp(Z - softplus)                          # σ(Z) = e^Z / (1 + e^Z), kept for backward
        return float((softplus.sum() - np.vdot(Z, Y)) / Z.shape[1])

    @staticmethod
    def backward(ctx, g):
        Z, Y = ctx.saved_tensors
        A = Z.sigmoid() if isinstance(Z, Value) else ctx.A   # a graph of σ(Z) when differentiated twice
        return (A - Y) * (g / Z.shape[1]), None               # dZ[L] = A[L] − Y, per example


def binary_cross_entropy(A, Y):
    _check("binary_cross_entropy", A, Y)
    J = BinaryCrossEntropy.apply(A, Y)
    J.label = "J"
    return J


def binary_cross_entropy_with_logits(Z, Y):
    _check("binary_cross_entropy_with_logits", Z, Y)
    J = BinaryCrossEntropyWithLogits.apply(Z, Y)
    J.label = "J"
    return J
