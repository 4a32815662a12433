"""Week 2: logistic regression as a one-neuron network, z = wᵀx + b, a = σ(z).

第二周：逻辑回归。两团高斯点（n_x = 4），梯度下降，并用课程公式核对梯度。
"""

import numpy as np

import nn
from nn import formulas

X, Y = nn.datasets.blobs(m=500, n_x=4, spread=1.5, seed=0)
X_test, Y_test = nn.datasets.blobs(m=200, n_x=4, spread=1.5, seed=1)
model = nn.LogisticRegression(n_x=4)

J = model.cost(X, Y)
J.backward()
grads, cost = formulas.propagate(model.w.data, 0.0, X, Y)
print(f"初始代价 / initial cost J = {J.data:.6f} (formula: {cost:.6f})")
print(f"dw 引擎 / engine = {model.w.grad.ravel()}\ndw 公式 / formula = {grads['dw'].ravel()}\n")

costs = model.fit(X, Y, num_iterations=2000, learning_rate=0.05, print_cost=True)
print(f"\n训练集准确率 / train accuracy: {model.accuracy(X, Y):.2f}%")
print(f"测试集准确率 / test accuracy:  {model.accuracy(X_test, Y_test):.2f}%")
print(f"w = {np.round(model.w.data.ravel(), 3)}, b = {model.b.data[0, 0]:.3f}")
