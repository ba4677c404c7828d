"""Alembic environment: runs on the connection handed in by ``apk_desktop.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from apk_desktop.db import models  # noqa: F401  (registers every table)
from apk_desktop.db.base import Base

config = context.config
connection = config.attributes["connection"]
is_sqlite = connection.dialect.name == "sqlite"

# SQLite's batch mode rebuilds tables; with foreign keys on, dropping the old table would
# cascade-delete child rows. The pragma is a no-op inside a transaction, so set it first.
if is_sqlite:
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=is_sqlite,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

if is_sqlite:
    connection.commit()
    problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    if problems:
        raise RuntimeError(f"foreign key check failed after migration: {problems[:5]}")
