"""Where the app keeps its data: one folder, overridable for tests and other installs."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from platformdirs import user_data_path

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
    path = (
        Path(override)
        if override
        else user_data_path("APK Desktop", appauthor=False, roaming=False)
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


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


SYNCED_FOLDER_MARKERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud")


def looks_synced_or_remote(path: PurePath) -> bool:
    """True for folders where SQLite is unsafe: cloud-synced, network (UNC) or a mapped
    network drive on Windows (such as Z:)."""
    text = str(path).lower()
    if text.startswith(("\\\\", "//")) or any(m in text for m in SYNCED_FOLDER_MARKERS):
        return True
    return is_network_drive(path)


DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive


def is_network_drive(path: PurePath) -> bool:
    """On Windows, whether ``path`` lies on a mapped network drive; elsewhere False."""
    if os.name != "nt" or not path.drive:
        return False
    import ctypes

    kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 (windll exists only on Windows)
    return bool(kernel32.GetDriveTypeW(path.drive + "\\") == DRIVE_REMOTE)
