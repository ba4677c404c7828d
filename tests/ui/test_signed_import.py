"""Načíst podepsané listiny through the real screens: a stack printed from a seeded project,
signed and scanned, read off the GUI thread, reviewed and confirmed with the keyboard."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from apk_desktop import printing
from apk_desktop.db.database import Database
from apk_desktop.db.services.attendance import record_attendance
from apk_desktop.db.services.sessions import SessionView, get_session, update_session
from apk_desktop.db.services.signed_sheets import (
    Problem,
    ProblemKind,
    RowProposal,
    SheetProposal,
    StackProposal,
)
from apk_desktop.domain.sessions import Attendance, AttendanceEntry, SessionData, SessionKind
from apk_desktop.domain.sheet_refs import parse_sheet_ref
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.sessions import SessionsPage
from apk_desktop.ui.signed_review import SignedReviewDialog
from apk_desktop.ui.stale import CANCEL, RELOAD
from tests.print_seed import Printables, seed_printables
from tests.scans.scan_factory import Paper, Printed, Scanner, paper, scan, sign_rows, smudge_code
from tests.seeding import stored_scan
from tests.ui.conftest import ScriptedPrompter

OFFICE = Scanner(dpi=150, rotation=1.0, scale=0.99, offset_mm=(2, -1), noise=3, jpeg_quality=80)
SIGNED = {1, 2, 4, 5, 7, 9}  # rows 3, 6 and 8 stay empty


@pytest.fixture
def seeded(ctx: AppContext) -> Printables:
    return seed_printables(ctx.db)


@pytest.fixture
def page(main_window: MainWindow, seeded: Printables) -> SessionsPage:
    page = main_window.show_page("sessions")
    assert isinstance(page, SessionsPage)
    return page


def printed_pages(ctx: AppContext, sheet_id: str) -> list[Paper]:
    """The sheet printed (and its layout recorded) as the print screen does."""
    ref = parse_sheet_ref(sheet_id)
    assert ref is not None
    document = printing.make_document(ctx.db, printing.job_for(ref, ctx.project_id))
    printing.record_printed(ctx.db, ctx.project_id, document.layouts, document.pdf)
    return paper(Printed(document.pdf, tuple(document.layouts)))


def write_pdf(path: Path, pages: list[Paper]) -> Path:
    first, *rest = [scan(p, OFFICE).convert("L") for p in pages]
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(OFFICE.dpi))
    return path


def training_scan(ctx: AppContext, seeded: Printables, tmp_path: Path, seed: int = 3) -> Path:
    pages = printed_pages(ctx, f"PL-{seeded.training}")
    signed = [sign_rows(p, SIGNED, seed=seed) for p in pages]
    return write_pdf(tmp_path / f"sken-{seed}.pdf", signed)


def review(
    qtbot: QtBot,
    page: SessionsPage,
    prompter: ScriptedPrompter,
    *files: Path,
    start: Callable[[], object] | None = None,
) -> SignedReviewDialog:
    """Pick ``files`` in the file picker (a folder: in the folder picker) and wait for the
    review screen; ``start`` is what the mentor does (default: the button's Vybrat soubory)."""
    if len(files) == 1 and files[0].is_dir():
        prompter.file_answers.append(str(files[0]))
        start = start or page.signed.choose_folder
    else:
        prompter.files_answers.append([str(f) for f in files])
    with qtbot.waitSignal(page.signed.reviewing, timeout=60_000) as shown:
        (start or page.signed.choose_files)()
    dialog = shown.args[0]
    assert isinstance(dialog, SignedReviewDialog)
    qtbot.waitExposed(dialog)  # a child of the page, deleted when closed
    return dialog


def session(ctx: AppContext, session_id: int) -> SessionView:
    with ctx.db.unit_of_work() as s:
        return get_session(s, session_id)


def statuses(view: SessionView) -> dict[int, Attendance | None]:
    return {p.assistant_id: p.status for p in view.participants}


def table_texts(dialog: SignedReviewDialog, column: int) -> list[str]:
    table = dialog.sheet_panel.table
    return [table.item(row, column).text() for row in range(table.rowCount())]


def confirm_with_keys(qtbot: QtBot, dialog: SignedReviewDialog) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = dialog.sheet_panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_a_scanned_stack_is_confirmed_with_one_key(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    page.tabs.setCurrentWidget(page.missing_table)
    assert seeded.training in [r.id for r in page.missing_model.rows]
    before = session(ctx, seeded.training)
    assert not before.evidence and all(p.status is None for p in before.participants)

    stack = training_scan(ctx, seeded, tmp_path)
    window = page.window()
    assert isinstance(window, MainWindow)
    dialog = review(qtbot, page, prompter, stack, start=window.signed_action.trigger)  # Soubor
    sheet = dialog.current_sheet()
    assert sheet is not None and sheet.sheet_id == f"PL-{seeded.training}"
    assert "Komunikace s klientem" in dialog.sheet_list.currentItem().text()
    assert dialog.confirm_button.text() == "Potvrdit listinu (Ctrl+Enter)"
    names = table_texts(dialog, 1)
    proposed = table_texts(dialog, 3)
    people = [r for r in sheet.rows if r.participant_id is not None]
    assert len(people) == 9
    expected = ["přítomen" if r.row in SIGNED else "nepřítomen" for r in sheet.rows]
    assert proposed == expected
    assert names == [r.name for r in sheet.rows]
    assert not dialog.sheet_panel.table.item(0, 2).icon().isNull()  # the signature's image

    confirm_with_keys(qtbot, dialog)
    qtbot.waitUntil(lambda: f"PL-{seeded.training}" in dialog.confirmed)
    after = session(ctx, seeded.training)
    want = {
        r.participant_id: Attendance.PRESENT if r.row in SIGNED else Attendance.ABSENT
        for r in people
    }
    assert statuses(after) == want
    assert len(after.evidence) == 1
    assert stored_scan(ctx.db, after.evidence[0]).startswith(b"%PDF")
    assert "✓ potvrzeno" in dialog.sheet_list.item(0).text()
    assert seeded.training not in [r.id for r in page.missing_model.rows]  # the list refreshed


def test_a_row_changed_before_confirming(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    dialog = review(qtbot, page, prompter, training_scan(ctx, seeded, tmp_path))
    sheet = dialog.current_sheet()
    assert sheet is not None
    third = sheet.rows[2]
    assert third.row == 3 and third.status == Attendance.ABSENT
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = dialog.sheet_panel.table
    assert QApplication.focusWidget() is table and table.currentRow() == 0  # keys work at once
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert table.item(2, 3).text() == "přítomen (změněno)"
    confirm_with_keys(qtbot, dialog)
    qtbot.waitUntil(lambda: sheet.sheet_id in dialog.confirmed)
    assert statuses(session(ctx, seeded.training))[third.participant_id] == Attendance.PRESENT


def test_an_unmatched_page_is_assigned_by_hand(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    supervision = printed_pages(ctx, f"SUP-{seeded.supervision}")
    smudged = [replace(p, image=p.image.copy()) for p in supervision]
    for sheet_page in smudged:
        smudge_code(sheet_page)
    folder = tmp_path / "skeny"
    folder.mkdir()
    write_pdf(folder / "sken.pdf", smudged)
    dialog = review(qtbot, page, prompter, folder)  # a whole folder
    assert len(dialog.stack.unmatched) == len(supervision)
    assert dialog.panels.currentWidget() is dialog.unmatched_panel
    panel = dialog.unmatched_panel
    assert not panel.pages.item(0).icon().isNull()  # the thumbnail

    panel.sheet.setCurrentText("XY-1")
    assert not dialog.assign_selected()
    assert panel.error.text()  # a Czech reason, nothing joined

    for _ in supervision:
        panel.pages.setCurrentRow(0)
        panel.sheet.setCurrentText(f"sup-{seeded.supervision}")
        panel.assign_button.click()
    sheet = dialog.current_sheet()
    assert sheet is not None and sheet.sheet_id == f"SUP-{seeded.supervision}"
    assert not dialog.stack.unmatched
    assert table_texts(dialog, 3) == ["— nezapsáno —"] * len(sheet.rows)  # not read
    table = dialog.sheet_panel.table
    for row in range(table.rowCount()):
        dialog.toggle(row)  # přítomen
    assert set(table_texts(dialog, 3)) == {"přítomen (změněno)"}
    confirm_with_keys(qtbot, dialog)
    qtbot.waitUntil(lambda: sheet.sheet_id in dialog.confirmed)
    view = session(ctx, seeded.supervision)
    assert set(statuses(view).values()) == {Attendance.PRESENT}
    assert len(view.evidence) == 1


def test_a_walk_in_row_gets_the_person_picked(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    employed = {p.participant_id for p in printed_pages(ctx, f"PL-{seeded.training}")[0].cells}
    with ctx.db.unit_of_work() as s:  # a training for five; the sixth comes unannounced
        view = get_session(s, seeded.training)
        data = SessionData(
            kind=view.kind,
            date=view.date,
            time_from=view.time_from,
            time_to=view.time_to,
            place=view.place,
            area_ids=tuple(a.id for a in view.areas),
            lecturer=view.lecturer,
            topic=view.topic,
            participant_ids=tuple(p.assistant_id for p in view.participants[:5]),
        )
        update_session(s, seeded.training, data)
    pages = printed_pages(ctx, f"PL-{seeded.training}")
    blank = next(c.row for p in pages for c in p.cells if not c.participant)
    signed = [sign_rows(p, {1, blank}, seed=5) for p in pages]
    dialog = review(qtbot, page, prompter, write_pdf(tmp_path / "sken.pdf", signed))
    sheet = dialog.current_sheet()
    assert sheet is not None and [w.row for w in sheet.walk_ins] == [blank]
    number = [r.row for r in dialog.rows[sheet.sheet_id]].index(blank)
    combo = dialog.sheet_panel.table.cellWidget(number, 1)
    assert isinstance(combo, QComboBox)
    assert table_texts(dialog, 4)[number] == "⚠ vyberte osobu"
    offered = {combo.itemData(i) for i in range(1, combo.count())}
    everyone = {c.assistant_id for c in dialog.stack.candidates}
    day = sheet.session_date
    assert offered == {c.assistant_id for c in dialog.stack.candidates if c.employed_on(day)}
    assert offered < everyone  # who was not employed that day is not offered
    invited = {r.participant_id for r in sheet.rows}
    newcomer = next(
        c
        for c in dialog.stack.candidates
        if c.assistant_id not in invited and c.assistant_id in employed
    )
    combo.setCurrentIndex(combo.findData(newcomer.assistant_id))
    assert table_texts(dialog, 3)[number] == "přítomen"
    confirm_with_keys(qtbot, dialog)
    qtbot.waitUntil(lambda: sheet.sheet_id in dialog.confirmed)
    view = session(ctx, seeded.training)
    walk_in = next(p for p in view.participants if p.assistant_id == newcomer.assistant_id)
    assert walk_in.status == Attendance.PRESENT and not walk_in.invited


def test_cancel_during_the_analysis_saves_nothing(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    stack = training_scan(ctx, seeded, tmp_path)
    prompter.files_answers.append([str(stack)])
    opened: list[object] = []
    page.signed.reviewing.connect(opened.append)
    with qtbot.waitSignal(page.signed.finished, timeout=60_000) as finished:
        task = page.signed.choose_files()
        assert task is not None
        progress = page.findChildren(QProgressDialog)[-1]
        zrusit = next(b for b in progress.findChildren(QPushButton) if b.text() == "Zrušit")
        zrusit.click()
        assert task.control.cancelled
    assert finished.args == [False]
    assert opened == [] and prompter.messages == []
    assert page.signed.task is None
    assert not session(ctx, seeded.training).evidence


def test_a_session_with_a_scan_asks_replace_or_add(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    first = review(qtbot, page, prompter, training_scan(ctx, seeded, tmp_path))
    confirm_with_keys(qtbot, first)
    qtbot.waitUntil(lambda: bool(first.confirmed))
    first.close()
    old = session(ctx, seeded.training).evidence

    again = review(qtbot, page, prompter, training_scan(ctx, seeded, tmp_path, seed=4))
    panel = again.sheet_panel
    assert "Setkání už má přiložen 1 sken" in panel.problems.text()
    assert panel.evidence_row.isVisible()
    confirm_with_keys(qtbot, again)  # neither chosen: asked, nothing saved
    assert prompter.messages[-1][0] == "Potvrdit listinu"
    assert "nahradí" in prompter.messages[-1][1]
    assert not again.confirmed and session(ctx, seeded.training).evidence == old
    panel.replace_button.click()
    confirm_with_keys(qtbot, again)
    qtbot.waitUntil(lambda: bool(again.confirmed))
    evidence = session(ctx, seeded.training).evidence
    assert len(evidence) == 1 and evidence[0].sha256 != old[0].sha256
    assert "nahrazeno skenů: 1" in panel.summary.text()


def test_the_buttons_above_the_sessions_fit_the_window(
    qtbot: QtBot, main_window: MainWindow, page: SessionsPage
) -> None:
    qtbot.waitExposed(main_window)
    assert main_window.width() <= 1280
    right = main_window.width()
    for key, button in page.buttons.items():
        edge = button.mapTo(main_window, button.rect().topRight()).x()
        assert edge < right, key
    assert page.buttons["signed"].text() == "Načíst podepsané listiny…"
    menu = page.buttons["signed"].menu()
    assert menu is not None
    assert [a.text() for a in menu.actions()] == [
        "Vybrat soubory (PDF, obrázky)…",
        "Vybrat celou složku…",
    ]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (240, 48), 235).save(buffer, "PNG")
    return buffer.getvalue()


def _sheet(sheet_id: str, session_id: int | None, *problems: Problem) -> SheetProposal:
    rows = (
        RowProposal(1, 1, 11, "Jana Nováková", True, Attendance.PRESENT, 0.97, True, _png()),
        RowProposal(2, 1, 12, "Petr Svoboda", False, Attendance.ABSENT, 0.6, False, _png()),
    )
    day = date(2025, 3, 20)
    kind = SessionKind.TRAINING
    return SheetProposal(
        sheet_id, session_id, kind, "Deeskalace", day, 1, (), rows, (), problems, 0
    )


def test_the_state_of_a_sheet_says_what_is_left_to_do(qtbot: QtBot, ctx: AppContext) -> None:
    other = Problem(ProblemKind.OTHER_PROJECT, "Listina patří k jinému projektu.")
    unsure = Problem(ProblemKind.UNSURE, "Jeden řádek je nejistý.")
    stack = StackProposal(
        ctx.project_id,
        (Path("sken.pdf"),),
        (_sheet("PL-90", 90, unsure), _sheet("PL-91", None, other)),
        (),
        (),
        (),
        2,
    )
    dialog = SignedReviewDialog(ctx, stack)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert [dialog.sheet_list.item(i).text().splitlines()[1] for i in range(2)] == [
        "⚠ ke kontrole",
        "✗ nelze potvrdit",
    ]
    assert table_texts(dialog, 4) == ["97 %", "⚠ 60 % zkontrolujte"]
    assert "Nejisté řádky (1)" in dialog.sheet_panel.problems.text()
    dialog.toggle(1)  # the mentor looked: přítomen after all
    assert table_texts(dialog, 3) == ["přítomen", "přítomen (změněno)"]
    assert dialog.sheet_list.item(0).text().endswith("připraveno k potvrzení")

    dialog.sheet_list.setFocus()
    qtbot.keyClick(dialog.sheet_list, Qt.Key.Key_Return)  # Enter: to the rows
    assert QApplication.focusWidget() is dialog.sheet_panel.table
    dialog.sheet_list.setFocus()
    qtbot.keyClick(dialog.sheet_list, Qt.Key.Key_Down)
    assert dialog.current_sheet() is stack.sheets[1]
    assert "jinému projektu" in dialog.sheet_panel.problems.text()
    assert not dialog.confirm_button.isEnabled() and not dialog.sheet_panel.table.isEnabled()
    assert not dialog.confirm_current()


def test_a_sheet_whose_session_changed_meanwhile_is_read_again_keeping_the_decisions(
    qtbot: QtBot,
    page: SessionsPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    dialog = review(qtbot, page, prompter, training_scan(ctx, seeded, tmp_path))
    sheet = dialog.current_sheet()
    assert sheet is not None
    third = sheet.rows[2].participant_id
    assert third is not None
    dialog.toggle(2)  # the mentor looked: row 3 was present after all
    other_pc = Database(ctx.db.url)  # meanwhile, another PC records that person excused
    try:
        with other_pc.unit_of_work() as s:
            record_attendance(
                s, seeded.training, [AttendanceEntry(third, Attendance.EXCUSED, None, "nemoc")]
            )
    finally:
        other_pc.dispose()

    assert not dialog.confirm_current()
    assert prompter.choices == [(RELOAD, CANCEL)]
    assert prompter.messages[-1][1].startswith("Záznam mezitím změnil někdo jiný.")
    stored = session(ctx, seeded.training)
    assert statuses(stored)[third] is Attendance.EXCUSED and not stored.evidence
    assert table_texts(dialog, 3)[2] == "přítomen (změněno)"  # read again, the decision kept
    assert dialog.confirm_current()
    stored = session(ctx, seeded.training)
    assert statuses(stored)[third] is Attendance.PRESENT and len(stored.evidence) == 1
