"""Writing a file whole or not at all: a temporary file beside it, then one rename.
Shared by nn (model files) and viz (pictures), so neither ever leaves a half-written file.

- No process-wide umask change: the temporary file is created with mode 0o666 and the
  kernel applies the umask, or with the mode of the file it replaces (which keeps its
  permissions).
- A process killed mid-write leaves `.NAME.PID.XXXX.part`; the next write beside it removes
  such files whose process is gone. The previous file is never touched until the rename.
"""

import os
import re
import secrets
from contextlib import contextmanager

from .messages import bilingual

_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.part$")


class MissingFileError(FileNotFoundError, ValueError):
    """A file to read is not there (a FileNotFoundError, and a ValueError like every other refusal)."""


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: leave its file alone
    return True


def clean_stale_parts(folder, name):
    """Remove temporary files that a killed writer left for `name` in `folder`."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        m = _PART.match(entry)
        if m and m.group("name") == name and not _alive(int(m.group("pid"))):
            try:
                os.unlink(os.path.join(folder, entry))
            except OSError:
                pass


@contextmanager
def atomic_open(path):
    """`with atomic_open("m.npz") as f: ...` writes f (binary) to path only if the block succeeds."""
    path = os.path.abspath(os.fspath(path))
    folder, name = os.path.split(path)
    if not name:
        raise ValueError(bilingual(f"文件名为空：{path!r}", f"empty file name: {path!r}"))
    if os.path.isdir(path):
        raise ValueError(bilingual(f"{path} 是一个文件夹，不能写成文件", f"{path} is a folder, not a file to write"))
    if not os.path.isdir(folder):
        raise ValueError(bilingual(f"文件夹不存在：{folder}", f"no such folder: {folder}"))
    clean_stale_parts(folder, name)
    try:
        mode = os.stat(path).st_mode & 0o7777  # replacing a file: keep its permissions
    except OSError:
        mode = None
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 if mode is None else 0o600)
    except OSError as e:  # a read-only folder, a name too long for the file system, ...
        raise ValueError(bilingual(f"无法写入 {path}：{e.strerror}", f"cannot write {path}: {e.strerror}")) from e
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
