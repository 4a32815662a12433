"""The lecture's computation graph J = 3(a + bc), forward and backward (course §2.7–2.8).

讲座中的计算图 J = 3(a + bc)：从左到右算值，从右到左求导。
"""
from tinygrad_cn import Value


def lecture_graph(a=5.0, b=3.0, c=2.0):
    """Build J = 3(a + bc) with the lecture's names; return the nodes in lecture order."""
    a, b, c = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    u = b * c; u.label = "u"
    v = a + u; v.label = "v"
    J = 3 * v; J.label = "J"
    return J, v, a, u, b, c


def table(nodes):
    lines = ["节点 node | 值 value | 导数 dJ/dvar", "---------+----------+-------------"]
    lines += [f"{n.label:^9}| {n.data:^9g}| d{n.label} = {n.grad:g}" for n in nodes]
    return "\n".join(lines)


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
    written = [viz.render(J, os.path.join(out_dir, "lecture_J.svg")),
               viz.explore(J, os.path.join(out_dir, "lecture_J_steps.html"))]
    X, Y = nn.datasets.planar_flower()
    model = nn.TwoLayerNet(2, 4, 1, seed=2)
    cost = model.cost(X, Y)
    cost.backward()
    written.append(viz.render(cost, os.path.join(out_dir, "two_layer_by_layer.svg"), collapse="layers"))
    x, y = X[:, :1], Y[:, :1]                       # one example: the lecture's loop version beside the vectors
    one = nn.binary_cross_entropy(model(x), y)       # J from A[2], as the loop version computes it
    one.backward()
    view = nn.scalar_two_layer(model, x, y)
    view.loss.backward()
    both = viz.side_by_side([view.loss, one], ["逐个神经元 / neuron by neuron", "向量化 / vectorized"])
    written.append(viz.render(both, os.path.join(out_dir, "two_layer_scalar_vs_vectorized.svg")))
    print(f"\n画图方式 / renderer: {viz.backend()}")
    for path in written:
        print(f"  写出 / wrote {path}")


if __name__ == "__main__":
    main()
