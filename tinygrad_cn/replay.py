"""Replay: run a recorded graph again, in place, on its leaves' current data.

Full-batch training builds the very same graph every iteration. `Replay(J)` records the order
once; `forward()` runs every op node again through the one door (`function.run`) on the
leaves' current data, and `backward()` walks the recorded order. The idiom for a fast loop:

    g = Replay(J)                      # J = model.cost(X, Y), built once
    for i in range(2000):
        if i: g.forward()              # the leaves (W1, b1, ...) hold the new parameters
        g.backward()                   # fresh grads: what earlier passes left is dropped
        opt.step()

`forward_backward()` is the two at once, the leaves checked once (what `fit` runs).
What a replay cannot see, it refuses (ValueError): a leaf whose shape, dtype or requires_grad
changed since the recording. Constants stay what they were when recorded (a number, an array
folded in, batch norm's running averages in eval mode): build anew when they should change.
Only for graphs whose structure does not depend on the data (no `if` on a value), which is
what `nn`'s models build.
"""

from .autodiff import _seed, all_nodes, topo_order, walk
from .function import run
from .messages import bilingual, describe
from .value import need_value, set_grads


def _leaf_state(leaf):
    data = leaf.data
    return (data.shape, data.dtype, leaf.requires_grad) if type(data) is not float else ((), float, leaf.requires_grad)


class Replay:
    def __init__(self, root):
        need_value(root, "Replay", "图的根", "the root of a graph")
        self.root = root
        nodes = all_nodes(root)
        self.ops = [(n, n.fn, n.inputs, n.attrs) for n in nodes if not n.is_leaf]  # fixed once recorded
        self.leaves = [(n, *_leaf_state(n)) for n in nodes if n.is_leaf]
        self.grad_order = topo_order(root)
        self.grad_ops = [n for n in self.grad_order if not n.is_leaf]  # what the walk visits: leaves have no rule

    def _check(self):
        for leaf, shape, dtype, requires_grad in self.leaves:  # (the test of _leaf_state, written for speed)
            data = leaf.data
            if type(data) is float:
                if dtype is float and requires_grad == leaf.requires_grad:
                    continue
            elif data.shape == shape and data.dtype is dtype and requires_grad == leaf.requires_grad:
                continue
            recorded, now = (shape, dtype, requires_grad), _leaf_state(leaf)
            if now == recorded:
                continue
            raise ValueError(
                bilingual(
                    f"Replay: 叶子 {describe(leaf)} 已改变（形状、dtype、requires_grad：{recorded} → {now}），"
                    "重放不会得到新建图的结果；请重新建图",
                    f"Replay: the leaf {describe(leaf)} changed (shape, dtype, requires_grad: {recorded} → "
                    f"{now}); a replay would not give a fresh build's numbers: build the graph anew",
                )
            )

    def forward(self):
        """Recompute every node's data from the leaves' current data; returns the root."""
        self._check()
        return self._forward()

    def backward(self, grad=None):
        """This graph's grads afresh: what earlier passes left is dropped, and this pass's
        grads are all that remain."""
        self._check()
        self._backward(grad)

    def forward_backward(self):
        """forward() then backward(), one training step's worth (what `fit` runs): the leaves are
        checked once, as nothing can change them in between. Returns the root."""
        self._check()
        self._forward()
        self._backward(None)
        return self.root

    def _forward(self):
        for node, fn, inputs, attrs in self.ops:
            run(fn, inputs, attrs, node)
        return self.root

    def _backward(self, grad):
        found = walk(self.root, _seed(self.root, grad, False), order=self.grad_ops)
        set_grads(self.grad_order, found)
