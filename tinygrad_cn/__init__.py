"""tinygrad_cn: a small autograd engine that follows Andrew Ng's course.

    from tinygrad_cn import Value
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.backward()          # a.grad == 3, b.grad == 6, c.grad == 9
"""
from .value import Value
from .function import Context, Function, OpError, REGISTRY
from . import ops
from .ops import concatenate, log_softmax, maximum, minimum, softmax, stack, where
from .autodiff import backward, gradients, grad, unbroadcast
from .mode import no_grad, enable_grad, is_grad_enabled, name_scope
from .anomaly import detect_anomaly, AnomalyError
from .gradcheck import (gradcheck, assert_gradcheck, gradgradcheck, gradcheck_parameters, check_graph,
                        GradcheckReport)

__all__ = ["Value", "Function", "Context", "OpError", "REGISTRY", "ops", "concatenate", "log_softmax", "maximum",
           "minimum", "softmax", "stack", "where", "backward", "gradients", "grad",
           "unbroadcast", "no_grad", "enable_grad", "is_grad_enabled", "name_scope",
           "detect_anomaly", "AnomalyError", "gradcheck", "assert_gradcheck", "gradgradcheck",
           "gradcheck_parameters", "check_graph",
           "GradcheckReport"]
__version__ = "0.1.0"
