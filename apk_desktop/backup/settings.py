"""Backup settings: declared once with defaults, stored as versioned JSON in the data folder,
written atomically. Unknown or bad values fall back to the defaults (logged)."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apk_desktop import paths
from apk_desktop.backup.atomic import write_bytes_atomic
from apk_desktop.backup.retention import RetentionPolicy

log = logging.getLogger(__name__)

SETTINGS_FILE = "backup-settings.json"
VERSION = 2

# How often (hours) -> Czech label; the UI offers these.
INTERVALS: dict[int, str] = {1: "každou hodinu", 4: "každé 4 hodiny", 24: "denně", 168: "týdně"}


@dataclass(frozen=True)
class BackupSettings:
    folder: str = ""  # local path or UNC path (\\server\share\apk); "" = not set up yet
    interval_hours: int = 24
    on_close: bool = True
    keep_last: int = 10
    keep_daily: int = 12
    keep_weekly: int = 10
    keep_monthly: int = 0  # 0: one per month for the project's lifetime
    include_scans: bool = True

    @property
    def policy(self) -> RetentionPolicy:
        return RetentionPolicy(
            keep_last=self.keep_last,
            keep_weekly=self.keep_weekly,
            keep_monthly=self.keep_monthly or None,
            keep_daily=self.keep_daily,
        )

    @property
    def is_configured(self) -> bool:
        return bool(self.folder.strip())


def _daily_and_ten_weeks(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 (incremental backups are small): at least a year of history. The old default
    of 8 weekly backups becomes 10; a number the user chose stays."""
    if data.get("keep_weekly", 8) == 8:
        data = {**data, "keep_weekly": 10}
    return data


# Upgrades from older file versions: version -> function turning it into version + 1.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _daily_and_ten_weeks}


def settings_path() -> Path:
    return paths.data_dir() / SETTINGS_FILE


def _coerce(raw: dict[str, Any]) -> BackupSettings:
    defaults = BackupSettings()
    values: dict[str, Any] = {}
    for field in dataclasses.fields(BackupSettings):
        if field.name not in raw:
            continue
        value = raw[field.name]
        default = getattr(defaults, field.name)
        if type(value) is not type(default) or (isinstance(value, int) and value < 0):
            log.warning(
                "backup setting %s has a bad value %r; using the default", field.name, value
            )
            continue
        values[field.name] = value
    if values.get("interval_hours") not in (None, *INTERVALS):
        values.pop("interval_hours")
    return dataclasses.replace(defaults, **values)


def load(path: Path | None = None) -> BackupSettings:
    path = path or settings_path()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        version = int(document.get("version", 1))
        data = dict(document.get("backup", {}))
        while version < VERSION:
            data = UPGRADES[version](data)
            version += 1
        return _coerce(data)
    except FileNotFoundError:
        return BackupSettings()
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        log.exception("backup settings unreadable; using defaults")
        return BackupSettings()


def save(settings: BackupSettings, path: Path | None = None) -> None:
    path = path or settings_path()
    document = {"version": VERSION, "backup": dataclasses.asdict(settings)}
    write_bytes_atomic(path, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
