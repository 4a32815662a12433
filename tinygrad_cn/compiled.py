"""The backward walk of one graph's shape, written out as straight-line Python.

A graph that is built again and again with the same ops (a Replay, a Recipe) walks the
same way every time. `compile_walk(order)` writes that walk once as a function of the
node list: for each node, right to left, its rule and the sums into its inputs, with
no loop, no dispatch on the number of inputs and no test of which inputs are nodes.
It does exactly what `autodiff._run` does for such a graph (create_graph and anomaly
checks always take `_run`), and it checks what can change between walks: whether a
node got a grad, whether an input still requires one, and every grad's kind and shape.
"""

import numpy as np

from .autodiff import _fit, as_grads
from .function import Context
from .value import Value

LIMIT = 2000  # nodes: a bigger graph takes the loop (its code would cost more than it saves)


def compile_walk(order):
    """run(order) for graphs shaped like `order` (the nodes, each after its inputs); an input that
    is not in `order` (a data leaf, a constant) gets no grad, as `topo_order` leaves it out. None
    for a graph over LIMIT nodes."""
    if len(order) > LIMIT:
        return None
    where = {id(n): k for k, n in enumerate(order)}
    env = {"Context": Context, "nd": np.ndarray, "fit": _fit, "as_grads": as_grads, "S": Context()}
    body = []
    for k in reversed(range(len(order))):
        node = order[k]
        if node.is_leaf:
            continue
        inputs = node.inputs
        n = len(inputs)
        env[f"F{k}"] = node.fn
        prev = f"(n{k}._in0,)" if n == 1 else f"(n{k}._in0, n{k}._in1)" if n == 2 else f"n{k}._in0"
        body += [
            f"    g = n{k}._grad",
            "    if g is not None:",
            f"        c = n{k}._op",
            "        if type(c) is not Context:",
            "            c = S",
            f"        c._prev, c._out = {prev}, n{k}._data",
            f"        gs = F{k}.backward(c, g)",
            f"        if type(gs) is not tuple or len(gs) != {n}:",
            f"            gs = as_grads(gs, {n}, F{k})",
        ]
        for i, x in enumerate(inputs):
            j = where.get(id(x)) if isinstance(x, Value) else None
            if j is None:  # a constant, or a data leaf the walk does not reach
                continue
            body += [
                f"        gi = gs[{i}]",
                f"        if gi is not None and n{j}.requires_grad:",
                f"            d = n{j}._data",
                "            if not (type(gi) is float and type(d) is float or type(gi) is nd and type(d) is nd"
                ' and gi.shape == d.shape and gi.dtype.kind == "f"):',
                f"                gi = fit(gi, n{j}, F{k}, False)",
                f"            o = n{j}._grad",
                f"            n{j}._grad = gi if o is None else o + gi",
            ]
    names = ", ".join(f"n{k}" for k in range(len(order)))
    source = "\n".join(["def run(order):", f"    {names}, = order", *body, "    return None"])
    exec(compile(source, f"<walk of {len(order)} nodes>", "exec"), env)
    return env["run"]
