"""Course 2, week 2: optimization. [2, 5, 2, 1] on the moons, mini-batches of 64, 5,000 epochs:
gradient descent, momentum and Adam at lr 0.0007, then gradient descent and momentum from lr 0.1
with the scheduled learning-rate decay α₀ / (1 + ⌊epoch / 1000⌋).

第二门课第二周：优化算法。小批量梯度下降、动量、Adam，以及学习率衰减。"""

import nn
from nn.course2_data import moons

COURSE = {"gd": 72, "momentum": 72, "adam": 94, "gd + decay": 94, "momentum + decay": 94}
RUNS = {
    "gd": ("gd", 0.0007, None),
    "momentum": ("momentum", 0.0007, None),
    "adam": ("adam", 0.0007, None),
    "gd + decay": ("gd", 0.1, 1000),
    "momentum + decay": ("momentum", 0.1, 1000),
}


def optimization_table(num_epochs=5000):
    X, Y = moons(300, seed=3)
    rows = []
    for name, (optimizer, lr, interval) in RUNS.items():
        model = nn.DeepNet([2, 5, 2, 1], hidden="relu", init="he", seed=3)
        decay = nn.scheduled_decay(1.0, interval) if interval else None
        costs = model.fit(
            X, Y, num_epochs=num_epochs, mini_batch_size=64, learning_rate=lr, optimizer=optimizer, seed=10, decay=decay
        )
        rows.append((name, model.accuracy(X, Y), costs[-1]))
    return rows


def main():
    print(f"{'优化 optimizer':<20}{'训练准确率 train':>16}{'最后的代价 cost':>18}   {'课程 course':>12}")
    for name, accuracy, cost in optimization_table():
        print(f"{name:<20}{accuracy:>15.2f}%{cost:>18.4f}   {COURSE[name]:>10}%")


if __name__ == "__main__":
    main()
