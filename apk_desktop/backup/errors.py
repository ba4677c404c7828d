"""Backup errors with Czech messages, and the translation of OS errors into them."""

from __future__ import annotations

import errno
import os
import sqlite3

from apk_desktop.domain.errors import AppError, StorageUnavailableError


class BackupError(AppError):
    """A backup or restore could not be done; nothing was lost."""


class BackupCancelled(BackupError):
    def __init__(self) -> None:
        super().__init__("Operace byla zrušena. Data ani dřívější zálohy se nezměnily.")


class VerificationError(BackupError):
    """The archive is damaged, incomplete or not an APK Desktop backup."""


class RestoreRefused(BackupError):
    """The archive is fine but cannot be restored by this version of the app."""


_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NO_ACCESS = {errno.EACCES, errno.EPERM, errno.EROFS}
_MISSING = {
    errno.ENOENT,
    errno.ENOTDIR,
    getattr(errno, "EHOSTDOWN", -1),
    getattr(errno, "EHOSTUNREACH", -1),
    getattr(errno, "ENETUNREACH", -1),
}


def storage_error(exc: OSError, where: str) -> StorageUnavailableError:
    """A Czech message for an OS error that happened while writing/reading ``where``."""
    code = exc.errno
    if code in _NO_SPACE:
        text = (
            f"Na disku se složkou „{where}“ není dost místa. "
            "Uvolněte místo nebo zvolte jinou složku."
        )
    elif isinstance(exc, PermissionError) or code in _NO_ACCESS:
        text = (
            f"Do složky „{where}“ nemáte oprávnění zapisovat nebo z ní číst. "
            "Požádejte správce IT o oprávnění ke změně obsahu složky."
        )
    elif isinstance(exc, FileNotFoundError | NotADirectoryError) or code in _MISSING:
        text = (
            f"Složka „{where}“ není dostupná – chybí, nebo je síťové umístění odpojené. "
            "Zkontrolujte připojení k síti a nastavení složky záloh."
        )
    else:
        text = (
            f"Se složkou „{where}“ se přerušilo spojení nebo do ní nelze zapsat "
            f"({exc.strerror or exc})."
        )
    return StorageUnavailableError(text + " Vaše data v aplikaci zůstala beze změny.", str(exc))


# SQLite's primary result codes (the low byte of ``sqlite_errorcode``) that mean the storage
# failed, not the SQL: the same messages as the OS errors.
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 3, 8, 10, 13, 14
_SQLITE_STORAGE = {_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN}


def _sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_sqlite_storage_error(exc: BaseException) -> bool:
    """A SQLite error caused by the disk or folder (full, read-only, cannot open, I/O)."""
    return isinstance(exc, sqlite3.Error) and _sqlite_code(exc) in _SQLITE_STORAGE


def sqlite_storage_error(exc: sqlite3.Error, where: str) -> StorageUnavailableError:
    """``storage_error``'s Czech message for a SQLite error in folder ``where``."""
    code = _sqlite_code(exc)
    if code == _SQLITE_FULL:
        number = errno.ENOSPC
    elif code in (_SQLITE_READONLY, _SQLITE_PERM):
        number = errno.EACCES
    elif code == _SQLITE_CANTOPEN:
        number = errno.EACCES if os.path.isdir(where) else errno.ENOENT
    else:
        number = errno.EIO
    return storage_error(OSError(number, str(exc)), where)
