from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import assessments as svc
from apk_desktop.db.services.progress import project_areas, team_progress
from apk_desktop.ui.assessments import AssessmentDialog, AssessmentsPage
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.team_grid import TeamAssessmentWidget
from tests.ui.conftest import ScriptedPrompter

TODAY = date(2025, 6, 1)


@pytest.fixture
def people(db: Database, project_id: int) -> list[int]:
    with db.unit_of_work() as session:
        return populate_sample(session, project_id)


def _page(main_window: MainWindow) -> AssessmentsPage:
    page = main_window.show_page("assessments")
    assert isinstance(page, AssessmentsPage)
    return page


def _enter_team(qtbot: QtBot, team: TeamAssessmentWidget, day: str, kind: str, digits: str) -> None:
    """Fill the header and type ``digits`` into the grid from the first cell, then Enter."""
    team.date_field.clear()
    qtbot.keyClicks(team.date_field, day)
    QTest.keyClick(team.date_field, Qt.Key.Key_Return)  # editingFinished reloads the people
    team.kind.setCurrentIndex(team.kind.findData(kind))
    team.assessor.setText("Mgr. Jiří Dvořák")  # QTest types ASCII only
    team.method.setCurrentText("pozorování při výkonu práce")
    team.grid.setFocus()
    team.grid.setCurrentCell(0, 0)
    QTest.keyClicks(team.grid, digits)
    QTest.keyClick(team.grid, Qt.Key.Key_Return)


def _goal(db: Database, project_id: int) -> tuple[int, int]:
    with db.unit_of_work() as session:
        goal = team_progress(session, project_id, TODAY).goal
    return goal.meeting, goal.counted


def test_team_assessment_typed_into_the_grid_changes_goal_1(
    qtbot: QtBot, main_window: MainWindow, db: Database, project_id: int, people: list[int]
) -> None:
    page = _page(main_window)
    dashboard = main_window.show_page("dashboard")
    assert "0 z 9 asistentů splňuje cíl" in dashboard.goal_status.text()  # type: ignore[attr-defined]
    page = _page(main_window)
    team = page.open_team_grid()
    _enter_team(qtbot, team, "10.01.2024", "entry", "22222" * 9)
    assert team.status.text() == "Uloženo hodnocení 9 asistentů."
    assert team.grid.level(0, 0) is None  # cleared for the next entry
    assert _goal(db, project_id) == (0, 9)
    _enter_team(qtbot, team, "01.03.2025", "interim", "33222" * 9)
    assert _goal(db, project_id) == (9, 9)

    with db.unit_of_work() as session:
        stored = svc.list_assessments(session, project_id)
        areas = [a.id for a in project_areas(session, project_id)]
    assert len(stored) == 18
    latest = [a for a in stored if a.kind == "interim"]
    assert {a.assessor for a in latest} == {"Mgr. Jiří Dvořák"}
    assert all(a.levels == dict(zip(areas, [3, 3, 2, 2, 2], strict=True)) for a in latest)

    # The progress tab and the dashboard show the new status.
    progress = page.open_progress()
    assert "SPLNĚN" in progress.goal_label.text()
    assert "9 z 9 asistentů splňuje cíl" in progress.goal_label.text()
    dashboard = main_window.show_page("dashboard")
    assert "9 z 9 asistentů splňuje cíl" in dashboard.goal_status.text()  # type: ignore[attr-defined]


def test_grid_refuses_a_level_off_the_scale_and_a_second_entry(
    qtbot: QtBot, main_window: MainWindow, db: Database, project_id: int, people: list[int]
) -> None:
    team = _page(main_window).open_team_grid()
    team.grid.setFocus()
    team.grid.setCurrentCell(0, 0)
    QTest.keyClick(team.grid, Qt.Key.Key_7)
    assert team.grid_message.text() == "Úroveň 7 není na škále 1–5."
    assert team.grid.level(0, 0) is None
    assert (team.grid.currentRow(), team.grid.currentColumn()) == (0, 0)
    QTest.keyClicks(team.grid, "4")
    assert team.grid.level(0, 0) == 4 and team.grid_message.text() == ""
    QTest.keyClick(team.grid, Qt.Key.Key_Left)
    QTest.keyClick(team.grid, Qt.Key.Key_Backspace)
    assert team.grid.level(0, 0) is None

    _enter_team(qtbot, team, "10.01.2024", "entry", "1")
    assert team.status.text() == "Uloženo hodnocení 1 asistenta."
    _enter_team(qtbot, team, "11.01.2024", "entry", "2")
    message = team.grid_message.text()
    assert "už má vstupní hodnocení (10.01.2024)" in message
    assert message.startswith("Jana Nováková už má")  # the name once, not "Jana Nováková: Jana…"
    assert team.status.text() == ""  # the previous "Uloženo…" is gone
    # Missing header fields are shown beside the fields; nothing is stored.
    _enter_team(qtbot, team, "01.01.2020", "interim", "2")
    assert "období projektu" in team.errors.message("assessed_on")
    with db.unit_of_work() as session:
        assert svc.count_assessments(session, project_id) == 1


def test_team_grid_with_the_keyboard_only(
    qtbot: QtBot, main_window: MainWindow, db: Database, project_id: int, people: list[int]
) -> None:
    """Tab from the date through the header into the grid; digits, Tab, arrows, Enter."""
    team = _page(main_window).open_team_grid()
    main_window.activateWindow()
    team.date_field.setFocus()
    qtbot.waitUntil(team.date_field.hasFocus)
    team.date_field.selectAll()
    QTest.keyClicks(team.date_field, "10.01.2024")

    def tab() -> QWidget:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        return QApplication.focusWidget()

    assert tab() is team.kind
    assert tab() is team.assessor
    QTest.keyClicks(team.assessor, "Mgr. Dvorak")
    assert tab() is team.method
    QTest.keyClicks(team.method, "vstupni test")
    assert tab() is team.scale_choice
    assert tab() is team.grid
    assert (team.grid.currentRow(), team.grid.currentColumn()) == (0, 0)
    QTest.keyClicks(team.grid, "12345")  # the fifth digit wraps to the next person
    assert (team.grid.currentRow(), team.grid.currentColumn()) == (1, 0)
    QTest.keyClick(team.grid, Qt.Key.Key_Tab)  # Tab moves between cells
    assert (team.grid.currentRow(), team.grid.currentColumn()) == (1, 1)
    QTest.keyClick(team.grid, Qt.Key.Key_Down)
    QTest.keyClick(team.grid, Qt.Key.Key_Left)
    assert (team.grid.currentRow(), team.grid.currentColumn()) == (2, 0)
    QTest.keyClicks(team.grid, "3")
    QTest.keyClick(team.grid, Qt.Key.Key_Return)
    assert team.status.text() == "Uloženo hodnocení 2 asistentů."
    with db.unit_of_work() as session:
        stored = {a.assistant_name: a for a in svc.list_assessments(session, project_id)}
        areas = [a.id for a in project_areas(session, project_id)]
    assert set(stored) == {"Jana Nováková", "Lucie Dvořáková"}
    assert stored["Jana Nováková"].levels == dict(zip(areas, [1, 2, 3, 4, 5], strict=True))
    assert stored["Lucie Dvořáková"].levels == {areas[0]: 3}
    assert {(a.kind, a.assessor, a.method) for a in stored.values()} == {
        ("entry", "Mgr. Dvorak", "vstupni test")
    }


def test_dialog_records_an_assessment_and_shows_errors(
    qtbot: QtBot, ctx: AppContext, db: Database, project_id: int, people: list[int]
) -> None:
    dialog = AssessmentDialog(ctx, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.set_assistant(people[0])
    dialog.set_kind("entry")
    dialog.assessed_on.setText("15.04.2023")
    dialog.assessor.setText("Ing. Řehoř")
    dialog.method.setCurrentText("vstupní test")
    area_ids = list(dialog.level_boxes)
    dialog.set_level(area_ids[0], 2)
    dialog.set_level(area_ids[2], 4)
    assert dialog.save()
    assert dialog.saved_view is not None
    with db.unit_of_work() as session:
        stored = svc.get_assessment(session, dialog.saved_view.id)
    assert stored.levels == {area_ids[0]: 2, area_ids[2]: 4}
    assert stored.assessor == "Ing. Řehoř"

    second = AssessmentDialog(ctx, today=TODAY)
    qtbot.addWidget(second)
    second.set_assistant(people[0])
    second.set_kind("entry")
    second.assessed_on.setText("31.13.2023")
    assert not second.save()
    assert "není platné datum" in second.errors.message("assessed_on")
    second.assessed_on.setText("16.04.2023")
    assert not second.save()
    assert "už má vstupní hodnocení" in second.errors.message("kind")
    assert second.errors.message("assessor") == "Zadejte, kdo hodnotil."
    assert (
        second.errors.message("levels") == "" and "alespoň v jedné" in second.errors.general.text()
    )

    editing = AssessmentDialog(ctx, assessment_id=stored.id, today=TODAY)
    qtbot.addWidget(editing)
    assert editing.level_boxes[area_ids[2]].currentData() == 4
    editing.set_level(area_ids[2], 5)
    assert editing.save()
    with db.unit_of_work() as session:
        assert svc.get_assessment(session, stored.id).levels[area_ids[2]] == 5


def test_records_list_delete_and_models(
    qtbot: QtBot,
    qtmodeltester: object,
    main_window: MainWindow,
    db: Database,
    project_id: int,
    people: list[int],
    prompter: ScriptedPrompter,
) -> None:
    with db.unit_of_work() as session:
        svc.populate_sample_assessments(session, project_id)
    page = _page(main_window)
    records = page.open_records(people[0])
    assert records.model.rowCount() == 3
    qtmodeltester.check(records.model)  # type: ignore[attr-defined]
    # Area columns carry the Czech labels (as in the progress view), never the codes.
    header = records.model.headerData
    horizontal, display, tip = (
        Qt.Orientation.Horizontal,
        Qt.ItemDataRole.DisplayRole,
        (Qt.ItemDataRole.ToolTipRole),
    )
    assert header(5, horizontal, display) == "Základní znalosti\npráce APK (teorie\na praxe)"
    assert header(5, horizontal, tip) == "Základní znalosti práce APK (teorie a praxe)"
    assert header(9, horizontal, display) == "Digitální\ngramotnost"
    records.view.selectRow(0)
    prompter.confirm_answers.append(True)
    records.delete_selected()
    assert records.model.rowCount() == 2
    assert "Opravdu smazat hodnocení Jana Nováková" in prompter.messages[-1][1]

    progress = page.open_progress()
    qtmodeltester.check(progress.team_model)  # type: ignore[attr-defined]
    assert progress.team_model.rowCount() == 10  # nine in a position + the departed one
    progress.show_assistant(people[1])
    qtmodeltester.check(progress.history_model)  # type: ignore[attr-defined]
    assert progress.history_model.rowCount() == 3
    assert len(progress.radar.series) == 2 and len(progress.line_chart.series) == 5
    assert [s.name() for s in progress.line_chart.series] == [
        "Základní znalosti práce APK (teorie a praxe)",
        "Finanční gramotnost",
        "Komunikační dovednosti",
        "Mediační dovednosti",
        "Digitální gramotnost",
    ]
    history_header = progress.history_model.headerData
    assert history_header(5, horizontal, tip) == "Finanční gramotnost"


def test_progress_print_preview_for_team_and_person(
    qtbot: QtBot, main_window: MainWindow, db: Database, project_id: int, people: list[int]
) -> None:
    with db.unit_of_work() as session:
        svc.populate_sample_assessments(session, project_id)
    progress = _page(main_window).open_progress()
    with qtbot.waitSignal(progress.printer.shown, timeout=20_000) as team:
        progress.print_button.click()  # built off the GUI thread, then the preview
    dialog = team.args[0]
    assert dialog.document.pageCount() >= 1
    assert dialog.suggested_name.startswith("prehled-pokroku-tym-")
    dialog.close()
    progress.show_assistant(people[0])
    with qtbot.waitSignal(progress.printer.shown, timeout=20_000) as shown:
        progress.print_summary()
    person = shown.args[0]
    assert person.windowTitle() == "Náhled – Přehled pokroku – Jana Nováková"
    person.close()
