"""The lecture's computation graph J = 3(a + bc), forward and backward (course §2.7–2.8).

讲座中的计算图 J = 3(a + bc)：从左到右算值，从右到左求导。
"""

from tinygrad_cn import Value


def lecture_graph(a=5.0, b=3.0, c=2.0):
    """Build J = 3(a + bc) with the lecture's names; return the nodes in lecture order."""
    a, b, c = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return J, v, a, u, b, c


def table(nodes):
    lines = ["节点 node | 值 value | 导数 dJ/dvar", "---------+----------+-------------"]
    lines += [f"{n.label:^9}| {n.data:^9g}| d{n.label} = {n.grad:g}" for n in nodes]
    return "\n".join(lines)


def scalar_beside_vectorized(model, x, y):
    """One example through the lecture's loop version beside the vectorized network: same names."""
    import nn
    import viz

    one = model.cost(x, y)  # J from Z[2], as the loop version computes it
    one.backward()
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    return viz.side_by_side([view.loss, one], ["逐个神经元 / neuron by neuron", "向量化 / vectorized"])


def pictures():
    """The pictures README and docs show, {file name: drawing}: `make demo` writes them to out/ and
    `make images` to docs/img, so the docs show what the demo makes."""
    import nn

    J = lecture_graph()[0]
    J.backward()
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 2, 1, seed=2)  # two hidden units: both views readable on one 1920 × 1080 screen
    return {"lecture_J.png": J, "side_by_side.png": scalar_beside_vectorized(model, X[:, :1], Y[:, :1])}


def readme_images(folder):
    """The README's and the docs' pictures, made by the project's own code (make images)."""
    import os

    import viz

    os.makedirs(folder, exist_ok=True)
    return [viz.render(drawing, os.path.join(folder, name)) for name, drawing in pictures().items()]


def main(out_dir="out"):
    import os

    import nn
    import viz

    nodes = lecture_graph()
    J = nodes[0]
    J.backward()
    print("J = 3(a + bc),  a = 5, b = 3, c = 2\n")
    print(table(nodes))

    os.makedirs(out_dir, exist_ok=True)
    written = [viz.explore(J, os.path.join(out_dir, "lecture_J_steps.html"))]
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    cost = model.cost(X, Y)
    cost.backward()
    written.append(viz.render(cost, os.path.join(out_dir, "two_layer_by_layer.svg"), collapse="layers"))
    for name, drawing in pictures().items():  # the docs' pictures (make images), as SVG and PNG
        written.append(viz.render(drawing, os.path.join(out_dir, name.replace(".png", ".svg"))))
        written.append(viz.render(drawing, os.path.join(out_dir, name)))
    print(f"\n画图方式 / renderer: {viz.backend()}")
    for path in written:
        print(f"  写出 / wrote {path}")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--readme-images"]:
        print(*readme_images(sys.argv[2]), sep="\n")
    else:
        main()
