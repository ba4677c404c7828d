"""Atomic writes: a recognisable temporary name in the target folder, chunked writes, fsync,
then a rename that never overwrites a finished backup.

The ``opener`` is the fault-injection seam: tests pass one whose file object fails after N bytes
with ENOSPC, EIO or EACCES, as a full disk or a share dropping off would.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from apk_desktop.backup import faults

PARTIAL_PREFIX = ".apk-partial-"
PARTIAL_SUFFIX = ".tmp"
# .apk-partial-<host>-<pid>-<uuid>.tmp: who made it, so the leftovers of a process that died
# on this computer are removed at once. Older names carry the uuid only.
_PARTIAL_RE = re.compile(r"^\.apk-partial-(?:([0-9a-f]{8})-([0-9]{1,10})-)?[0-9a-f]{32}\.tmp$")
CHUNK_SIZE = 256 * 1024  # measured: bigger chunks fall out of the CPU cache before the write
STALE_AFTER_SECONDS = 120  # a live copy keeps touching its file; a dead one does not
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
ON_WINDOWS = os.name == "nt"  # the default of the ``windows`` parameters; tests pass True

Opener = Callable[[Path], BinaryIO]
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


def partial_path(folder: Path) -> Path:
    return folder / f"{PARTIAL_PREFIX}{_HOST}-{os.getpid()}-{uuid.uuid4().hex}{PARTIAL_SUFFIX}"


def is_partial_name(name: str) -> bool:
    return bool(_PARTIAL_RE.match(name))


def _left_by_a_dead_process(name: str) -> bool:
    """Made on this computer by a process that is no longer running."""
    match = _PARTIAL_RE.match(name)
    if match is None or match.group(1) != _HOST:
        return False
    return not process_alive(int(match.group(2)))


def owner_tag() -> str:
    """This computer and process, for the names of other files a dead process may leave."""
    return f"{_HOST}-{os.getpid()}"


def owner_dead(tag: str) -> bool:
    """``tag`` (from ``owner_tag``) names a process of this computer that is no longer running."""
    host, _, pid = tag.partition("-")
    return host == _HOST and pid.isdigit() and not process_alive(int(pid))


def process_alive(pid: int, *, windows: bool = ON_WINDOWS) -> bool:
    if pid == os.getpid():
        return True
    if windows:
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists, owned by another user
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    kernel32 = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009
    synchronize, query_limited = 0x00100000, 0x1000
    handle = kernel32.OpenProcess(synchronize | query_limited, False, pid)
    if not handle:
        return bool(getattr(ctypes, "get_last_error")() == 5)  # noqa: B009 (access denied)
    try:
        # WAIT_OBJECT_0 (0): it has ended. A timeout means it runs; a failed look counts as
        # running too, so its files are left until they are stale.
        return bool(kernel32.WaitForSingleObject(handle, 0) != 0)
    finally:
        kernel32.CloseHandle(handle)


def exclusive_opener(path: Path) -> BinaryIO:
    """Create ``path`` for writing; fail if it exists (O_EXCL)."""
    return open(path, "xb")


def fsync_folder(folder: Path, *, windows: bool = ON_WINDOWS) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles for this."""
    if windows:
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def publish(partial: Path, final: Path) -> None:
    """Give ``partial`` its final name without ever replacing an existing file.

    Raises FileExistsError when ``final`` exists (the caller picks another name)."""
    try:
        os.link(partial, final)
    except FileExistsError:
        raise
    except OSError:
        # Hard links unsupported (some shares): rename. On Windows rename never overwrites;
        # elsewhere the check leaves only a tiny window, and names carry a unique sequence.
        if os.path.lexists(final):
            raise FileExistsError(final) from None
        os.rename(partial, final)
    else:
        remove_quietly(partial)
    fsync_folder(final.parent)


def copy_into_folder(
    source: Path,
    folder: Path,
    name_for_attempt: Callable[[int], str],
    *,
    opener: Opener = exclusive_opener,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    before_publish: Callable[[], None] | None = None,
) -> Path:
    """Copy ``source`` into ``folder`` under a temporary name, fsync, then publish it under
    ``name_for_attempt(0)`` (or the next attempt's name if taken). ``before_publish`` may raise
    to stop the publication (the verification gate). The temporary file is removed on any
    failure; if even that fails, its name is recognisable for a later clean-up."""
    total = source.stat().st_size
    partial = partial_path(folder)
    done = 0
    try:
        with source.open("rb") as src, opener(partial) as dst:
            buffer = bytearray(min(CHUNK_SIZE, max(total, 1)))
            view = memoryview(buffer)
            while True:
                if cancel is not None and cancel():
                    from apk_desktop.backup.errors import BackupCancelled

                    raise BackupCancelled()
                read = src.readinto(buffer)
                if not read:
                    break
                dst.write(view[:read])
                done += read
                if progress is not None:
                    progress(done, total)
            dst.flush()
            os.fsync(dst.fileno())
        faults.pause_at("backup-copied")
        written = partial.stat().st_size
        if written != total:
            raise OSError(5, f"zapsáno {written} z {total} bajtů")  # EIO
        if before_publish is not None:
            before_publish()
        for attempt in range(1000):
            final = folder / name_for_attempt(attempt)
            try:
                publish(partial, final)
            except FileExistsError:
                continue
            return final
        raise FileExistsError(folder)
    finally:
        remove_quietly(partial)  # gone already after a successful publish


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (settings and state files)."""
    partial = partial_path(path.parent)
    try:
        with exclusive_opener(partial) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
        fsync_folder(path.parent)
    finally:
        remove_quietly(partial)


def cleanup_partials(
    folder: Path, *, min_age_seconds: float = STALE_AFTER_SECONDS, now: float | None = None
) -> list[Path]:
    """Remove temporary files (files or folders) left by a killed backup or restore: at once
    when the process that made it is dead, otherwise once untouched for ``min_age_seconds``
    (another computer's, or a name from an older version)."""
    import shutil

    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not is_partial_name(entry.name):
            continue
        try:
            young = now - entry.lstat().st_mtime < min_age_seconds
            if young and not _left_by_a_dead_process(entry.name):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed
