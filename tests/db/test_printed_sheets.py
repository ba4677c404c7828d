"""What was printed where: migration 0007, ``services.printed_sheets`` and the ids the
sessions' sheets carry into their layouts."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import func, inspect, select, text

from apk_desktop.db import migrate
from apk_desktop.db.database import Database, make_engine
from apk_desktop.db.models.printed_sheets import PrintedCell, PrintedSheet
from apk_desktop.db.services import printed_sheets, sessions_print
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.attendance import record_attendance
from apk_desktop.domain.sessions import Attendance, AttendanceEntry, SessionKind, SupervisionForm
from apk_desktop.domain.sheet_refs import RecordKind
from apk_desktop.sheets.layout import SheetLayout, SignatureCell
from apk_desktop.sheets.session_sheets import build_document
from tests.backends import TestDatabases
from tests.db.sessions_helpers import make_team, training

PDF = b"%PDF-1.4 not really"


def _downgrade(engine: object, revision: str) -> None:
    config = migrate._config()
    with engine.connect() as connection:  # type: ignore[attr-defined]
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def test_migration_0007_up_down_and_up_again(databases: TestDatabases) -> None:
    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine, "0006")
        assert "printed_sheet" not in inspect(engine).get_table_names()
        migrate.upgrade(engine, "0007")
        assert migrate.current_revision(engine) == "0007"
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO printed_sheet (id, sheet_id, record_kind, record_id, "
                    "layout_version, printed_at, page_count, pdf_sha256) VALUES (1, 'PL-1', "
                    "'session', 1, 2, '2026-12-02 01:00:00.000000', 1, 'ab')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO printed_cell (printed_sheet_id, row, participant, "
                    "participant_id, page, x, y, width, height) VALUES (1, 1, 'Jana', 5, 1, "
                    "10, 20, 170, 28)"
                )
            )
        indexes = {i["name"] for i in inspect(engine).get_indexes("printed_sheet")}
        assert "ix_printed_sheet_sheet_id" in indexes
        _downgrade(engine, "0006")
        tables = set(inspect(engine).get_table_names())
        assert not tables & {"printed_sheet", "printed_cell"}
        assert migrate.current_revision(engine) == "0006"
        migrate.upgrade(engine)
        assert {"printed_sheet", "printed_cell"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _cell(row: int, name: str, pid: int | None, page: int = 1) -> SignatureCell:
    return SignatureCell(row, name, pid, page, 300.5, 700.0 - 30 * row, 175.7, 28.35)


def test_record_and_read_back_every_sheet_of_a_batch(db: Database, project_id: int) -> None:
    layouts = (
        SheetLayout("PL-12", 12, 1, 2, (_cell(1, "Jana Nováková", 5), _cell(2, "", None, 2))),
        SheetLayout("SUP-BLANK-BEZ-DATA", None, 3, 1, (_cell(1, "", None),)),
        SheetLayout("IDP-2-v1", None, 4, 3, code_rect=(520.0, 20.5, 42.5, 42.5)),
    )
    when = datetime(2026, 12, 2, 1, 0)
    with db.unit_of_work() as session:
        ids = printed_sheets.record_printed(session, project_id, layouts, PDF, printed_at=when)
    assert len(ids) == 3
    with db.unit_of_work() as session:
        pl = printed_sheets.latest_layout(session, "PL-12")
        blank = printed_sheets.latest_layout(session, "SUP-BLANK-BEZ-DATA")
        plan = printed_sheets.latest_layout(session, "IDP-2-v1")
        assert printed_sheets.latest_layout(session, "PL-13") is None
    assert pl is not None and blank is not None and plan is not None
    digest = hashlib.sha256(PDF).hexdigest()
    assert (pl.id, pl.sheet_id, pl.record_kind, pl.record_id) == (
        ids[0],
        "PL-12",
        RecordKind.SESSION,
        12,
    )
    assert (pl.page_count, pl.pdf_sha256, pl.printed_at, pl.layout_version) == (
        2,
        digest,
        when,
        layouts[0].layout_version,
    )
    assert [
        (c.row, c.participant, c.participant_id, c.page, c.x, c.y, c.width, c.height)
        for c in pl.cells
    ] == [
        (c.row, c.participant, c.participant_id, c.page, c.x, c.y, c.width, c.height)
        for c in layouts[0].cells
    ]
    assert (blank.record_kind, blank.record_id, len(blank.cells)) == (None, None, 1)
    # the plan's record comes from its identifier even when the builder gave none
    assert (plan.record_kind, plan.record_id, plan.page_count, plan.cells) == (
        RecordKind.PLAN,
        2,
        3,
        (),
    )
    assert blank.pdf_sha256 == plan.pdf_sha256 == digest  # one PDF
    assert (plan.code_rect, pl.code_rect) == ((520.0, 20.5, 42.5, 42.5), None)


def test_the_latest_print_wins_and_cells_go_with_their_sheet(db: Database, project_id: int) -> None:
    first = SheetLayout("PL-12", 12, 1, 1, (_cell(1, "Jana Nováková", 5),))
    second = SheetLayout("PL-12", 12, 1, 1, (_cell(1, "Petr Svoboda", 6), _cell(2, "", None)))
    with db.unit_of_work() as session:
        printed_sheets.record_printed(
            session, project_id, [first], PDF, printed_at=datetime(2026, 1, 1)
        )
        printed_sheets.record_printed(session, project_id, [second], PDF + b"2")
    with db.unit_of_work() as session:
        latest = printed_sheets.latest_layout(session, "PL-12")
        assert latest is not None
        assert [c.participant for c in latest.cells] == ["Petr Svoboda", ""]
        now = datetime.now(UTC).replace(tzinfo=None)
        assert abs((now - latest.printed_at).total_seconds()) < 60
        session.delete(session.get(PrintedSheet, latest.id))
    with db.unit_of_work() as session:
        older = printed_sheets.latest_layout(session, "PL-12")
        assert older is not None and [c.participant for c in older.cells] == ["Jana Nováková"]
        assert session.scalar(select(func.count()).select_from(PrintedCell)) == 1


def test_session_sheets_carry_the_session_and_participant_ids(
    db: Database, project_id: int
) -> None:
    team = make_team(db, project_id)
    with db.unit_of_work() as session:
        session_id = session_service.create_session(
            session,
            project_id,
            training(
                team,
                kind=SessionKind.ASSISTANT_SUPERVISION,
                supervision_form=SupervisionForm.SKUPINOVA,
                participant_ids=(team.petr, team.jana),
            ),
        ).id
        batch = sessions_print.session_sheets(session, session_id)
    (sheet,) = batch.sheets
    assert sheet.record_id == session_id
    by_name = {"Jana Nováková": team.jana, "Petr Svoboda": team.petr}
    assert [by_name[name] for name, _ in sheet.participants] == list(sheet.participant_ids)
    assert len(sheet.participant_ids) == 2

    with db.unit_of_work() as session:  # once attendance is recorded: those present
        record_attendance(
            session,
            session_id,
            [
                AttendanceEntry(team.jana, Attendance.ABSENT),
                AttendanceEntry(team.petr, Attendance.PRESENT),
            ],
            today=date(2024, 3, 5),
        )
        batch = sessions_print.session_sheets(session, session_id)
    assert batch.sheets[0].participant_ids == (team.petr,)

    document = build_document(batch)
    with db.unit_of_work() as session:
        printed_sheets.record_printed(session, project_id, document.layouts, document.pdf)
        stored = printed_sheets.latest_layout(session, f"SUP-{session_id}")
    assert stored is not None and stored.record_id == session_id
    named = [(c.row, c.participant, c.participant_id) for c in stored.cells if c.participant]
    assert named == [(1, "Petr Svoboda", team.petr)]
