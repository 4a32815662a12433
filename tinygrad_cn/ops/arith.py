"""Arithmetic: + − × ÷ ** and matrix products. Each forward beside its local derivative."""

import numpy as np

from ..function import Function
from ..messages import bilingual
from ..value import data_of as _data
from .dialect import div, log, power, row_sums, where


class Add(Function, name="+", symbol="+", infix=True, operator="add", elementwise=True, ufunc=np.add):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g  # d(a+b)/da = 1, d(a+b)/db = 1


class Sub(Function, name="-", symbol="−", infix=True, operator="sub", elementwise=True, ufunc=np.subtract):
    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, -g  # 1, −1


class Mul(Function, name="*", symbol="×", infix=True, operator="mul", elementwise=True, ufunc=np.multiply):
    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return g * b, g * a  # d(ab)/da = b, d(ab)/db = a


class Div(Function, name="/", symbol="÷", infix=True, operator="truediv", elementwise=True, ufunc=np.true_divide):
    @staticmethod
    def forward(ctx, a, b):
        return div(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        return div(g, b), -g * div(div(a, b), b)  # 1/b, −a/b² (as (a/b)/b: −inf, not nan, at b = −0)


class Pow(Function, name="**", symbol="^", infix=True, operator="pow", elementwise=True, ufunc=np.power):
    @staticmethod
    def forward(ctx, x, y):
        return power(x, y)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.inputs
        need_x, need_y = ctx.needs_input_grad
        gx = gy = None
        if need_x:  # d(x^y)/dx = y x^(y−1); 0 where y = 0
            flat = _data(y) == 0  # (as PyTorch, HIPS and JAX: x⁰ is flat, even at 0)
            if np.any(flat):  # x moved off 0 there, so no inf·0 = nan at any order
                gx = where(flat, 0.0, g * y * power(where(flat, 1.0, x), y - 1))
            else:
                gx = g * y * power(x, y - 1)
        if need_y:  # d(x^y)/dy = x^y ln x; 0 where x = 0 ≤ y (and what differentiates that is nan there,
            flat = (_data(x) == 0) & (_data(y) >= 0)  # as PyTorch: the mixed derivative does not exist at x = 0)
            with np.errstate(invalid="ignore"):
                gy = g * ctx.output * log(x)
            if np.any(flat):
                gy = where(flat, 0.0, gy)
        return gx, gy


class Neg(Function, name="neg", symbol="−", operator="neg", ufunc=np.negative):
    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, g):
        return -g  # −1


def _check_matrices(op, A, B):
    if type(A) is not np.ndarray or type(B) is not np.ndarray or A.ndim != 2 or B.ndim != 2:
        raise ValueError(
            bilingual(
                f"{op} 需要二维矩阵，一维数组请 reshape 成 (n, 1) 或 (1, n)",
                f"{op} needs 2-D matrices; reshape one-dimensional arrays to (n, 1) or (1, n)",
            )
        )
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"{A.shape[1]} ≠ {B.shape[0]}")


class MatMul(Function, name="@", symbol="@", infix=True, operator="matmul", ufunc=np.matmul):
    @staticmethod
    def forward(ctx, a, b):
        _check_matrices("@", a, b)
        return a @ b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad  # X rarely needs dX: skip that matmul
        return (
            g @ b.T if need_a else None,  # dA = G Bᵀ
            a.T @ g if need_b else None,
        )  # dB = Aᵀ G


class Affine(Function, name="affine", symbol="WA+b"):
    """Z = W A + b as one step, as the course draws z = wᵀx + b: one node, not two."""

    @staticmethod
    def forward(ctx, W, A, b):
        if (
            type(W) is not np.ndarray
            or type(A) is not np.ndarray
            or W.ndim != 2
            or A.ndim != 2
            or type(b) is np.ndarray
            and b.ndim == 1
        ):
            _check_matrices("affine", W, A)  # says which (the test above is the fast path of every layer)
            raise ValueError(
                bilingual("b 必须是 (n, 1)，不能是一维数组", "b must be (n, 1), not a one-dimensional array")
            )
        try:
            Z = W @ A
        except ValueError:
            _check_matrices("affine", W, A)  # the mismatch, as n ≠ n' (apply adds the shapes)
            raise
        Z += b  # in place: Z is new, and b broadcasts into it (a b that would widen Z raises)
        return Z

    @staticmethod
    def backward(ctx, g):
        W, A, _ = ctx.inputs
        need_W, need_A, _ = ctx.needs_input_grad
        dA = None
        if need_A:  # dA = Wᵀ dZ; for one output row (the course's sigmoid layer) that is an outer
            outer = type(W) is np.ndarray and W.shape[0] == 1  # product: the very same numbers, faster
            dA = W.T * g if outer else W.T @ g
        return (
            g @ A.T if need_W else None,  # dW = dZ Aᵀ
            dA,
            row_sums(g),
        )  # db = Σ dZ over the examples (axis=1)


def affine(W, A, b):
    """Z = W @ A + b in one op node."""
    return Affine.apply(W, A, b)
