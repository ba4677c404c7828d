"""Copy the app's rows from one database into another of the same schema revision, whatever
the backends (SQLite ↔ PostgreSQL): for the archive of a server database and for restoring an
archive into one.

Rows keep their ids. Tables are filled parents first; a column referring to its own table
(plan.root_id, plan.previous_id) is filled in a second pass, so row order never matters. On
PostgreSQL the id sequences are moved past the copied ids afterwards, or the next insert would
collide with a copied row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, func, select, text

from apk_desktop.db import models  # noqa: F401  (registers every table)
from apk_desktop.db.base import Base

BATCH = 1000
Progress = Callable[[int, int, str], None]  # done, total, what (Czech)


def app_tables(*, skip: Iterable[str] = ()) -> list[Table]:
    """The app's tables, parents before children."""
    skipped = set(skip)
    return [t for t in Base.metadata.sorted_tables if t.name not in skipped]


RowsOf = Callable[[Table], Select[Any]]  # the rows of a table to copy (all columns)


def count_rows(
    connection: Connection, tables: Iterable[Table], *, rows: RowsOf | None = None
) -> dict[str, int]:
    """Rows per table (with ``rows``: of those it selects)."""
    counts = {}
    for t in tables:
        query = (
            select(func.count()).select_from(t)
            if rows is None
            else select(func.count()).select_from(rows(t).subquery())
        )
        counts[t.name] = int(connection.scalar(query) or 0)
    return counts


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def copy_rows(
    source: Connection,
    target: Connection,
    tables: list[Table],
    *,
    progress: Progress | None = None,
    rows: RowsOf | None = None,
) -> dict[str, int]:
    """Insert every row of ``tables`` (with ``rows``: those it selects, e.g. one project's,
    ``db.project_scope.project_rows``) from ``source`` into ``target``, whose tables hold none
    of them; returns the rows copied per table. The caller owns both transactions."""
    totals = count_rows(source, tables, rows=rows)
    total, done = sum(totals.values()), 0
    for table in tables:
        later = _self_references(table)
        references: list[dict[str, Any]] = []
        pk = list(table.primary_key.columns)
        query = select(table).order_by(*pk) if rows is None else rows(table)
        result = source.execution_options(yield_per=BATCH).execute(query)
        for batch in result.mappings().partitions():
            values = [dict(row) for row in batch]
            if later:
                references += _references(table, values, later)
                values = [{**row, **dict.fromkeys(later)} for row in values]
            target.execute(table.insert(), values)
            done += len(values)
            if progress is not None:
                progress(done, total, "Kopíruji data…")
        if references:
            _fill_references(target, table, references, later)
    if target.dialect.name == "postgresql":
        reset_sequences(target, tables)
    return totals


def _references(
    table: Table, rows: list[dict[str, Any]], columns: list[str]
) -> list[dict[str, Any]]:
    (pk,) = table.primary_key.columns  # a self-reference needs a single-column key
    return [
        {"_pk": row[pk.name], **{f"_{c}": row[c] for c in columns}}
        for row in rows
        if any(row[c] is not None for c in columns)
    ]


def _fill_references(
    target: Connection, table: Table, updates: list[dict[str, Any]], columns: list[str]
) -> None:
    (pk,) = table.primary_key.columns
    statement = (
        table.update()
        .where(pk == bindparam("_pk"))
        .values({c: bindparam(f"_{c}") for c in columns})
    )
    for start in range(0, len(updates), BATCH):
        target.execute(statement, updates[start : start + BATCH])


def reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """Move each PostgreSQL id sequence past the largest id in its table."""
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE(MAX("{column.name}"), 0) + 1, false) FROM "{table.name}"'
            ),
            {"table": table.name, "column": column.name},
        )


def delete_rows(connection: Connection, tables: list[Table]) -> None:
    """Empty ``tables`` (children first)."""
    for table in reversed(tables):
        connection.execute(table.delete())
