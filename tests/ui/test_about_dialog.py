"""O aplikaci: the version, data folder, database, log and versions underneath, copied for a
support e-mail; a server database's password is never shown."""

from __future__ import annotations

import platform
from pathlib import Path
from types import SimpleNamespace

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import make_url

from apk_desktop import __version__, paths
from apk_desktop.db.database import Database
from apk_desktop.ui.about_dialog import AboutDialog
from apk_desktop.ui.main_window import MainWindow

SERVER_URL = "postgresql+psycopg://mentorka:Tajne-Heslo-42@db.mesto.local:5432/apk"


def _open_about(qtbot: QtBot, window: MainWindow) -> AboutDialog:
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _shown_text(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_about_names_version_folders_database_and_libraries(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    dialog = _open_about(qtbot, main_window)
    assert dialog.windowTitle() == "O aplikaci"
    shown = _shown_text(dialog)
    assert f"APK Desktop {__version__}" in shown
    assert "Evidence mentora asistentů prevence kriminality" in shown
    assert "Licence MIT" in shown
    values = {label: field.text() for label, field in dialog.values.items()}
    assert values["Složka dat"] == str(paths.data_dir())
    assert values["Databáze"] == main_window.ctx.db.display_name
    assert values["Protokol"] == str(paths.logs_dir() / "apk-desktop.log")
    assert values["Python"] == platform.python_version()
    assert values["Qt"] == qVersion()
    assert values["PySide6"] == PySide6.__version__
    assert values["Systém"]


def test_copy_puts_every_fact_on_the_clipboard(qtbot: QtBot, main_window: MainWindow) -> None:
    dialog = _open_about(qtbot, main_window)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0] == f"APK Desktop {__version__}"
    assert f"Složka dat: {paths.data_dir()}" in lines
    assert f"Databáze: {main_window.ctx.db.display_name}" in lines
    assert f"Protokol: {paths.logs_dir() / 'apk-desktop.log'}" in lines
    assert f"Qt: {qVersion()}" in lines and f"PySide6: {PySide6.__version__}" in lines
    assert "Údaje jsou ve schránce" in dialog.copied.text()


def test_buttons_open_the_data_folder_and_close(qtbot: QtBot, main_window: MainWindow) -> None:
    opened: list[QUrl] = []
    main_window.open_url = lambda url: opened.append(url) or True
    dialog = _open_about(qtbot, main_window)
    assert [b.text() for b in (dialog.copy_button, dialog.folder_button, dialog.close_button)] == [
        "Kopírovat údaje",
        "Otevřít složku dat",
        "Zavřít",
    ]
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [paths.data_dir()]
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)


class ServerDatabase(Database):
    """A PostgreSQL database as the status bar and O aplikaci see it (no driver needed)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = SimpleNamespace(  # type: ignore[assignment]
            url=make_url(url), dialect=SimpleNamespace(name="postgresql")
        )


def test_a_server_database_is_named_without_its_password(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    main_window.ctx.db = ServerDatabase(SERVER_URL)
    dialog = _open_about(qtbot, main_window)
    assert "db.mesto.local" in dialog.values["Databáze"].text()
    assert "mentorka" in dialog.values["Databáze"].text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    for text in (_shown_text(dialog), QGuiApplication.clipboard().text()):
        assert "Tajne-Heslo-42" not in text


def test_in_the_demo_the_demo_folder_is_named(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    demo = tmp_path / "ukazka"
    paths.use_data_dir(demo)
    try:
        dialog = _open_about(qtbot, main_window)
    finally:
        paths.use_data_dir(None)
    assert dialog.values["Složka dat"].text() == str(demo)
