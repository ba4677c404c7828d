"""Run the Alembic migrations shipped inside the package (imported only when needed)."""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# The newest revision, known without loading Alembic, so a start-up on an up-to-date database
# skips it (a test checks this equals the script directory's head).
HEAD = "0012"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read with plain SQL; None for a new database."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


class ServerRights(Enum):
    """What the role connected to a PostgreSQL database may do with its schema."""

    MIGRATE = "migrate"  # owns the tables (or may create them in a new database)
    USE = "use"  # reads the schema revision: a mentor's role
    NO_ACCESS = "no-access"  # the tables exist, but this role was given no access
    NOT_SET_UP = "not-set-up"  # a new database, and this role may not create tables in it


def server_rights(engine: Engine) -> ServerRights:
    """On PostgreSQL: whether the connected role may migrate the schema. The owner of the
    tables may (city IT); a mentor's role may only use them."""
    from sqlalchemy import text

    with engine.connect() as connection:
        row = connection.execute(
            text(
                # found whether or not this role may use its schema (then current_schema()
                # is null: schemas without USAGE drop out of the search path)
                "SELECT pg_has_role(current_user, c.relowner, 'USAGE'), "
                "has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT') "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = 'alembic_version' AND c.relkind = 'r' "
                "AND n.nspname = ANY(array_append(current_schemas(false), 'public')) "
                "ORDER BY n.nspname = current_schema() DESC NULLS LAST LIMIT 1"
            )
        ).first()
        if row is None:  # a new database: whoever may create tables in it sets it up
            creates = connection.scalar(
                text("SELECT has_schema_privilege(current_schema(), 'CREATE')")
            )
            return ServerRights.MIGRATE if creates else ServerRights.NOT_SET_UP
    owns, reads = row
    if owns:
        return ServerRights.MIGRATE
    return ServerRights.USE if reads else ServerRights.NO_ACCESS


def upgrade_if_needed(engine: Engine) -> None:
    if stored_revision(engine) != HEAD:
        upgrade(engine)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest this app knows)."""
    from alembic import command

    config = _config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if connection.dialect.name == "postgresql":  # new tables: for every mentor's role too
            from apk_desktop.db.access import regrant_members

            regrant_members(connection)
        connection.commit()
    log.info("database schema at %s", revision)
