"""Where the app keeps its data: one folder, overridable for tests and other installs."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from platformdirs import PlatformDirs
from platformdirs.api import PlatformDirsABC

from apk_desktop import APP_NAME

DATA_DIR_ENV = "APK_DESKTOP_DATA_DIR"
DB_ENV = "APK_DESKTOP_DB"


_active_data_dir: Path | None = None  # the demo's own folder while the demo is open


def use_data_dir(path: Path | None) -> None:
    """Keep the files of the open database (scans, logo, backup settings) in ``path``: the
    demo's folder while the demo is open, None for the usual one."""
    global _active_data_dir
    _active_data_dir = path


def data_dir() -> Path:
    """The data folder of the open database; created on first use."""
    if _active_data_dir is not None:
        _active_data_dir.mkdir(parents=True, exist_ok=True)
        return _active_data_dir
    return base_data_dir()


def base_data_dir() -> Path:
    """The local (non-roaming) data folder of the app; created on first use."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(system_data_dir())
    path.mkdir(parents=True, exist_ok=True)
    return path


def system_data_dir(dirs: type[PlatformDirsABC] = PlatformDirs) -> str:
    r"""The per-user data folder the system gives the app: on Windows
    ``%LOCALAPPDATA%\APK Desktop``, local, never the roaming profile that follows the user to
    other computers (a live SQLite file must not travel). ``dirs`` is another system's
    platformdirs class in tests."""
    return dirs(APP_NAME, appauthor=False, roaming=False).user_data_dir


def default_db_path() -> Path:
    return data_dir() / "apk-desktop.sqlite3"


def scans_dir() -> Path:
    """Attached signed scans live here, copied in (never linked)."""
    path = data_dir() / "scans"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """``resources/`` in a checkout, or its copy inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found")


def guide_dir() -> Path:
    """The user guide: ``apk_desktop/_guide`` in an installed wheel or a frozen app, or
    ``docs/guide`` in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_guide", here.parent / "docs" / "guide"):
        if (candidate / "index.md").is_file():
            return candidate
    raise FileNotFoundError("user guide not found")


def resolve_db_url(option: str | None) -> str:
    """Turn ``--db`` / ``APK_DESKTOP_DB`` (a file path or a SQLAlchemy URL) into a URL."""
    value = option or os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from apk_desktop.domain.errors import StorageUnavailableError

        raise StorageUnavailableError(
            f"Složku databáze „{path.parent}“ se nepodařilo vytvořit. Zkontrolujte cestu "
            "a oprávnění.",
            details=str(exc),
        ) from exc
    return f"sqlite:///{path}"


# Folder names the sync clients create. Substrings for names no ordinary word contains; whole
# path components (or their start) for short names such as "Box" (not "Inbox") and "MEGA".
SYNCED_SUBSTRINGS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud")
SYNCED_COMPONENTS = ("box", "box sync", "box drive", "mega", "mega sync")
SYNCED_PREFIXES = ("nextcloud", "owncloud", "pcloud", "synologydrive", "synology drive", "megasync")
# Linux file systems where SQLite's locking cannot be trusted: network shares and FUSE
# (sshfs, rclone, gvfs, cloud clients …; ``fuseblk`` is a local disk such as NTFS and stays out).
REMOTE_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "davfs"}
)
DRIVE_REMOVABLE = 2  # GetDriveTypeW: a USB stick or card that can be pulled out
DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive
MOUNTINFO = Path("/proc/self/mountinfo")


def looks_synced_or_remote(
    path: PurePath,
    *,
    mountinfo: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> bool:
    """True for folders where SQLite is unsafe: cloud-synced, a network share (UNC), a network
    or removable drive on Windows, an NFS/SMB/FUSE mount on Linux.

    ``mountinfo`` (the text of /proc/self/mountinfo) and ``drive_type`` (GetDriveTypeW) are
    read from the running system when not given."""
    if has_synced_folder_marker(path):
        return True
    if isinstance(path, PureWindowsPath):  # every Path on Windows
        if is_windows_share(path):
            return True
        return _windows_drive_type(path, drive_type) in (DRIVE_REMOTE, DRIVE_REMOVABLE)
    if str(path).startswith(("\\\\", "//")):  # a UNC path typed on Linux
        return True
    if mountinfo is None:
        if not sys.platform.startswith("linux") or not isinstance(path, Path):
            return False
        try:
            mountinfo = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        path = path.resolve()
    return remote_mount_type(PurePosixPath(path), mountinfo) is not None


def has_synced_folder_marker(path: PurePath) -> bool:
    parts = [part.lower().strip() for part in path.parts]
    return any(
        any(marker in part for marker in SYNCED_SUBSTRINGS)
        or part in SYNCED_COMPONENTS
        or part.startswith(SYNCED_PREFIXES)
        for part in parts
    )


def is_windows_share(path: PureWindowsPath) -> bool:
    r"""A UNC share (``\\server\share``, ``\\?\UNC\server\share``); ``\\?\C:\…`` is a local
    path written the long way."""
    # the text, not ``path.drive``: Python 3.11 splits \\?\unc\… and \\.\UNC\… wrong
    text = str(path)
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        return (text[4:] + "\\").upper().startswith("UNC\\")
    return text.startswith("\\\\")


def _windows_drive_type(path: PureWindowsPath, drive_type: Callable[[str], int] | None) -> int:
    letter = path.drive.replace("/", "\\").removeprefix("\\\\?\\").removeprefix("\\\\.\\")
    if len(letter) != 2 or letter[1] != ":":
        return 0
    return int((drive_type or _system_drive_type)(letter.upper() + "\\"))


def _system_drive_type(root: str) -> int:
    """GetDriveTypeW of ``root``; 0 (unknown) on a system without the Windows API."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    return 0 if windll is None else int(windll.kernel32.GetDriveTypeW(root))


_ESCAPE = re.compile(r"\\([0-7]{3})")


def remote_mount_type(path: PurePosixPath, mountinfo: str) -> str | None:
    """The file system type of the mount holding ``path`` (the longest mount point containing
    it) when it is a network or FUSE file system; None for a local one."""
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        fields = line.split()
        if "-" not in fields[6:]:
            continue
        mount_point = PurePosixPath(_ESCAPE.sub(lambda m: chr(int(m[1], 8)), fields[4]))
        fs_type = fields[fields.index("-", 6) + 1]
        depth = len(mount_point.parts)
        if path.is_relative_to(mount_point) and (best is None or depth >= best[0]):
            best = (depth, fs_type)
    if best is None:
        return None
    fs_type = best[1]
    if fs_type in REMOTE_FS_TYPES or fs_type == "fuse" or fs_type.startswith("fuse."):
        return fs_type
    return None
