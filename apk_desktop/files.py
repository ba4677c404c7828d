"""Atomic file writes (a temporary file in the same folder, flushed, then renamed) and reading
files the user picked without trusting what they are."""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
from pathlib import Path

from apk_desktop.domain.errors import StorageUnavailableError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either the old or the whole new file."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise StorageUnavailableError(
            f"Soubor {path} se nepodařilo uložit: {exc.strerror or exc}.", details=str(exc)
        ) from exc


class NotRegularFileError(OSError):
    """The path is a FIFO, a device, a folder or a socket, not a plain file."""


def open_regular(path: Path) -> io.BufferedReader:
    """Open ``path`` for reading only if it is a regular file (symlinks followed).

    O_NONBLOCK keeps the open of a FIFO from waiting for a writer forever; the type is checked
    on the open descriptor, so nothing can be swapped in between the check and the read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
