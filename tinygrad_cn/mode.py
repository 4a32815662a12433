"""The switches every op reads: grad recording, anomaly checks, the scope stamped on nodes,
and whether ops may change state outside the graph (checkers turn that off).

They live in a context variable, so each thread and each asyncio task has its own:
`no_grad()` in one thread never turns off graph building in another. The value is one
small immutable `Mode`; an op reads it once (`current()`) and then its fields.
"""

import functools
import inspect
from contextvars import ContextVar

from .messages import bilingual


class Mode:
    __slots__ = ("grad_enabled", "anomaly", "scope", "effects")

    def __init__(self, grad_enabled=True, anomaly=False, scope=None, effects=True):
        self.grad_enabled = grad_enabled  # False inside no_grad(): ops record nothing
        self.anomaly = anomaly  # True inside detect_anomaly()
        self.scope = scope  # name stamped on new nodes (nn layers set it)
        self.effects = effects  # False inside no_effects(): an op's `effect` (e.g. running averages) is skipped


_CURRENT = ContextVar("tinygrad_cn_mode", default=Mode())
current = _CURRENT.get  # the mode of this thread or task


class _SetMode:
    """Set one field of the mode for a block, or for each call of a decorated function."""

    __slots__ = ("field", "value", "token")

    def __init__(self, field, value):
        self.field, self.value, self.token = field, value, None

    def __enter__(self):
        mode = current()
        new = Mode(mode.grad_enabled, mode.anomaly, mode.scope, mode.effects)
        setattr(new, self.field, self.value)
        self.token = _CURRENT.set(new)
        return self

    def __exit__(self, *exc):
        _CURRENT.reset(self.token)
        return False

    def __call__(self, fn):
        """As a decorator: a fresh switch per call (two threads may call at once). A generator
        function has the switch on while its body runs, between yields too, as PyTorch does;
        the caller's code between two items runs in the caller's own mode."""
        field, value = self.field, self.value
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def switched_gen(*args, **kwargs):
                gen = fn(*args, **kwargs)
                step, arg = gen.send, None
                while True:
                    try:
                        with _SetMode(field, value):
                            item = step(arg)
                    except StopIteration as stop:
                        return stop.value
                    try:
                        arg, step = (yield item), gen.send
                    except GeneratorExit:
                        gen.close()
                        raise
                    except BaseException as e:  # thrown in by the caller: into the body, switched
                        arg, step = e, gen.throw

            return switched_gen

        @functools.wraps(fn)
        def switched(*args, **kwargs):
            with _SetMode(field, value):
                return fn(*args, **kwargs)

        return switched


def no_grad():
    """Context manager and decorator: ops inside build no graph and need no backward."""
    return _SetMode("grad_enabled", False)


def enable_grad():
    """Context manager and decorator: turn recording back on (e.g. inside no_grad)."""
    return _SetMode("grad_enabled", True)


def is_grad_enabled():
    return current().grad_enabled


def no_effects():
    """Context manager and decorator: ops run without their `effect` (what they change outside
    the graph, e.g. batch norm's running averages). Gradient checks and drawings use it, so
    checking or drawing a model never changes it."""
    return _SetMode("effects", False)


def name_scope(name):
    """Every node created inside carries `scope == name` (viz clusters by it)."""
    if name is not None and not isinstance(name, str):
        raise TypeError(
            bilingual(
                f"name_scope: 名字必须是字符串，收到 {type(name).__name__}",
                f"name_scope: the name must be a string, got {type(name).__name__}",
            )
        )
    return _SetMode("scope", name)
