"""Which rows belong to which project (db/project_scope.py), on both backends: every table has
a way up to its project, every row belongs to exactly one project, and deleting one project's
rows leaves the other's exactly as they were."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, func, select

from apk_desktop.db import project_scope, transfer
from apk_desktop.db.database import Database
from apk_desktop.db.models import Assistant
from apk_desktop.db.models.printed_sheets import PrintedCell, PrintedSheet
from apk_desktop.db.open import open_database
from apk_desktop.db.project_scope import UnscopedTable, owned_rows, owner_chain
from tests.backends import TestDatabases
from tests.project_pairs import db_fingerprint, two_projects


def test_every_table_leads_up_to_its_project() -> None:
    for table in project_scope.app_tables():
        chain = owner_chain(table)
        assert chain[-1] == "project", table.name
        owned_rows(table, 1)  # raises UnscopedTable for a table without a way up


def test_a_table_without_a_way_to_its_project_is_refused() -> None:
    metadata = MetaData()
    loose = Table("loose_notes", metadata, Column("id", Integer, primary_key=True))
    optional = Table(
        "optional_link",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("assistant_id", ForeignKey(Assistant.id), nullable=True),
        Column("text", String(10)),
    )
    for table in (loose, optional):
        with pytest.raises(UnscopedTable, match=table.name):
            owned_rows(table, 1)


@pytest.fixture
def empty_db(databases: TestDatabases) -> Iterator[Database]:
    db = open_database(databases.migrated())
    yield db
    db.dispose()


def _sheet(project_id: int, signer: int | None = None) -> PrintedSheet:
    cells = []
    if signer is not None:
        cells = [
            PrintedCell(
                row=1, participant="x", participant_id=signer, page=1, x=0, y=0, width=1, height=1
            )
        ]
    return PrintedSheet(
        project_id=project_id,
        sheet_id="PL-BLANK-BEZ-DATA",
        record_kind=None,
        record_id=None,
        layout_version=1,
        printed_at=datetime(2025, 1, 1),
        page_count=1,
        pdf_sha256="0" * 64,
        cells=cells,
    )


def add_printed_sheets(db: Database, a: int, b: int) -> dict[str, int]:
    """Blank sheets printed in A (one) and in B (two, one with a signer)."""
    with db.unit_of_work() as session:
        b_assistant = session.scalar(select(Assistant.id).where(Assistant.project_id == b))
        sheets = {"a": _sheet(a), "b": _sheet(b), "b_signer": _sheet(b, signer=b_assistant)}
        session.add_all(sheets.values())
        session.flush()
        return {name: sheet.id for name, sheet in sheets.items()}


def test_every_row_belongs_to_exactly_one_project(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = empty_db
    a, b = two_projects(db, monkeypatch)
    sheets = add_printed_sheets(db, a, b)
    with db.engine.connect() as connection:
        totals = transfer.count_rows(connection, transfer.app_tables())
        of_a = project_scope.count_project_rows(connection, a)
        of_b = project_scope.count_project_rows(connection, b)
        sheet = project_scope.app_table("printed_sheet")
        a_sheets = set(connection.scalars(select(sheet.c.id).where(owned_rows(sheet, a))))
    assert {t: of_a[t] + of_b[t] for t in totals} == totals
    assert of_a["assistant"] == of_b["assistant"] == 10
    assert of_a["training_session"] != of_b["training_session"]  # different periods
    assert of_a["evidence_file"] > 0 and of_b["evidence_file"] > 0
    assert a_sheets == {sheets["a"]}
    assert of_a["printed_cell"] == 0 and of_b["printed_cell"] == 1


def test_deleting_a_project_leaves_the_other_as_it_was(
    empty_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = empty_db
    a, b = two_projects(db, monkeypatch)
    add_printed_sheets(db, a, b)
    before = db_fingerprint(db, b)
    with db.engine.begin() as connection:
        deleted = project_scope.delete_project_rows(connection, a)
    assert deleted["assistant"] == 10 and deleted["printed_sheet"] == 1
    assert db_fingerprint(db, b) == before
    with db.engine.connect() as connection:
        totals = transfer.count_rows(connection, transfer.app_tables())
        assert connection.scalar(select(func.count()).select_from(PrintedSheet)) == 2
    assert totals == {t: n for t, (n, _h) in before.items()}
