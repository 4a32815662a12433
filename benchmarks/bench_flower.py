"""Array graphs: the flower network through TwoLayerNet.fit against the same loop in numpy
(the course's formulas, nn.formulas) and in PyTorch CPU autograd (float64, one thread).

Targets (issue 3): fit <= 1.5x numpy and <= 0.5x PyTorch at the course's size
(m = 400, n_h = 4); <= 1.2x numpy at m = 100,000, n_h = 256.
"""
import argparse

import numpy as np

import nn
from nn import formulas as F
from common import best_time, report


def numpy_loop(X, Y, n_h, iterations, lr, seed=2):
    p = nn.initialize([X.shape[0], n_h, 1], seed=seed)
    for _ in range(iterations):
        A2, cache = F.two_layer_forward(X, p)
        F.compute_cost(A2, Y)
        p = F.update_parameters(p, F.two_layer_backward(p, cache, X, Y), lr)
    return p


def engine_loop(X, Y, n_h, iterations, lr, seed=2):
    model = nn.TwoLayerNet(X.shape[0], n_h, 1, seed=seed)
    model.fit(X, Y, iterations, lr)
    return model


def torch_loop(X, Y, n_h, iterations, lr, seed=2):
    import torch
    p = {k: torch.tensor(v, requires_grad=True) for k, v in nn.initialize([X.shape[0], n_h, 1], seed=seed).items()}
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    for _ in range(iterations):  # the cost from the logits Z2, as TwoLayerNet.cost computes it
        Z2 = p["W2"] @ torch.tanh(p["W1"] @ Xt + p["b1"]) + p["b2"]
        J = torch.nn.functional.binary_cross_entropy_with_logits(Z2, Yt)
        for v in p.values():
            v.grad = None
        J.backward()
        with torch.no_grad():
            for v in p.values():
                v -= lr * v.grad
    return p


def main():
    ap = argparse.ArgumentParser(description="flower benchmark / 花朵数据集基准")
    ap.add_argument("--quick", action="store_true", help="fewer iterations")
    args = ap.parse_args()
    X, Y = nn.datasets.planar_flower()
    its = 500 if args.quick else 2000
    model, ref = engine_loop(X, Y, 4, 50, 1.2), numpy_loop(X, Y, 4, 50, 1.2)
    assert all(np.allclose(model.state_dict()[k], ref[k], rtol=1e-9) for k in ref), "engine must match numpy"

    rows = [("numpy, course formulas", best_time(lambda: numpy_loop(X, Y, 4, its, 1.2)), "s"),
            ("tinygrad_cn TwoLayerNet.fit", best_time(lambda: engine_loop(X, Y, 4, its, 1.2)), "s")]
    try:
        import torch
        torch.set_num_threads(1)
        rows.append(("PyTorch CPU autograd (1 thread)", best_time(lambda: torch_loop(X, Y, 4, its, 1.2)), "s"))
    except ImportError:
        print("PyTorch not installed: pip install torch==2.13.0 to compare / 未安装 PyTorch，跳过对比")
    report(f"flower, m = 400, n_h = 4, {its} iterations", rows)
    print(f"  fit / numpy = {rows[1][1] / rows[0][1]:.2f} (target <= 1.5)")
    if len(rows) > 2:
        print(f"  fit / PyTorch = {rows[1][1] / rows[2][1]:.2f} (target <= 0.5)")

    rng = np.random.default_rng(0)
    Xb = rng.standard_normal((2, 100_000))
    Yb = (Xb[0:1] * Xb[1:2] > 0).astype(float)
    its = 3 if args.quick else 10
    big = [("numpy, course formulas", best_time(lambda: numpy_loop(Xb, Yb, 256, its, 0.5)), "s"),
           ("tinygrad_cn TwoLayerNet.fit", best_time(lambda: engine_loop(Xb, Yb, 256, its, 0.5)), "s")]
    report(f"m = 100,000, n_h = 256, {its} iterations", big)
    print(f"  fit / numpy = {big[1][1] / big[0][1]:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
