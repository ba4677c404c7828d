"""Which rows of each app table belong to one project (no Qt): the scope of a project's backup,
its export and its restore, and of anything else that must keep projects apart.

Table-driven from ``Base.metadata``: a row belongs to the project its owner row belongs to,
following a non-nullable foreign key (one to ``project`` if the table has it) up to
``project.id``. A table with no such path makes ``owned_rows`` raise ``UnscopedTable`` (a test
calls it for every table, so a new table cannot be forgotten)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Select, Table, func, select

from apk_desktop.db import models  # noqa: F401  (registers every table)
from apk_desktop.db.base import Base

PROJECT = "project"


class UnscopedTable(LookupError):
    """A table with no way to tell which project its rows belong to."""


@dataclass(frozen=True)
class Owner:
    """``table.column`` refers to ``parent`` (its primary key): the row's owner."""

    column: str
    parent: str


def app_table(name: str) -> Table:
    """The app table ``name``."""
    return Base.metadata.tables[name]


def owner_of(table: Table) -> Owner | None:
    """The foreign key a row of ``table`` follows towards its project (None: the project
    itself). Raises UnscopedTable when there is none."""
    if table.name == PROJECT:
        return None
    candidates = [
        fk
        for column in table.columns
        if not column.nullable
        for fk in column.foreign_keys
        if fk.column.table is not table
    ]
    chosen = [fk for fk in candidates if fk.column.table.name == PROJECT] or candidates
    if not chosen:
        raise UnscopedTable(f"table {table.name!r} has no non-nullable path to project.id")
    return Owner(chosen[0].parent.name, chosen[0].column.table.name)


def owner_chain(table: Table) -> list[str]:
    """The tables from ``table`` up to ``project``."""
    chain = [table.name]
    while (owner := owner_of(app_table(chain[-1]))) is not None:
        chain.append(owner.parent)
    return chain


def owned_rows(table: Table, project_id: int) -> ColumnElement[bool]:
    """A condition on ``table``'s columns: the row belongs to project ``project_id``."""
    if table.name == PROJECT:
        return table.c.id == project_id
    owner = owner_of(table)
    assert owner is not None
    parent = app_table(owner.parent)
    (key,) = parent.primary_key.columns
    return table.c[owner.column].in_(select(key).where(owned_rows(parent, project_id)))


def project_rows(table: Table, project_id: int) -> Select[tuple[object, ...]]:
    """The rows of ``table`` that belong to the project, in primary-key order."""
    return select(table).where(owned_rows(table, project_id)).order_by(*table.primary_key)


def app_tables() -> list[Table]:
    """Every app table, parents before children."""
    return list(Base.metadata.sorted_tables)


def count_project_rows(connection: Connection, project_id: int) -> dict[str, int]:
    """The project's rows per table."""
    counts = {}
    for table in app_tables():
        query = select(func.count()).select_from(table).where(owned_rows(table, project_id))
        counts[table.name] = int(connection.scalar(query) or 0)
    return counts


def project_ids(connection: Connection) -> list[int]:
    project = app_table(PROJECT)
    return [int(i) for i in connection.scalars(select(project.c.id).order_by(project.c.id))]


def delete_project_rows(connection: Connection, project_id: int) -> dict[str, int]:
    """Delete every row of the project (children first); returns the rows deleted per table."""
    deleted: dict[str, int] = {}
    for table in reversed(app_tables()):
        result = connection.execute(table.delete().where(owned_rows(table, project_id)))
        deleted[table.name] = result.rowcount
    return deleted
