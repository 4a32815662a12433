"""Module: parameters in a stable order, buffers beside them (state that is not learned by gradient,
batch norm's running statistics, as PyTorch's register_buffer), zero_grad, state_dict keyed by
course names, save/load."""

import zipfile

import numpy as np

from tinygrad_cn import Value
from tinygrad_cn.files import MissingFileError, atomic_open
from tinygrad_cn.messages import bilingual, course_name
from tinygrad_cn.value import data_of


class Module:
    """Base of layers and models. Parameters are the Value attributes (in the order they
    were set), then those of sub-modules; a model names them as the course does (W1, b1)."""

    training = True  # dropout drops and batch norm uses the batch's statistics only in training
    buffers = ()  # names of array attributes saved with the parameters (BatchNorm: its running statistics)
    output_name, relabels = "A", False  # in a Sequential its output is A[l] (always, or when a new node)

    def train(self, mode=True):
        """Training mode for this module and every module in it (eval() turns it off)."""
        for m in self.modules_in():
            m.training = bool(mode)
        return self

    def eval(self):
        return self.train(False)

    def modules_in(self):
        """This module and every module inside it."""
        yield self
        for attr in vars(self).values():
            for item in attr if isinstance(attr, (list, tuple)) else (attr,):
                if isinstance(item, Module) and item is not self:
                    yield from item.modules_in()

    def forward(self, *args):
        raise NotImplementedError

    def extra_repr(self, names=None):
        """What its repr shows inside the brackets: each parameter in the course's notation and
        shape, W[1] (4, 2), under `names` when a Sequential numbers them by layer."""
        named = names if names is not None else list(self.named_parameters())
        return ", ".join(f"{course_name(name)} {np.shape(data_of(p))}" for name, p in named)

    def __repr__(self):
        return f"{type(self).__name__}({self.extra_repr()})"

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

    def buffer_slots(self):
        """(name, module, attribute) of every buffer, this module's first, then its sub-modules'."""
        for attr in self.buffers:
            yield attr, self, attr
        for value in vars(self).values():
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, Module) and item is not self:
                    yield from item.buffer_slots()

    def named_buffers(self):
        """("running_mean1", array), ...: the state beside the parameters, by the same names."""
        for name, owner, attr in self.buffer_slots():
            yield name, getattr(owner, attr)

    def _state(self):
        """Everything state_dict holds, by name: parameters (Values) and buffers (arrays)."""
        return {**dict(self.named_parameters()), **dict(self.named_buffers())}

    def zero_grad(self):
        for p in self.parameters():
            p.zero_grad()

    def state_dict(self):
        """{"W1": array, "b1": array, ..., "running_mean1": array, ...}: the parameters, then the
        buffers; copies, so later training does not change them."""
        return {name: np.array(data_of(p), dtype=np.float64, copy=True) for name, p in self._state().items()}

    def load_state_dict(self, state):
        """Check every name, dtype and shape first; change nothing unless all fit."""
        if not isinstance(state, dict):
            raise TypeError(
                bilingual(
                    f"load_state_dict 需要 dict，收到 {type(state).__name__}",
                    f"load_state_dict needs a dict, got {type(state).__name__}",
                )
            )
        self._check_entries(
            self._state(),
            {k: (np.shape(v), np.asarray(v).dtype if _is_array_like(v) else None) for k, v in state.items()},
        )
        for name, p in self.named_parameters():
            p.data = np.array(state[name], dtype=np.float64) if p.shape else float(np.asarray(state[name]))
        for name, owner, attr in self.buffer_slots():
            setattr(owner, attr, np.array(state[name], dtype=np.float64))

    @staticmethod
    def _check_entries(params, entries):
        """entries: {name: (shape, dtype)}: refuse unless names, real dtypes and shapes all fit."""
        missing, extra = sorted(set(params) - set(entries)), sorted(set(entries) - set(params))
        if missing or extra:
            raise ValueError(
                bilingual(
                    f"参数名不符：缺少 {missing}，多出 {extra}",
                    f"parameter and buffer names do not match: missing {missing}, unexpected {extra}",
                )
            )
        for name, p in params.items():
            got, dtype = entries[name]
            if dtype is None or dtype.kind not in "fiu":
                raise ValueError(
                    bilingual(
                        f"{name} 必须是实数数组，文件中是 {dtype}", f"{name} must hold real numbers, got dtype {dtype}"
                    )
                )
            if tuple(got) != np.shape(p):
                raise ValueError(
                    bilingual(
                        f"{name} 的形状应为 {np.shape(p)}，文件中是 {tuple(got)}",
                        f"{name} should have shape {np.shape(p)}, got {tuple(got)}",
                    )
                )

    def save(self, path):
        """Write the state_dict as .npz, whole or not at all (the old file survives a failure)."""
        with atomic_open(path) as f:
            np.savez(f, **self.state_dict())
        return path

    def load(self, path):
        """Read an .npz written by `save`. Names, dtypes and shapes are checked from the archive's
        headers before any data is read, so nothing changes unless everything fits and a small
        file cannot make us allocate a huge array."""
        params = self._state()
        try:
            with zipfile.ZipFile(path) as archive:
                self._check_entries(params, {_member_name(m): _npy_header(archive, m) for m in archive.namelist()})
                state = {}
                for member in archive.namelist():
                    with archive.open(member) as f:
                        state[_member_name(member)] = np.lib.format.read_array(f, allow_pickle=False)
        except FileNotFoundError:
            raise MissingFileError(2, bilingual(f"找不到文件 {path}", f"no such file: {path}")) from None
        except IsADirectoryError:
            raise ValueError(
                bilingual(f"{path} 是文件夹，不是模型文件", f"{path} is a folder, not a model file")
            ) from None
        except (zipfile.BadZipFile, EOFError, OSError) as e:
            raise ValueError(
                bilingual(
                    f"{path} 不是 save() 写出的 .npz 文件",
                    f"{path} is not an .npz file written by save() ({type(e).__name__}: {e})",
                )
            ) from None
        self.load_state_dict(state)
        return self


def _is_array_like(v):
    return isinstance(v, (np.ndarray, np.generic, int, float)) and not isinstance(v, bool)


def _member_name(member):
    return member[:-4] if member.endswith(".npy") else member


def _npy_header(archive, member):
    """(shape, dtype) of one .npy member, from its header alone."""
    try:
        with archive.open(member) as f:
            version = np.lib.format.read_magic(f)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(f)
    except ValueError:  # not an .npy header, or an object array numpy will not describe safely
        return (), None
    return shape, dtype
