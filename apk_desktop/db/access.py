"""Who may work on which project of a PostgreSQL server database (migration 0012): a mentor's
login role gets the table privileges the app needs and a ``project_member`` row per project;
row-level security then shows it those projects' rows only.

Run by the owner of the tables (city IT, ``apk-desktop grant-access``): only the owner may grant
on its tables and write ``project_member``. The owner itself is not subject to row security and
sees every project."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError

from apk_desktop.db import models  # noqa: F401  (registers every table)
from apk_desktop.db.base import Base
from apk_desktop.db.database import Database
from apk_desktop.db.models import Project, ProjectMember
from apk_desktop.domain.errors import NotFoundError, StorageUnavailableError, ValidationError

MEMBER_TABLE = ProjectMember.__tablename__
READ_ONLY_TABLES = (MEMBER_TABLE, "alembic_version")  # a mentor reads these, never writes

SERVER_ONLY = (
    "Přístup k projektům se přiděluje jen v databázi na serveru PostgreSQL; databázi SQLite "
    "na tomto počítači otevře každý, kdo může číst její soubor."
)
OWNER_ONLY = (
    "Přístup k projektům přiděluje jen vlastník tabulek aplikace (role, která databázi "
    "založila a aktualizuje). Spusťte příkaz s jeho přihlášením: --db postgresql+psycopg://"
    "vlastnik@server/databáze."
)


@dataclass(frozen=True)
class Membership:
    role_name: str
    project_id: int
    project_name: str


def _require_server(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        raise ValidationError(SERVER_ONLY)


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _existing_app_tables(connection: Connection) -> list[str]:
    """The app's tables present in the current schema (a migration may not have made all)."""
    names = [*Base.metadata.tables, "alembic_version"]
    present = connection.scalars(
        text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = ANY(:names)"
        ),
        {"names": names},
    )
    return sorted(present)


def grant_privileges(connection: Connection, role: str) -> None:
    """What ``role`` needs to work in the app: the schema, reading and writing the app's tables
    (row security decides which rows), the id sequences; reading its memberships and the schema
    revision. Repeating it is harmless (after a migration it covers new tables)."""
    who = _quote(connection, role)
    schema = _quote(connection, connection.scalar(text("SELECT current_schema()")) or "public")
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {who}"))
    for table in _existing_app_tables(connection):
        rights = "SELECT" if table in READ_ONLY_TABLES else "SELECT, INSERT, UPDATE, DELETE"
        connection.execute(text(f"GRANT {rights} ON {_quote(connection, table)} TO {who}"))
    connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {who}"))


def _revoke_privileges(connection: Connection, role: str) -> None:
    who = _quote(connection, role)
    schema = _quote(connection, connection.scalar(text("SELECT current_schema()")) or "public")
    for table in _existing_app_tables(connection):
        connection.execute(text(f"REVOKE ALL ON {_quote(connection, table)} FROM {who}"))
    connection.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {who}"))


def regrant_members(connection: Connection) -> list[str]:
    """Grant again to every mentor's role (after a migration); returns the roles. A mentor's
    role is one with a membership, or one granted before (it reads ``alembic_version``, a table
    no migration replaces), so a role still without a project of its own is covered too."""
    roles = set(
        connection.scalars(
            text(
                "SELECT r.rolname FROM pg_class c CROSS JOIN aclexplode(c.relacl) a "
                "JOIN pg_roles r ON r.oid = a.grantee "
                "WHERE c.oid = to_regclass('alembic_version') AND a.grantee <> c.relowner"
            )
        )
    )
    if MEMBER_TABLE in _existing_app_tables(connection):
        roles.update(connection.scalars(select(ProjectMember.role_name).distinct()))
    present = [role for role in sorted(roles) if _role_exists(connection, role)]
    for role in present:
        grant_privileges(connection, role)
    return present


def _role_exists(connection: Connection, role: str) -> bool:
    found = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found is not None


def _owner_only(exc: DBAPIError) -> StorageUnavailableError:
    return StorageUnavailableError(OWNER_ONLY, details=str(exc))


def _require_owner(connection: Connection) -> None:
    if not _is_owner(connection, connection.scalar(text("SELECT current_user")) or ""):
        raise StorageUnavailableError(OWNER_ONLY)


def grant_access(db: Database, role: str, project_id: int | None) -> str | None:
    """Let ``role`` work on project ``project_id``; returns the project's name. Without a
    project the role gets the privileges only: it may create projects of its own (each joins
    its creator) and sees nothing else."""
    _require_server(db)
    try:
        with db.engine.begin() as connection:
            _require_owner(connection)
            if not _role_exists(connection, role):
                raise NotFoundError(
                    f"Role „{role}“ na serveru neexistuje. Správce ji založí příkazem SQL "
                    f"CREATE ROLE {_quote(connection, role)} LOGIN PASSWORD '…';"
                )
            if _is_owner(connection, role):
                raise ValidationError(
                    f"Role „{role}“ vlastní tabulky aplikace a vidí všechny projekty; přístup "
                    "jí není třeba přidělovat."
                )
            name = None
            if project_id is not None:
                name = connection.scalar(select(Project.name).where(Project.id == project_id))
                if name is None:
                    raise NotFoundError(f"Projekt č. {project_id} v databázi není.")
            grant_privileges(connection, role)
            if project_id is not None:
                connection.execute(
                    insert(ProjectMember)
                    .values(project_id=project_id, role_name=role)
                    .on_conflict_do_nothing()
                )
    except DBAPIError as exc:
        raise _owner_only(exc) from exc
    return name


def _is_owner(connection: Connection, role: str) -> bool:
    """``role`` is (or acts as) the owner of the project table: row security does not apply."""
    owns = connection.scalar(
        text(
            "SELECT pg_has_role(:r, tableowner, 'USAGE') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'project'"
        ),
        {"r": role},
    )
    return bool(owns)


def revoke_access(db: Database, role: str, project_id: int | None) -> bool:
    """Take project ``project_id`` (None: every project) from ``role``; with its last project
    go its privileges too. False when the role had no access to the project."""
    _require_server(db)
    try:
        with db.engine.begin() as connection:
            _require_owner(connection)
            which = delete(ProjectMember).where(ProjectMember.role_name == role)
            if project_id is not None:
                which = which.where(ProjectMember.project_id == project_id)
            removed = connection.execute(which).rowcount
            left = connection.scalar(
                select(ProjectMember.id).where(ProjectMember.role_name == role).limit(1)
            )
            if left is None and _role_exists(connection, role):
                _revoke_privileges(connection, role)
    except DBAPIError as exc:
        raise _owner_only(exc) from exc
    return bool(removed)


def list_access(db: Database) -> list[Membership]:
    """Every membership, by role and project. The owner sees all; a mentor its own only."""
    _require_server(db)
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(ProjectMember.role_name, Project.id, Project.name)
            .join(Project, Project.id == ProjectMember.project_id)
            .order_by(ProjectMember.role_name, Project.id)
        )
        return [Membership(role, pid, name) for role, pid, name in rows]
