"""viz: computation graphs of the tinygrad_cn engine, drawn as the lecture draws them.

import viz
viz.render(J, "J.svg")          # writes the picture; returns its path
viz.draw(J)                     # a graphviz.Digraph; shows inline in Jupyter
viz.explore(J, "J.html")        # step through backprop in a browser
viz.embed(viz.explore(J, "J.html", quiz=True))  # the same page inside a notebook
"""

from pathlib import Path

from .graph import as_drawing, draw, side_by_side, to_svg
from .renderer import FORMATS, backend, render_bytes, write_atomic
from .steps import backprop_steps, embed, explore


def render(root, path, format=None, **opts):
    """Draw a Value's graph, or any drawing viz returned, into `path` (format from the suffix:
    svg, png, pdf, dot); written whole or not at all."""
    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower() or "svg"
    data = render_bytes(as_drawing(root, "render", **opts).source, fmt)  # all of it in memory first
    return write_atomic(path, data)


DRAWS_VALUES = True  # the engine's Value._repr_svg_ looks for this: a Value shows itself as its graph in Jupyter

__all__ = [
    "draw",
    "side_by_side",
    "to_svg",
    "render",
    "render_bytes",
    "backprop_steps",
    "explore",
    "embed",
    "backend",
    "FORMATS",
]
