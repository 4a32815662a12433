"""The backward walk, right to left as the lecture does it, and what is built on it.

`topo_order` lists the nodes that need a grad, each after its inputs (an
iterative depth-first search: a chain of a million nodes is fine). `walk`
visits them in reverse, so every node is reached once with the sum of the
grads of all its paths, and asks the node's op for the grads of its inputs.
`unbroadcast` is the one place where broadcasting is undone.
"""

from contextlib import nullcontext

import numpy as np

from .anomaly import check_finite
from .function import Context, GraphContext
from .messages import bilingual, describe
from .mode import current, enable_grad
from .value import _MANY, _NONE, Value, as_data, data_of, need_value, shape, zeros_like


def topo_order(root, grad_only=True):
    """The nodes under root, each after all of its inputs; only those needing a grad unless
    grad_only=False (drawing, replay). A node is marked when expanded, not when pushed, so
    one reached by two paths is still placed after everything it depends on."""
    order, seen = [], set()
    stack = [root]
    push, pop, visit, done = stack.append, stack.pop, seen.add, order.append
    while stack:
        node = pop()
        if node is _EXPANDED:
            done(pop())  # all of the node's inputs are in `order` already
            continue
        if node in seen:
            continue
        visit(node)
        a, b = node._in0, node._in1  # Value.inputs, unpacked here: this loop is the hot path
        if b is _MANY:
            push(node)
            push(_EXPANDED)
            for p in a:
                if isinstance(p, Value) and (p.requires_grad or not grad_only) and p not in seen:
                    push(p)
            continue
        take_a = isinstance(a, Value) and (a.requires_grad or not grad_only) and a not in seen
        take_b = isinstance(b, Value) and (b.requires_grad or not grad_only) and b not in seen
        if take_a or take_b:
            push(node)
            push(_EXPANDED)
            if take_a:
                push(a)
            if take_b:
                push(b)
        else:  # a leaf, or every input placed already
            done(node)
    return order


_EXPANDED = object()  # stack marker: the node below it has had its inputs pushed


def all_nodes(root):
    """Every node under root, data-only ones too, each after its inputs."""
    return topo_order(root, grad_only=False)


def unbroadcast(g, like, op):
    """Sum grad `g` over the axes that broadcasting added or stretched, to the shape of `like`."""
    gs, ts = shape(g), shape(like)
    if gs == ts:
        return g
    lead = len(gs) - len(ts)
    axes = list(range(lead))
    for i, n in enumerate(ts):
        if lead < 0 or n != gs[lead + i]:
            if lead < 0 or n != 1:
                raise ValueError(
                    bilingual(
                        f"{op} 的 backward 返回的梯度形状 {gs} 与输入形状 {ts} 不符",
                        f"backward of {op} returned a grad of shape {gs} for an input of shape {ts}",
                    )
                )
            axes.append(lead + i)
    if type(like) is float and not isinstance(g, Value):
        return float(g.sum())
    g = g.sum(axis=tuple(axes), keepdims=True)
    return g if lead == 0 else g.reshape(ts)  # keepdims already gives ts when no axis was added


_known = None  # (root, the nodes under it in order, their compiled walk) of the graph a Recipe made last


def known_order(root, nodes, run):
    """Tell the walk the order of root's graph (nodes: every node under it, each after its inputs) and
    its compiled walk, for root's next backward. One graph at a time: a slot on every node would cost
    every node memory and time."""
    global _known
    _known = (root, nodes, run)


def walk(root, seed, create_graph=False, order=None, run=None):
    """Fill `_grad` of every node under root with this pass's dJ/dnode, right to left.

    Each node is visited once, after every path into it has been summed. Grads left
    by earlier passes are set aside first and returned as [(node, old_grad)], so the
    caller decides whether this pass adds to them (backward) or not (gradients).
    `run`: this walk compiled for the graph's shape (compiled.compile_walk), used when
    nothing asks for more than it does (no create_graph, no anomaly checks).
    """
    global _known
    if order is None:
        known = _known  # the graph a Recipe made last knows its order, and its walk compiled
        if known is not None and known[0] is root:
            _, nodes, run = known
            order = [*nodes, root]
            _known = None  # (held no longer than needed)
        else:
            order = topo_order(root)
    if run is not None and (create_graph or current().anomaly):
        run = None
    earlier = [(n, n._grad) for n in order if n._grad is not None]
    for n, _ in earlier:
        n._grad = None
    root._grad = seed
    try:
        if run is None:
            _run(order, create_graph)
        else:
            run(order)
    except BaseException:  # leave every grad as it was before this pass
        for n in order:
            n._grad = None
        for n, old in earlier:
            n._grad = old
        raise
    return order, earlier


def _run(order, create_graph):
    """The walk proper: each node's rule, right to left, adding into its inputs' `_grad`.

    This loop is the hot path of every backward pass, so the common case of two inputs is
    written out (a, then b) instead of looping over them; the loop below it does the same
    for one input or many."""
    anomaly = current().anomaly
    scratch = Context()  # lent to the rules of nodes that keep no context of their own
    for node in reversed(order):
        g = node._grad
        fn = node._op  # the op, or the Context it keeps (see Value)
        if fn is None or g is None:
            continue
        if type(fn) is Context:
            ctx, fn = fn, fn.fn
        else:
            ctx = scratch
        a, b = node._in0, node._in1  # Value.inputs, unpacked here
        prev = (a,) if b is _NONE else a if b is _MANY else (a, b)
        if create_graph:
            grads = fn.backward(GraphContext(None if ctx is scratch else ctx, node, prev), g)
        else:
            ctx._prev, ctx._out = prev, node._data
            grads = fn.backward(ctx, g)
        if type(grads) is not tuple:  # a one-input rule may return its grad bare
            grads = (grads,)
        if len(grads) != len(prev):
            as_grads(grads, len(prev), fn)  # raises
        if b is not _NONE and b is not _MANY:
            ga, gb = grads
            if ga is not None and isinstance(a, Value) and a.requires_grad:
                if type(ga) is not float or type(a._data) is not float:  # arrays, or anything odd
                    ga = _fit(ga, a, fn, create_graph)
                if anomaly:
                    check_finite(ga, fn.name, a, "backward")
                old = a._grad
                a._grad = ga if old is None else old + ga
            if gb is not None and isinstance(b, Value) and b.requires_grad:
                if type(gb) is not float or type(b._data) is not float:
                    gb = _fit(gb, b, fn, create_graph)
                if anomaly:
                    check_finite(gb, fn.name, b, "backward")
                old = b._grad
                b._grad = gb if old is None else old + gb
            continue
        for p, pg in zip(prev, grads):
            if pg is None or not isinstance(p, Value) or not p.requires_grad:
                continue
            data = p._data
            if type(pg) is not float or type(data) is not float:
                if (
                    type(pg) is not np.ndarray
                    or type(data) is not np.ndarray
                    or pg.shape != data.shape
                    or pg.dtype.kind != "f"
                ):  # a same-shape float array is the common case
                    pg = _fit(pg, p, fn, create_graph)
            if anomaly:
                check_finite(pg, fn.name, p, "backward")
            old = p._grad
            p._grad = pg if old is None else old + pg


def as_grads(grads, n, fn):
    """A rule's answer as a tuple of n grads (a one-input rule may return its grad bare)."""
    if type(grads) is not tuple:
        grads = (grads,)
    if len(grads) != n:
        raise TypeError(
            bilingual(
                f"{fn.name}.backward 应返回 {n} 个梯度，实际 {len(grads)} 个",
                f"{fn.name}.backward must return {n} grads, got {len(grads)}",
            )
        )
    return grads


def _fit(pg, p, fn, create_graph):
    """A grad that is not a plain float for a float input: check its kind, sum it back to the
    input's shape (unbroadcast), and give a float input a float grad."""
    data = p._data
    if type(pg) is np.ndarray and type(data) is np.ndarray and pg.shape == data.shape and pg.dtype.kind == "f":
        return pg  # the common array case
    if type(pg) is np.ndarray and pg.dtype.kind == "f" or create_graph and isinstance(pg, Value):
        pass
    elif isinstance(pg, (float, np.floating)) and not isinstance(pg, bool):
        pg = float(pg)
    else:
        kind = (
            "Value"
            if isinstance(pg, Value)
            else f"{type(pg).__name__}" + (f" dtype {pg.dtype}" if isinstance(pg, np.ndarray) else "")
        )
        raise TypeError(
            bilingual(
                f"{fn.name}.backward 对 {describe(p)} 返回了 {kind}：梯度必须是实数或实数数组",
                f"{fn.name}.backward returned a {kind} for {describe(p)}: a grad must be a "
                f"real float or float array" + ("" if create_graph else " (a Value only under create_graph=True)"),
            )
        )
    if shape(pg) != shape(data):
        pg = unbroadcast(pg, data, fn.name)
    if type(data) is float and type(pg) is np.ndarray:
        pg = float(pg)
    return pg


def _seed(root, grad, create_graph, where="backward"):
    need_value(root, where, "代价 J", "the cost J")
    if not root.requires_grad:
        raise ValueError(
            bilingual(
                f"{describe(root)} 不需要梯度（数据叶子，或在 no_grad 中算出）",
                f"{describe(root)} does not require grad (a data leaf, or built under no_grad)",
            )
        )
    data = root._data
    if grad is None:
        if type(data) is not float and data.size != 1:
            raise ValueError(
                bilingual(
                    f"非标量输出 {describe(root)} 需要 backward(grad=...)，形状与它相同",
                    f"non-scalar output {describe(root)} needs backward(grad=...) of its shape",
                )
            )
        seed = 1.0 if type(data) is float else np.ones_like(data)
    else:
        seed = grad if isinstance(grad, Value) else as_data(grad, "backward")
        if shape(seed) != shape(data):
            raise ValueError(
                bilingual(
                    f"backward 的 grad 形状 {shape(seed)} 与输出 {describe(root)} 不符",
                    f"backward grad of shape {shape(seed)} does not match output {describe(root)}",
                )
            )
        if type(seed) is np.ndarray:
            seed = seed.astype(data.dtype, copy=True)
    if create_graph and not isinstance(seed, Value):
        seed = Value(seed, requires_grad=False)
    return seed


def backward(root, grad=None, create_graph=False):
    """Add dJ/dnode into `.grad` of every node that needs one, intermediate nodes too.

    Grads accumulate (+=) across calls, as in PyTorch: call zero_grad() between steps.
    With create_graph=True the walk itself is recorded, so grads are Values that can
    be differentiated again.
    """
    seed = _seed(root, grad, create_graph)
    if create_graph:
        with enable_grad():
            _, earlier = walk(root, seed, create_graph)
    else:
        _, earlier = walk(root, seed, create_graph)
    for node, old in earlier:
        node._grad = old if node._grad is None else old + node._grad


def gradients(root, inputs, grad=None, create_graph=False):
    """dJ/dx for each x in `inputs`, leaving every `.grad` as it was (like torch.autograd.grad)."""
    seed = _seed(root, grad, create_graph, "gradients")
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else None
    if inputs is None or not all(isinstance(x, Value) for x in inputs):
        raise TypeError(
            bilingual("gradients: inputs 必须是 Value 的列表", "gradients: inputs must be a list of Values")
        )
    with enable_grad() if create_graph else nullcontext():
        order, earlier = walk(root, seed, create_graph)
    reached = set(order)
    found = [x._grad if x in reached and x._grad is not None else zeros_like(x._data) for x in inputs]
    for node in order:
        node._grad = None
    for node, old in earlier:
        node._grad = old
    return found


def grad(f):
    """df/dx as a function; nests: grad(grad(f)) is the second derivative.

    A plain number or array in gives a plain one out; a Value in gives a Value
    out that is itself part of a graph (so an outer grad can differentiate it).
    """

    def df(x, *args):
        plain = not isinstance(x, Value)
        xv = Value(x) if plain else x
        with enable_grad():
            y = f(xv, *args)
            if isinstance(y, Value) and y.requires_grad:
                (g,) = gradients(y, [xv], create_graph=not plain)
            else:  # f does not depend on x
                g = zeros_like(xv._data)
        if plain:
            return data_of(g)
        return g if isinstance(g, Value) else Value(g, requires_grad=False)

    df.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return df
