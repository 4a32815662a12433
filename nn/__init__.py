"""nn: the course's networks built on the tinygrad_cn engine.

Examples are columns: X (n_x, m), Y (1, m). Layer l: W[l] (n[l], n[l-1]), b[l] (n[l], 1).
"""
from .module import Module
from .layers import (Linear, Sequential, Activation, Softmax, Sigmoid, Tanh, ReLU, LeakyReLU,
                     sigmoid, tanh, relu, leaky_relu, linear)
from .losses import binary_cross_entropy, binary_cross_entropy_with_logits, one_hot, softmax_cross_entropy
from .init import initialize
from .optim import (GradientDescent, Momentum, RMSprop, Adam, make_optimizer, inverse_time_decay,
                    scheduled_decay)
from .dropout import Dropout
from .batchnorm import BatchNorm
from .minibatch import random_mini_batches
from .models import LogisticRegression, TwoLayerNet, DeepNet
from .scalar import scalar_two_layer
from . import datasets, formulas

__all__ = ["Module", "Linear", "Sequential", "Activation", "Softmax", "Sigmoid", "Tanh", "ReLU", "LeakyReLU",
           "sigmoid", "tanh", "relu", "leaky_relu", "linear", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "one_hot", "softmax_cross_entropy", "initialize", "GradientDescent",
           "Momentum", "RMSprop", "Adam", "make_optimizer", "inverse_time_decay", "scheduled_decay", "Dropout", "BatchNorm",
           "random_mini_batches",
           "LogisticRegression", "TwoLayerNet", "DeepNet", "scalar_two_layer", "datasets", "formulas"]
