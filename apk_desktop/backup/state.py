"""What the app remembers about its backups (last success, last error, verification results),
kept locally in the data folder so the status bar can show it even when the share is offline.

The last backup (its time, file and fingerprint) is remembered per project, so one project's
backup never makes another look backed up. A file written before projects had backups of their
own (0.12) has only the top-level values: they count for whichever project asks."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from apk_desktop import paths
from apk_desktop.backup.atomic import write_bytes_atomic

log = logging.getLogger(__name__)
STATE_FILE = "backup-state.json"
PER_PROJECT = ("last_success_at", "last_success_path", "last_fingerprint", "last_unchanged_at")


@dataclass(frozen=True)
class Verification:
    ok: bool
    at: str  # ISO time
    message: str = ""


@dataclass(frozen=True)
class BackupState:
    last_success_at: str = ""  # ISO time of the last good backup
    last_success_path: str = ""
    last_fingerprint: str = ""  # content of the last good backup
    last_unchanged_at: str = ""  # last time the data were found equal to the last backup
    last_error: str = ""
    last_error_at: str = ""
    verifications: dict[str, Verification] = field(default_factory=dict)
    damaged_objects: tuple[str, ...] = ()  # found by verify; the next backup writes them again

    @property
    def last_good(self) -> datetime | None:
        """The last moment a good backup was known to hold the current data."""
        times = [t for t in (self.last_success_at, self.last_unchanged_at) if t]
        return max(datetime.fromisoformat(t) for t in times) if times else None

    @property
    def last_success(self) -> datetime | None:
        return datetime.fromisoformat(self.last_success_at) if self.last_success_at else None

    def with_verification(self, name: str, ok: bool, at: datetime, message: str) -> BackupState:
        verifications = dict(self.verifications)
        verifications[name] = Verification(ok, at.isoformat(timespec="seconds"), message)
        return replace(self, verifications=verifications)

    def with_damaged(
        self, found: tuple[str, ...] = (), repaired: set[str] | None = None
    ) -> BackupState:
        damaged = (set(self.damaged_objects) | set(found)) - (repaired or set())
        return replace(self, damaged_objects=tuple(sorted(damaged)))


def state_path() -> Path:
    return paths.data_dir() / STATE_FILE


def load(path: Path | None = None, project_id: int | None = None) -> BackupState:
    path = path or state_path()
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        projects = data.pop("projects", None)
        if project_id is not None and isinstance(projects, dict):
            own = projects.get(str(project_id), {})
            data.update({name: own.get(name, "") for name in PER_PROJECT})
        verifications = {
            str(k): Verification(bool(v["ok"]), str(v["at"]), str(v.get("message", "")))
            for k, v in data.pop("verifications", {}).items()
        }
        damaged = tuple(str(name) for name in data.pop("damaged_objects", []))
        known = {k: str(v) for k, v in data.items() if k in BackupState.__dataclass_fields__}
        state = BackupState(**known, verifications=verifications, damaged_objects=damaged)
        state.last_good  # noqa: B018 — validates the times
        return state
    except FileNotFoundError:
        return BackupState()
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        log.exception("backup state unreadable; starting afresh")
        return BackupState()


def _projects(path: Path) -> dict[str, Any]:
    try:
        projects = json.loads(path.read_text(encoding="utf-8")).get("projects", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return projects if isinstance(projects, dict) else {}


def save(state: BackupState, path: Path | None = None, project_id: int | None = None) -> None:
    """Write ``state``; its last backup is ``project_id``'s (the other projects' are kept)."""
    path = path or state_path()
    data = asdict(state)
    projects = _projects(path)
    if project_id is not None:
        projects[str(project_id)] = {name: data[name] for name in PER_PROJECT}
    if projects:
        data["projects"] = projects
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
