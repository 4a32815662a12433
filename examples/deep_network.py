"""Week 4: an L-layer network on two noisy circles, with the course's forward/backward blocks.

第四周：L 层网络。[2, 10, 5, 1]，ReLU 隐藏层，sigmoid 输出，He 初始化。
"""

import numpy as np

import nn
from nn import formulas

X, Y = nn.datasets.noisy_circles(m=600, noise=0.08, seed=0)
X_test, Y_test = nn.datasets.noisy_circles(m=300, noise=0.08, seed=1)
layer_dims = [2, 10, 5, 1]
model = nn.DeepNet(layer_dims, hidden="relu", init="he", seed=3)

# the engine's gradients against the week-4 blocks, before any training
params = model.state_dict()
AL, caches = formulas.L_model_forward(X, params)
model.cost(X, Y).backward()
grads = formulas.L_model_backward(AL, Y, caches)
worst = max(np.abs(getattr(model, k).grad - grads["d" + k]).max() for k in params)
print(f"L = {model.L}, layer_dims = {layer_dims}; 与课程公式的最大差 / max |engine − formulas| = {worst:.2e}\n")

model.fit(X, Y, num_iterations=3000, learning_rate=0.3, print_cost=True)
print(f"\n训练集准确率 / train accuracy: {model.accuracy(X, Y):.2f}%")
print(f"测试集准确率 / test accuracy:  {model.accuracy(X_test, Y_test):.2f}%")
