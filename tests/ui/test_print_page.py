from __future__ import annotations

import io
import threading
from datetime import date, time
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import plans, roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.assessments import populate_sample_assessments
from apk_desktop.db.services.plans import populate_sample_plans
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.domain.sessions import (
    SessionData,
    SessionKind,
    SupervisionForm,
    SupervisorType,
)
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.print_page import KEY_ROLE, PRINT_ACTIONS, PrintPage
from apk_desktop.ui.worker import BackgroundTask
from tests.ui.conftest import ScriptedPrompter


def _text(page: PrintPage) -> str:
    preview = page.printer.last_preview
    assert preview is not None
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.pdf)).pages)


def _print(qtbot: QtBot, page: PrintPage, key: str) -> str:
    """Run the action; the PDF is built off the GUI thread: wait for its preview, read it."""
    with qtbot.waitSignal(page.printer.shown, timeout=20_000):
        page.run(key)
    return _text(page)


def _supervision(ctx: AppContext, supervisor_type: SupervisorType | None = None) -> int:
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
                supervisor_type=supervisor_type,
                private_note="Důvěrné X",
            ),
        ).id


def _page(main_window: MainWindow) -> PrintPage:
    page = main_window.show_page("print")
    assert isinstance(page, PrintPage)
    return page


def test_lists_every_printable_document(main_window: MainWindow) -> None:
    page = _page(main_window)
    items = [page.list.item(i) for i in range(page.list.count())]
    titles = [i.text() for i in items if i.data(KEY_ROLE)]
    assert len(titles) == len(PRINT_ACTIONS) >= 8
    for expected in (
        "Prázdná prezenční listina",
        "za měsíc",
        "Plán individuálního rozvoje",
        "Přehled pokroku – asistent",
        "Přehled pokroku – tým",
    ):
        assert any(expected in t for t in titles), expected
    headings = [i.text() for i in items if not i.data(KEY_ROLE)]
    assert headings == ["Setkání", "Plány rozvoje a pokrok"]
    assert all(not i.flags() for i in items if not i.data(KEY_ROLE))  # not selectable


def test_only_the_options_of_the_selected_print_are_enabled(main_window: MainWindow) -> None:
    page = _page(main_window)
    assert page.select("idp")
    assert page.assistant_combo.isEnabled() and page.plan_combo.isEnabled()
    assert not page.month_combo.isEnabled() and not page.as_of.isEnabled()
    assert page.select("progress_team")
    assert page.as_of.isEnabled() and not page.assistant_combo.isEnabled()
    assert page.select("session")
    assert page.session_combo.isEnabled() and page.private_note.isEnabled()
    assert not page.plan_combo.isEnabled()


def test_blank_sheets_for_unplanned_sessions(qtbot: QtBot, main_window: MainWindow) -> None:
    page = _page(main_window)
    page.blank_date.set_value(date(2025, 6, 3))
    text = _print(qtbot, page, "blank_attendance")
    assert "Prezenční listina" in text and "PL-BLANK-2025-06-03" in text and "03.06.2025" in text
    assert "Finanční gramotnost" in text and "☐" in text
    assert "SUP-BLANK-2025-06-03" in _print(qtbot, page, "blank_supervision")
    page.blank_date.clear()
    text = _print(qtbot, page, "blank_mentoring")
    assert "Záznam z mentoringu" in text and "MEN-BLANK-" in text


def test_session_sheet_and_private_note_option(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    session_id = _supervision(ctx)
    page = _page(main_window)
    page.month_combo.setCurrentIndex(page.month_combo.findData("2025-03-01"))
    assert page.session_combo.count() == 1
    text = _print(qtbot, page, "session")
    assert f"SUP-{session_id}" in text and "Zátěž v SVL" in text and "Důvěrné X" not in text
    page.private_note.setChecked(True)
    assert "Důvěrné X" in _print(qtbot, page, "session")


@pytest.mark.parametrize(
    ("supervisor_type", "other"),
    [(SupervisorType.EXTERNI, "interní"), (SupervisorType.INTERNI, "externí")],
)
def test_supervision_record_prints_the_supervisor_type_and_the_areas(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    supervisor_type: SupervisorType,
    other: str,
) -> None:
    session_id = _supervision(ctx, supervisor_type)
    page = _page(main_window)
    page.month_combo.setCurrentIndex(page.month_combo.findData("2025-03-01"))
    text = _print(qtbot, page, "session")
    assert f"SUP-{session_id}" in text and "Záznam ze supervize" in text
    assert "Typ" in text and supervisor_type.label in text
    assert other not in text  # the chosen type, not boxes to tick
    assert "Vzdělávací oblasti" in text and "Komunikační dovednosti" in text
    assert "MěÚ Sokolov" in text and "individuální" in text


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


@pytest.fixture
def sample(ctx: AppContext) -> dict[str, int]:
    """The sample team with plans and assessments; assistant ids by last name."""
    with ctx.db.unit_of_work() as session:
        populate_sample(session, ctx.project_id)
        populate_sample_plans(session, ctx.project_id)
        populate_sample_assessments(session, ctx.project_id)
        people = roster.list_assistants(session, ctx.project_id, date(2025, 3, 1))
    return {p.last_name: p.id for p in people}


def _sample_page(main_window: MainWindow) -> PrintPage:
    page = _page(main_window)
    page.refresh()  # the sample was added after the window was built
    return page


def test_development_plan_of_the_chosen_assistant_and_version(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext, sample: dict[str, int]
) -> None:
    page = _sample_page(main_window)
    assert page.select_assistant(sample["Nováková"])
    with ctx.db.unit_of_work() as session:
        versions = plans.list_plans(session, sample["Nováková"])
    labels = [page.plan_combo.itemText(i) for i in range(page.plan_combo.count())]
    assert labels == [v.label for v in versions] and len(labels) >= 2
    chosen = versions[-1]  # the oldest plan
    page.plan_combo.setCurrentIndex(page.plan_combo.findData(chosen.id))
    assert page.select("idp")
    text = _print(qtbot, page, "idp")
    assert "Plán individuálního rozvoje" in text and "Jana Nováková" in text
    assert f"IDP-{chosen.id}-v{chosen.version}" in text
    assert chosen.period_text.split(" – ")[0] in text
    assert "Podpisy" in text and "Asistent/ka: Jana Nováková" in text and "Mentor/ka" in text
    preview = page.printer.last_preview
    assert preview is not None and preview.windowTitle() == "Náhled – Plán rozvoje – Jana Nováková"
    assert preview.suggested_name.startswith("IDP-")


def test_development_plan_needs_a_plan(
    qtbot: QtBot,
    main_window: MainWindow,
    sample: dict[str, int],
    prompter: ScriptedPrompter,
) -> None:
    page = _sample_page(main_window)
    assert page.select_assistant(sample["Černý"])  # the sample gives him no plan
    assert page.plan_combo.count() == 1 and page.plan_combo.currentData() is None
    assert page.run("idp") is None
    assert prompter.messages[-1][1].startswith("Vyberte asistenta a verzi")
    assert page.printer.last_preview is None


def test_progress_of_an_assistant_and_of_the_team(
    qtbot: QtBot, main_window: MainWindow, sample: dict[str, int]
) -> None:
    page = _sample_page(main_window)
    page.as_of.set_value(date(2025, 11, 1))
    assert page.select_assistant(sample["Nováková"])
    text = _print(qtbot, page, "progress_assistant")
    assert "Přehled pokroku – Jana Nováková" in text
    assert "Finanční gramotnost" in text and "Digitální gramotnost" in text
    preview = page.printer.last_preview
    assert preview is not None
    assert preview.suggested_name == f"prehled-pokroku-{sample['Nováková']}-2025-11-01.pdf"

    text = _print(qtbot, page, "progress_team")
    assert "Přehled pokroku – tým asistentů prevence kriminality" in text
    assert "Jana Nováková" in text and "Tomáš Černý" in text
    preview = page.printer.last_preview
    assert preview is not None and preview.suggested_name == "prehled-pokroku-tym-2025-11-01.pdf"


def test_a_bad_as_of_date_is_said_and_nothing_is_built(
    main_window: MainWindow, prompter: ScriptedPrompter
) -> None:
    page = _page(main_window)
    page.as_of.setText("31.2.2025")
    assert page.run("progress_team") is None
    assert prompter.messages and prompter.messages[-1][0] == "Tisk"
    assert page.printer.task is None and page.printer.last_preview is None


def test_the_pdf_is_built_off_the_gui_thread_and_the_gui_keeps_running(
    qtbot: QtBot,
    main_window: MainWindow,
    sample: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import apk_desktop.sheets.progress as progress_sheets

    release = threading.Event()
    threads: list[threading.Thread] = []
    real = progress_sheets.team_progress_pdf

    def slow_build(*args: Any, **kwargs: Any) -> bytes:
        threads.append(threading.current_thread())
        release.wait(20)  # a large team: the build takes a while
        return real(*args, **kwargs)

    monkeypatch.setattr(progress_sheets, "team_progress_pdf", slow_build)
    page = _sample_page(main_window)
    task = page.run("progress_team")
    assert isinstance(task, BackgroundTask)  # returned at once, the build still running
    qtbot.waitUntil(lambda: bool(threads), timeout=20_000)
    assert threads[0] is not threading.main_thread()
    assert page.printer.task is task and page.printer.last_preview is None
    # the GUI thread is free meanwhile: its event loop runs (a timer fires)
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks), timeout=5_000)
    with qtbot.waitSignal(page.printer.shown, timeout=20_000):
        release.set()
    assert "Přehled pokroku – tým" in _text(page)
    assert page.printer.task is None


def test_a_failing_build_shows_a_czech_message(
    qtbot: QtBot,
    main_window: MainWindow,
    sample: dict[str, int],
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import apk_desktop.sheets.idp as idp_sheets

    def broken(_data: object) -> bytes:
        raise StorageUnavailableError("Soubor s logem nelze přečíst.")

    monkeypatch.setattr(idp_sheets, "build_idp_pdf", broken)
    page = _sample_page(main_window)
    page.select_assistant(sample["Nováková"])
    task = page.run("idp")
    assert isinstance(task, BackgroundTask)
    qtbot.waitUntil(lambda: ("Tisk", "Soubor s logem nelze přečíst.") in prompter.messages)
    assert page.printer.last_preview is None and page.printer.task is None
