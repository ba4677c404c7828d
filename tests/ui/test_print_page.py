from __future__ import annotations

import io
from datetime import date, time

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.domain.sessions import SessionData, SessionKind, SupervisionForm
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.print_page import PRINT_ACTIONS, PrintPage
from tests.ui.conftest import ScriptedPrompter


def _text(page: PrintPage) -> str:
    preview = page.printer.last_preview
    assert preview is not None
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.pdf)).pages)


def _supervision(ctx: AppContext) -> int:
    with ctx.db.unit_of_work() as session:
        populate_sample(session, ctx.project_id)
        person = roster.active_assistants(session, ctx.project_id, date(2025, 3, 20))[0]
        from apk_desktop.db.services import project as project_service

        info = project_service.get_project_info(session, ctx.project_id)
        return session_service.create_session(
            session,
            ctx.project_id,
            SessionData(
                kind=SessionKind.ASSISTANT_SUPERVISION,
                date=date(2025, 3, 20),
                time_from=time(13),
                time_to=time(14, 30),
                place="MěÚ Sokolov",
                lecturer="PhDr. Karel Dohled",
                topic="Zátěž v SVL",
                area_ids=(info.area("COMM").id,),
                participant_ids=(person.assistant_id,),
                supervision_form=SupervisionForm.INDIVIDUALNI,
                private_note="Důvěrné X",
            ),
        ).id


def _page(main_window: MainWindow) -> PrintPage:
    page = main_window.show_page("print")
    assert isinstance(page, PrintPage)
    return page


def test_lists_every_printable_document(main_window: MainWindow) -> None:
    page = _page(main_window)
    titles = [page.list.item(i).text() for i in range(page.list.count())]
    assert len(titles) == len(PRINT_ACTIONS) >= 5
    assert any("Prázdná prezenční listina" in t for t in titles)
    assert any("za měsíc" in t for t in titles)


def test_blank_sheets_for_unplanned_sessions(main_window: MainWindow) -> None:
    page = _page(main_window)
    page.blank_date.set_value(date(2025, 6, 3))
    page.run("blank_attendance")
    text = _text(page)
    assert "Prezenční listina" in text and "PL-BLANK-2025-06-03" in text and "03.06.2025" in text
    assert "Finanční gramotnost" in text and "☐" in text
    page.run("blank_supervision")
    assert "SUP-BLANK-2025-06-03" in _text(page)
    page.blank_date.clear()
    page.run("blank_mentoring")
    text = _text(page)
    assert "Záznam z mentoringu" in text and "MEN-BLANK-" in text


def test_session_sheet_and_private_note_option(
    main_window: MainWindow, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    session_id = _supervision(ctx)
    page = _page(main_window)
    page.month_combo.setCurrentIndex(page.month_combo.findData("2025-03-01"))
    assert page.session_combo.count() == 1
    page.run("session")
    text = _text(page)
    assert f"SUP-{session_id}" in text and "Zátěž v SVL" in text and "Důvěrné X" not in text
    page.private_note.setChecked(True)
    page.run("session")
    assert "Důvěrné X" in _text(page)


def test_month_batch_and_empty_month(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    session_id = _supervision(ctx)
    page = _page(main_window)
    page.month_combo.setCurrentIndex(page.month_combo.findData("2025-03-01"))
    task = page.run("month")
    assert task is not None
    qtbot.waitUntil(lambda: page.printer.last_preview is not None, timeout=20_000)
    assert f"SUP-{session_id}" in _text(page)

    page.month_combo.setCurrentIndex(page.month_combo.findData("2025-02-01"))
    task = page.run("month")
    assert task is not None
    qtbot.waitUntil(
        lambda: any("není žádné setkání" in m[1] for m in prompter.messages), timeout=20_000
    )
