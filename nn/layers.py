"""Layers: the linear step Z[l] = W[l] A[l-1] + b[l], activations, Sequential."""

from contextlib import nullcontext

import numpy as np

from tinygrad_cn import REGISTRY, Value, name_scope, softmax
from tinygrad_cn.messages import bilingual
from tinygrad_cn.ops import affine

from .init import initialize
from .module import Module


def activation_names():
    """The engine's ops declared as activations (sigmoid, tanh, relu, ...), and "linear"."""
    return sorted(op.method for op in REGISTRY.values() if op.activation) + ["linear"]


def activation(name):
    """g(Z) for an activation name: the op's Value method, or the identity for "linear"."""
    if name == "linear":
        return lambda Z: Z
    ops = {op.method: op for op in REGISTRY.values() if op.activation}
    if name not in ops:
        raise ValueError(
            bilingual(
                f"未知的激活函数 {name!r}，可选 {activation_names()}",
                f"unknown activation {name!r}; choose from {activation_names()}",
            )
        )
    return ops[name].apply


def sigmoid(Z):
    return Z.sigmoid()


def tanh(Z):
    return Z.tanh()


def relu(Z):
    return Z.relu()


def leaky_relu(Z, slope=0.01):
    return Z.leaky_relu(slope)


def as_input(X, label="X", scope=None):
    """Examples as columns: a numpy array becomes a data leaf (no grad), in `scope` when given."""
    if isinstance(X, Value):
        return X
    X = Value(X, label=label, requires_grad=False)
    if scope is not None:
        X.scope = scope
    return X


def linear(W, b, A_prev, l, Wname=None):
    """Z[l] = W[l] A[l-1] + b[l], refusing what the course warns against (§2.16, §3.5)."""
    if not isinstance(A_prev, Value):
        A_prev = as_input(A_prev, "X" if l == 1 else f"A{l - 1}")
    try:
        Z = affine(W, A_prev, b) if b is not None else W @ A_prev
    except ValueError:
        _refuse(W, A_prev, l, Wname or f"W[{l}]")  # in the layer's words, when they apply
        raise
    Z.label = f"Z{l}"
    return Z


def _refuse(W, A_prev, l, Wname):
    if A_prev.ndim != 2:
        raise ValueError(
            bilingual(
                f"A[{l - 1}] 是形状为 {A_prev.shape} 的数组，需要 (n[{l - 1}], m) 的矩阵：样本按列排列",
                f"A[{l - 1}] has shape {A_prev.shape}; it must be a matrix (n[{l - 1}], m) with examples "
                f"as columns (reshape a rank-1 array to (n, 1))",
            )
        )
    if W.shape[1] != A_prev.shape[0]:
        raise ValueError(
            bilingual(
                f"{Wname} 是 {W.shape} 但 A[{l - 1}] 是 {A_prev.shape}：需要 n[{l - 1}] = {W.shape[1]} 行",
                f"{Wname} is {W.shape} but A[{l - 1}] is {A_prev.shape}: "
                f"A[{l - 1}] needs n[{l - 1}] = {W.shape[1]} rows",
            )
        )


class Linear(Module):
    """(n_in, m) in, (n_out, m) out: Z = W A + b with W (n_out, n_in) and b (n_out, 1).

    column=True keeps the weights as the course's column vector w (n_in, 1) of logistic
    regression and computes Z = wᵀ A + b. W= gives the starting weights (a model that drew
    all its layers at once, in the course's order)."""

    def __init__(self, n_in, n_out, init="small", seed=None, layer=1, column=False, W=None, bias=True):
        W = initialize([n_in, n_out], init, seed)["W1"] if W is None else np.array(W, dtype=np.float64)
        self.layer, self.column = layer, column
        self.W = Value(W.T.copy() if column else W, label="w" if column else f"W{layer}")
        self.b = Value(np.zeros((n_out, 1)), label="b" if column else f"b{layer}") if bias else None

    def named_parameters(self):
        named = [("w" if self.column else "W", self.W)]
        if self.b is not None:  # batch norm's β takes b's place
            named.append(("b", self.b))
        return iter(named)

    def forward(self, A_prev):
        with name_scope(f"layer {self.layer}"):
            return self.linear(A_prev)

    def linear(self, A_prev):
        """Z[l] in whatever scope is open (Sequential opens one per layer)."""
        W = self.W.T if self.column else self.W
        return linear(W, self.b, A_prev, self.layer, "wᵀ" if self.column else None)


class Activation(Module):
    """g(Z) by name: any engine op declared as an activation (see activation_names())."""

    relabels = True  # its output is A[l] (Sequential)

    def __init__(self, name, **kwargs):
        self.name, self.kwargs, self.fn = name, kwargs, activation(name)

    def forward(self, Z):
        return self.fn(Z, **self.kwargs)

    def named_parameters(self):
        return iter(())  # an activation has none

    def __repr__(self):
        return f"{self.name}()"


class Softmax(Module):
    """A = softmax(Z) over the units (axis 0): the output layer of a C-class network."""

    relabels = True

    def named_parameters(self):
        return iter(())

    def forward(self, Z):
        return softmax(Z, axis=0)


def Sigmoid():
    return Activation("sigmoid")


def Tanh():
    return Activation("tanh")


def ReLU():
    return Activation("relu")


def LeakyReLU(slope=0.01):
    return Activation("leaky_relu", slope=slope)


class Sequential(Module):
    """Modules in order, numbered as the course numbers layers: each Linear starts layer l
    (its parameters are W[l], b[l]); what follows it belongs to that layer (its scope, and
    an activation's output is A[l]). The modules are fixed when it is made (a tuple)."""

    def __init__(self, *modules):
        self.modules = tuple(modules)
        for l, m in enumerate((m for m in self.modules if isinstance(m, Linear)), start=1):
            m.layer = l
            if not m.column:
                m.W.label = f"W{l}"
                if m.b is not None:
                    m.b.label = f"b{l}"

    def forward(self, X, upto=None):
        """Run the modules in order (the first `upto` of them when given), one scope per layer."""
        for scope, steps in _plan(self.modules[:upto]):  # (made anew each time: a few modules, no cache)
            with name_scope(scope) if scope else nullcontext():
                for step, name, always in steps:
                    X = step(X)
                    if always or X.label == "":
                        X.label = name
        return X

    def named_parameters(self):
        """W1, b1, (gamma1, beta1), W2, ...: a module's parameters take the number of its layer."""
        named, l = [], 0
        for m in self.modules:
            if isinstance(m, Linear):
                l = m.layer
                if m.column:  # logistic regression's own w, b
                    named += m.named_parameters()
                    continue
            named += [(f"{name}{l}", p) for name, p in m.named_parameters()]
        return iter(named)

    def parameters(self):
        return [p for m in self.modules for _, p in m.named_parameters()]

    def __repr__(self):
        """A module tree as PyTorch prints one, each parameter by its course name and shape, and the count:

        TwoLayerNet(
          (0): Linear(W[1] (4, 2), b[1] (4, 1))
          (1): tanh()
          ...
        ) 共 17 个参数 / 17 parameters"""
        named, lines = list(self.named_parameters()), []
        for i, m in enumerate(self.modules):
            own = [(name, p) for name, p in named if any(p is q for q in m.parameters())]
            lines.append(f"  ({i}): {type(m).__name__}({m.extra_repr(own)})" if own else f"  ({i}): {m!r}")
        count = sum(np.size(p.data) for _, p in named)
        return "\n".join([f"{type(self).__name__}("] + lines + [f") 共 {count:,} 个参数 / {count:,} parameters"])

    def buffer_slots(self):
        """running_mean1, running_var1, ...: a module's buffers take the number of its layer."""
        l = 0
        for m in self.modules:
            l = m.layer if isinstance(m, Linear) else l
            for name, owner, attr in m.buffer_slots():
                yield f"{name}{l}", owner, attr


def _plan(modules):
    """[(scope, [(step, name, always)])], an entry per layer: a Linear opens layer l (and names its
    Z[l]); an activation's output is always named A[l], another module's only when it is a new node."""
    plan, l = [], 0
    for m in modules:
        if isinstance(m, Linear):
            l = m.layer
            plan.append((f"layer {l}", [(m.linear, f"Z{l}", False)]))
            continue
        if not plan:
            plan.append((None, []))
        plan[-1][1].append((m, f"{m.output_name}{l}", m.relabels))
    return plan
