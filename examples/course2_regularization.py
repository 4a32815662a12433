"""Course 2, week 1: regularization. [2, 20, 3, 1] (relu), lr 0.3, 30,000 iterations on the
goalkeeper ("football") data: no regularization, L2 with λ = 0.7, inverted dropout keep_prob 0.86.

第二门课第一周：正则化。不正则化、L2（λ = 0.7）与 dropout（keep_prob = 0.86）的对比。"""

import nn
from nn.course2_data import football

COURSE = {"none": (94.8, 91.5), "L2 λ=0.7": (93.8, 93.0), "dropout 0.86": (93.0, 95.0)}


def regularization_table(iterations=30000):
    Xtr, Ytr = football(211, seed=0)
    Xte, Yte = football(200, seed=1, islands=0)
    rows = []
    for name, options in (("none", {}), ("L2 λ=0.7", {"lambd": 0.7}), ("dropout 0.86", {"keep_prob": 0.86})):
        model = nn.DeepNet([2, 20, 3, 1], hidden="relu", init="xavier", seed=3)  # randn / √n[l−1], as there
        model.fit(Xtr, Ytr, iterations, 0.3, **options)
        rows.append((name, model.accuracy(Xtr, Ytr), model.accuracy(Xte, Yte)))
    return rows


def main():
    print(f"{'正则化 regularization':<22}{'训练 train':>12}{'测试 test':>12}   {'课程 course':>16}")
    for name, train, test in regularization_table():
        print(f"{name:<22}{train:>11.2f}%{test:>11.2f}%   {COURSE[name][0]:>7}% / {COURSE[name][1]}%")


if __name__ == "__main__":
    main()
