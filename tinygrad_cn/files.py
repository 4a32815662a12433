"""Writing a file whole or not at all: a temporary file in the same folder, then one rename.
Shared by nn (model files) and viz (pictures), so neither ever leaves a half-written file."""
import os
import tempfile
from contextlib import contextmanager


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_open(path, suffix=""):
    """`with atomic_open("m.npz") as f: ...` writes f (binary) to path only if the block succeeds."""
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it an ordinary file's mode
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
