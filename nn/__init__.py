"""nn: the course's networks built on the tinygrad_cn engine.

Examples are columns: X (n_x, m), Y (1, m). Layer l: W[l] (n[l], n[l-1]), b[l] (n[l], 1).
"""

from . import datasets, formulas
from .batchnorm import BatchNorm
from .dropout import Dropout
from .init import initialize
from .layers import (
    Activation,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    leaky_relu,
    linear,
    relu,
    sigmoid,
    tanh,
)
from .losses import binary_cross_entropy, binary_cross_entropy_with_logits, one_hot, softmax_cross_entropy
from .minibatch import random_mini_batches
from .models import DeepNet, LogisticRegression, TwoLayerNet
from .module import Module
from .optim import Adam, GradientDescent, Momentum, RMSprop, inverse_time_decay, make_optimizer, scheduled_decay
from .scalar import scalar_two_layer

__all__ = [
    "Module",
    "Linear",
    "Sequential",
    "Activation",
    "Softmax",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "linear",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "one_hot",
    "softmax_cross_entropy",
    "initialize",
    "GradientDescent",
    "Momentum",
    "RMSprop",
    "Adam",
    "make_optimizer",
    "inverse_time_decay",
    "scheduled_decay",
    "Dropout",
    "BatchNorm",
    "random_mini_batches",
    "LogisticRegression",
    "TwoLayerNet",
    "DeepNet",
    "scalar_two_layer",
    "datasets",
    "formulas",
]
