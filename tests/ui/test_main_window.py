from __future__ import annotations

from pytestqt.qtbot import QtBot

from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pages import PAGES


def test_navigation_lists_every_screen_in_czech(main_window: MainWindow) -> None:
    titles = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert titles == [p.title for p in PAGES]
    assert "Vzdělávání a supervize" in titles


def test_status_bar_names_the_open_database(main_window: MainWindow) -> None:
    assert "test.sqlite3" in main_window.db_label.text()


def test_every_page_opens(qtbot: QtBot, main_window: MainWindow) -> None:
    for spec in PAGES:
        widget = main_window.show_page(spec.key)
        assert main_window.stack.currentWidget() is widget
