"""Engine graph -> Graphviz DOT, drawn as the lecture draws J = 3(a + bc).

Each value is a box with its label, data and (after backward) its derivative in
the course's naming (`v = 11`, `dv = 3`); each op is a small circle of its own.
Forward edges run left to right in blue; derivatives flow back in red. Only the
engine's public attributes are read: op, parents, label, data, grad,
requires_grad, and `scope`, which nn sets per layer for the clusters.
"""

import re
import textwrap
from collections import deque
from pathlib import Path

import graphviz
import numpy as np

from tinygrad_cn import OpError, Value, check_graph
from tinygrad_cn.autodiff import all_nodes
from tinygrad_cn.messages import bilingual
from tinygrad_cn.value import data_of
from tinygrad_cn.value import need_value as engine_need_value

from .renderer import render_bytes, svg_text, write_atomic
from .words import WORDS, scope_title, words

FONTS = (
    "Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Micro Hei,Microsoft YaHei,"
    "PingFang SC,SimHei,Arial Unicode MS,sans-serif"
)  # CJK glyphs first, then fallbacks
BLUE, RED = "#1f5fbf", "#d62728"
FILL = {"param": "#fff3c4", "data": "#e6e6e6", "value": "#ffffff", "op": "#dbe8fb", "layer": "#eef4ea"}
MAX_NODES = 150
KEY_APART = {"pack": "true", "packmode": "array_uc1"}  # the key laid out on its own, under the graph (u: in order)
MAX_LABEL = 24
SCREEN = "20,11.25"  # inches: 1440 × 810 pt, a 1920 × 1080 screen; a side-by-side picture is scaled to fit
ID_PREFIX = re.compile(r"\w*", re.ASCII)  # written into DOT node names unquoted: n0, op_n0, saved_n0_0


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph that shows itself inline in Jupyter, and whose `pipe` and `render`
    (the methods graphviz users know) work with or without the system dot and leave no
    stray source file: both go through viz's own renderer."""

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        return {"image/svg+xml": svg_text(self.source)}

    def _repr_svg_(self):
        return svg_text(self.source)

    def pipe(self, format=None, encoding=None, **_):
        """The picture as bytes (str with `encoding`), like graphviz.Digraph.pipe."""
        data = render_bytes(self.source, format or self.format or "svg")
        return data.decode(encoding) if encoding else data

    def render(self, filename=None, directory=None, view=False, cleanup=False, format=None, *, outfile=None, **_):
        """Write the picture (and nothing else) like graphviz.Digraph.render; returns its path."""
        if outfile is not None:
            path = Path(outfile)
            fmt = format or path.suffix.lstrip(".").lower() or "svg"
        else:
            fmt = format or self.format or "svg"
            path = Path(directory or ".") / f"{filename or self.filename or 'graph'}.{fmt}"
        return str(write_atomic(path, render_bytes(self.source, fmt)))


def num(x):
    x = float(x)
    return "0" if x == 0 else f"{x:.4g}"  # never "-0"


def summary(a):
    """A few entries, or min/mean/max: never the whole array."""
    a = np.asarray(a, dtype=float)
    if a.size <= 4:
        return "[" + ", ".join(num(x) for x in a.ravel()) + "]"
    return f"min {num(a.min())} · mean {num(a.mean())} · max {num(a.max())}"


def cut(text, n=MAX_LABEL):
    return text if len(text) <= n else text[: n - 1] + "…"


_COURSE = re.compile(r"^(W|b|Z|A)(\d+)$")


def dimensions(label, shape):
    """Course week 4, getting your matrix dimensions right: 'W2' (1, 4) -> 'W[2]: (n[2], n[1]) = (1, 4)'.
    Every form ends with the shape (the quiz hides it there)."""
    m = _COURSE.match(label) if isinstance(label, str) else None
    if m:
        kind, l = m.group(1), int(m.group(2))
        symbols = {"W": f"(n[{l}], n[{l - 1}])", "b": f"(n[{l}], 1)", "Z": f"(n[{l}], m)", "A": f"(n[{l}], m)"}
        return f"{kind}[{l}]: {symbols[kind]} = {shape}"
    named = {"X": "X = A[0]: (n[0], m)", "Y": "Y: (n[L], m)", "w": "w: (n_x, 1)"}
    if label in named and len(shape) == 2:
        return f"{named[label]} = {shape}"
    return f"{cut(label)} {shape}"


LETTERS = "uvwpqrstkhgfe"  # the lecture names its intermediates u, v, ...
OP_WORDS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "@": "matmul"}


def auto_names(nodes):
    """Every node's name, the one pictures, explorer, quiz and CLI show: its label, else the
    lecture's way. The unnamed output is J; unnamed intermediates take u, v, w, … in the order they
    are computed, or, when the letters do not suffice, their op with an index (tanh1, mul2); unnamed
    inputs take what is left (x1, x2 after the letters). `nodes` in graph order, the output last."""
    names = {n: n.label for n in nodes if isinstance(n.label, str) and n.label}
    taken = set(names.values())
    if nodes and nodes[-1] not in names and "J" not in taken:
        names[nodes[-1]] = "J"
        taken.add("J")
    letters = [c for c in LETTERS if c not in taken]
    inner = [n for n in nodes if n not in names and not n.is_leaf]
    leaves = [n for n in nodes if n not in names and n.is_leaf]
    if len(inner) + len(leaves) <= len(letters):
        names.update(zip(inner + leaves, letters))
        return names
    count = {}
    for n in inner + leaves:
        base = "x" if n.is_leaf else OP_WORDS.get(n.fn.name, n.fn.name if n.fn.name.isidentifier() else "t")
        while True:
            count[base] = count.get(base, 0) + 1
            if f"{base}{count[base]}" not in taken:
                break
        names[n] = f"{base}{count[base]}"
    return names


def value_text(node, grad, dims=False, name=None):
    """'v = 11\\ndv = 3' for scalars; 'W1 (4, 2)\\n[...]\\ndW1 ...' for arrays; with dims, the
    course's symbols for the shape: 'W[2]: (n[2], n[1]) = (1, 4)'. `name`: auto_names' name."""
    name = cut(name or node.label)
    if not node.shape:
        lines = [f"{name} = {num(node.data)}"]
        if grad is not None:
            lines.append(f"d{name} = {num(grad)}")
        return lines
    lines = [dimensions(name, node.shape) if dims else f"{name} {node.shape}", summary(node.data)]
    if grad is not None:
        lines += [f"d{name} {np.shape(grad)}", summary(grad)]
    return lines


def op_text(node):
    """The op's symbol, with any constant operand written in: '×3', '1−', '@'."""
    sym = cut(node.fn.symbol, 12)
    consts = [(i, p) for i, p in enumerate(node.inputs) if not isinstance(p, Value)]
    if not consts or not node.fn.infix:  # "3×", "1−"; a call such as BCE(a, y) keeps its name
        return sym
    i, c = consts[0]
    shown = num(c) if np.ndim(c) == 0 else f"c{np.shape(c)}"
    return f"{shown}{sym}" if i == 0 else f"{sym}{shown}"


_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text):
    """Any label as printable text: a character XML cannot hold is shown as its escape (\\x0b)."""
    text = str(text).replace("\t", " ").replace("\r", "")
    return _INVALID.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def quote(s):
    """A DOT string: cleaned, with backslashes, quotes and line breaks escaped, and & written &amp;
    so that a label's "&#0;" is shown as typed, never read as a character reference."""
    text = clean(s).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n") + '"'


def attrs(**kw):
    return "[" + " ".join(f"{k}={quote(v)}" for k, v in kw.items() if v is not None) + "]"


def grad_of(node, grads):
    """The derivative to show: None before backward (never a misleading 0)."""
    if not grads or not node.requires_grad:
        return None
    g = grads.get(node) if isinstance(grads, dict) else node.grad_or_none
    return data_of(g)


def _layer_of(nodes):
    """Each node's layer: its own scope, or for a parameter the one scope all its users share."""
    layer = {n: n.scope for n in nodes}
    users = {}
    for n in nodes:
        for p in n.parents:
            users.setdefault(p, set()).add(n.scope)
    for n in nodes:
        if n.is_leaf and len(users.get(n, ())) == 1:
            layer[n] = next(iter(users[n]))
    return layer


def _nearest(root, nodes, keep):
    """The `keep` nodes closest to the root, walking from the output back to the inputs."""
    seen, queue = {root}, deque([root])
    while queue and len(seen) < keep:
        for p in queue.popleft().parents:
            if p not in seen and len(seen) < keep:
                seen.add(p)
                queue.append(p)
    return seen


class _Plan:
    """What stands for each node in the picture: itself, its layer's box, or the "… more" box."""

    def __init__(self, root, nodes, collapse, max_nodes, prefix, w):
        self.layer, self.prefix = _layer_of(nodes), prefix
        self.ids = {n: f"{prefix}n{i}" for i, n in enumerate(nodes)}
        self.more, self.note = f"{prefix}more", None
        size = len(nodes) + sum(1 for n in nodes if not n.is_leaf)
        if max_nodes is not None and size > max_nodes and collapse is None:
            collapse, self.note = "layers", w["collapsed"].format(n=size, max=max_nodes)
        if collapse not in (None, "layers"):
            raise ValueError(f"collapse 只能是 None 或 'layers' / must be None or 'layers', got {collapse!r}")
        self.collapse = collapse
        self.box = {n: f"{prefix}layer_{self.layer[n]}" if collapse and self.layer[n] else self.ids[n] for n in nodes}
        self.shown = {n for n in nodes if self.box[n] == self.ids[n]}
        self.dropped = set()
        if max_nodes is not None and len(set(self.box.values())) > max_nodes:
            keep = _nearest(root, nodes, max_nodes)
            self.dropped = {n for n in self.shown if n not in keep}
            self.note = w["truncated"].format(n=size, max=max_nodes)
            self.box.update(dict.fromkeys(self.dropped, self.more))
            self.shown -= self.dropped


def draw(
    root,
    *,
    grads=True,
    lang="zh",
    rankdir="LR",
    collapse=None,
    max_nodes=MAX_NODES,
    check=False,
    highlight=None,
    legend=True,
    show_attrs=False,
    show_saved=False,
    dims=False,
    id_prefix="",
):
    """The graph under `root` as a graphviz.Digraph (shows inline in Jupyter).

    grads: True shows `.grad` once backward has run; False hides derivatives; a dict
    {node: grad} shows those (as `backprop_steps` does). collapse="layers" draws one box
    per nn layer; a graph of more than `max_nodes` collapses by itself and says so.
    check=True runs the engine's check_graph and marks every node whose rule is wrong.
    dims=True labels tensors with the course's symbols, W[2]: (n[2], n[1]) = (1, 4) (week 4); `root`
    may also be the OpError an op raised: its inputs are drawn, and the refusing op in red with
    the message. show_attrs writes each op's attributes (slope, axis, keepdims) under its symbol and show_saved
    draws what each op saved for backward, as torchviz does for PyTorch. id_prefix keeps node
    names apart when several drawings share one picture (side_by_side).
    """
    if not isinstance(id_prefix, str):
        raise TypeError(
            bilingual(
                f"draw: id_prefix 需要字符串，收到 {type(id_prefix).__name__}",
                f"draw: id_prefix needs a str, got {type(id_prefix).__name__}",
            )
        )
    if not ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(
            bilingual(
                f"draw: id_prefix 只能由字母、数字和下划线组成，收到 {id_prefix!r}",
                f"draw: id_prefix may hold only letters, digits and underscores, got {id_prefix!r}",
            )
        )
    if isinstance(root, OpError):
        return _refusal(root, lang=lang, rankdir=rankdir, dims=dims, legend=legend)
    need_value(root, "draw")
    w = words(lang)
    nodes = all_nodes(root)
    plan = _Plan(root, nodes, collapse, max_nodes, id_prefix, w)
    bad = {f.node for f in check_graph(root) if f.wrong} if check else set()
    show = grads if isinstance(grads, dict) else (grads and any(n.grad_or_none is not None for n in nodes))
    g = Drawing(
        graph_attr={
            "rankdir": rankdir,
            "fontname": FONTS,
            "nodesep": "0.25",
            "ranksep": "0.35",
            **KEY_APART,
            "label": plan.note or "",
            "labelloc": "t",
            "fontsize": "12",
        },
        node_attr={"fontname": FONTS, "fontsize": "11"},
        edge_attr={"fontname": FONTS},
    )
    names = auto_names(nodes)
    read = reading_order(root)  # statements in the order the expression reads: Graphviz keeps it
    lines = _node_lines(read, plan, show, bad, highlight, lang, w, show_attrs, dims, names)
    lines += _layer_boxes(nodes, plan, lang, w, show) + _edge_lines(read, plan, show) + _input_column(read, plan)
    if show_saved:
        lines += _saved_lines(nodes, plan)
    if legend:  # first: Graphviz packs what it finds first last, so the key comes out below the graph
        lines.insert(0, _legend(show, rankdir, below=plan.box[root], m=averaged_over(root)))
    g.body.extend(f"\t{line}\n" for line in lines)
    return g


def _node_lines(nodes, plan, show, bad, highlight, lang, w, show_attrs=False, dims=False, names=None):
    """A box per value and a small node per op, grouped into a cluster per layer."""
    by_layer = {}
    for n in nodes:  # in graph order, inputs first
        if n in plan.shown:
            by_layer.setdefault(plan.layer[n] if plan.collapse is None else None, []).append(n)
    out = []
    for scope, members in by_layer.items():
        lines = []
        for n in members:
            lines.append(
                _value_line(n, plan.ids[n], grad_of(n, show), n in bad, n is highlight, w, dims, (names or {}).get(n))
            )
            if not n.is_leaf:
                text = op_text(n)
                if show_attrs and n.attrs:
                    text += "\n" + "\n".join(cut(f"{k}={v!r}", 30) for k, v in n.attrs.items())
                lines.append(
                    f"op_{plan.ids[n]} "
                    + attrs(
                        label=text,
                        shape="circle" if len(text) <= 3 else "box",
                        style="filled,rounded",
                        width="0.3",
                        height="0.3",
                        fillcolor=RED if n in bad else FILL["op"],
                        margin="0.02",
                        fontsize="12",
                        id=f"op-{plan.ids[n]}",
                    )
                )
        if scope:
            out.append(
                f"subgraph {quote('cluster_' + plan.prefix + scope)} {{ label={quote(scope_title(scope, lang))}; "
                f'style="rounded,dashed"; color="#9aa5b1"; labeljust=r;'
            )
            data = [quote(plan.ids[n]) for n in members if n.is_leaf and not n.requires_grad]
            if len(data) > 1:  # a layer's inputs one above the other, x1 on top (in a frame dot sets them bottom-up)
                lines.append(f"{{ rank=same; {'; '.join(data)}; {' -> '.join(reversed(data))} [style=invis]; }}")
            out += ["  " + line for line in lines] + ["}"]
        else:
            out += lines
    return out


def _saved_lines(nodes, plan):
    """torchviz's show_saved: each tensor an op kept for backward, dotted into its op."""
    out = []
    for n in nodes:
        if n in plan.shown and not n.is_leaf:
            for k, t in enumerate(n.saved):
                sid = f"saved_{plan.ids[n]}_{k}"
                text = f"saved {np.shape(t)}" if np.ndim(t) else f"saved = {num(data_of(t))}"
                out.append(
                    f"{sid} " + attrs(label=text, shape="box", style="filled", fillcolor="#ffd8a8", fontsize="9")
                )
                out.append(f"{sid} -> op_{plan.ids[n]} [style=dotted arrowhead=none]")
    return out


def reading_order(root):
    """Every node under root, each after its inputs, inputs taken in the order the op reads them:
    a, b, c, u, v, J for J = 3(a + bc); x1 before x2. (all_nodes, the walk's order, reaches the
    last input first.)"""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
    return order


def _input_column(nodes, plan):
    """The inputs outside any layer in one column on the left, in the order the expression
    names them (a, b, c for J = 3(a + bc); x1 above x2), as the lecture draws them. `nodes` in
    reading order."""
    inputs = [n for n in nodes if n.is_leaf and n in plan.shown and not plan.layer[n]]
    if len(inputs) < 2:
        return []
    ids = " ".join(quote(plan.ids[n]) for n in inputs)
    chain = " -> ".join(quote(plan.ids[n]) for n in inputs)
    return [f"{{ rank=min; {ids}; {chain} [style=invis]; }}"]


def _value_line(n, node_id, grad, wrong, current, w, dims=False, name=None):
    kind = "param" if n.is_leaf and n.requires_grad else "data" if not n.requires_grad else "value"
    lines = value_text(n, grad, dims, name)
    extra = {}
    if wrong:
        lines.append(w["bad"])
        extra = {"color": RED, "penwidth": "3", "fontcolor": RED}
    if current:
        extra = {"color": RED, "penwidth": "3"}
    return f"{node_id} " + attrs(
        label="\n".join(lines),
        shape="box",
        id=f"value-{node_id}",
        style="rounded,filled" + (",dashed" if kind == "data" else ""),
        fillcolor=FILL[kind],
        **extra,
    )


def _layer_boxes(nodes, plan, lang, w, show):
    """collapse="layers": one box per layer, naming what it computes and, once backward has run,
    its derivatives in summary (a value, or the norm ‖dW‖ of an array), so backprop stays visible."""
    if plan.collapse != "layers":
        return []
    out = []
    for scope in sorted({plan.layer[n] for n in nodes if plan.layer[n]}):
        members = [n for n in nodes if plan.layer[n] == scope]
        named = []
        for n in (n for n in members if n.label):
            named.append(f"{cut(n.label)} {n.shape}" if n.shape else f"{cut(n.label)} = {num(n.data)}")
            g = grad_of(n, show)
            if g is not None:
                named[-1] += (
                    f"   ‖d{cut(n.label)}‖ = {num(np.linalg.norm(g))}" if n.shape else f"   d{cut(n.label)} = {num(g)}"
                )
        named = named[:8]
        out.append(
            f"{quote(plan.prefix + 'layer_' + scope)} "
            + attrs(
                label="\n".join([scope_title(scope, lang)] + named + [w["nodes"].format(n=len(members))]),
                shape="box3d",
                style="filled",
                fillcolor=FILL["layer"],
                id=f"{plan.prefix}layer-{scope}",
            )
        )
    if plan.dropped:
        out.append(
            f"{quote(plan.more)} " + attrs(label=w["more"].format(n=len(plan.dropped)), shape="note", style="dashed")
        )
    return out


def _edge_lines(nodes, plan, show):
    """Blue forward edges; beside each, once its derivative is known, a red one pointing back.
    An edge into a layer from outside it spans two ranks, so that layer's own inputs (W, b) fit
    between: each layer then stands wholly right of what feeds it, and no edge runs through a
    layer's title."""
    edges, into = {}, set()  # (from, to) -> the node whose derivative flows back along it
    for n in nodes:
        if n.is_leaf or n in plan.dropped:
            continue
        target = f"op_{plan.ids[n]}" if n in plan.shown else plan.box[n]
        if n in plan.shown:
            edges[(target, plan.ids[n])] = n
        for p in n.parents:
            if plan.box[p] != target:
                edges.setdefault((plan.box[p], target), p)
                if plan.collapse is None and plan.layer[n] and plan.layer[p] != plan.layer[n]:
                    into.add((plan.box[p], target))
    out = []
    for k, ((src, dst), flow) in enumerate(edges.items()):
        span = "2" if (src, dst) in into else None
        out.append(f"{quote(src)} -> {quote(dst)} " + attrs(color=BLUE, penwidth="1.3", arrowsize="0.7", minlen=span))
        if grad_of(flow, show) is not None and plan.more not in (src, dst):
            out.append(
                f"{quote(src)} -> {quote(dst)} "
                + attrs(
                    color=RED,
                    dir="back",
                    style="dashed",
                    constraint="false",
                    arrowsize="0.7",
                    id=f"grad-{plan.ids[flow]}-{k}",
                )
            )  # the explorer shows it once flow's derivative is known
    return out


def side_by_side(roots, titles=None, **opts):
    """Several graphs in one picture, each in its own frame, in the order given, set across the
    way they flow so that the picture suits a screen: left-to-right graphs one above the other,
    top-to-bottom ones side by side; the key below. E.g. the lecture's neuron-by-neuron network
    above the vectorized one. The picture is scaled down, if need be, to 1920 × 1080 pixels."""
    if not isinstance(roots, (list, tuple)) or not roots:
        raise TypeError(bilingual("side_by_side: 需要 Value 的列表", "side_by_side: needs a list of Values"))
    for r in roots:
        need_value(r, "side_by_side")
    titles = list(titles) if titles is not None else [r.label or f"#{i + 1}" for i, r in enumerate(roots)]
    if len(titles) != len(roots):
        raise ValueError(
            bilingual(
                f"side_by_side: {len(roots)} 张图却有 {len(titles)} 个标题",
                f"side_by_side: {len(roots)} graphs but {len(titles)} titles",
            )
        )
    legend = opts.pop("legend", True)
    parts = [draw(r, id_prefix=f"g{i}_", legend=False, **opts) for i, r in enumerate(roots)]
    stacked = opts.get("rankdir", "LR") in ("LR", "RL")
    frame = {k: v for k, v in parts[0].graph_attr.items() if k not in KEY_APART}
    g = Drawing(
        graph_attr=dict(
            frame,
            label="",
            pack="true",
            packmode="array_uc1" if stacked else f"array_u{len(parts)}",
            size=SCREEN,
        ),
        node_attr=parts[0].node_attr,
        edge_attr=parts[0].edge_attr,
    )
    if legend:  # first, as in draw: it comes out below
        with_grads = any(n.grad_or_none is not None for r in roots for n in all_nodes(r))
        g.body.append("\t" + _legend(with_grads, opts.get("rankdir", "LR")) + "\n")
    for i in reversed(range(len(parts))):  # Graphviz packs frames in the reverse of their order in the file
        g.body.append(
            f"\tsubgraph {quote(f'cluster_g{i}')} {{ label={quote(titles[i])}; style=rounded; "
            f'color="#4a5560"; fontsize=14;\n'
        )
        g.body.extend(parts[i].body)
        g.body.append("\t}\n")
    return g


COSTS = ("binary_cross_entropy", "bce_with_logits", "softmax_cross_entropy")  # ops that average their m losses


def averaged_over(root):
    """m when root is a cost averaged over m > 1 examples, else None: its derivatives dJ/dZ are the
    course's dZ (one column per example's loss) divided by m, which the legend says plainly."""
    if root.op in COSTS and root.inputs and getattr(root.inputs[0], "ndim", 0) == 2 and root.inputs[0].shape[1] > 1:
        return root.inputs[0].shape[1]
    return None


def _legend(with_grads, rankdir="LR", below=None, m=None):
    """The key: one small row under the graph, at the nodes' text size, each entry in Chinese above
    English. It names only what the picture cannot say by itself: a parameter (gets a grad), data
    (no grad), and the two kinds of arrow, each pointing at its name (Graphviz drops edge labels
    when it packs the key apart; the WebAssembly one has no HTML labels); for a cost averaged over
    m examples, that the course's dZ is m times the derivative shown. An op's circle and an
    intermediate's white box explain themselves. KEY_APART keeps the key below the graph."""
    zh, en = WORDS["zh"], WORDS["en"]

    def label(key, **kw):
        return f"{zh[key].format(**kw)}\n{en[key].format(**kw)}"

    box = {"shape": "box", "height": "0.3", "margin": "0.1,0.01"}
    lines = [
        'subgraph cluster_legend { label=""; style=rounded; color="#c5ccd3"; margin=3; id="legend";',
        "legend_param " + attrs(label=label("param"), style="rounded,filled", fillcolor=FILL["param"], **box),
        "legend_data " + attrs(label=label("data"), style="rounded,filled,dashed", fillcolor=FILL["data"], **box),
        "legend_f0 [shape=point width=0.04]",
        "legend_f_name " + attrs(label=label("forward"), shape="plain"),
        "legend_f0 -> legend_f_name " + attrs(color=BLUE, penwidth="1.3", arrowsize="0.7"),
    ]
    row = ["legend_param", "legend_data", "legend_f0", "legend_f_name"]
    if with_grads:
        lines += [
            "legend_b0 [shape=point width=0.04]",
            "legend_b_name " + attrs(label=label("backward"), shape="plain"),
            "legend_b0 -> legend_b_name " + attrs(color=RED, dir="back", style="dashed", arrowsize="0.7"),
        ]
        row += ["legend_b0", "legend_b_name"]
        if m:
            lines.append("legend_m " + attrs(label=label("averaged", m=m), shape="plain"))
            row.append("legend_m")
    arrows = {("legend_f0", "legend_f_name"), ("legend_b0", "legend_b_name")}
    lines += [f"{a} -> {b} [style=invis]" for a, b in zip(row, row[1:]) if (a, b) not in arrows]
    if rankdir not in ("LR", "RL"):  # TB: one rank is a row (LR: the chain across the ranks is one)
        lines.append("{ rank=same; " + "; ".join(row) + "; }")
    lines.append("}")
    if below and rankdir not in ("LR", "RL"):  # outside the frame: the row one rank under the output
        lines.append(f"{quote(below)} -> legend_param [style=invis]")  # (packing leaves it beside a TB graph)
    return "\n\t".join(lines)


def _refusal(err, lang, rankdir, dims, legend):
    """An op that refused its inputs, drawn where it happened: the inputs' graphs, then the op in
    red with the engine's message (wrapped), so a shape error can be seen, not only read."""
    words(lang)  # refuses an unknown lang
    g = Drawing(
        graph_attr={"rankdir": rankdir, "fontname": FONTS, "nodesep": "0.25", "ranksep": "0.35", **KEY_APART},
        node_attr={"fontname": FONTS, "fontsize": "11"},
        edge_attr={"fontname": FONTS},
    )
    if legend:  # first, as in draw: it comes out below
        g.body.append("\t" + _legend(False, rankdir) + "\n")
    for i, x in enumerate(err.inputs):
        if isinstance(x, Value):
            part = draw(x, grads=False, lang=lang, rankdir=rankdir, dims=dims, legend=False, id_prefix=f"in{i}_")
            g.body.extend(part.body)
            g.body.append(f"\t{quote(f'in{i}_n{len(all_nodes(x)) - 1}')} -> refused " + attrs(color=RED) + "\n")
    symbol = err.op.symbol if err.op is not None else "?"
    message = "\n".join(line for part in str(err).split(" / ", 1) for line in textwrap.wrap(part, 48))
    g.body.append(
        "\trefused "
        + attrs(label=f"{symbol} ✗", shape="circle", style="filled", fillcolor=RED, fontcolor="white", id="refused")
        + "\n"
    )
    g.body.append(
        "\trefused_note " + attrs(label=message, shape="note", color=RED, fontcolor=RED, fontsize="10") + "\n"
    )
    g.body.append('\trefused -> refused_note [style=dashed color="#d62728" arrowhead=none]\n')
    return g


def need_value(root, where):
    engine_need_value(root, f"viz.{where}", "计算图的输出，如 J", "the graph's output, e.g. J")


def as_drawing(root, where, **opts):
    """A drawing viz made, as it is, or the drawing of a Value's graph (or of an op's refusal)."""
    if isinstance(root, OpError):
        return draw(root, **opts)
    if isinstance(root, graphviz.Digraph):
        if opts:
            raise TypeError(
                bilingual(
                    f"viz.{where}: 已画好的图不能再加选项 {sorted(opts)}",
                    f"viz.{where}: options {sorted(opts)} apply to a Value, not to a finished drawing",
                )
            )
        return root
    need_value(root, where)
    return draw(root, **opts)


def to_svg(root, **opts):
    """SVG text of a Value's graph, or of any drawing viz returned (draw, side_by_side)."""
    return svg_text(as_drawing(root, "to_svg", **opts).source)
