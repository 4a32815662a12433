"""Backprop step by step: one SVG per step of the engine's right-to-left walk, and an explorer
page that steps through the forward pass, the backward walk or both, with big buttons, a slider
and keys, or quizzes the student on each value and derivative (on an array graph: each shape).

The page holds ONE drawing (every value and derivative in it) and, per step, which node is
reached: the script hides or masks what is not known yet. So every frame has the same layout,
and the page grows linearly with the graph. The drawing fits the window, never below the page's
text size (then the stage scrolls, following the current node), and zooms with + − 0.
"""

import html
import json
import math
from pathlib import Path

import numpy as np

from tinygrad_cn import Value, gradients
from tinygrad_cn.autodiff import all_nodes, topo_order
from tinygrad_cn.function import run_alone
from tinygrad_cn.messages import bilingual
from tinygrad_cn.value import data_of

from .graph import auto_names, clean, draw, need_value, num, value_text
from .renderer import svg_text, write_atomic
from .words import words

WALKS = ("forward", "backward", "both")


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


def _local(consumer, node):
    """∂consumer/∂node from the consumer's own rule (upstream grad 1), for scalars."""
    inputs = consumer.inputs
    _, ctx = run_alone(consumer.fn, inputs, [data_of(x) for x in inputs], consumer.attrs)
    grads = consumer.fn.backward(ctx, 1.0)
    grads = grads if isinstance(grads, tuple) else (grads,)
    return sum(float(data_of(g)) for x, g in zip(inputs, grads) if x is node and g is not None)


def chain_rule(node, grads, consumers, names, root):
    """'du = dv · ∂v/∂u = 3 · 1 = 3' (one term per node that uses u), for the quiz's answer."""
    d = f"d{names[node]}"
    if node is root:
        return f"{d} = 1"
    terms = [(c, grads[c], _local(c, node)) for c in consumers.get(node, []) if c in grads]
    names_part = " + ".join(f"d{names[c]} · ∂{names[c]}/∂{names[node]}" for c, _, _ in terms)
    numbers = " + ".join(f"{num(dc)} · {num(local)}" for _, dc, local in terms)
    return f"{d} = {names_part} = {numbers} = {num(grads[node])}"


def formula(node, names, show=None):
    """'b × c' (show=None: names), '3 × 2' (show=num), '(3, 2) @ (2, 5)' (show=shape): the op on its inputs."""
    parts = [
        (names[x] if show is None else show(x)) if isinstance(x, Value) else num(x) if not np.ndim(x) else "c"
        for x in node.inputs
    ]
    sym = node.fn.symbol
    if node.fn.infix and len(parts) == 2:
        return f"{parts[0]} {sym} {parts[1]}"
    if node.fn.name == "neg":
        return f"−{parts[0]}"
    return f"{sym}({', '.join(parts)})"


def explore(root, path, lang="zh", quiz=False, walk=None, **opts):
    """Write one self-contained HTML page (no network, no server) to step through a graph.

    walk: "backward" (right to left, the default), "forward" (left to right, as the lecture first
    computes J) or "both"; a quiz walks both unless told. quiz=True hides each value and derivative
    until the student has typed it: a number, a fraction or a simple expression (-1/9, 1-0.25),
    right when it agrees to 3 significant digits; on a graph of arrays each shape, as in week 4.
    The page keeps the score; "next" without an answer counts as revealed."""
    walk = walk or ("both" if quiz else "backward")
    if walk not in WALKS:
        raise ValueError(
            bilingual(
                f"viz.explore: walk 只能是 {WALKS}，收到 {walk!r}",
                f"viz.explore: walk must be one of {WALKS}, got {walk!r}",
            )
        )
    w = words(lang)
    steps = _steps(root)
    grads = {n: data_of(g) for n, g in steps}
    nodes = all_nodes(root)
    ids = {n: f"n{i}" for i, n in enumerate(nodes)}  # draw() names nodes the same way
    names = {n: clean(name) for n, name in auto_names(nodes).items()}  # the picture's names
    arrays = any(n.shape for n in nodes)  # numbers there are the computer's job: ask shapes
    consumers = {}
    for c in nodes:
        for p in c.parents:
            consumers.setdefault(p, []).append(c)
    svg = svg_text(draw(root, grads=grads, lang=lang, **opts).source)
    dims = opts.get("dims", False)

    def frame(node, phase, k, n):
        name = names[node] if phase == "forward" else f"d{names[node]}"
        value = node.data if phase == "forward" else grads[node]
        if node.shape:
            ask, kind, answer = w["ask_shape"].format(name=name), "shape", list(node.shape)
            if phase == "forward":
                shapes = formula(node, names, lambda x: str(x.shape))
                rule = f"{name} = {formula(node, names)}: {shapes} → {node.shape}"
            else:
                rule = w["same_shape"].format(name=names[node], shape=node.shape)
        else:
            ask, kind, answer = w["ask"].format(name=name), "number", float(value)
            if phase == "forward":
                rule = f"{name} = {formula(node, names)} = {formula(node, names, lambda x: str(x.shape) if x.shape else num(x.data))} = {num(value)}"
            else:
                rule = chain_rule(node, grads, consumers, names, root)
        asked = quiz and (kind == "shape" or (not arrays and math.isfinite(answer)))
        what = f"{name} {node.shape}" if node.shape else f"{name} = {num(value)}"
        return {
            "id": ids[node],
            "phase": phase[0],
            "ask": ask if asked else "",
            "kind": kind,
            "answer": answer,
            "rule": rule,
            "caption": w[f"step_{phase}"].format(k=k, n=n, what=what),
        }

    forward = [n for n in nodes if not n.is_leaf] if walk != "backward" else []
    backward = [n for n, _ in steps] if walk != "forward" else []
    total = len(forward) + len(backward)
    frames = [frame(n, "forward", k, total) for k, n in enumerate(forward, start=1)]
    frames += [frame(n, "backward", k, total) for k, n in enumerate(backward, start=len(forward) + 1)]
    shown = [
        {
            "id": ids[n],
            "keep": 1 if not n.shape else 2,  # the value's lines; the derivative's follow
            "mask": _masked(value_text(n, None, dims, names[n])[0], n),
            "leaf": n.is_leaf,
        }
        for n in nodes
    ]
    text = {
        k: w[k]
        for k in ("right", "rounded", "wrong", "not_number", "not_shape", "check", "reveal", "score", "final", "help")
    }
    page = PAGE.format(
        lang=lang,
        title=html.escape(w["quiz_title" if quiz else "title"]),
        prev=html.escape(w["prev"]),
        next=html.escape(w["next"]),
        zoom_in=html.escape(w["zoom_in"]),
        zoom_out=html.escape(w["zoom_out"]),
        fit=html.escape(w["fit"]),
        last=len(frames),
        svg=svg[svg.index("<svg") :],
        data=_script_json(
            {
                "frames": frames,
                "nodes": shown,
                "start": w["start_forward" if forward else "start"],
                "forward": bool(forward),
                "quiz": bool(quiz),
                "words": text,
            }
        ),
    )
    return write_atomic(Path(path), page.encode("utf-8"))


class Embedded:
    """A page viz wrote, shown inside a notebook cell: the whole page in an iframe's srcdoc, so it
    works in Jupyter and on the docs site opened from disk (no server, no file to reach)."""

    def __init__(self, path, height=620):
        self.path, self.height = Path(path), int(height)
        self.page = self.path.read_text(encoding="utf-8")

    def _repr_html_(self):
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" title="{html.escape(self.path.name)}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #c5ccd3; border-radius: 6px"></iframe>'
        )

    def __repr__(self):
        return f"Embedded({str(self.path)!r})"


def embed(path, height=620):
    """Show an explorer page (viz.explore's file) in a notebook: viz.embed(viz.explore(J, "J.html"))."""
    return Embedded(path, height)


def _masked(line, node):
    """A value's first line with the value itself replaced by '?': 'u = ?', 'Z1 ?', 'W[1]: (n[1], n[0]) = ?'."""
    if not node.shape:
        return line.rsplit(" = ", 1)[0] + " = ?"
    return line[: -len(str(node.shape))] + "?" if line.endswith(str(node.shape)) else line


def _script_json(x):
    """JSON that no label can end or bend: every "<" escaped (</script>, <!--, <script)."""
    return json.dumps(x, ensure_ascii=False).replace("<", "\\u003c")


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 html, body {{ height: 100%; margin: 0; }}
 body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 16px;
        display: flex; flex-direction: column; padding: .3em .6em; box-sizing: border-box; overflow: hidden; }}
 .row {{ display: flex; gap: .5em; align-items: center; flex-wrap: nowrap; min-height: 2.6em; }}
 #bar {{ flex-wrap: wrap; row-gap: .3em; padding: .2em 0; }}
 h1 {{ font-size: 1.1em; margin: 0 .4em 0 0; white-space: nowrap; }}
 button {{ font: inherit; font-size: 1.05em; padding: .3em .9em; min-height: 2.3em; min-width: 2.6em; flex: none;
          white-space: nowrap;
          border-radius: .4em; border: 1px solid #8a96a3; background: #f4f7fb; cursor: pointer; }}
 button:hover {{ background: #e3ecf8; }}
 #slider {{ flex: 1 1 8em; min-width: 6em; max-width: 20em; height: 1.6em; }}
 #score {{ margin-left: auto; white-space: nowrap; font-weight: bold; min-width: 6em; text-align: right; }}
 #line > * {{ white-space: nowrap; }}
 #caption {{ overflow: hidden; text-overflow: ellipsis; }}
 #answer {{ font: inherit; font-size: 1.1em; width: 8em; padding: .2em .4em; }}
 #feedback.right {{ color: #1a7f37; }} #feedback.wrong {{ color: #d62728; }}
 #says {{ min-height: 1.5em; font-family: monospace; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
 #stage {{ flex: 1 1 auto; min-height: 0; overflow: auto; }}
 #stage svg {{ display: block; margin: 0 auto; }}
 .current polygon, .current path {{ stroke: #d62728; stroke-width: 3; }}
</style></head>
<body>
<div class="row" id="bar">
 <h1>{title}</h1>
 <button id="prev" title="← PageUp">{prev}</button>
 <input id="slider" type="range" min="0" max="{last}" value="0">
 <button id="next" title="→ PageDown">{next}</button>
 <button id="zoom-out" title="−">{zoom_out}</button><button id="fit" title="0">{fit}</button>
 <button id="zoom-in" title="+">{zoom_in}</button>
 <span id="score"></span>
</div>
<div class="row" id="line"><span id="caption"></span>
 <span id="quiz" style="display: none; gap: .5em; align-items: center"><label id="ask" for="answer"></label>
 <input id="answer" autocomplete="off" spellcheck="false"><button id="check"></button><button id="reveal"></button></span>
 <span id="feedback"></span></div>
<div id="says"><span id="rule"></span></div>
<div id="stage">{svg}</div>
<script>
const D = {data};
const $ = id => document.getElementById(id);
const slider = $("slider"), answer = $("answer"), feedback = $("feedback"), stage = $("stage");
const svg = stage.querySelector("svg");
const F = D.frames.length, settled = {{}};  // frame -> "right" | "revealed"
let at = 0, zoom = null;
$("check").textContent = D.words.check;
$("reveal").textContent = D.words.reveal;
answer.placeholder = "-1/9";
function node(id) {{ return document.getElementById("value-" + id); }}
function texts(id) {{ const g = node(id); return g ? [...g.querySelectorAll("text")] : []; }}
D.nodes.forEach(n => {{ n.full = (texts(n.id)[0] || {{}}).textContent; }});
function paint(n, value, grad) {{  // what of node n the student may see now
  texts(n.id).forEach((t, i) => {{
    if (i === 0) {{ t.textContent = value ? n.full : n.mask; t.style.display = ""; }}
    else t.style.display = (i < n.keep ? value : grad) ? "" : "none";
  }});
  document.querySelectorAll('[id^="grad-' + n.id + '-"]').forEach(e => e.style.display = grad ? "" : "none");
}}
function pending(k) {{ const f = D.frames[k - 1]; return D.quiz && f && f.ask && !settled[k]; }}
function show(i) {{
  i = Math.max(0, Math.min(F, i));
  for (let k = Math.max(at, 1); k < i; k++) if (pending(k)) settled[k] = "revealed";  // passed unanswered
  at = i;
  slider.value = at;
  const done = D.frames.slice(0, at), f = D.frames[at - 1], hidden = pending(at);
  const values = new Set(done.filter(x => x.phase === "f").map(x => x.id));
  const grads = new Set(done.filter(x => x.phase === "b").map(x => x.id));
  if (hidden) (f.phase === "f" ? values : grads).delete(f.id);
  D.nodes.forEach(n => paint(n, !D.forward || n.leaf || values.has(n.id), grads.has(n.id)));
  document.querySelectorAll(".current").forEach(e => e.classList.remove("current"));
  if (f && node(f.id)) {{ node(f.id).classList.add("current"); follow(node(f.id)); }}
  $("caption").textContent = at ? f.caption : D.start;
  $("caption").style.display = hidden ? "none" : "";
  $("quiz").style.display = hidden ? "flex" : "none";
  $("rule").textContent = hidden ? D.words.help : (f && D.quiz ? f.rule : "");
  feedback.textContent = ""; feedback.className = "";
  if (hidden) {{ $("ask").textContent = f.ask; answer.value = ""; answer.focus(); }}
  score();
}}
function score() {{
  if (!D.quiz) return;
  const asked = D.frames.filter(f => f.ask).length, all = Object.values(settled);
  const right = all.filter(s => s === "right").length, revealed = all.filter(s => s === "revealed").length;
  const words = at === F && !pending(at) ? D.words.final : D.words.score;
  $("score").textContent = words.replace("{{right}}", right).replace("{{asked}}", asked).replace("{{revealed}}", revealed);
}}
// The student's answer, read by a small parser: numbers, + − × / ^ and parentheses; never run as code.
function parse(text) {{
  if (/[\\d.]\\s+[\\d.]/.test(text)) return null;  // "1 2" is not 12
  const s = text.replace(/[−–]/g, "-").replace(/[×·]/g, "*").replace(/÷/g, "/").replace(/\\s+/g, "");
  let p = 0;
  const num = () => {{
    const m = /^(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?/i.exec(s.slice(p));
    if (!m) throw 0;
    p += m[0].length; return Number(m[0]);
  }};
  const atom = () => {{
    if (s[p] === "-") {{ p++; return -atom(); }}
    if (s[p] === "+") {{ p++; return atom(); }}
    if (s[p] === "(") {{ p++; const x = sum(); if (s[p++] !== ")") throw 0; return x; }}
    return num();
  }};
  const power = () => {{ const x = atom(); if (s[p] === "^" || s.startsWith("**", p)) {{ p += s[p] === "^" ? 1 : 2; return x ** power(); }} return x; }};
  const product = () => {{ let x = power(); while (s[p] === "*" || s[p] === "/") {{ const o = s[p++]; const y = power(); x = o === "*" ? x * y : x / y; }} return x; }};
  const sum = () => {{ let x = product(); while (s[p] === "+" || s[p] === "-") {{ const o = s[p++]; const y = product(); x = o === "+" ? x + y : x - y; }} return x; }};
  try {{ const x = sum(); return p === s.length && s.length <= 60 && Number.isFinite(x) ? x : null; }} catch (e) {{ return null; }}
}}
function close(x, a) {{  // agrees to 3 significant digits: within half a unit of the third digit
  if (Math.abs(x - a) <= 1e-9 * Math.max(1, Math.abs(a))) return "exact";
  const unit = a === 0 ? 1e-9 : 10 ** (Math.floor(Math.log10(Math.abs(a))) - 2);
  return Math.abs(x - a) <= 0.5 * unit * (1 + 1e-9) ? "rounded" : "";
}}
function check() {{
  const f = D.frames[at - 1], text = answer.value.trim();
  let ok;
  if (f.kind === "shape") {{
    const got = (text.match(/\\d+/g) || []).map(Number);
    if (!got.length || /[^\\d\\s,()\\[\\]x×*]/i.test(text)) {{ feedback.textContent = D.words.not_shape; feedback.className = "wrong"; return; }}
    ok = got.length === f.answer.length && got.every((n, i) => n === f.answer[i]) ? "exact" : "";
  }} else {{
    const x = parse(text);
    if (x === null) {{ feedback.textContent = D.words.not_number; feedback.className = "wrong"; return; }}
    ok = close(x, f.answer);
  }}
  if (!ok) {{ feedback.textContent = D.words.wrong; feedback.className = "wrong"; return; }}
  settled[at] = "right"; show(at);
  feedback.textContent = ok === "rounded" ? D.words.rounded.replace("{{exact}}", Number(f.answer.toPrecision(6))) : D.words.right;
  feedback.className = "right";
}}
// The drawing fits the stage, never below the page's text size; + − 0 zoom; the stage follows the current node.
const box = svg.viewBox.baseVal, font = parseFloat((svg.querySelector("g.node text") || {{}}).getAttribute?.("font-size")) || 14;
function fit() {{ return Math.min((stage.clientWidth - 4) / box.width, (stage.clientHeight - 4) / box.height); }}
function scale(z) {{
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  zoom = z === undefined ? Math.max(Math.min(fit(), 4 * 4 / 3), body / font) : Math.max(0.05, Math.min(z, 20));
  svg.setAttribute("width", box.width * zoom); svg.setAttribute("height", box.height * zoom);
}}
function follow(g) {{
  const r = g.getBoundingClientRect(), s = stage.getBoundingClientRect();
  if (r.left < s.left || r.right > s.right || r.top < s.top || r.bottom > s.bottom)
    stage.scrollBy(r.left + r.width / 2 - (s.left + s.width / 2), r.top + r.height / 2 - (s.top + s.height / 2));
}}
$("check").onclick = check;
$("reveal").onclick = () => {{ if (pending(at)) settled[at] = "revealed"; show(at); }};
answer.addEventListener("keydown", e => {{
  if (e.key === "Enter") check();
  if (e.key === "PageDown" || e.key === "PageUp") return;  // a clicker's keys still turn the page
  e.stopPropagation();
}});
$("prev").onclick = () => show(at - 1);
$("next").onclick = () => show(at + 1);
$("zoom-in").onclick = () => scale(zoom * 1.25);
$("zoom-out").onclick = () => scale(zoom / 1.25);
$("fit").onclick = () => scale(fit());
slider.oninput = () => show(Number(slider.value));
document.addEventListener("keydown", e => {{
  const go = {{ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1}}[e.key];
  if (go) {{ e.preventDefault(); show(at + go); }}
  else if (e.key === "Home") show(0);
  else if (e.key === "End") show(F);
  else if (e.key === "+" || e.key === "=") scale(zoom * 1.25);
  else if (e.key === "-") scale(zoom / 1.25);
  else if (e.key === "0") scale(fit());
}});
window.addEventListener("resize", () => scale());
scale();
show(0);
</script>
</body></html>
"""
