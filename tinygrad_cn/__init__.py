"""tinygrad_cn: a small autograd engine that follows Andrew Ng's course.

from tinygrad_cn import Value
a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
J = 3 * (a + b * c)
J.backward()          # a.grad == 3, b.grad == 6, c.grad == 9
"""

from . import ops
from .anomaly import AnomalyError, detect_anomaly
from .autodiff import backward, grad, gradients, unbroadcast
from .function import REGISTRY, Context, Function, OpError
from .gradcheck import GradcheckReport, assert_gradcheck, check_graph, gradcheck, gradcheck_parameters, gradgradcheck
from .mode import enable_grad, is_grad_enabled, name_scope, no_effects, no_grad
from .ops import concatenate, log_softmax, maximum, minimum, softmax, stack, where
from .replay import Replay
from .value import Value

__all__ = [
    "Value",
    "Function",
    "Context",
    "OpError",
    "REGISTRY",
    "Replay",
    "ops",
    "concatenate",
    "log_softmax",
    "maximum",
    "minimum",
    "softmax",
    "stack",
    "where",
    "backward",
    "gradients",
    "grad",
    "unbroadcast",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "no_effects",
    "name_scope",
    "detect_anomaly",
    "AnomalyError",
    "gradcheck",
    "assert_gradcheck",
    "gradgradcheck",
    "gradcheck_parameters",
    "check_graph",
    "GradcheckReport",
]
__version__ = "0.1.0"
