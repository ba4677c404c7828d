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
        raise StorageUnavailableError(
            f"Databázi „{db.display_name}“ se nepodařilo otevřít. Zkontrolujte cestu k souboru "
            "(u serveru jeho dostupnost a přihlašovací údaje) a oprávnění.",
            details=str(exc),
        ) from exc
    _check_server_encoding(db)
    migrate.upgrade_if_needed(db.engine)
    with db.unit_of_work() as session:
        ensure_default_scales(session)
    return db


def _check_server_encoding(db: Database) -> None:
    """Czech text (and the Czech order and search functions) need a UTF8 server database."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        encoding = connection.scalar(text("SELECT current_setting('server_encoding')"))
    if encoding != "UTF8":
        db.dispose()
        raise StorageUnavailableError(
            f"Databáze „{db.display_name}“ má kódování {encoding}; aplikace potřebuje UTF8 "
            "(česká diakritika). Požádejte správce IT o databázi vytvořenou s ENCODING 'UTF8'."
        )
