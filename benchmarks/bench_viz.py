"""viz on big graphs: building the DOT for a 10,000-node scalar graph, against building the
graph itself in the same run (target: well under a second), and rendering it (must not hang)."""

import time

from common import best_time, report

import viz
from tinygrad_cn import Value
from tinygrad_cn.autodiff import all_nodes


def scalar_graph(n_ops=5000):
    x = Value(0.5, label="x")
    y = x
    for _ in range(n_ops):
        y = y * 1.0001 + 0.1
    return y


def main():
    y = scalar_graph()
    print(f"graph of {len(all_nodes(y)):,} value nodes")
    rows = [
        ("build the graph (baseline)", best_time(scalar_graph), "s"),
        ("viz.draw, default (cut to max_nodes)", best_time(lambda: viz.draw(y).source), "s"),
        ("viz.draw, max_nodes=None (every node)", best_time(lambda: viz.draw(y, max_nodes=None).source), "s"),
    ]
    report("DOT for a 10,000-node scalar graph", rows)
    t0 = time.perf_counter()
    viz.to_svg(y)
    print(f"  render default drawing with {viz.backend()}: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
