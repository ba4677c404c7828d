"""Which database the app opens on start: the real one, or the demo (after "Vyzkoušet na
ukázkových datech") in a folder of its own, so the real database, scans and backup settings
are never touched by the demo; and which of a database's projects was worked on last on this
PC. Remembered in a small versioned JSON file written atomically.

Qt-free: ``open_at_start`` runs off the GUI thread while the main window shows "Načítám…"."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apk_desktop import paths
from apk_desktop.backup.atomic import write_bytes_atomic

if TYPE_CHECKING:
    from apk_desktop.db.database import Database
    from apk_desktop.db.services.project import ProjectSummary

log = logging.getLogger(__name__)

SETTINGS_FILE = "start.json"
VERSION = 1
DEMO_FOLDER = "ukazka"
DB_NAME = "apk-desktop.sqlite3"
PROJECTS_KEY = "projects"  # database identity -> the project last worked on in it


@dataclass(frozen=True)
class StartSettings:
    demo: bool = False  # open the demo database instead of the real one


def settings_path() -> Path:
    return paths.base_data_dir() / SETTINGS_FILE


def _document() -> dict[str, Any]:
    """The settings file's JSON object; {} when there is none (or it is unreadable: logged)."""
    try:
        document = json.loads(settings_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.exception("start settings unreadable; starting with the defaults")
        return {}
    return document if isinstance(document, dict) else {}


def _write(document: dict[str, Any]) -> None:
    document["version"] = VERSION
    write_bytes_atomic(settings_path(), json.dumps(document, indent=2).encode("utf-8"))


def load() -> StartSettings:
    start = _document().get("start")
    return StartSettings(demo=isinstance(start, dict) and start.get("demo") is True)


def save(settings: StartSettings) -> None:
    """Store ``settings``; the file's other keys (the remembered projects…) are kept."""
    document = _document()
    document["start"] = {"demo": settings.demo}
    _write(document)


def database_identity(db: Database) -> str:
    """What names a database across starts on this PC: the SQLite file's full path, or the
    server URL without its password."""
    if db.is_sqlite:
        return str(Path(db.display_name).resolve())
    return db.engine.url.set(password=None).render_as_string(hide_password=False)


def remembered_project(db: Database) -> int | None:
    """The project of ``db`` worked on last on this PC (not the shared ``project.is_current``
    flag: on a server two mentors would take it from each other)."""
    projects = _document().get(PROJECTS_KEY)
    chosen = projects.get(database_identity(db)) if isinstance(projects, dict) else None
    return chosen if isinstance(chosen, int) and not isinstance(chosen, bool) else None


def remember_project(db: Database, project_id: int) -> None:
    """Open ``project_id`` at the next start on ``db``. A file that cannot be written is
    logged: the project is then asked for again, nothing is lost."""
    document = _document()
    projects = document.get(PROJECTS_KEY)
    if not isinstance(projects, dict):
        projects = {}
    projects[database_identity(db)] = project_id
    document[PROJECTS_KEY] = projects
    try:
        _write(document)
    except OSError:
        log.exception("the project worked on could not be remembered")


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
    project_id: int | None  # None: no project yet (the first-run wizard), or one to choose
    demo: bool  # the demo database, remembered from "Vyzkoušet na ukázkových datech"
    demo_project: bool  # a project filled by ``apk-desktop init --demo``
    unsafe_folder: bool  # a SQLite file in a synced, network or removable folder
    # the projects to choose from when there are several and none was worked on here last
    choices: tuple[ProjectSummary, ...] = ()


def open_at_start(url: str, *, named: bool) -> Opened:
    """The database the user works with: the demo while the user tries it, else ``url``
    (migrated). ``named``: the database was given by ``--db`` or APK_DESKTOP_DB, so it is
    opened even while the demo is remembered."""
    from apk_desktop.db.open import open_database

    demo = not named and load().demo and demo_db_path().is_file()
    db, project_id = open_demo() if demo else (open_database(url), None)
    try:
        choices: tuple[ProjectSummary, ...] = ()
        if not demo:
            choice = choose_project(db)
            project_id, choices = choice.project_id, choice.choices
        return Opened(
            db,
            project_id,
            demo=demo,
            demo_project=project_id is not None and _is_demo_project(db, project_id),
            unsafe_folder=db.is_sqlite and paths.looks_synced_or_remote(Path(db.display_name)),
            choices=choices,
        )
    except BaseException:
        db.dispose()
        raise


def _is_demo_project(db: Database, project_id: int) -> bool:
    from apk_desktop.db.services.project import get_project_info

    with db.unit_of_work() as session:
        return get_project_info(session, project_id).is_demo


@dataclass(frozen=True)
class ProjectChoice:
    """The project to open in a database, or the projects the user chooses from."""

    project_id: int | None  # None: none in the database, or several and ``choices`` says which
    choices: tuple[ProjectSummary, ...] = ()


def choose_project(db: Database) -> ProjectChoice:
    """The only project of ``db``, or the one worked on last on this PC; else the projects to
    choose from (nothing when the database holds none)."""
    from apk_desktop.db.services.project import list_projects

    with db.unit_of_work() as session:
        projects = tuple(list_projects(session))
    if len(projects) == 1:
        return ProjectChoice(projects[0].id)
    remembered = remembered_project(db)
    if any(project.id == remembered for project in projects):
        return ProjectChoice(remembered)
    return ProjectChoice(None, projects)


def project_id_of(db: Database) -> int | None:
    """The project of ``db`` to work on without asking (``choose_project``), or None."""
    return choose_project(db).project_id


PROJECT_NOT_FOUND = "Projekt s číslem {id} v databázi {db} není."
CHOOSE_PROJECT = (
    "Databáze {db} obsahuje několik projektů; zvolte jeden volbou --project ČÍSLO:\n{projects}"
)


def project_for_command(db: Database, requested: int | None) -> int | None:
    """The project a headless command acts on: ``requested`` (``--project``) when given, else
    the only one or the one worked on last on this PC; None in a database without a project.
    AppError (with the projects listed) when ``requested`` is not there or the choice is not
    clear: a command never guesses between projects."""
    from apk_desktop.db.services.project import list_projects
    from apk_desktop.domain.errors import AppError

    if requested is None:
        choice = choose_project(db)
        if choice.project_id is not None or not choice.choices:
            return choice.project_id
        projects = choice.choices
        message = CHOOSE_PROJECT
    else:
        with db.unit_of_work() as session:
            projects = tuple(list_projects(session))
        if any(project.id == requested for project in projects):
            return requested
        message = PROJECT_NOT_FOUND + ("\nProjekty v databázi:\n{projects}" if projects else "")
    listing = "\n".join(f"  {p.id}: {p.label}, {p.period}" for p in projects)
    raise AppError(message.format(id=requested, db=db.display_name, projects=listing))


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
