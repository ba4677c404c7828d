"""One running APK Desktop per data folder: the GUI holds this lock for its lifetime, and a
restore from the command line takes it too, so it can never swap the database under the open
app. An OS file lock (flock / LockFileEx): the system releases it when the process dies, so a
crash never leaves a stale lock behind. Qt-free, so the command line can use it."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

LOCK_FILE = "apk-desktop.lock"


class InstanceLock:
    """The held lock; ``release()`` it when the app ends (the OS does it if the app dies)."""

    def __init__(self, lock: FileLock) -> None:
        self._lock = lock

    def release(self) -> None:
        self._lock.release()


def acquire(folder: Path) -> InstanceLock | None:
    """The lock for the data ``folder``, or None when another process holds it.

    A folder where the lock file cannot be created (read-only, missing) is a Czech
    StorageUnavailableError."""
    lock = FileLock(folder / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return None
    except OSError as exc:
        from apk_desktop.backup.errors import storage_error

        raise storage_error(exc, str(folder)) from exc
    return InstanceLock(lock)
