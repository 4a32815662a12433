"""Backprop step by step: one SVG per step of the engine's right-to-left walk, and an explorer
page that steps through them with buttons, a slider and the arrow keys, or quizzes the student.

The page holds ONE drawing (every derivative in it) and, per step, which node is reached: the
script hides what is not known yet. So every frame has the same layout, and the page grows
linearly with the graph.
"""

import html
import json
from pathlib import Path

from tinygrad_cn import gradients
from tinygrad_cn.autodiff import all_nodes, topo_order
from tinygrad_cn.function import run_alone
from tinygrad_cn.messages import bilingual
from tinygrad_cn.value import data_of

from .graph import clean, draw, need_value, num
from .renderer import svg_text, write_atomic
from .words import words


def _steps(root):
    """(node, dJ/dnode) in the order the engine's walk reaches them, right to left."""
    need_value(root, "explore")
    if not root.requires_grad:
        raise ValueError(
            bilingual(
                "viz.explore: 这个图不需要梯度，没有反向传播可演示",
                "viz.explore: this graph needs no grad: there is no backprop to show",
            )
        )
    order = list(reversed(topo_order(root)))
    return list(zip(order, gradients(root, order)))


def backprop_steps(root, **opts):
    """One SVG per backward step: the derivatives known so far, the current node highlighted."""
    steps = _steps(root)
    return [
        svg_text(draw(root, grads=dict(steps[: k + 1]), highlight=node, **opts).source)
        for k, (node, _) in enumerate(steps)
    ]


def _name(node, names):
    return clean(node.label) if isinstance(node.label, str) and node.label else names[node]


def _local(consumer, node):
    """∂consumer/∂node from the consumer's own rule (upstream grad 1), for scalars."""
    inputs = consumer.inputs
    _, ctx = run_alone(consumer.fn, inputs, [data_of(x) for x in inputs], consumer.attrs)
    grads = consumer.fn.backward(ctx, 1.0)
    grads = grads if isinstance(grads, tuple) else (grads,)
    return sum(float(data_of(g)) for x, g in zip(inputs, grads) if x is node and g is not None)


def chain_rule(node, grads, consumers, names, root):
    """'du = dv · ∂v/∂u = 3 · 1 = 3' (one term per node that uses u), for the quiz's answer."""
    d = f"d{_name(node, names)}"
    if node is root:
        return f"{d} = 1"
    terms = [(c, grads[c], _local(c, node)) for c in consumers.get(node, []) if c in grads]
    names_part = " + ".join(f"d{_name(c, names)} · ∂{_name(c, names)}/∂{_name(node, names)}" for c, _, _ in terms)
    numbers = " + ".join(f"{num(dc)} · {num(local)}" for _, dc, local in terms)
    return f"{d} = {names_part} = {numbers} = {num(grads[node])}"


def explore(root, path, lang="zh", quiz=False, **opts):
    """Write one self-contained HTML page (no network, no server) to step through backprop.
    quiz=True hides each derivative until the student has typed it."""
    w = words(lang)
    steps = _steps(root)
    grads = {n: data_of(g) for n, g in steps}
    nodes = all_nodes(root)
    ids = {n: f"n{i}" for i, n in enumerate(nodes)}  # draw() names nodes the same way
    names = {n: f"#{i}" for i, n in enumerate(nodes)}
    consumers = {}
    for c in nodes:
        for p in c.parents:
            consumers.setdefault(p, []).append(c)
    svg = svg_text(draw(root, grads=grads, lang=lang, **opts).source)
    frames = []
    for node, g in steps:
        scalar = not node.shape
        frames.append(
            {
                "id": ids[node],
                "keep": 1 if scalar else 2,
                "ask": w["ask"].format(name=f"d{_name(node, names)}") if quiz and scalar else "",
                "answer": float(g) if scalar else None,
                "rule": chain_rule(node, grads, consumers, names, root) if scalar else "",
            }
        )
    reached = [{"id": ids[n], "keep": 1 if not n.shape else 2} for n in nodes if n.requires_grad]
    captions = [w["start"]] + [
        w["step"].format(k=k, n=len(steps), what=_what(node, g, names)) for k, (node, g) in enumerate(steps, start=1)
    ]
    text = {k: w[k] for k in ("right", "wrong", "not_number", "check", "reveal", "quiz_help")}
    page = PAGE.format(
        lang=lang,
        title=html.escape(w["quiz_title" if quiz else "title"]),
        prev=html.escape(w["prev"]),
        next=html.escape(w["next"]),
        last=len(steps),
        svg=svg[svg.index("<svg") :],
        data=_script_json(
            {"frames": frames, "nodes": reached, "captions": captions, "quiz": bool(quiz), "words": text}
        ),
    )
    return write_atomic(Path(path), page.encode("utf-8"))


def _what(node, grad, names):
    name = _name(node, names)
    return f"d{name} = {num(grad)}" if not node.shape else f"d{name} {node.shape}"


def _script_json(x):
    """JSON that no label can end or bend: every "<" escaped (</script>, <!--, <script)."""
    return json.dumps(x, ensure_ascii=False).replace("<", "\\u003c")


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
 body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: .6em; }}
 #bar {{ display: flex; gap: .6em; align-items: center; flex-wrap: wrap; margin-bottom: .4em; }}
 #slider {{ width: 14em; }}
 #stage svg {{ width: 100%; height: calc(100vh - 9em); }}
 #quiz {{ display: none; gap: .5em; align-items: center; margin-bottom: .3em; }}
 #feedback.right {{ color: #1a7f37; }} #feedback.wrong {{ color: #d62728; }}
 #rule {{ font-family: monospace; }}
 #says {{ min-height: 1.4em; }}
 .current polygon, .current path {{ stroke: #d62728; stroke-width: 3; }}
</style></head>
<body>
<h3 style="margin:.2em 0">{title}</h3>
<div id="bar">
 <button id="prev">{prev}</button>
 <input id="slider" type="range" min="0" max="{last}" value="0">
 <button id="next">{next}</button>
 <span id="caption"></span>
</div>
<div id="quiz"><label id="ask" for="answer"></label><input id="answer" size="10" autocomplete="off">
 <button id="check"></button><button id="reveal"></button></div>
<div id="says"><span id="feedback"></span> <span id="rule"></span></div>
<div id="stage">{svg}</div>
<script>
const D = {data};
const slider = document.getElementById("slider");
const answer = document.getElementById("answer"), feedback = document.getElementById("feedback");
let at = 0, solved = new Set();
document.getElementById("check").textContent = D.words.check;
document.getElementById("reveal").textContent = D.words.reveal;
if (D.quiz) answer.placeholder = D.words.quiz_help;
function node(id) {{ return document.getElementById("value-" + id); }}
function showDerivative(n, on) {{
  const g = node(n.id);
  if (g) g.querySelectorAll("text").forEach((t, i) => {{ if (i >= n.keep) t.style.display = on ? "" : "none"; }});
  document.querySelectorAll('[id^="grad-' + n.id + '-"]').forEach(e => e.style.display = on ? "" : "none");
}}
function show(i) {{
  at = Math.max(0, Math.min(D.frames.length, i));
  slider.value = at;
  const known = new Set(D.frames.slice(0, at).map(f => f.id));
  const f = D.frames[at - 1];
  const hidden = D.quiz && f && f.ask && !solved.has(at);
  D.nodes.forEach(n => showDerivative(n, known.has(n.id) && !(hidden && n.id === f.id)));
  document.querySelectorAll(".current").forEach(e => e.classList.remove("current"));
  if (f && node(f.id)) node(f.id).classList.add("current");
  document.getElementById("caption").textContent = hidden ? "" : D.captions[at];
  const quiz = document.getElementById("quiz");  // in a quiz its row keeps its place: the picture never moves
  quiz.style.display = D.quiz ? "flex" : "none";
  quiz.style.visibility = hidden ? "visible" : "hidden";
  document.getElementById("rule").textContent = f && !hidden && D.quiz ? f.rule : "";
  feedback.textContent = ""; feedback.className = "";
  if (hidden) {{
    document.getElementById("ask").textContent = f.ask;
    answer.value = "";
    answer.focus();
  }}
}}
function check() {{
  const f = D.frames[at - 1], text = answer.value.trim(), x = Number(text);
  if (!text || !Number.isFinite(x)) {{ feedback.textContent = D.words.not_number; feedback.className = "wrong"; return; }}
  const ok = Math.abs(x - f.answer) <= 1e-6 * Math.max(1, Math.abs(f.answer)) ||
             Number(x.toPrecision(4)) === Number(f.answer.toPrecision(4));
  if (ok) {{ solved.add(at); show(at); feedback.textContent = D.words.right; feedback.className = "right"; }}
  else {{ feedback.textContent = D.words.wrong; feedback.className = "wrong"; }}
}}
document.getElementById("check").onclick = check;
document.getElementById("reveal").onclick = () => {{ solved.add(at); show(at); }};
answer.addEventListener("keydown", e => {{ if (e.key === "Enter") check(); e.stopPropagation(); }});
document.getElementById("prev").onclick = () => show(at - 1);
document.getElementById("next").onclick = () => show(at + 1);
slider.oninput = () => show(Number(slider.value));
document.addEventListener("keydown", e => {{
  if (e.key === "ArrowRight") show(at + 1);
  if (e.key === "ArrowLeft") show(at - 1);
}});
show(0);
</script>
</body></html>
"""
