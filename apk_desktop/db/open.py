"""Open a database ready for use: migrated to the newest schema. A new database holds no
project: the first-run wizard or ``apk-desktop init`` creates one (``services.setup``)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from apk_desktop.db import migrate
from apk_desktop.db.database import Database
from apk_desktop.db.services.assessments import ensure_default_scales
from apk_desktop.domain.errors import StorageUnavailableError


def open_database(url: str) -> Database:
    db = Database(url)
    try:  # a missing file folder, a server that is down, a wrong password: say so in Czech
        with db.engine.connect():
            pass
    except DBAPIError as exc:
        db.dispose()
        raise StorageUnavailableError(_open_failed(db, url, exc), details=str(exc)) from exc
    _check_server_encoding(db)
    _check_not_newer(db)
    migrate.upgrade_if_needed(db.engine)
    with db.unit_of_work() as session:
        ensure_default_scales(session)
    return db


def _open_failed(db: Database, url: str, exc: DBAPIError) -> str:
    if db.is_sqlite:
        return (
            f"Databázi „{db.display_name}“ se nepodařilo otevřít. Zkontrolujte cestu k souboru "
            "a oprávnění."
        )
    from apk_desktop.db.connection import connect_error_message

    return f"Databázi „{db.display_name}“ se nepodařilo otevřít. " + connect_error_message(exc, url)


def _check_server_encoding(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        return
    from apk_desktop.db.connection import encoding_problem

    with db.engine.connect() as connection:
        encoding = connection.scalar(text("SELECT current_setting('server_encoding')"))
    problem = encoding_problem(encoding, db.display_name)
    if problem:
        db.dispose()
        raise StorageUnavailableError(problem)


def _check_not_newer(db: Database) -> None:
    """A schema from a newer app is never touched (Alembic cannot even read it)."""
    revision = migrate.stored_revision(db.engine)
    if revision is None or revision == migrate.HEAD or revision in migrate.known_revisions():
        return
    from apk_desktop.db.connection import revision_problem

    db.dispose()
    raise StorageUnavailableError(
        f"Databázi „{db.display_name}“ nelze otevřít. " + str(revision_problem(revision))
    )
