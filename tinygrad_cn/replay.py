"""Replay and Recipe: run a recorded graph again, in place or as a fresh graph.

Replay re-runs the recorded nodes themselves on their leaves' current data (fit);
a Recipe makes a new graph of the same ops on new input leaves (model.cost in a
user's own loop), leaving every graph it made before as it was.

Full-batch training builds the very same graph every iteration. Recording it once
and then calling each op's forward again, in order, on the updated leaves skips the
Python that builds it (the model's code, its checks, new nodes, the topological sort);
each op still runs through `run_forward`, the forward half of `Function.apply`. Only
for graphs whose structure does not depend on the data (no `if` on a value), which is
what `nn`'s models build.
"""

from .autodiff import _seed, all_nodes, known_order, topo_order, walk
from .compiled import compile_forward, compile_walk
from .function import NUMPY_ERRORS, refusal, run_forward
from .messages import bilingual
from .mode import current
from .value import Value, as_data, need_value, shape


def _graph(root, where):
    """root's nodes, each after its inputs, or a TypeError naming what `where` was given."""
    need_value(root, where, "图的根", "the root of a graph")
    return all_nodes(root)


class Replay:
    def __init__(self, root):
        self.root = root
        # an op that keeps no context is re-run bare (plain=True): the loop below is all there is
        self.nodes = _graph(root, "Replay")
        self.ops = [
            (n, n.fn, n.inputs, n.attrs, not n.attrs and not n.fn.uses_ctx) for n in self.nodes if not n.is_leaf
        ]
        self.grad_order = topo_order(root)
        self.run = compile_walk(self.grad_order)
        self.compiled = compile_forward(self.nodes)  # the loop below, written out for this graph

    def forward(self):
        """Recompute every node's data from the leaves' current data; returns the root."""
        anomaly = current().anomaly
        if self.compiled is not None and not anomaly:
            self.compiled(self.nodes)
            return self.root
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
        order = self.grad_order
        for node in order:
            node._grad = None
        if self.run is None or current().anomaly:
            walk(self.root, seed, order=order)
            return
        self.root._grad = seed  # walk's bookkeeping of earlier grads is not needed: there are none
        try:
            self.run(order)
        except BaseException:
            for node in order:
                node._grad = None
            raise


class Recipe:
    """A recorded graph as a recipe: `recipe(X, Y)` builds a new graph of the same ops, labels,
    scopes and attributes on the new input leaves (the other leaves, e.g. the parameters, are
    the same objects), skipping the Python that built the first one: its layers, checks and
    topological sort (the new root knows its backward order, and its walk is compiled).

    Only for a builder whose ops depend on nothing but the inputs' shapes, which the caller
    keys on (nn's FeedForward.cost); an input of another shape is refused. A graph of more than
    compiled.LIMIT nodes is refused too (ValueError): build it as usual."""

    def __init__(self, root, inputs):
        nodes = _graph(root, "Recipe")
        where = {id(n): k for k, n in enumerate(nodes)}
        if not isinstance(inputs, (list, tuple)) or not all(
            isinstance(x, Value) and x.is_leaf and id(x) in where for x in inputs
        ):
            raise ValueError(bilingual("Recipe: inputs 必须是图中的叶子", "Recipe: inputs must be leaves of the graph"))
        self.build = compile_forward(nodes, fresh=True)
        self.run = compile_walk(nodes)  # every graph it makes walks as this one does
        if self.build is None or self.run is None:
            raise ValueError(
                bilingual("Recipe: 图太大", f"Recipe: a graph of {len(nodes)} nodes is too big to write out")
            )
        self.inputs = [(where[id(x)], x.shape) for x in inputs]
        self.leaves = [n if n.is_leaf else None for n in nodes]  # the op nodes are made anew
        for k, _ in self.inputs:
            self.leaves[k] = None  # (and the inputs are given anew)
        self.fixed = [(n, n.shape) for n in self.leaves if n is not None]

    def __call__(self, *inputs):
        root = self.make(*inputs)
        if root is None:
            raise ValueError(
                bilingual(
                    f"Recipe: 输入应为形状 {[shp for _, shp in self.inputs]} 的 Value，其他叶子形状不变，"
                    "且不在 no_grad 或 detect_anomaly 中",
                    f"Recipe: needs Values of shapes {[shp for _, shp in self.inputs]}, the other leaves as "
                    "recorded, and no no_grad or detect_anomaly (build as usual then)",
                )
            )
        return root

    def make(self, *inputs):
        """The new graph's root, or None when these inputs, or the other leaves as they are now, would
        not give the recorded graph (other shapes, grad recording off, anomaly checks on)."""
        if len(inputs) != len(self.inputs):
            return None
        vals = list(self.leaves)
        for (k, shp), x in zip(self.inputs, inputs):
            if not isinstance(x, Value) or shape(x._data) != shp:
                return None
            vals[k] = x
        for leaf, shp in self.fixed:
            if shape(leaf._data) != shp:
                return None
        mode = current()
        if not mode.grad_enabled or mode.anomaly:  # the written-out code records and checks nothing else
            return None
        vals = self.build(vals)
        root = vals.pop()
        known_order(root, vals, self.run)  # its backward needs no sort
        return root
