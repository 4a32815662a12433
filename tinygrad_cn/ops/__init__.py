"""Every built-in op, one small `Function` each, grouped by kind; and the dialect of
functions that take floats, arrays and Values alike (`ops.exp(x)`, `ops.where(...)`)."""

from .arith import Add, Affine, Div, MatMul, Mul, Neg, Pow, Sub, affine
from .dialect import div, exp, expand, kept_shape, log, power, reshape, sigmoid, tanh, transpose, where
from .index import Concatenate, Index, Scatter, Stack, concatenate, stack
from .reduce import Max, Mean, Min, Sum
from .select import Abs, Clip, Maximum, Minimum, maximum, minimum
from .shape import Astype, BroadcastTo, Reshape, Transpose, Where
from .softmax import LogSoftmax, Softmax, log_softmax, softmax
from .unary import Exp, LeakyReLU, Log, ReLU, Sigmoid, Softplus, Sqrt, Tanh

__all__ = [
    "Add",
    "Sub",
    "Mul",
    "Div",
    "Pow",
    "Neg",
    "MatMul",
    "Affine",
    "affine",
    "Exp",
    "Log",
    "Tanh",
    "Sigmoid",
    "ReLU",
    "LeakyReLU",
    "Softplus",
    "Sqrt",
    "Sum",
    "Mean",
    "Max",
    "Min",
    "Transpose",
    "Reshape",
    "BroadcastTo",
    "Astype",
    "Where",
    "Abs",
    "Clip",
    "Maximum",
    "Minimum",
    "maximum",
    "minimum",
    "Softmax",
    "LogSoftmax",
    "softmax",
    "log_softmax",
    "Index",
    "Scatter",
    "Concatenate",
    "Stack",
    "concatenate",
    "stack",
    "div",
    "exp",
    "expand",
    "kept_shape",
    "log",
    "power",
    "reshape",
    "sigmoid",
    "tanh",
    "transpose",
    "where",
]
