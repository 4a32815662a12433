"""Replay: run a recorded graph again on its leaves' current data, without rebuilding it.

Full-batch training builds the very same graph every iteration. Recording it once
and then calling each op's forward again, in order, on the updated leaves skips the
Python that builds it (the model's code, its checks, new nodes, the topological sort);
each op still runs through `run_forward`, the forward half of `Function.apply`. Only
for graphs whose structure does not depend on the data (no `if` on a value), which is
what `nn`'s models build.
"""

from .autodiff import _seed, all_nodes, topo_order, walk
from .function import NUMPY_ERRORS, refusal, run_forward
from .mode import current
from .value import Value, as_data


class Replay:
    def __init__(self, root):
        self.root = root
        # an op that keeps no context is re-run bare (plain=True): the loop below is all there is
        self.ops = [
            (n, n.fn, n.inputs, n.attrs, not n.attrs and not n.fn.uses_ctx) for n in all_nodes(root) if not n.is_leaf
        ]
        self.grad_order = topo_order(root)

    def forward(self):
        """Recompute every node's data from the leaves' current data; returns the root."""
        anomaly = current().anomaly
        for node, fn, inputs, kwargs, plain in self.ops:
            raw = [x._data if isinstance(x, Value) else x for x in inputs]
            if plain and not anomaly:
                try:
                    out = fn.forward(None, *raw)
                except NUMPY_ERRORS as e:
                    raise refusal(fn, inputs, e) from e
                node._data = out if type(out) is float else as_data(out, fn.name)
            else:
                run_forward(node, fn, inputs, raw, kwargs)
        return self.root

    def backward(self, grad=None):
        """This graph's grads afresh: what earlier passes left is dropped, and this pass's
        grads are all that remain."""
        seed = 1.0 if grad is None and type(self.root._data) is float else _seed(self.root, grad, False)
        for node in self.grad_order:
            node._grad = None
        walk(self.root, seed, order=self.grad_order)
