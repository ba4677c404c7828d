"""Open a database ready for use: migrated to the newest schema. A new database holds no
project: the first-run wizard or ``apk-desktop init`` creates one (``services.setup``)."""

from __future__ import annotations

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
    migrate.upgrade_if_needed(db.engine)
    with db.unit_of_work() as session:
        ensure_default_scales(session)
    return db
