"""Module: parameters in a stable order, zero_grad, state_dict keyed by course names, save/load."""
import numpy as np

from tinygrad_cn import Value
from tinygrad_cn.files import atomic_open
from tinygrad_cn.messages import bilingual


class Module:
    """Base of layers and models. Parameters are the Value attributes (in the order they
    were set), then those of sub-modules; a model names them as the course does (W1, b1)."""

    def forward(self, *args):
        raise NotImplementedError

    def __call__(self, *args):
        return self.forward(*args)

    def named_parameters(self):
        for name, attr in vars(self).items():
            if isinstance(attr, Value) and attr.requires_grad:
                yield name, attr
            elif isinstance(attr, Module):
                yield from attr.named_parameters()
            elif isinstance(attr, (list, tuple)):
                for item in attr:
                    if isinstance(item, Module):
                        yield from item.named_parameters()

    def parameters(self):
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.zero_grad()

    def state_dict(self):
        """{"W1": array, "b1": array, ...}: copies, so later training does not change them."""
        return {name: np.array(p.data, copy=True) for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Check every key and shape first; change nothing unless all fit."""
        params = dict(self.named_parameters())
        missing, extra = sorted(set(params) - set(state)), sorted(set(state) - set(params))
        if missing or extra:
            raise KeyError(bilingual(f"参数名不符：缺少 {missing}，多出 {extra}",
                                     f"parameter names do not match: missing {missing}, unexpected {extra}"))
        for name, p in params.items():
            got = np.shape(state[name])
            if got != p.shape:
                raise ValueError(bilingual(f"{name} 的形状应为 {p.shape}，文件中是 {got}",
                                           f"{name} should have shape {p.shape}, got {got}"))
        for name, p in params.items():
            p.data = np.array(state[name], dtype=np.float64) if p.shape else float(state[name])

    def save(self, path):
        """Write the state_dict as .npz, whole or not at all."""
        with atomic_open(path, ".npz") as f:
            np.savez(f, **self.state_dict())
        return path

    def load(self, path):
        with np.load(path) as f:
            self.load_state_dict({k: f[k] for k in f.files})
        return self
