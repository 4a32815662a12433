"""The forward pass and backward walk of one graph's shape, written out as straight-line Python.

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
from .function import NUMPY_ERRORS, Context, _distinct, refusal, run_forward
from .value import _MANY, _NONE, Value, _new, as_data, fill

LIMIT = 2000  # nodes: a bigger graph takes the loop (its code would cost more than it saves)


def compile_walk(order):
    """run(order) for graphs shaped like `order` (the nodes, each after its inputs); an input that
    is not in `order` (a data leaf, a constant) gets no grad, as `topo_order` leaves it out. None
    for a graph over LIMIT nodes (or anything but a list of nodes)."""
    if not _nodes(order) or len(order) > LIMIT:
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
        body += [f"    g = n{k}._grad", "    if g is not None:"]
        if node.attrs or node.fn.uses_ctx:  # its own context (or none, if forward kept nothing)
            prev = f"(n{k}._in0,)" if n == 1 else f"(n{k}._in0, n{k}._in1)" if n == 2 else f"n{k}._in0"
            body += [
                f"        c = n{k}._op",
                "        if type(c) is not Context:",
                "            c = S",
                f"        c._prev, c._out = {prev}, n{k}._data",
            ]
        else:  # a rule that reads only inputs, output and needs_input_grad: given them directly
            env[f"B{k}"] = _Bound()
            names = [_named(x, i, n, k, where, env) for i, x in enumerate(inputs)]
            data = ", ".join(f"{x}._data" if isinstance(y, Value) else x for x, y in zip(names, inputs))
            needs = ", ".join(f"{x}.requires_grad" if isinstance(y, Value) else "False" for x, y in zip(names, inputs))
            body += [
                f"        c = B{k}",
                f"        c.inputs, c.output = ({data},), n{k}._data",
                f"        c.needs_input_grad = ({needs},)",
            ]
        body += [
            f"        gs = F{k}.backward(c, g)",
            f"        if type(gs) is not tuple or len(gs) != {n}:",
            f"            gs = (gs,) if type(gs) is not tuple else as_grads(gs, {n}, F{k})"
            if n == 1  # a one-input rule may return its grad bare
            else f"            gs = as_grads(gs, {n}, F{k})",
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
    # let go of the data the contexts saw: a replayed forward replaces it, and holding on to it would
    # keep two copies of every big array alive
    release = [f"    B{k}.inputs = B{k}.output = None" for k in range(len(order)) if f"B{k}" in env]
    source = "\n".join(["def run(order):", f"    {names}, = order", *body, *release, "    S._prev = S._out = None"])
    exec(compile(source, f"<walk of {len(order)} nodes>", "exec"), env)
    return env["run"]


def _nodes(order):
    """A list of graph nodes (what all_nodes and topo_order give), else nothing to write out."""
    return isinstance(order, list) and all(isinstance(n, Value) for n in order)


class _Bound(Context):
    """The context of a node that keeps none, as the written-out walk lends it: inputs, output and
    needs_input_grad set directly (slots over Context's properties), not computed per read."""

    __slots__ = ("inputs", "output", "needs_input_grad")


def _named(x, i, n, k, where, env):
    """How the code names input i (of n) of node k: n<j> for a node of the walk, the node's own slot
    for another node (a data leaf), C<k>_<i> for a constant."""
    if isinstance(x, Value) and id(x) in where:
        return f"n{where[id(x)]}"
    if isinstance(x, Value):
        return f"n{k}._in0[{i}]" if n > 2 else f"n{k}._in{i}"
    env[f"C{k}_{i}"] = x
    return f"C{k}_{i}"


# forward's answer o as a node's data: as_data's own fast path, written out (it is called only otherwise)
_DATA = '(o if type(o) is float or type(o) is nd and o.dtype.kind == "f" and o.ndim else as_data(o, F{k}.name))'


def compile_forward(nodes, fresh=False):
    """forward(nodes): every op node's data recomputed from its inputs' current data, in order, as
    Replay.forward's loop does (an op that keeps a context goes through run_forward). fresh=True:
    new op nodes instead (a Recipe): forward(leaves), where the op nodes' places are None, returns
    the list of all nodes, made as `record` makes them. None over LIMIT nodes."""
    if not _nodes(nodes) or len(nodes) > LIMIT:
        return None
    where = {id(n): k for k, n in enumerate(nodes)}
    env = {"nd": np.ndarray, "as_data": as_data, "run_forward": run_forward, "refusal": refusal}
    env.update(ERRORS=NUMPY_ERRORS, FS={}, IS={}, fill=fill, new=_new, Value=Value, NONE=_NONE, MANY=_MANY)
    env["distinct"] = _distinct
    body = []
    for k, node in enumerate(nodes):
        if node.is_leaf:
            continue
        fn, inputs, attrs = node.fn, node.inputs, node.attrs
        env[f"F{k}"], env["FS"][k] = fn, fn
        names = [_named(x, i, len(inputs), k, where, env) for i, x in enumerate(inputs)]  # (all in `where`)
        raw = ", ".join(f"{x}._data" if x[0] == "n" else x for x in names)
        ins = f"({', '.join(names)},)"
        env["IS"][k] = names if fresh else inputs  # fresh: read back by name on an error
        keeps = bool(attrs) or fn.uses_ctx
        body.append(f"        k = {k}")
        if fresh:
            n = len(names)
            in01 = f"{names[0]}, NONE" if n == 1 else f"{names[0]}, {names[1]}" if n == 2 else f"{ins}, MANY"
            grad = " or ".join(f"{x}.requires_grad" for x in names if x[0] == "n") or "False"
            env[f"S{k}"], env[f"L{k}"] = node.scope, node.label
            if keeps:
                env[f"A{k}"] = attrs
                body += [
                    f"        n{k} = fill(new(Value), None, F{k}, {in01}, {grad}, S{k})",
                    f"        r = [{raw}]",
                    "        if len(set(map(id, r))) < len(r):",
                    f"            distinct({ins}, r)",
                    f"        run_forward(n{k}, F{k}, {ins}, r, dict(A{k}))",
                ]
            else:
                body += [
                    f"        o = F{k}.forward(None, {raw})",
                    f"        n{k} = fill(new(Value), {_DATA.format(k=k)}, F{k}, {in01}, {grad}, S{k})",
                ]
            body.append(f"        n{k}.label = L{k}")
        elif keeps:
            env[f"A{k}"] = attrs
            body.append(f"        run_forward(n{k}, F{k}, IS[{k}], [{raw}], A{k})")
        else:
            body += [f"        o = F{k}.forward(None, {raw})", f"        n{k}._data = {_DATA.format(k=k)}"]
    names = ", ".join(f"n{k}" for k in range(len(nodes)))
    source = "\n".join(
        [
            "def forward(nodes):",
            f"    {names}, = nodes",
            "    k = None",
            "    try:",
            *(body or ["        pass"]),  # (a graph that is one leaf)
            "    except ERRORS as e:",
            "        if k is None or getattr(e, 'op', None) is not None:",
            "            raise",
            "        ins, loc, env = IS[k], locals(), globals()",
            "        if type(ins) is list:",
            "            ins = tuple([loc[x] if x in loc else env[x] for x in ins])",
            "        raise refusal(FS[k], ins, e) from e",
            f"    return [{names}]" if fresh else "    return None",
        ]
    )
    exec(compile(source, f"<forward of {len(nodes)} nodes>", "exec"), env)
    return env["forward"]
