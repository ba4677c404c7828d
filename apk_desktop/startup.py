"""Which database the app opens on start: the real one, or the demo (after "Vyzkoušet na
ukázkových datech") in a folder of its own, so the real database, scans and backup settings
are never touched by the demo. Remembered in a small versioned JSON file written atomically.

Qt-free: ``open_at_start`` runs off the GUI thread while the main window shows "Načítám…"."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from apk_desktop import paths
from apk_desktop.backup.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from apk_desktop.db.database import Database

log = logging.getLogger(__name__)

SETTINGS_FILE = "start.json"
VERSION = 1
DEMO_FOLDER = "ukazka"
DB_NAME = "apk-desktop.sqlite3"


@dataclass(frozen=True)
class StartSettings:
    demo: bool = False  # open the demo database instead of the real one


def settings_path() -> Path:
    return paths.base_data_dir() / SETTINGS_FILE


def load() -> StartSettings:
    try:
        document = json.loads(settings_path().read_text(encoding="utf-8"))
        return StartSettings(demo=document.get("start", {}).get("demo") is True)
    except FileNotFoundError:
        return StartSettings()
    except (OSError, ValueError, AttributeError):
        log.exception("start settings unreadable; opening the real database")
        return StartSettings()


def save(settings: StartSettings) -> None:
    document = {"version": VERSION, "start": {"demo": settings.demo}}
    write_bytes_atomic(settings_path(), json.dumps(document, indent=2).encode("utf-8"))


def demo_dir() -> Path:
    return paths.base_data_dir() / DEMO_FOLDER


def demo_db_path() -> Path:
    return demo_dir() / DB_NAME


def demo_url() -> str:
    return f"sqlite:///{demo_db_path()}"


@dataclass(frozen=True)
class Opened:
    """The database the app starts on, open and migrated."""

    db: Database
    project_id: int | None  # None: no project yet, the first-run wizard creates one
    demo: bool  # the demo database, remembered from "Vyzkoušet na ukázkových datech"
    demo_project: bool  # a project filled by ``apk-desktop init --demo``
    unsafe_folder: bool  # a SQLite file in a synced, network or removable folder


def open_at_start(url: str, *, named: bool) -> Opened:
    """The database the user works with: the demo while the user tries it, else ``url``
    (migrated). ``named``: the database was given by ``--db`` or APK_DESKTOP_DB, so it is
    opened even while the demo is remembered."""
    from apk_desktop.db.open import open_database

    demo = not named and load().demo and demo_db_path().is_file()
    db, project_id = open_demo() if demo else (open_database(url), None)
    try:
        if not demo:
            project_id = project_id_of(db)
        return Opened(
            db,
            project_id,
            demo=demo,
            demo_project=project_id is not None and _is_demo_project(db, project_id),
            unsafe_folder=db.is_sqlite and paths.looks_synced_or_remote(Path(db.display_name)),
        )
    except BaseException:
        db.dispose()
        raise


def _is_demo_project(db: Database, project_id: int) -> bool:
    from apk_desktop.db.services.project import get_project_info

    with db.unit_of_work() as session:
        return get_project_info(session, project_id).is_demo


def project_id_of(db: Database) -> int | None:
    """The current project of ``db``, or None in a database without a project."""
    from apk_desktop.db.seed import current_project

    with db.unit_of_work() as session:
        try:
            return current_project(session).id
        except LookupError:
            return None


def open_demo(today: date | None = None) -> tuple[Database, int]:
    """Switch to the demo's folder and open the demo database, filling it on first use.
    Remembered, so the next start opens the demo again until "Začít naostro"."""
    from apk_desktop.db.demo import populate_demo
    from apk_desktop.db.open import open_database

    paths.use_data_dir(demo_dir())
    paths.data_dir()  # created
    db: Database | None = None
    try:
        db = open_database(demo_url())
        project_id = project_id_of(db)
        if project_id is None:
            with db.unit_of_work() as session:
                project_id = populate_demo(session, today).id
    except BaseException:
        if db is not None:
            db.dispose()
        paths.use_data_dir(None)
        raise
    save(StartSettings(demo=True))
    return db, project_id


def leave_demo() -> None:
    """Back to the real database's folder; the next start opens the real database."""
    paths.use_data_dir(None)
    save(StartSettings(demo=False))
