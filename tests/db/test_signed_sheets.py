"""Signed sheets back from the scanner: a stack of real printed sheets, signed and scanned, is
matched to its sessions; nothing is saved until a sheet is confirmed, then its attendance is
recorded and its pages are attached as the session's evidence. Each odd case is explained."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import TrainingSession
from apk_desktop.db.open import open_database
from apk_desktop.db.services import evidence as evidence_service
from apk_desktop.db.services import signed_sheets
from apk_desktop.db.services.attendance import record_attendance
from apk_desktop.db.services.sessions import SessionView, get_session
from apk_desktop.db.services.signed_sheets import (
    EvidenceMode,
    ProblemKind,
    RowDecision,
    SheetProposal,
    StackProposal,
    analyse,
    assign_page,
    confirm_sheet,
    default_decisions,
)
from apk_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    StaleRecordError,
    ValidationError,
)
from apk_desktop.domain.sessions import Attendance, AttendanceEntry
from apk_desktop.paths import scans_dir
from tests.backends import TestDatabases
from tests.print_seed import Printables, seed_printables
from tests.scan_stack import OFFICE, UPSIDE_DOWN, print_sheets, scanned, write_pdf
from tests.scans.scan_factory import Paper, Scanner, scan, sign_rows, smudge_code
from tests.seeding import stored_scan


@dataclass(frozen=True)
class Stack:
    db: Database
    ids: Printables
    pages: dict[str, Paper]  # "PL-3/1" → the printed page
    folder: Path

    @property
    def training(self) -> str:
        return f"PL-{self.ids.training}"

    @property
    def supervision(self) -> str:
        return f"SUP-{self.ids.supervision}"

    def page(self, sheet_id: str, number: int = 1) -> Paper:
        return self.pages[f"{sheet_id}/{number}"].copy()

    @property
    def mentoring(self) -> str:
        return f"MEN-{self.ids.mentoring}"  # two pages: the record, then the signatures

    def analyse(self, *pages: Paper, scanner: Scanner = OFFICE) -> StackProposal:
        path = write_pdf(self.folder / "sken.pdf", [scan(p, scanner) for p in pages])
        return analyse(self.db, [path], self.ids.project_id)


@pytest.fixture
def stack(tmp_path: Path, databases: TestDatabases) -> Iterator[Stack]:
    db = open_database(databases.seeded("mesto"))
    ids = seed_printables(db)
    sheets = [f"PL-{ids.training}", f"SUP-{ids.supervision}", f"MEN-{ids.mentoring}"]
    yield Stack(db, ids, print_sheets(db, ids.project_id, sheets), tmp_path)
    db.dispose()


def _session(stack: Stack, session_id: int) -> SessionView:
    with stack.db.unit_of_work() as session:
        return get_session(session, session_id)


def _statuses(stack: Stack, session_id: int) -> dict[int, Attendance | None]:
    with stack.db.unit_of_work() as session:
        view = get_session(session, session_id)
    return {p.assistant_id: p.status for p in view.participants}


def _confirm(
    stack: Stack, sheet: SheetProposal, evidence_mode: EvidenceMode | None = None
) -> signed_sheets.Confirmed:
    with stack.db.unit_of_work() as session:
        return confirm_sheet(session, sheet, default_decisions(sheet), evidence_mode=evidence_mode)


def test_a_signed_stack_is_proposed_and_saved_only_when_confirmed(stack: Stack) -> None:
    training = sign_rows(stack.page(stack.training), {1, 3, 4})
    supervision = sign_rows(stack.page(stack.supervision), {2})
    proposal = stack.analyse(training, supervision)
    assert proposal.page_count == 2 and proposal.unmatched == ()
    assert [s.sheet_id for s in proposal.sheets] == [stack.training, stack.supervision]
    sheet = proposal.sheets[0]
    assert sheet.session_id == stack.ids.training and sheet.confirmable
    assert sheet.session_title == "Komunikace s klientem"
    assert sheet.problems == () and sheet.all_sure
    present = {r.row for r in sheet.rows if r.status is Attendance.PRESENT}
    assert present == {1, 3, 4}
    assert all(r.sure and r.cell_png.startswith(b"\x89PNG") for r in sheet.rows)
    assert {r.participant_id for r in sheet.rows} == set(_statuses(stack, stack.ids.training))
    # nothing saved yet
    assert set(_statuses(stack, stack.ids.training).values()) == {None}
    assert not list(scans_dir().rglob("*.pdf"))

    confirmed = _confirm(stack, sheet)
    statuses = _statuses(stack, stack.ids.training)
    by_row = {r.row: r.participant_id for r in sheet.rows}
    assert {a for a, s in statuses.items() if s is Attendance.PRESENT} == {
        by_row[row] for row in (1, 3, 4)
    }
    assert sum(s is Attendance.ABSENT for s in statuses.values()) == len(statuses) - 3
    with stack.db.unit_of_work() as session:
        view = get_session(session, stack.ids.training)
        missing = evidence_service.missing_evidence(
            session, stack.ids.project_id, now=datetime(2026, 1, 1)
        )
    (attached,) = view.evidence
    assert (
        attached.id == confirmed.evidence.id and attached.original_name == f"{stack.training}.pdf"
    )
    with stack.db.unit_of_work() as session:
        assert evidence_service.scan_state(session, attached) is evidence_service.ScanState.OK
    assert stack.ids.training not in {row.id for row in missing}
    assert stack.ids.supervision in {row.id for row in missing}  # not confirmed yet
    pdf = PdfReader(io.BytesIO(stored_scan(stack.db, attached)))
    assert len(pdf.pages) == 1
    # the scanner's own image bytes are kept (the page copied, not re-rendered)
    original = PdfReader(stack.folder / "sken.pdf").pages[0].images[0].data
    assert pdf.pages[0].images[0].data == original


def test_a_supervision_record_is_matched_and_attached_the_same_way(stack: Stack) -> None:
    proposal = stack.analyse(sign_rows(stack.page(stack.supervision), {1, 3}))
    (sheet,) = proposal.sheets
    assert sheet.session_id == stack.ids.supervision
    assert {r.row for r in sheet.rows if r.signed} == {1, 3}
    _confirm(stack, sheet)
    statuses = _statuses(stack, stack.ids.supervision)
    assert sorted(s.value for s in statuses.values() if s) == ["absent", "present", "present"]
    assert len(_session(stack, stack.ids.supervision).evidence) == 1


def _kinds(sheet: SheetProposal) -> list[ProblemKind]:
    return [p.kind for p in sheet.problems]


def test_a_sheet_of_another_project_cannot_be_saved_there(stack: Stack) -> None:
    path = write_pdf(stack.folder / "sken.pdf", [scan(stack.page(stack.training), OFFICE)])
    other_project = stack.ids.project_id + 1
    (sheet,) = analyse(stack.db, [path], other_project).sheets
    assert _kinds(sheet) == [ProblemKind.OTHER_PROJECT] and not sheet.confirmable
    assert "jiného projektu" in sheet.problems[0].message
    with pytest.raises(ValidationError, match="jiného projektu"):
        _confirm(stack, sheet)
    assert _session(stack, stack.ids.training).evidence == ()


def test_a_sheet_printed_from_another_database_is_not_matched(
    stack: Stack, databases: TestDatabases
) -> None:
    other = open_database(databases.seeded("jine-mesto"))
    try:
        ids = seed_printables(other)
        sheet_id = f"PL-{ids.mentor_training}"  # never printed from the stack's database
        pages = print_sheets(other, ids.project_id, [sheet_id])
    finally:
        other.dispose()
    proposal = stack.analyse(pages[f"{sheet_id}/1"], stack.page(stack.training))
    assert [s.sheet_id for s in proposal.sheets] == [stack.training]
    (foreign,) = proposal.unmatched
    assert foreign.sheet_id == sheet_id and foreign.page.number == 1
    assert "nebyl vytištěn z této databáze" in foreign.reason


def test_a_session_with_evidence_asks_to_replace_or_add(stack: Stack) -> None:
    first = stack.analyse(sign_rows(stack.page(stack.training), {1}))
    _confirm(stack, first.sheets[0])
    again = stack.analyse(sign_rows(stack.page(stack.training), {1, 2}, seed=5))
    sheet = again.sheets[0]
    assert _kinds(sheet) == [ProblemKind.HAS_EVIDENCE] and sheet.evidence_count == 1
    assert "Nahradit" in sheet.problems[0].message and not sheet.all_sure
    with pytest.raises(ConflictError, match="nahradit, nebo přidat"):
        _confirm(stack, sheet)
    old = _session(stack, stack.ids.training).evidence
    replaced = _confirm(stack, sheet, evidence_mode=EvidenceMode.REPLACE)
    assert replaced.removed_evidence == 1
    (now,) = _session(stack, stack.ids.training).evidence
    assert now.sha256 != old[0].sha256
    with pytest.raises(NotFoundError):  # the replaced scan is gone
        stored_scan(stack.db, old[0])
    third = stack.analyse(sign_rows(stack.page(stack.training), {3}, seed=9))
    _confirm(stack, third.sheets[0], evidence_mode=EvidenceMode.ADD)
    assert len(_session(stack, stack.ids.training).evidence) == 2


def test_the_same_stack_confirmed_twice_attaches_its_pages_once(stack: Stack) -> None:
    page = stack.page(stack.training)
    _confirm(stack, stack.analyse(page).sheets[0])
    again = stack.analyse(page)  # a proposal read before the first confirm would be stale
    _confirm(stack, again.sheets[0], evidence_mode=EvidenceMode.ADD)
    assert len(_session(stack, stack.ids.training).evidence) == 1


def test_an_upside_down_page_is_read_and_attached_upright(stack: Stack) -> None:
    proposal = stack.analyse(sign_rows(stack.page(stack.training), {2}), scanner=UPSIDE_DOWN)
    sheet = proposal.sheets[0]
    assert _kinds(sheet) == [ProblemKind.UPSIDE_DOWN]
    assert "vzhůru nohama" in sheet.problems[0].message
    assert {r.row for r in sheet.rows if r.signed} == {2}
    (page,) = sheet.pages
    assert page.quarter_turns == 2
    pdf = PdfReader(io.BytesIO(signed_sheets.evidence_pdf(sheet.pages)))
    assert pdf.pages[0].rotation == 180


def test_pages_out_of_order_are_put_in_order(stack: Stack) -> None:
    second = sign_rows(stack.page(stack.mentoring, 2), {1})
    proposal = stack.analyse(second, stack.page(stack.mentoring, 1))
    (sheet,) = proposal.sheets
    assert _kinds(sheet) == [ProblemKind.OUT_OF_ORDER]
    assert [(p.number, p.sheet_page) for p in sheet.pages] == [(2, 1), (1, 2)]
    assert [(r.row, r.signed) for r in sheet.rows] == [(1, True), (2, False)]
    _confirm(stack, sheet)
    (attached,) = _session(stack, stack.ids.mentoring).evidence
    pages = PdfReader(io.BytesIO(stored_scan(stack.db, attached))).pages
    assert "Záznam z mentoringu" in pages[0].extract_text() or len(pages[0].images) == 1
    original = PdfReader(stack.folder / "sken.pdf").pages
    assert [p.images[0].data for p in pages] == [
        original[1].images[0].data,
        original[0].images[0].data,
    ]


def test_a_missing_page_is_reported_and_its_rows_left_to_the_mentor(stack: Stack) -> None:
    (sheet,) = stack.analyse(stack.page(stack.mentoring, 1)).sheets
    assert _kinds(sheet) == [ProblemKind.MISSING_PAGES, ProblemKind.NOT_READ]
    assert "chybí strana 2 z 2" in sheet.problems[0].message
    assert [r.status for r in sheet.rows] == [None, None] and not sheet.all_sure
    assert default_decisions(sheet) == []


def test_a_page_scanned_twice_is_used_once(stack: Stack) -> None:
    page = sign_rows(stack.page(stack.supervision), {1})
    proposal = stack.analyse(page, page)
    (sheet,) = proposal.sheets
    assert _kinds(sheet) == [ProblemKind.DUPLICATE]
    assert "dvakrát (sken.pdf, s. 2)" in sheet.problems[0].message
    assert len(sheet.pages) == 1 and [p.number for p in proposal.duplicates] == [2]
    _confirm(stack, sheet)
    (attached,) = _session(stack, stack.ids.supervision).evidence
    assert len(PdfReader(io.BytesIO(stored_scan(stack.db, attached))).pages) == 1


def test_a_page_without_a_readable_code_is_assigned_by_hand(stack: Stack) -> None:
    smudged = sign_rows(stack.page(stack.supervision), {1, 2})
    smudge_code(smudged)
    proposal = stack.analyse(stack.page(stack.training), smudged)
    (lost,) = proposal.unmatched
    assert (lost.page.number, lost.sheet_id) == (2, None)
    assert "Kód listu se nepodařilo přečíst" in lost.reason
    assert lost.thumbnail_png.startswith(b"\x89PNG")
    with stack.db.unit_of_work() as session:
        for wrong, message in (
            ("XY-1", "není identifikátor listu ze setkání"),
            (f"PL-{stack.ids.supervision}", f"má list {stack.supervision}"),
            ("SUP-999999", "v databázi není"),
        ):
            with pytest.raises(ValidationError, match=message):
                assign_page(session, proposal, lost, wrong)
        joined = assign_page(session, proposal, lost, f" sup-{stack.ids.supervision} ")
    assert joined.unmatched == ()
    sheet = joined.sheet(stack.supervision)
    assert sheet is not None and sheet.session_id == stack.ids.supervision
    assert [p.label for p in sheet.pages] == ["sken.pdf, s. 2"]
    assert ProblemKind.NOT_READ in _kinds(sheet) and not sheet.all_sure
    assert all(r.status is None for r in sheet.rows) and len(sheet.rows) == 3
    first, second, _third = (r.participant_id for r in sheet.rows)
    assert first is not None and second is not None
    decisions = [RowDecision(first, Attendance.PRESENT), RowDecision(second, Attendance.ABSENT)]
    with stack.db.unit_of_work() as session:
        confirm_sheet(session, sheet, decisions)
    statuses = _statuses(stack, stack.ids.supervision)
    assert (statuses[first], statuses[second]) == (Attendance.PRESENT, Attendance.ABSENT)
    assert len(_session(stack, stack.ids.supervision).evidence) == 1


def test_a_page_assigned_to_a_sheet_of_the_stack_joins_it(stack: Stack) -> None:
    first = stack.page(stack.mentoring, 1)
    smudge_code(first)
    proposal = stack.analyse(first, sign_rows(stack.page(stack.mentoring, 2), {2}))
    (lost,) = proposal.unmatched
    with stack.db.unit_of_work() as session:
        joined = assign_page(session, proposal, lost, stack.mentoring)
    (sheet,) = joined.sheets
    assert [p.number for p in sheet.pages] == [2, 1]
    assert [(r.row, r.signed) for r in sheet.rows] == [(1, False), (2, True)]
    _confirm(stack, sheet)
    (attached,) = _session(stack, stack.ids.mentoring).evidence
    assert len(PdfReader(io.BytesIO(stored_scan(stack.db, attached))).pages) == 2


def test_a_walk_in_row_shows_the_handwritten_name(stack: Stack) -> None:
    page = sign_rows(stack.page(stack.training), {1, 10})  # 10: the first blank row
    (sheet,) = stack.analyse(page).sheets
    (walk_in,) = sheet.walk_ins
    assert walk_in.row == 10 and walk_in.row_png.startswith(b"\x89PNG")
    assert not sheet.all_sure and 10 not in {r.row for r in sheet.rows}
    assert ProblemKind.WALK_IN in _kinds(sheet)
    name_cell = Image.open(io.BytesIO(walk_in.row_png))
    cell = Image.open(io.BytesIO(sheet.rows[0].cell_png))
    assert name_cell.height == cell.height and name_cell.width > 2 * cell.width


def test_image_files_are_read_and_wrapped_into_the_evidence_pdf(stack: Stack) -> None:
    image = scan(sign_rows(stack.page(stack.supervision), {3}), OFFICE)
    path = stack.folder / "sken-1.png"
    image.save(path, dpi=(OFFICE.dpi, OFFICE.dpi))
    (sheet,) = analyse(stack.db, [stack.folder], stack.ids.project_id).sheets
    assert [p.source for p in sheet.pages] == [path]
    assert {r.row for r in sheet.rows if r.signed} == {3}
    _confirm(stack, sheet)
    (attached,) = _session(stack, stack.ids.supervision).evidence
    assert len(PdfReader(io.BytesIO(stored_scan(stack.db, attached))).pages) == 1


def test_progress_is_told_and_cancel_stops_without_saving(stack: Stack) -> None:
    path = write_pdf(
        stack.folder / "sken.pdf",
        scanned([stack.page(stack.training), stack.page(stack.supervision)]),
    )
    seen: list[tuple[int, int, str]] = []
    analyse(stack.db, [path], stack.ids.project_id, progress=lambda *a: seen.append(a))
    assert seen == [(1, 2, "Čtu stranu 1 z 2…"), (2, 2, "Čtu stranu 2 z 2…")]
    with pytest.raises(signed_sheets.ScanImportCancelled):
        analyse(stack.db, [path], stack.ids.project_id, check=lambda: True)


def test_files_that_are_not_scans_are_refused_in_czech(stack: Stack) -> None:
    text = stack.folder / "poznamky.txt"
    text.write_text("x")
    broken = stack.folder / "sken.pdf"
    broken.write_bytes(b"%PDF-1.4 nic")
    for path, message in ((text, "není sken"), (broken, "nelze přečíst")):
        with pytest.raises(ValidationError, match=message):
            analyse(stack.db, [path], stack.ids.project_id)


def test_hours_and_notes_recorded_before_are_kept(stack: Stack) -> None:
    signed = sign_rows(stack.page(stack.supervision), {1, 2})
    (sheet,) = stack.analyse(signed).sheets
    first, second = sheet.rows[0].participant_id, sheet.rows[1].participant_id
    assert first is not None and second is not None
    with stack.db.unit_of_work() as session:
        record_attendance(
            session,
            stack.ids.supervision,
            [
                AttendanceEntry(first, Attendance.PRESENT, Decimal("0.5"), "odešla dříve"),
                AttendanceEntry(second, Attendance.ABSENT, None, "nemoc"),
            ],
        )
    (sheet,) = stack.analyse(signed).sheets  # read after the attendance was recorded
    _confirm(stack, sheet)
    people = {p.assistant_id: p for p in _session(stack, stack.ids.supervision).participants}
    assert (people[first].status, people[first].hours_attended) == (
        Attendance.PRESENT,
        Decimal("0.5"),
    )
    assert (people[first].note, people[second].note) == ("odešla dříve", "nemoc")
    assert people[second].status is Attendance.PRESENT  # the signature wins


def test_a_sheet_whose_session_changed_since_it_was_read_is_refused_until_read_again(
    stack: Stack,
) -> None:
    signed = sign_rows(stack.page(stack.supervision), {1, 2})
    proposal = stack.analyse(signed)
    (sheet,) = proposal.sheets
    first = sheet.rows[0].participant_id
    assert first is not None
    other_pc = Database(stack.db.url)  # meanwhile, another PC records the attendance
    try:
        with other_pc.unit_of_work() as session:
            record_attendance(
                session,
                stack.ids.supervision,
                [AttendanceEntry(first, Attendance.EXCUSED, None, "nemoc")],
            )
    finally:
        other_pc.dispose()
    with pytest.raises(StaleRecordError):
        _confirm(stack, sheet)
    view = _session(stack, stack.ids.supervision)
    assert view.evidence == ()  # nothing of the refused confirmation is stored
    assert _statuses(stack, stack.ids.supervision)[first] is Attendance.EXCUSED

    with stack.db.unit_of_work() as session:
        again = signed_sheets.reread_session(session, proposal, sheet.sheet_id)
    (fresh,) = again.sheets
    assert fresh.rows[0].current is Attendance.EXCUSED  # what is stored now
    assert [r.status for r in fresh.rows] == [r.status for r in sheet.rows]  # the scan's reading
    assert fresh.session_version == view.row_version
    _confirm(stack, fresh)
    assert _statuses(stack, stack.ids.supervision)[first] is Attendance.PRESENT
    assert len(_session(stack, stack.ids.supervision).evidence) == 1


def test_a_scan_moved_away_before_confirming_saves_nothing(stack: Stack) -> None:
    (sheet,) = stack.analyse(sign_rows(stack.page(stack.supervision), {1})).sheets
    (stack.folder / "sken.pdf").unlink()
    with pytest.raises(ValidationError, match=r"Sken „sken\.pdf“ už nejde přečíst"):
        _confirm(stack, sheet)
    view = _session(stack, stack.ids.supervision)
    assert view.evidence == () and {p.status for p in view.participants} == {None}


def test_a_sheet_of_a_session_still_to_come_waits(stack: Stack) -> None:
    page = sign_rows(stack.page(stack.supervision), {1})
    with stack.db.unit_of_work() as session:
        record = session.get(TrainingSession, stack.ids.supervision)
        assert record is not None
        record.date = date(2099, 1, 5)
    (sheet,) = stack.analyse(page).sheets
    assert _kinds(sheet) == [ProblemKind.FUTURE] and not sheet.all_sure
    assert "05.01.2099" in sheet.problems[0].message
    with pytest.raises(ValidationError, match="až v den setkání"):
        _confirm(stack, sheet)
    assert _session(stack, stack.ids.supervision).evidence == ()
