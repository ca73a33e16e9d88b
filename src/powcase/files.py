"""Files that may hold personal data: readable by their owner only, and never seen half-written.

Every output that can carry a name, a wish, a statement or a case's place in an exchange goes
through :func:`write_private`: the bytes go to a temporary file in the same folder, created with
mode 0600, flushed to disk, then renamed over the target in one step (``os.replace``). A reader
sees the old file or the new one, never a torn one; a failure leaves neither a temporary file nor
a partial target behind; and no other user of the machine can read it in between, whatever the
umask.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from powcase.errors import InvalidInput

PRIVATE_MODE = 0o600


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``data`` (str as UTF-8) to ``path``, mode 0600, atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with private_file(path) as tmp:
        tmp.write_bytes(payload)


def write_private_with(path: Path, writer: Callable[[Path], None]) -> None:
    """Let ``writer`` fill a private temporary path (a library that saves to a path: CSV, XLSX),
    then put it in place atomically."""
    with private_file(path) as tmp:
        writer(tmp)


@contextmanager
def private_file(path: Path) -> Iterator[Path]:
    """A fresh 0600 file beside ``path``; on a clean exit it replaces ``path``, else it is removed."""
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"{folder}: no such folder; create it first (nothing was written)")
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write here ({exc.strerror}); nothing was written") from None
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, PRIVATE_MODE)  # a library that re-created the file gets the mode back
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def make_private(path: Path) -> None:
    """Restrict an existing file to its owner (a store created by a library, e.g. SQLite)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_MODE)
