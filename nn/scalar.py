"""The lecture's loop version of the two-layer network, neuron by neuron (course §3.3–3.4).

    z_i[1] = w_i[1]ᵀ x + b_i[1],  a_i[1] = g(z_i[1])     for each hidden unit i
    z[2]   = w[2]ᵀ a[1] + b[2],   L = −(y log a + (1−y) log(1−a)) with a = σ(z[2])

built from scalar Values for one example, with the numbers of a TwoLayerNet. The loss is taken
from z[2] as the vectorized cost takes it (BCE(σ(z))): never log 0, so its value and gradients
equal the vectorized network's for m = 1 even where σ(z[2]) rounds to 0 or 1.
"""

import numpy as np

from tinygrad_cn import Function, Value, name_scope
from tinygrad_cn.messages import bilingual

from .layers import activation
from .losses import BinaryCrossEntropyWithLogits

SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(i):
    return str(i).translate(SUB)


class Neuron(Function, name="neuron", symbol="wᵀx+b"):
    """One unit of the lecture's loop version: z = w₁x₁ + … + wₙxₙ + b, one node as the lecture draws it.
    Inputs w₁ … wₙ, x₁ … xₙ, b (scalars)."""

    @staticmethod
    def forward(ctx, *args):
        n = (len(args) - 1) // 2
        return sum(w * x for w, x in zip(args[:n], args[n : 2 * n])) + args[-1]

    @staticmethod
    def backward(ctx, g):
        args = ctx.inputs
        n = (len(args) - 1) // 2
        ws, xs = args[:n], args[n : 2 * n]
        return tuple(g * x for x in xs) + tuple(g * w for w in ws) + (g,)  # ∂z/∂wₖ = xₖ, ∂z/∂xₖ = wₖ, ∂z/∂b = 1


class ScalarTwoLayer:
    """Scalar parameters w_ij[l], b_i[l] copied from `model`; `loss` is the graph for (x, y)."""

    def __init__(self, model, x, y):
        from .models import FeedForward

        if (
            not isinstance(model, FeedForward)
            or model.L != 2
            or model.layer_dims[-1] != 1
            or getattr(model.modules[0], "column", False)
        ):
            raise TypeError(
                bilingual(
                    "scalar_two_layer 只画两层网络（TwoLayerNet，或 DeepNet([n_x, n_h, 1])），输出一个单元",
                    f"scalar_two_layer draws a two-layer network with one output unit (TwoLayerNet, or "
                    f"DeepNet([n_x, n_h, 1])), got {type(model).__name__}"
                    + (f" with layer_dims {model.layer_dims}" if isinstance(model, FeedForward) else ""),
                )
            )
        n_x = model.layer_dims[0]
        try:
            x = np.asarray(x, dtype=np.float64).reshape(-1)
            y = np.asarray(y, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise TypeError(
                bilingual("scalar_two_layer: x 和 y 必须是数", "scalar_two_layer: x and y must be numbers")
            ) from None
        if x.size != n_x or y.size != 1 or y[0] not in (0.0, 1.0) or not np.all(np.isfinite(x)):
            raise ValueError(
                bilingual(
                    f"scalar_two_layer: 需要一个样本：x 有 n_x = {n_x} 个有限的数，y 是 0 或 1",
                    f"scalar_two_layer: needs one example: x of n_x = {n_x} finite numbers "
                    f"and y = 0 or 1, got x of {x.size} and y {y.tolist()}",
                )
            )
        y = float(y[0])
        self.W = {
            l: [
                [
                    Value(float(getattr(model, f"W{l}").data[i, k]), label=f"w{_sub(i + 1)}{_sub(k + 1)}[{l}]")
                    for k in range(getattr(model, f"W{l}").shape[1])
                ]
                for i in range(getattr(model, f"W{l}").shape[0])
            ]
            for l in (1, 2)
        }
        self.b = {
            l: [
                Value(float(getattr(model, f"b{l}").data[i, 0]), label=f"b{_sub(i + 1)}[{l}]")
                for i in range(getattr(model, f"b{l}").shape[0])
            ]
            for l in (1, 2)
        }
        g = activation(model.hidden)
        xs = [Value(float(v), label=f"x{_sub(k + 1)}", requires_grad=False) for k, v in enumerate(x)]
        a1 = []
        with name_scope("layer 1"):
            for i, (w, b) in enumerate(zip(self.W[1], self.b[1]), start=1):
                z = Neuron.apply(*w, *xs, b)
                z.label = f"z{_sub(i)}[1]"
                a = g(z)
                a.label = f"a{_sub(i)}[1]"
                a1.append(a)
        with name_scope("layer 2"):
            z2 = Neuron.apply(*self.W[2][0], *a1, self.b[2][0])
            z2.label = "Z2"  # one output unit: z[2] is Z[2] itself, named as the vectorized half names it
        with name_scope("cost"):  # L(σ(z), y) of one example from z: the vectorized J for m = 1
            self.loss = BinaryCrossEntropyWithLogits.apply(z2, Value(y, label="y", requires_grad=False))
            self.loss.label = "J"

    def grads(self):
        """{"W1": array, "b1": ..., "W2": ..., "b2": ...} gathered from the scalar grads."""
        out = {}
        for l in (1, 2):
            out[f"W{l}"] = np.array([[w.grad for w in row] for row in self.W[l]])
            out[f"b{l}"] = np.array([[b.grad] for b in self.b[l]])
        return out


def scalar_two_layer(model, x, y):
    """Build the neuron-by-neuron graph of `model` (a TwoLayerNet) for one example."""
    return ScalarTwoLayer(model, x, y)
