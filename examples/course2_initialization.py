"""Course 2, week 1: initialization. The same 3-layer network [2, 10, 5, 1] (relu), lr 0.01,
15,000 iterations on the circles, started from zeros, from randn × 10, and with He.

第二门课第一周：初始化。全零、过大的随机数（×10）与 He 初始化的对比。"""

import nn
from nn.course2_data import circles

COURSE = {"zeros": (50, 50), "random": (83, 86), "he": (99, 96)}  # train / test accuracy, percent


def initialization_table(iterations=15000):
    Xtr, Ytr = circles(300, seed=1)
    Xte, Yte = circles(100, seed=2)
    rows = []
    for init in ("zeros", "random", "he"):
        model = nn.DeepNet([2, 10, 5, 1], hidden="relu", init=init, seed=3)
        model.fit(Xtr, Ytr, iterations, 0.01)
        rows.append((init, model.accuracy(Xtr, Ytr), model.accuracy(Xte, Yte)))
    return rows


def main():
    print(f"{'初始化 init':<14}{'训练 train':>12}{'测试 test':>12}   {'课程 course':>14}")
    for init, train, test in initialization_table():
        print(f"{init:<14}{train:>11.2f}%{test:>11.2f}%   {COURSE[init][0]:>6}% / {COURSE[init][1]}%")


if __name__ == "__main__":
    main()
