"""Global switches read by every op: grad recording, anomaly checks, scope.

One small mutable object instead of module globals so that `apply` reads
them with a single attribute lookup.
"""
from contextlib import ContextDecorator


class _Mode:
    __slots__ = ("grad_enabled", "anomaly", "scope")

    def __init__(self):
        self.grad_enabled = True   # False inside no_grad(): ops record nothing
        self.anomaly = False       # True inside detect_anomaly()
        self.scope = None          # name stamped on new nodes (nn layers set it)


MODE = _Mode()


class _SetMode(ContextDecorator):
    """Set one field of MODE for a block (or a decorated function), then restore it."""

    def __init__(self, field, value):
        self.field, self.value = field, value
        self._saved = []

    def __enter__(self):
        self._saved.append(getattr(MODE, self.field))
        setattr(MODE, self.field, self.value)
        return self

    def __exit__(self, *exc):
        setattr(MODE, self.field, self._saved.pop())
        return False


def no_grad():
    """Context manager and decorator: ops inside build no graph and need no backward."""
    return _SetMode("grad_enabled", False)


def enable_grad():
    """Context manager and decorator: turn recording back on (e.g. inside no_grad)."""
    return _SetMode("grad_enabled", True)


def is_grad_enabled():
    return MODE.grad_enabled


def name_scope(name):
    """Every node created inside carries `scope == name` (viz clusters by it)."""
    return _SetMode("scope", name)
