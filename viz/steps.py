"""Backprop step by step: one SVG per step of the engine's right-to-left walk, and an
explorer page that steps through them with buttons, a slider and the arrow keys."""
import html
import json
from pathlib import Path

from tinygrad_cn import gradients
from tinygrad_cn.autodiff import topo_order

from .graph import draw, need_value, num
from .renderer import svg_text, write_atomic
from .words import words


def _steps(root):
    """(node, dJ/dnode) in the order the engine's walk reaches them, right to left."""
    need_value(root, "explore")
    order = list(reversed(topo_order(root)))
    return list(zip(order, gradients(root, order)))


def backprop_steps(root, **opts):
    """One SVG per backward step: the derivatives known so far, the current node highlighted."""
    steps = _steps(root)
    return [svg_text(draw(root, grads=dict(steps[:k + 1]), highlight=node, **opts).source)
            for k, (node, _) in enumerate(steps)]


def _what(node, grad):
    name = node.label or "·"
    return f"d{name} = {num(grad)}" if not node.shape else f"d{name} {node.shape}"


def explore(root, path, lang="zh", **opts):
    """Write one self-contained HTML page (no network, no server) to step through backprop."""
    w = words(lang)
    steps = _steps(root)
    frames = [svg_text(draw(root, grads={}, lang=lang, **opts).source)]
    frames += backprop_steps(root, lang=lang, **opts)
    captions = [w["start"]] + [w["step"].format(k=k, n=len(steps), what=_what(node, g))
                               for k, (node, g) in enumerate(steps, start=1)]
    page = PAGE.format(lang=lang, title=html.escape(w["title"]), prev=html.escape(w["prev"]),
                       next=html.escape(w["next"]), last=len(frames) - 1,
                       frames=_script_json(frames), captions=_script_json(captions))
    return write_atomic(Path(path), page.encode("utf-8"))


def _script_json(x):
    return json.dumps(x, ensure_ascii=False).replace("</", "<\\/")  # safe inside <script>


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
 body {{ font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 1em; }}
 #bar {{ display: flex; gap: .6em; align-items: center; margin-bottom: .6em; }}
 #slider {{ width: 18em; }}
 #stage svg {{ max-width: 100%; height: auto; }}
</style></head>
<body>
<h3>{title}</h3>
<div id="bar">
 <button id="prev">{prev}</button>
 <input id="slider" type="range" min="0" max="{last}" value="0">
 <button id="next">{next}</button>
 <span id="caption"></span>
</div>
<div id="stage"></div>
<script>
const frames = {frames};
const captions = {captions};
const slider = document.getElementById("slider");
let at = 0;
function show(i) {{
  at = Math.max(0, Math.min(frames.length - 1, i));
  slider.value = at;
  document.getElementById("stage").innerHTML = frames[at];
  document.getElementById("caption").textContent = captions[at];
}}
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
