"""Every built-in op, one small `Function` each, grouped by kind; and the dialect of
functions that take floats, arrays and Values alike (`ops.exp(x)`, `ops.where(...)`)."""
from .dialect import div, exp, expand, kept_shape, log, power, reshape, sigmoid, tanh, transpose, where
from .arith import Add, Affine, Div, MatMul, Mul, Neg, Pow, Sub, affine
from .unary import Exp, LeakyReLU, Log, ReLU, Sigmoid, Tanh
from .reduce import Mean, Sum
from .shape import BroadcastTo, Reshape, Transpose, Where

__all__ = ["Add", "Sub", "Mul", "Div", "Pow", "Neg", "MatMul", "Affine", "affine", "Exp", "Log", "Tanh",
           "Sigmoid", "ReLU", "LeakyReLU", "Sum", "Mean", "Transpose", "Reshape", "BroadcastTo", "Where",
           "div", "exp", "expand", "kept_shape", "log", "power", "reshape", "sigmoid", "tanh", "transpose",
           "where"]
