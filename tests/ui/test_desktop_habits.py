"""Habits of a desktop app: a menu bar (Soubor, Nápověda), icons in the navigation, tooltips
on the buttons above each screen, and Tab moving through a form top to bottom."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from apk_desktop import __version__, paths
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.open import open_database
from apk_desktop.ui.about_dialog import AboutDialog
from apk_desktop.ui.assessments import AssessmentDialog
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pages import PAGES
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.project_settings import ProjectSettingsPage
from apk_desktop.ui.roster_dialogs import AssistantDialog
from apk_desktop.ui.session_dialogs import SessionDialog
from tests.backends import TestDatabases
from tests.ui.conftest import ScriptedPrompter


def _menu(window: MainWindow, title: str) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    assert menu is not None
    return [action.text() for action in menu.actions()]


def test_menu_bar_like_the_office_programs(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter
) -> None:
    assert [a.text() for a in main_window.menuBar().actions()] == [
        "&Soubor",
        "&Projekt",
        "&Nápověda",
    ]
    assert _menu(main_window, "&Soubor") == [
        "&Zálohovat nyní",
        "&Obnovit ze zálohy…",
        "Načíst &podepsané listiny…",
        "&Exportovat",
        "",  # separator
        "&Konec",
    ]
    assert _menu(main_window, "&Projekt") == ["&Přepnout projekt…", "&Nový projekt…"]
    assert _menu(main_window, "&Nápověda") == [
        "&Uživatelská příručka",
        "&O aplikaci",
        "Otevřít &složku dat",
        "Otevřít &protokol",
    ]
    # Zálohovat nyní runs the Zálohy screen's own button: without a folder it asks for one
    main_window.backup_action.trigger()
    assert main_window.stack.currentWidget() is main_window.page("backups")
    assert prompter.messages[-1] == (
        "Zálohy",
        "Nejdřív vyplňte složku pro zálohy a uložte nastavení.",
    )
    main_window.restore_action.trigger()  # the file picker is answered "cancel"
    assert main_window.stack.currentWidget() is main_window.page("backups")


def test_export_from_the_menu_writes_the_file(
    main_window: MainWindow, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    prompter.file_answers.append(str(tmp_path / "setkani.xlsx"))
    main_window.export_xlsx_action.trigger()
    assert (tmp_path / "setkani.xlsx").stat().st_size > 0
    assert main_window.stack.currentWidget() is main_window.page("sessions")


def test_ctrl_q_ends_the_app(qtbot: QtBot, main_window: MainWindow) -> None:
    assert main_window.quit_action.shortcut().toString() == "Ctrl+Q"
    main_window.activateWindow()
    qtbot.waitActive(main_window)
    qtbot.keyClick(main_window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not main_window.isVisible())


def test_help_menu_shows_version_and_opens_the_data_folder_and_log(
    main_window: MainWindow, prompter: ScriptedPrompter
) -> None:
    opened: list[QUrl] = []
    main_window.open_url = lambda url: opened.append(url) or True
    main_window.about_action.trigger()
    about = main_window.findChild(AboutDialog)
    assert about is not None and about.isVisible()
    assert about.facts.version == __version__ and about.facts.data_dir == paths.data_dir()
    about.close()

    actions = {a.text(): a for a in main_window.findChildren(QAction)}
    actions["Otevřít &složku dat"].trigger()
    assert Path(opened[-1].toLocalFile()) == paths.data_dir()
    (paths.logs_dir() / "apk-desktop.log").write_text("záznam\n", encoding="utf-8")
    actions["Otevřít &protokol"].trigger()
    assert Path(opened[-1].toLocalFile()) == paths.logs_dir() / "apk-desktop.log"


def test_navigation_icons_are_shipped_with_their_licence(main_window: MainWindow) -> None:
    icons = paths.resources_dir() / "icons"
    assert "ISC License" in (icons / "LICENSE-Lucide.txt").read_text(encoding="utf-8")
    for row, spec in enumerate(PAGES):
        assert (icons / f"{spec.icon}.svg").is_file(), spec.key
        assert not main_window.nav.item(row).icon().isNull(), spec.key


@pytest.fixture
def demo_window(
    qtbot: QtBot, databases: TestDatabases, prompter: ScriptedPrompter
) -> Iterator[MainWindow]:
    db = open_database(databases.migrated("demo"))
    with db.unit_of_work() as session:
        project_id = populate_demo(session).id
    window = MainWindow(AppContext(db=db, project_id=project_id, prompter=prompter))
    qtbot.addWidget(window)
    window.show()
    yield window
    db.dispose()


def test_every_button_above_a_screen_has_a_czech_tooltip(demo_window: MainWindow) -> None:
    missing = []
    for spec in PAGES:
        page = demo_window.show_page(spec.key)
        for button in page.findChildren(QPushButton):
            if button.text() and not button.toolTip().strip():
                missing.append(f"{spec.key}: {button.text()}")
            elif button.text():
                assert button.toolTip() != button.text()
    assert missing == []


def _tab_walk(qtbot: QtBot, first: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``first`` until it comes back to ``first``."""
    window = first.window()
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    seen = [first]
    for _ in range(80):
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is None or widget is first:
            break
        seen.append(widget)
    return seen


def _in_reading_order(root: QWidget, widgets: list[QWidget]) -> list[str]:
    """Places where Tab jumps up the form ``root`` (a later field above an earlier one);
    positions are taken in ``root``, so scrolling does not move them."""
    wrong = []
    previous = None
    for widget in [w for w in widgets if root.isAncestorOf(w)]:
        top = widget.mapTo(root, QPoint(0, 0)).y()
        name = f"{type(widget).__name__} {widget.objectName()}"
        if previous is not None and top < previous[1] - 4:
            wrong.append(f"{previous[0]} → {name}")
        previous = (name, top)
    return wrong


@pytest.mark.parametrize("which", ["session", "assistant", "assessment", "goal", "settings"])
def test_tab_visits_the_fields_of_a_form_top_to_bottom(
    qtbot: QtBot, demo_window: MainWindow, which: str
) -> None:
    ctx = demo_window.ctx
    root: QWidget
    if which == "settings":
        page = demo_window.show_page("settings")
        assert isinstance(page, ProjectSettingsPage)
        first = page.text["name"]
        root = next(iter(page.findChildren(QScrollArea))).widget()
    else:
        if which == "session":
            dialog: QDialog = SessionDialog(ctx, demo_window)
            first = dialog.kind
        elif which == "goal":
            plans_page = demo_window.show_page("plans")
            assert isinstance(plans_page, PlansPage)
            plans_page.assistants.setCurrentRow(1)
            goal_dialog = plans_page.add_goal_dialog()
            assert goal_dialog is not None
            dialog, first = goal_dialog, goal_dialog.area
        elif which == "assistant":
            dialog = AssistantDialog(ctx, demo_window)
            first = dialog.person.first_name
        else:
            dialog = AssessmentDialog(ctx, demo_window)
            first = dialog.assistant
        qtbot.addWidget(dialog)
        root = dialog
    visited = _tab_walk(qtbot, first)
    assert len(visited) > 4
    assert _in_reading_order(root, visited) == []
