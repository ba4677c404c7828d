"""Open a database ready for use: migrated to the newest schema and seeded on first run."""

from __future__ import annotations

from apk_desktop.db import migrate
from apk_desktop.db.database import Database
from apk_desktop.db.seed import seed_if_empty
from apk_desktop.db.services.assessments import ensure_default_scales


def open_database(url: str) -> Database:
    db = Database(url)
    migrate.upgrade_if_needed(db.engine)
    with db.unit_of_work() as session:
        seed_if_empty(session)
        ensure_default_scales(session)
    return db
