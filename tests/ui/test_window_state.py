"""The main window's size and position and the user's column widths are kept between runs;
at the default size the wide tables fit the 1280×720 screen without a horizontal scroll."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QScrollArea, QTableView
from pytestqt.qtbot import QtBot

from apk_desktop.db.database import Database
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.open import open_database
from apk_desktop.ui.assessments import AssessmentsPage
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.sessions import SessionsPage
from apk_desktop.ui.window_state import STATE_FILE
from tests.backends import TestDatabases
from tests.ui.conftest import ScriptedPrompter


@pytest.fixture
def demo_ctx(databases: TestDatabases, prompter: ScriptedPrompter) -> Iterator[AppContext]:
    db: Database = open_database(databases.migrated("demo"))
    with db.unit_of_work() as session:
        project_id = populate_demo(session).id
    yield AppContext(db=db, project_id=project_id, prompter=prompter)
    db.dispose()


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_size_and_position_are_restored_and_kept_on_a_smaller_screen(
    qtbot: QtBot, ctx: AppContext, isolated_folders: Path
) -> None:
    first = _window(qtbot, ctx)
    first.setGeometry(QRect(10, 40, 1260, 600))
    first.close()
    assert (isolated_folders / STATE_FILE).exists()
    second = _window(qtbot, ctx)
    assert second.geometry() == QRect(10, 40, 1260, 600)

    # saved on a 1920×1080 monitor, opened on this 1280×720 one
    second.setGeometry(QRect(700, 300, 1800, 1000))
    second.close()
    third = _window(qtbot, ctx)
    area = third.screen().availableGeometry()
    assert area.contains(third.frameGeometry())
    assert third.width() > 1000 and third.height() > 600  # as large as the screen allows


def _no_horizontal_scroll(view: QTableView) -> bool:
    header = view.horizontalHeader()
    return header.length() <= view.viewport().width()


def test_wide_tables_fit_the_default_window(qtbot: QtBot, demo_ctx: AppContext) -> None:
    window = _window(qtbot, demo_ctx)
    sessions = window.show_page("sessions")
    assert isinstance(sessions, SessionsPage)
    qtbot.waitUntil(lambda: sessions.model.rowCount() > 0)
    assert _no_horizontal_scroll(sessions.table)
    assert sessions.table.columnWidth(4) >= 120  # the topic keeps a readable width
    header = sessions.table.horizontalHeader()
    for column in range(header.count()):  # every heading readable (none cut off)
        heading = str(sessions.model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(heading)

    plans_page = window.show_page("plans")
    assert isinstance(plans_page, PlansPage)
    for row in range(plans_page.assistants.count()):  # someone whose plan has goals
        plans_page.assistants.setCurrentRow(row)
        if plans_page.goals.rowCount() > 1:
            break
    assert plans_page.goals.rowCount() > 1
    assert _no_horizontal_scroll(plans_page.goals)
    assert plans_page.goals.columnWidth(1) >= 120  # the goals themselves
    for row in range(plans_page.goals.rowCount()):  # wrapped goals shown whole
        assert plans_page.goals.rowHeight(row) >= plans_page.goals.sizeHintForRow(row)
    versions = plans_page.plans
    for row in range(versions.count()):
        width = versions.fontMetrics().boundingRect(
            versions.visualItemRect(versions.item(row)), 0, versions.item(row).text()
        )
        assert width.width() <= versions.viewport().width(), versions.item(row).text()

    assessments = window.show_page("assessments")
    assert isinstance(assessments, AssessmentsPage)
    matrix = assessments.progress.team_view
    assessments.tabs.setCurrentWidget(assessments.progress)
    qtbot.waitUntil(lambda: matrix.model().rowCount() > 0)
    assert _no_horizontal_scroll(matrix)
    assert matrix.columnWidth(1) >= 150  # names are not squeezed to "J…"

    settings = window.show_page("settings")
    scroll = settings.findChild(QScrollArea)
    assert scroll is not None
    assert scroll.horizontalScrollBar().maximum() == 0  # no field cut at the right


def test_column_widths_the_user_chose_are_kept(qtbot: QtBot, demo_ctx: AppContext) -> None:
    window = _window(qtbot, demo_ctx)
    sessions = window.show_page("sessions")
    assert isinstance(sessions, SessionsPage)
    sessions.table.horizontalHeader().resizeSection(2, 200)
    window.close()  # before the moment the change waits for

    again = _window(qtbot, demo_ctx).show_page("sessions")
    assert isinstance(again, SessionsPage)
    assert again.table.columnWidth(2) == 200
