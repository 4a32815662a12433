"""Replay: run a recorded graph again on its leaves' current data, without rebuilding it.

Full-batch training builds the very same graph every iteration. Recording it once
and then calling each op's forward again, in order, on the updated leaves skips the
Python that builds it (the model's code, its checks, new nodes, the topological sort);
each op still runs through `run_forward`, the forward half of `Function.apply`. Only
for graphs whose structure does not depend on the data (no `if` on a value), which is
what `nn`'s models build.
"""
from .autodiff import _seed, all_nodes, topo_order, walk
from .function import run_forward
from .value import data_of


class Replay:
    def __init__(self, root):
        self.root = root
        self.ops = [(n, n.fn, n.inputs, n.attrs) for n in all_nodes(root) if not n.is_leaf]
        self.grad_order = topo_order(root)

    def forward(self):
        """Recompute every node's data from the leaves' current data; returns the root."""
        for node, fn, inputs, kwargs in self.ops:
            run_forward(node, fn, inputs, [data_of(x) for x in inputs], kwargs)
        return self.root

    def backward(self, grad=None):
        """This graph's grads afresh: the walk sets aside what earlier passes left, and
        this pass's grads are all that remain."""
        walk(self.root, _seed(self.root, grad, False), order=self.grad_order)
