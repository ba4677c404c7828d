"""Which rows of each app table belong to one project (no Qt): the scope of a project's backup,
its export and its restore, and of anything else that must keep projects apart.

Table-driven from ``Base.metadata``: a row belongs to the project its owner row belongs to,
following a non-nullable foreign key (one to ``project`` if the table has it) up to
``project.id``. A table with no such path must have a rule of its own here, or ``owned_rows``
raises ``UnscopedTable`` (a test calls it for every table, so a new table cannot be forgotten).

The one rule of its own: ``printed_sheet`` keeps plain record ids, no foreign keys (a snapshot of
the print). A printed sheet belongs to the project of the record it prints while that record
exists; else to the project of an assistant in its signature table; else (a blank sheet, the
team summary, a deleted record) to the database's first project, as old backups do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    exists,
    false,
    func,
    not_,
    or_,
    select,
)

from apk_desktop.db import models  # noqa: F401  (registers every table)
from apk_desktop.db.base import Base

PROJECT = "project"
PRINTED_SHEET = "printed_sheet"
BATCH = 1000
# printed_sheet.record_kind (domain.sheet_refs.RecordKind) → the table of that record
RECORD_TABLES = {"session": "training_session", "plan": "plan", "assistant": "assistant"}


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
    """The foreign key a row of ``table`` follows towards its project (None: project itself or
    a table with a rule of its own). Raises UnscopedTable when there is none."""
    if table.name in (PROJECT, PRINTED_SHEET):
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
    """The tables from ``table`` up to its project (or to a table with its own rule)."""
    chain = [table.name]
    while (owner := owner_of(app_table(chain[-1]))) is not None:
        chain.append(owner.parent)
    return chain


def owned_rows(table: Table, project_id: int) -> ColumnElement[bool]:
    """A condition on ``table``'s columns: the row belongs to project ``project_id``."""
    if table.name == PROJECT:
        return table.c.id == project_id
    if table.name == PRINTED_SHEET:
        return _printed_sheet_rows(table, project_id)
    owner = owner_of(table)
    assert owner is not None
    parent = app_table(owner.parent)
    (key,) = parent.primary_key.columns
    return table.c[owner.column].in_(select(key).where(owned_rows(parent, project_id)))


def project_rows(table: Table, project_id: int) -> Select[tuple[object, ...]]:
    """The rows of ``table`` that belong to the project, in primary-key order."""
    return select(table).where(owned_rows(table, project_id)).order_by(*table.primary_key)


def _printed_sheet_rows(sheet: Table, project_id: int) -> ColumnElement[bool]:
    cell = app_table("printed_cell")
    assistant = app_table("assistant")
    # EXISTS, never IN: a sheet without a record (NULL kind and id) must give false, not NULL
    of_project = []
    record_exists = []
    for kind, name in RECORD_TABLES.items():
        record = app_table(name)
        printed = select(record.c.id).where(
            sheet.c.record_kind == kind, record.c.id == sheet.c.record_id
        )
        of_project.append(exists(printed.where(owned_rows(record, project_id))))
        record_exists.append(exists(printed))
    signers = (
        select(cell.c.id)
        .join(assistant, assistant.c.id == cell.c.participant_id)
        .where(cell.c.printed_sheet_id == sheet.c.id)
    )
    our_signer = signers.where(assistant.c.project_id == project_id)
    first_project = select(func.min(app_table(PROJECT).c.id)).scalar_subquery()
    return or_(
        *of_project,
        and_(
            not_(or_(*record_exists)),
            or_(
                exists(our_signer),
                and_(not_(exists(signers)), first_project == project_id),
            ),
        ),
    )


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


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def delete_project_rows(connection: Connection, project_id: int) -> dict[str, int]:
    """Delete every row of the project (children first); returns the rows deleted per table.

    The printed sheets are picked before anything is deleted: their rule reads the records
    (and the first project), which go later."""
    sheet = app_table(PRINTED_SHEET)
    sheet_ids = [
        int(i) for i in connection.scalars(select(sheet.c.id).where(owned_rows(sheet, project_id)))
    ]
    deleted: dict[str, int] = {}
    for table in reversed(app_tables()):
        chain = owner_chain(table)
        if chain[-1] != PRINTED_SHEET:
            result = connection.execute(table.delete().where(owned_rows(table, project_id)))
            deleted[table.name] = result.rowcount
            continue
        deleted[table.name] = 0
        for chunk in _chunks(sheet_ids):
            condition = _under_sheets(table, chain, chunk)
            deleted[table.name] += connection.execute(table.delete().where(condition)).rowcount
    return deleted


def _under_sheets(table: Table, chain: list[str], sheet_ids: list[int]) -> ColumnElement[bool]:
    """Rows of ``table`` (whose owners lead to printed_sheet along ``chain``) under the sheets."""
    if len(chain) == 1:
        return table.c.id.in_(sheet_ids) if sheet_ids else false()
    owner = owner_of(table)
    assert owner is not None
    parent = app_table(owner.parent)
    (key,) = parent.primary_key.columns
    return table.c[owner.column].in_(select(key).where(_under_sheets(parent, chain[1:], sheet_ids)))
