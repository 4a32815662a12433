"""Array graphs: the flower network (m = 400, n_h = 4, lr 1.2) trained four ways, each in its own
process, the median of several processes taken in turns:

- lean:  a hand-written numpy loop of the course's formulas, one expression per formula, no
         dicts or function calls (the baseline of the ratios);
- fit:    TwoLayerNet.fit (target: <= 1.3x lean);
- replay: the documented idiom for a fast loop of one's own, g = Replay(J); g.forward(); g.backward();
          step (<= 1.3x);
- loop:   a plain loop that builds a fresh graph every step, J = model.cost(X, Y); model.zero_grad();
          J.backward(); step (<= 2.5x);
- torch: PyTorch CPU autograd, float64, one thread, the same logits cost (when installed).

Also m = 100,000, n_h = 256, where numpy's arithmetic dominates, and the operating system's page faults:
a process that finds no transparent huge pages pays ~0.4 s for each fresh 200 MB array, so those ratios
move from run to run (no target there).
"""

import sys
import time

import numpy as np
from common import median_seconds, report

import nn
from tinygrad_cn import Replay

LR, SEED, RUNS = 1.2, 2, 5


def lean(X, Y, n_h, iterations, lr):
    p = nn.initialize([X.shape[0], n_h, 1], seed=SEED)
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    m = X.shape[1]
    for _ in range(iterations):
        Z1 = W1 @ X + b1
        A1 = np.tanh(Z1)
        Z2 = W2 @ A1 + b2
        A2 = 1 / (1 + np.exp(-Z2))
        cost = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m
        dZ2 = A2 - Y
        dW2 = dZ2 @ A1.T / m
        db2 = np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = W2.T @ dZ2 * (1 - A1**2)
        dW1 = dZ1 @ X.T / m
        db1 = np.sum(dZ1, axis=1, keepdims=True) / m
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
    return cost, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def fit(X, Y, n_h, iterations, lr):
    model = nn.TwoLayerNet(X.shape[0], n_h, 1, seed=SEED)
    costs = model.fit(X, Y, iterations, lr)
    return costs[-1], model.state_dict()


def loop(X, Y, n_h, iterations, lr):
    model = nn.TwoLayerNet(X.shape[0], n_h, 1, seed=SEED)
    opt = nn.GradientDescent(model.parameters(), lr)
    for _ in range(iterations):
        J = model.cost(X, Y)
        model.zero_grad()
        J.backward()
        opt.step()
    return J.data, model.state_dict()


def replay(X, Y, n_h, iterations, lr):
    model = nn.TwoLayerNet(X.shape[0], n_h, 1, seed=SEED)
    opt = nn.GradientDescent(model.parameters(), lr)
    J = model.cost(X, Y)
    g = Replay(J)
    for i in range(iterations):
        if i:
            g.forward()
        g.backward()
        opt.step()
    return J.data, model.state_dict()


def torch_loop(X, Y, n_h, iterations, lr):
    import torch

    torch.set_num_threads(1)
    p = {k: torch.tensor(v, requires_grad=True) for k, v in nn.initialize([X.shape[0], n_h, 1], seed=SEED).items()}
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    for _ in range(iterations):
        Z2 = p["W2"] @ torch.tanh(p["W1"] @ Xt + p["b1"]) + p["b2"]
        J = torch.nn.functional.binary_cross_entropy_with_logits(Z2, Yt)
        for v in p.values():
            v.grad = None
        J.backward()
        with torch.no_grad():
            for v in p.values():
                v -= lr * v.grad
    return J.item(), {k: v.detach().numpy() for k, v in p.items()}


WAYS = {"lean": lean, "fit": fit, "replay": replay, "loop": loop, "torch": torch_loop}


def data(size):
    if size == "flower":
        return nn.datasets.planar_flower() + (4,)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 100_000))
    return X, (X[0:1] * X[1:2] > 0).astype(float), 256


def child(way, size, iterations):
    X, Y, n_h = data(size)
    WAYS[way](X, Y, n_h, 2, LR)  # warm up
    t0 = time.perf_counter()
    WAYS[way](X, Y, n_h, iterations, LR)
    print(time.perf_counter() - t0)


def main():
    X, Y, n_h = data("flower")
    ref = lean(X, Y, n_h, 50, LR)[1]
    for way in ("fit", "replay", "loop"):  # the same numbers first, then the same speed
        got = WAYS[way](X, Y, n_h, 50, LR)[1]
        assert all(np.allclose(got[k], ref[k], rtol=1e-9, atol=1e-12) for k in ref), f"{way} must match lean"
    ways = ["lean", "fit", "replay", "loop"]
    try:
        import torch  # noqa: F401

        ways.append("torch")
    except ImportError:
        print("PyTorch 未安装，跳过对比 / PyTorch not installed: pip install -e '.[bench]' to compare")
    for size, iterations in (("flower", 2000), ("big", 10)):
        result = median_seconds(__file__, ways, size, iterations, runs=RUNS)
        rows = [(way, result[way][0], "s") for way in ways]
        report(f"{size}: {iterations} iterations, median of {RUNS} processes each, in turns", rows)
        base = result["lean"][0]
        fit, rep, own = (result[w][0] / base for w in ("fit", "replay", "loop"))
        if size == "flower":  # the targets are for the course's network
            print(
                f"  fit / lean = {fit:.2f} (target <= 1.3);  Replay idiom / lean = {rep:.2f} (target <= 1.3);"
                f"  fresh graph every step / lean = {own:.2f} (target <= 2.5)"
            )
        else:  # here numpy's arithmetic and the OS's page faults for 200 MB arrays decide, and vary by process
            print(
                f"  fit / lean = {fit:.2f};  Replay / lean = {rep:.2f};  fresh graph / lean = {own:.2f}"
                "  (arithmetic and page faults)"
            )
        if "torch" in result:
            print(f"  fit / PyTorch = {result['fit'][0] / result['torch'][0]:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
