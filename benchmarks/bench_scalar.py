"""Scalar graphs: tinygrad_cn.Value against micrograd's Value, same code, same run.

The training code below is written once and run with each engine's Value:
an MLP 2-16-16-1 of scalar Values on 100 points, relu, hinge loss + L2, SGD, for
several steps, each engine in its own process (so each pays for its own garbage),
the median of several processes. Targets: >= 6x faster than micrograd with the garbage
collector on (the ratio with it off in both is printed too); at most 130 bytes per scalar
op node; backward on a chain linear in its length. micrograd's own time moves by about ±30%
between runs and machines: quote the range over several full runs, never the best one.
"""

import gc
import random
import sys
import time
import tracemalloc

import numpy as np
from common import median_seconds, report


def moons(n=100, seed=0):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, np.pi, n)
    y = rng.integers(0, 2, n)
    x = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    x += rng.normal(0, 0.1, x.shape)
    return x.tolist(), (2 * y - 1).tolist()


class MLP:
    def __init__(self, V, sizes, seed=1):
        rnd = random.Random(seed)
        self.layers = [
            [([V(rnd.uniform(-1, 1)) for _ in range(n_in)], V(0.0)) for _ in range(n_out)]
            for n_in, n_out in zip(sizes, sizes[1:])
        ]

    def parameters(self):
        return [p for layer in self.layers for w, b in layer for p in w + [b]]

    def __call__(self, x):
        for k, layer in enumerate(self.layers):
            out = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = out if k == len(self.layers) - 1 else [o.relu() for o in out]
        return x[0]


def train(V, steps=3):
    X, Y = moons()
    model = MLP(V, [2, 16, 16, 1])
    params = model.parameters()
    for _ in range(steps):
        scores = [model([V(a), V(b)]) for a, b in X]
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 0.05 * p.grad
    return loss.data


def bytes_per_node(V, n=100_000):
    tracemalloc.start()
    x = V(1.0)
    before = tracemalloc.get_traced_memory()[0]
    nodes = [x]
    for i in range(n):
        nodes.append(nodes[-1] * 1.0001 + 0.5)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / (2 * n)  # two op nodes per iteration (constants included for micrograd)


def chain_backward_seconds(V, n):
    x = V(0.5)
    y = x
    for _ in range(n):
        y = y * 1.0
    t0 = time.perf_counter()
    y.backward()
    return time.perf_counter() - t0


STEPS, RUNS = 5, 5


def child(engine, steps, gc_on="on"):
    """In a fresh process: one warm-up step, then the seconds of `steps` steps."""
    sys.setrecursionlimit(100_000)  # micrograd's topological sort is recursive
    if gc_on == "off":
        gc.disable()
    if engine == "micrograd":
        from micrograd.engine import Value
    else:
        from tinygrad_cn import Value
    train(Value, 1)
    t0 = time.perf_counter()
    train(Value, steps)
    print(time.perf_counter() - t0)


def main():
    sys.setrecursionlimit(100_000)
    from micrograd.engine import Value as MicroValue

    from tinygrad_cn import Value

    assert abs(train(Value, 1) - train(MicroValue, 1)) < 1e-9, "the two engines must compute the same loss"
    for gc_on in ("on", "off"):
        result = median_seconds(__file__, ["micrograd", "tinygrad_cn"], STEPS, gc_on, runs=RUNS)
        (t_micro, runs_micro), (t_ours, runs_ours) = result["micrograd"], result["tinygrad_cn"]
        report(
            f"MLP 2-16-16-1, 100 points, {STEPS} SGD steps, garbage collector {gc_on}, median of {RUNS} processes"
            " each, in turns (seconds)",
            [("micrograd", t_micro, "s"), ("tinygrad_cn", t_ours, "s")],
        )
        print(
            "  runs: micrograd "
            + ", ".join(f"{t:.2f}" for t in runs_micro)
            + "; tinygrad_cn "
            + ", ".join(f"{t:.3f}" for t in runs_ours)
        )
        target = "  (target >= 6x)" if gc_on == "on" else ""
        print(f"  speed-up, garbage collector {gc_on}: {t_micro / t_ours:.2f}x{target}")

    m_micro, m_ours = bytes_per_node(MicroValue), bytes_per_node(Value)
    report(
        "memory per scalar op node (bytes, tracemalloc)", [("micrograd", m_micro, "B"), ("tinygrad_cn", m_ours, "B")]
    )
    print(f"  tinygrad_cn: {m_ours:.0f} B per node  (target <= 130 B)")

    rows = [
        (f"tinygrad_cn chain of {n:,}", chain_backward_seconds(Value, n), "s") for n in (10_000, 100_000, 1_000_000)
    ]
    report("backward on a chain (seconds; linear means ratio ~ n / 10,000)", rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), *sys.argv[4:5])
    else:
        main()
