"""A project without assistants or records: every list and the dashboard say what to do next,
with a button that leads there; goal 1 is neither met nor failed for nobody."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from apk_desktop.db.sample import populate_sample
from apk_desktop.ui.assessments import AssessmentsPage
from apk_desktop.ui.dashboard import DashboardPage
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.roster import RosterPage
from apk_desktop.ui.roster_dialogs import AssistantDialog
from apk_desktop.ui.session_dialogs import SessionDialog
from apk_desktop.ui.sessions import SessionsPage


def _click(qtbot: QtBot, page: object) -> None:
    state = getattr(page, "empty_state")  # noqa: B009
    assert state.isVisible() and state.button.isVisible()
    qtbot.mouseClick(state.button, Qt.MouseButton.LeftButton)


def test_dashboard_without_assistants(qtbot: QtBot, main_window: MainWindow) -> None:
    page = main_window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    status = page.goal_status.text()
    assert "NESPLNĚN" not in status and "0 z 0" not in status
    assert "nelze vyhodnotit" in status
    assert page.not_meeting.item(0).text() == "V pozici zatím není žádný asistent."
    assert page.no_team.isVisible() and "Přidejte asistenty" in page.no_team.label.text()
    qtbot.mouseClick(page.no_team.button, Qt.MouseButton.LeftButton)
    assert isinstance(main_window.stack.currentWidget(), RosterPage)


def test_dashboard_hint_goes_once_there_is_a_team(qtbot: QtBot, main_window: MainWindow) -> None:
    with main_window.ctx.db.unit_of_work() as session:
        populate_sample(session, main_window.ctx.project_id)
    main_window.ctx.events.changed.emit("roster")
    page = main_window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    assert not page.no_team.isVisible() and "Cíl 1 NESPLNĚN" in page.goal_status.text()


def test_empty_lists_lead_to_the_next_step(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def fake_exec(dialog: QDialog) -> int:
        opened.append(type(dialog).__name__)
        return 0

    monkeypatch.setattr(AssistantDialog, "exec", fake_exec)
    monkeypatch.setattr(SessionDialog, "exec", fake_exec)

    roster = main_window.show_page("assistants")
    assert isinstance(roster, RosterPage)
    assert "Seznam asistentů je zatím prázdný" in roster.empty_state.label.text()
    _click(qtbot, roster)
    assert opened == ["AssistantDialog"]

    plans = main_window.show_page("plans")
    assert isinstance(plans, PlansPage)
    _click(qtbot, plans)
    assert main_window.stack.currentWidget() is roster

    assessments = main_window.show_page("assessments")
    assert isinstance(assessments, AssessmentsPage)
    assert "žádné asistenty" in assessments.records.empty_state.label.text()

    sessions = main_window.show_page("sessions")
    assert isinstance(sessions, SessionsPage)
    _click(qtbot, sessions)
    assert opened == ["AssistantDialog", "SessionDialog"]

    with main_window.ctx.db.unit_of_work() as session:
        populate_sample(session, main_window.ctx.project_id)
    main_window.ctx.events.changed.emit("roster")
    for key in ("assistants", "plans"):
        page = main_window.show_page(key)
        assert not getattr(page, "empty_state").isVisible(), key  # noqa: B009
    assessments = main_window.show_page("assessments")
    assert isinstance(assessments, AssessmentsPage)
    records = assessments.records
    assert "Zatím žádné hodnocení" in records.empty_state.label.text()
    _click(qtbot, records)
    assert assessments.tabs.currentWidget() is assessments.team
