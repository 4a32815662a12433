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
from .function import BackwardContext
from .messages import bilingual, describe
from .mode import current, enable_grad
from .value import Value, accumulate, add_grads, as_data, data_of, flag, need_value, rule_of, shape, zeros_like


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
        expanded = False
        for p in node.inputs:
            if isinstance(p, Value) and p not in seen and (p.requires_grad or not grad_only):
                if not expanded:
                    push(node)
                    push(_EXPANDED)
                    expanded = True
                push(p)
        if not expanded:  # a leaf, or every input placed already
            done(node)
    return order


_EXPANDED = object()  # stack marker: the node below it has had its inputs pushed


def all_nodes(root):
    """Every node under root, data-only ones too, each after its inputs."""
    return topo_order(root, grad_only=False)


def unbroadcast(g, like, op):
    """Sum grad `g` over the axes that broadcasting added or stretched, to the shape of `like`."""
    if not isinstance(g, Value):
        g = as_data(g, "unbroadcast")
    if not isinstance(like, Value):
        like = as_data(like, "unbroadcast")
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
        return float(np.sum(g))
    g = g.sum(axis=tuple(axes), keepdims=True)
    return g if lead == 0 else g.reshape(ts)  # keepdims already gives ts when no axis was added


def walk(root, seed, create_graph=False, order=None):
    """This pass's dJ/dnode for every node under root that needs a grad, right to left, as a dict
    {node: grad} of the walk's own: no node is touched, so two threads may walk graphs that share
    leaves, and a rule that fails leaves every grad as it was.

    Each node is visited once, after every path into it has been summed; its op's rule gives the
    grads of its inputs, and they add up in `accumulate`. `order`: topo_order(root), whose leaves
    may be left out (they have no rule; their grads are found all the same)."""
    order = topo_order(root) if order is None else order
    found = {root: seed}
    get, view = found.get, BackwardContext(create_graph)  # (found.get bound once: this loop is the walk's cost)
    anomaly = current().anomaly
    for node in reversed(order):
        parts = rule_of(node)
        if parts is None:  # a leaf
            continue
        g = get(node)
        if g is None:  # no path from the root reached it
            continue
        fn, ctx, inputs, raw = parts
        view.node = node  # the view, pointed at this node (four stores: a method call cost as much again)
        view.kept = ctx
        view.nodes = inputs
        view.inputs = inputs if create_graph else raw
        grads = fn.backward(view, g)
        if type(grads) is not tuple or len(grads) != len(inputs):
            grads = as_grads(grads, len(inputs), fn)
        i = -1  # (a counted loop: zip's tuples cost the scalar walk a fifth of its time)
        for p in inputs:
            i += 1
            pg = grads[i]
            if pg is None or not isinstance(p, Value) or not p.requires_grad:
                continue
            if anomaly or type(pg) is not float or type(raw[i]) is not float:  # (two floats: the scalar case)
                pg = fit_grad(pg, p, fn, create_graph, g, grads, raw[i])
                if anomaly:
                    check_finite(pg, fn.name, p, "backward")
            old = get(p)
            found[p] = pg if old is None else accumulate(old, pg)  # (a first grad needs no call)
    return found


def as_grads(grads, n, fn):
    """A rule's answer as a tuple of n grads (a one-input rule may return its grad bare; a list of
    n grads is taken as their tuple)."""
    if type(grads) is list and len(grads) == n and n > 1:
        grads = tuple(grads)
    elif type(grads) is not tuple:
        grads = (grads,)
    if len(grads) != n:
        raise TypeError(
            bilingual(
                f"{fn.name}.backward 应返回 {n} 个梯度，实际 {len(grads)} 个",
                f"{fn.name}.backward must return {n} grads, got {len(grads)}",
            )
        )
    return grads


def fit_grad(pg, p, fn, create_graph, g, grads, data):
    """A rule's grad for input p (whose data is `data`) as p's grad: a real number or float array
    (a Value only under create_graph), summed back to p's shape (unbroadcast), in p's dtype, and
    an array that no other node holds (a rule may pass its own grad `g` on, give one array to two
    of its `grads`, or a view)."""
    if not (type(pg) is _ARRAY and type(data) is _ARRAY and pg.dtype is data.dtype and pg.shape == data.shape):
        pg = _fitted(pg, p, fn, create_graph, data)  # (the common case skips this: an array of p's shape and dtype)
        if type(pg) is not _ARRAY:
            return pg
    # The one test of whether another node could hold this array (written out: it runs for every
    # array grad): a view, the rule's own grad passed on, or one array given for two inputs (Add's g, g).
    if pg.base is not None or pg is g:
        return pg.copy()
    seen = False
    for q in grads:
        if q is pg:
            if seen:
                return pg.copy()
            seen = True
    return pg


_ARRAY = np.ndarray  # (one global read, not two, on the walk's hot path)


def _fitted(pg, p, fn, create_graph, data):
    """fit_grad's other cases: a number, a Value under create_graph, an array summed back to p's
    shape or cast to its dtype; a wrong kind of grad refused."""
    if type(pg) is np.ndarray and pg.dtype.kind == "f":
        pass
    elif create_graph and isinstance(pg, Value):
        if shape(pg) != shape(data):
            pg = unbroadcast(pg, data, fn.name)
        if type(data) is np.ndarray and type(pg.data) is np.ndarray and pg.data.dtype != data.dtype:
            pg = pg.astype(data.dtype)  # a float32 leaf keeps float32 grads at every order
        return pg
    elif isinstance(pg, (float, np.floating)):
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
    if type(data) is float:
        return pg if isinstance(pg, Value) else float(np.sum(pg)) if type(pg) is np.ndarray else pg
    if type(pg) is float:
        return np.full(data.shape, pg, dtype=data.dtype)
    if type(pg) is np.ndarray and pg.dtype != data.dtype:
        return pg.astype(data.dtype)  # a float32 parameter keeps float32 grads
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
    data = root.data
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
        seed = as_data(data_of(grad), "backward")  # a Value's data, as PyTorch takes a tensor
        if shape(seed) != shape(data):
            raise ValueError(
                bilingual(
                    f"backward 的 grad 形状 {shape(seed)} 与输出 {describe(root)} 不符",
                    f"backward grad of shape {shape(seed)} does not match output {describe(root)}",
                )
            )
        if type(seed) is np.ndarray:
            seed = seed.astype(data.dtype, copy=True)
    if create_graph:  # the seed is part of the recorded walk: the user's Value itself, if given one
        seed = grad if isinstance(grad, Value) else Value(seed, requires_grad=False)
    return seed


def backward(root, grad=None, create_graph=False):
    """Add dJ/dnode into `.grad` of every node that needs one, intermediate nodes too.

    Grads accumulate (+=) across calls, as in PyTorch: call zero_grad() between steps.
    With create_graph=True the walk itself is recorded, so grads are Values that can
    be differentiated again.
    """
    create_graph = flag(create_graph, "backward: create_graph")
    seed = _seed(root, grad, create_graph)
    with enable_grad() if create_graph else nullcontext():
        found = walk(root, seed, create_graph)
    add_grads(found)


def _backward_method(self, grad=None, create_graph=False):
    """Walk the graph right to left, adding dJ/dnode into every node's .grad."""
    backward(self, grad, create_graph)


_backward_method.__name__ = "backward"
Value.backward = _backward_method  # attached from above: value.py imports no walk


def gradients(root, inputs, grad=None, create_graph=False):
    """dJ/dx for each x in `inputs`, leaving every `.grad` as it was (like torch.autograd.grad)."""
    create_graph = flag(create_graph, "gradients: create_graph")
    seed = _seed(root, grad, create_graph, "gradients")
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else None
    if inputs is None or not all(isinstance(x, Value) for x in inputs):
        raise TypeError(
            bilingual("gradients: inputs 必须是 Value 的列表", "gradients: inputs must be a list of Values")
        )
    for x in inputs:
        _by_it(x, "gradients")
    with enable_grad() if create_graph else nullcontext():
        found = walk(root, seed, create_graph)
    return [found[x] if x in found else zeros_like(x.data) for x in inputs]


def _by_it(x, where):
    """A derivative by x needs x to require grad: it is not 0, it is not computed (PyTorch refuses too)."""
    if not x.requires_grad:
        raise ValueError(
            bilingual(
                f"{where}: {describe(x)} 不需要梯度（requires_grad=False），无法对它求导",
                f"{where}: {describe(x)} does not require grad (requires_grad=False): no derivative by it is computed",
            )
        )


def grad(f):
    """df/dx as a function; nests: grad(grad(f)) is the second derivative.

    A plain number or array in gives a plain one out; a Value in gives a Value
    out that is itself part of a graph (so an outer grad can differentiate it).
    """
    if not callable(f):
        raise TypeError(
            bilingual(
                f"grad: 需要一个函数 f，收到 {type(f).__name__}", f"grad: needs a function f, got {type(f).__name__}"
            )
        )

    def df(x, *args):
        plain = not isinstance(x, Value)
        if not plain:
            _by_it(x, "grad")
        xv = Value(x) if plain else x
        with enable_grad():
            y = f(xv, *args)
            if isinstance(y, Value) and y.requires_grad:
                (g,) = gradients(y, [xv], create_graph=not plain)
            else:  # f does not depend on x
                g = zeros_like(xv.data)
        if plain:
            return data_of(g)
        return g if isinstance(g, Value) else Value(g, requires_grad=False)

    df.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    return df
