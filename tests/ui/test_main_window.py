from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pages import PAGES, PageSpec
from tests.backends import db_name


def test_navigation_lists_every_screen_in_czech(main_window: MainWindow) -> None:
    titles = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert titles == [p.title for p in PAGES]
    assert "Vzdělávání a supervize" in titles


def test_status_bar_names_the_open_database(main_window: MainWindow, db_url: str) -> None:
    assert db_name(db_url) in main_window.db_label.text()


def test_a_long_database_path_gives_way_in_the_status_bar(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    """At 1280x720, in the demo (its button in the status bar), the project and the backup
    status stay whole; the path is elided in the middle (the whole of it in the tooltip)."""
    long_path = "Databáze: C:\\Users\\mentor\\AppData\\Local\\APK Desktop\\ukazka\\apk.sqlite3"
    main_window.db_label.setText(long_path)
    main_window.statusBar().addPermanentWidget(QPushButton("Začít naostro…"))
    backup = main_window.backup_controller.label
    assert backup is not None
    backup.setText("Poslední záloha: 16.02.2026 09:05")
    main_window.resize(1280, 720)
    qtbot.waitUntil(lambda: main_window.width() == 1280)
    project = main_window.project_label
    assert project.width() >= project.sizeHint().width()
    assert backup.width() >= backup.sizeHint().width()
    assert main_window.db_label.text() == main_window.db_label.toolTip() == long_path


def test_every_page_opens(qtbot: QtBot, main_window: MainWindow) -> None:
    for spec in PAGES:
        widget = main_window.show_page(spec.key)
        assert main_window.stack.currentWidget() is widget


def test_open_record_shows_the_page_and_passes_the_id(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    page = main_window.page("settings")
    monkeypatch.setattr(page, "open_record", opened.append, raising=False)
    main_window.ctx.events.open_record.emit("settings", 7)
    assert main_window.stack.currentWidget() is page
    assert opened == [7]


@pytest.mark.parametrize("key", ["dashboard", "assistants", "assessments", "sessions", "backups"])
def test_screens_have_a_page_title(main_window: MainWindow, key: str) -> None:
    page = main_window.show_page(key)
    titles = [label.text() for label in page.findChildren(QLabel) if "<h2>" in label.text()]
    assert titles, f"{key} has no page title"


def _counting_refreshes(spec: PageSpec, calls: list[str]) -> PageSpec:
    def build(ctx: AppContext) -> QWidget:
        assert spec.factory is not None
        page = spec.factory(ctx)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            page.refresh = lambda: (calls.append(spec.key), refresh())  # type: ignore[attr-defined]
        return page

    return replace(spec, factory=build)


@pytest.mark.parametrize("key", [p.key for p in PAGES])
def test_a_page_loads_its_data_once_when_first_opened(
    qtbot: QtBot, ctx: AppContext, key: str
) -> None:
    calls: list[str] = []
    window = MainWindow(ctx, pages=[_counting_refreshes(p, calls) for p in PAGES])
    qtbot.addWidget(window)
    window.show_page(key)
    assert key not in calls, f"{key} loads its data again right after it was built"
    window.show_page("settings" if key == "dashboard" else "dashboard")
    window.show_page(key)
    if callable(getattr(window.page(key), "refresh", None)):
        assert calls.count(key) == 1, "a page shown again reloads once"
