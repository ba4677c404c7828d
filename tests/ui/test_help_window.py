"""The user guide inside the app: F1 and Nápověda → Uživatelská příručka open it at the chapter
of the current screen; links between chapters, to headings and to the web work; every picture
loads and fits the window; the window is built only when first asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from apk_desktop import guide, paths
from apk_desktop.ui.help_window import HelpWindow
from apk_desktop.ui.main_window import MainWindow


def _help(window: MainWindow) -> HelpWindow:
    assert window.help_window is not None
    return window.help_window


@pytest.fixture
def help_window(qtbot: QtBot) -> HelpWindow:
    window = HelpWindow()
    qtbot.addWidget(window)
    window.resize(1100, 680)
    window.show()
    qtbot.waitExposed(window)
    return window


def _click_text(qtbot: QtBot, window: HelpWindow, text: str) -> None:
    """A real mouse click on the first occurrence of ``text`` in the shown chapter."""
    browser = window.browser
    found = browser.document().find(text)
    assert not found.isNull(), text
    middle = QTextCursor(found)
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    browser.setTextCursor(middle)
    browser.ensureCursorVisible()
    point: QPoint = browser.cursorRect(middle).center()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_f1_opens_the_chapter_of_the_current_screen(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.show_page("backups")
    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: main_window.help_window is not None)
    help_window = _help(main_window)
    qtbot.addWidget(help_window)
    assert help_window.isVisible()
    assert help_window.current_file() == "05-zalohy-a-obnova.md"
    assert help_window.chapters.currentItem().text() == "5. Zálohy a obnova"

    main_window.show_page("sessions")
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    assert _help(main_window) is help_window  # one window, reused
    assert help_window.current_file() == "02-mesic-prace.md"


def test_the_help_menu_offers_the_guide_with_f1(main_window: MainWindow) -> None:
    help_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "&Nápověda")
    first = help_menu.actions()[0]
    assert first is main_window.guide_action
    assert first.text() == "&Uživatelská příručka"
    assert first.shortcut().toString() == "F1"


def test_f1_opens_the_section_of_a_screen_within_its_chapter(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    main_window.show_page("settings")
    main_window.show_help()
    help_window = _help(main_window)
    qtbot.addWidget(help_window)
    qtbot.waitExposed(help_window)
    browser = help_window.browser
    assert help_window.current_file() == "01-prvni-spusteni.md"
    heading = browser.document().find("Nastavení projektu a logo EU")
    top = browser.cursorRect(QTextCursor(heading)).top()
    assert browser.verticalScrollBar().value() > 0
    assert 0 <= top < browser.viewport().height() // 3  # the section starts at the top


def test_a_link_to_another_chapter_opens_it_and_back_returns(
    qtbot: QtBot, help_window: HelpWindow
) -> None:
    help_window.open_place(guide.Place(guide.INDEX))
    _click_text(qtbot, help_window, "Zálohy a obnova")
    qtbot.waitUntil(lambda: help_window.current_file() == "05-zalohy-a-obnova.md")
    assert help_window.chapters.currentItem().text() == "5. Zálohy a obnova"
    assert help_window.back_action.isEnabled()
    help_window.back_action.trigger()
    assert help_window.current_file() == guide.INDEX
    assert help_window.forward_action.isEnabled()


def test_a_link_to_a_heading_scrolls_to_it(qtbot: QtBot, help_window: HelpWindow) -> None:
    help_window.open_place(guide.Place("02-mesic-prace.md"))
    browser = help_window.browser
    assert browser.verticalScrollBar().value() == 0
    _click_text(qtbot, help_window, "hodiny podle oblastí")
    qtbot.waitUntil(lambda: browser.verticalScrollBar().value() > 0)
    case = QTextDocument.FindFlag.FindCaseSensitively
    tab_name = browser.document().find("Hodiny podle oblastí", 0, case)
    heading = browser.document().find("Hodiny podle oblastí", tab_name, case)  # its own section
    assert 0 <= browser.cursorRect(QTextCursor(heading)).top() < browser.viewport().height()


def test_every_chapter_and_its_pictures_load(help_window: HelpWindow) -> None:
    shown = 0
    for chapter in guide.CHAPTERS:
        help_window.open_place(guide.Place(chapter.file))
        assert help_window.current_file() == chapter.file
        assert help_window.browser.document().toPlainText().strip()
        for name in help_window.browser.image_names():
            image = help_window.browser.document().resource(
                QTextDocument.ResourceType.ImageResource.value, QUrl(name)
            )
            assert image is not None and not image.isNull(), name
            shown += 1
    assert shown >= 15
    assert help_window.browser.missing == []


def test_a_missing_picture_is_noticed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "index.md").write_text("# Příručka\n\n![chybí](img/neni.png)\n", encoding="utf-8")
    monkeypatch.setattr(paths, "guide_dir", lambda: tmp_path)
    window = HelpWindow()
    qtbot.addWidget(window)
    window.open_place(guide.Place(guide.INDEX))
    window.show()
    qtbot.waitExposed(window)
    assert window.browser.missing == [QUrl.fromLocalFile(str(tmp_path / "img/neni.png")).toString()]


def test_pictures_are_scaled_down_to_the_window_never_up(
    qtbot: QtBot, help_window: HelpWindow
) -> None:
    help_window.resize(900, 600)
    help_window.open_place(guide.Place("02-mesic-prace.md"))
    browser = help_window.browser
    qtbot.waitUntil(lambda: browser.document().size().width() <= browser.viewport().width())
    assert browser.horizontalScrollBar().maximum() == 0  # nothing sticks out sideways
    widths = _image_widths(browser.document())
    assert widths["img/setkani.png"] < 1280  # a whole window, scaled down
    assert widths["img/dochazka.png"] <= 900


def _image_widths(document: QTextDocument) -> dict[str, float]:
    widths = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            char_format = it.fragment().charFormat()
            if char_format.isImageFormat():
                image_format = char_format.toImageFormat()
                widths[image_format.name()] = image_format.width()
            it += 1
        block = block.next()
    return widths


def test_web_links_open_in_the_system_browser(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "index.md").write_text(
        "# Příručka\n\nViz [web programu](https://example.org/opz).\n", encoding="utf-8"
    )
    monkeypatch.setattr(paths, "guide_dir", lambda: tmp_path)
    window = HelpWindow()
    qtbot.addWidget(window)
    opened: list[QUrl] = []
    window.open_url = lambda url: opened.append(url) or True
    window.resize(800, 500)
    window.open_place(guide.Place(guide.INDEX))
    window.show()
    qtbot.waitExposed(window)
    _click_text(qtbot, window, "web programu")
    assert opened == [QUrl("https://example.org/opz")]
    assert window.current_file() == guide.INDEX  # the guide stays where it was


def test_without_the_guide_files_the_window_says_so(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Path:
        raise FileNotFoundError("user guide not found")

    monkeypatch.setattr(paths, "guide_dir", missing)
    window = HelpWindow()
    qtbot.addWidget(window)
    window.show_for_page("backups")
    assert "Příručka nebyla nalezena" in window.browser.toPlainText()


def test_the_main_window_starts_without_the_help_window(tmp_path: Path, db_url: str) -> None:
    """The guide window (and its module) is built on the first F1, not at start-up."""
    env = {**os.environ, "APK_DESKTOP_DATA_DIR": str(tmp_path / "data")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from apk_desktop.app import build_main_window\n"
        f"window = build_main_window({db_url!r})\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print('apk_desktop.ui.help_window' in sys.modules, window.help_window is None)\n"
        "window.guide_action.trigger()\n"
        "print('apk_desktop.ui.help_window' in sys.modules, window.help_window.isVisible())\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    assert run.stdout.split() == ["False", "True", "True", "True"]
