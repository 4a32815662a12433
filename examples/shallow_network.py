"""Week 3: the planar "flower", a logistic-regression baseline, then the tanh network.

第三周：平面"花朵"数据集。先用逻辑回归作基线，再训练单隐藏层的 tanh 网络。
"""

import os
import sys

import nn


def decision_boundary_png(model, X, Y, path):
    """Draw the decision boundary where matplotlib is installed (pip install -e '.[plot]')."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (未安装 matplotlib，跳过决策边界图 / matplotlib not installed: no decision-boundary plot)")
        return None
    from viz.plots import plot_decision_boundary

    ax = plot_decision_boundary(model, X, Y, title=f"Decision boundary, n_h = {model.W1.shape[0]}")
    ax.figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(ax.figure)
    return path


def main(out_dir="out"):
    X, Y = nn.datasets.planar_flower()
    print(f"X 的形状 / shape of X: {X.shape}, Y: {Y.shape}, m = {X.shape[1]}\n")

    lr = nn.LogisticRegression(2)
    lr.fit(X, Y, 2000, 0.1)
    print(f"逻辑回归准确率 / logistic regression accuracy: {lr.accuracy(X, Y):.2f}%  (course: 47%)\n")

    model = nn.TwoLayerNet(n_x=2, n_h=4, n_y=1, hidden="tanh", seed=2)
    model.fit(X, Y, num_iterations=10000, learning_rate=1.2, print_cost=True)
    print(f"\n单隐藏层网络准确率 / accuracy with n_h = 4: {model.accuracy(X, Y):.2f}%  (course: 90%)\n")
    os.makedirs(out_dir, exist_ok=True)
    png = decision_boundary_png(model, X, Y, os.path.join(out_dir, "flower_boundary.png"))
    if png:
        print(f"  决策边界 / decision boundary: {png}\n")

    print("隐藏单元数 n_h | 准确率 accuracy (5000 iterations)")
    print("---------------+----------------")
    for n_h in (1, 2, 3, 4, 5, 20, 50):
        m = nn.TwoLayerNet(2, n_h, 1, seed=2)
        m.fit(X, Y, 5000, 1.2)
        print(f"{n_h:^15}| {m.accuracy(X, Y):6.2f}%")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
