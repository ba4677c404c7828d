from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from apk_desktop.app import acquire_single_instance_lock, build_main_window
from apk_desktop.domain.errors import ConflictError
from apk_desktop.paths import DB_ENV, default_db_path, resolve_db_url
from apk_desktop.ui.error_presenter import UNEXPECTED_TEXT, message_box_for


def test_second_instance_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    first = acquire_single_instance_lock(tmp_path)
    assert first is not None
    try:
        assert acquire_single_instance_lock(tmp_path) is None
    finally:
        first.unlock()
    again = acquire_single_instance_lock(tmp_path)
    assert again is not None
    again.unlock()


def test_db_option_env_and_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_db_url(None) == f"sqlite:///{default_db_path().resolve()}"
    target = tmp_path / "jinde" / "apk.sqlite3"
    assert resolve_db_url(str(target)) == f"sqlite:///{target.resolve()}"
    assert target.parent.is_dir()
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.sqlite3"))
    assert resolve_db_url(None).endswith("env.sqlite3")
    assert resolve_db_url(str(target)).endswith("apk.sqlite3")  # --db wins over the variable
    url = "postgresql+psycopg://mentor@db.example.cz/apk"
    assert resolve_db_url(url) == url
    monkeypatch.setenv(DB_ENV, url)
    assert resolve_db_url(None) == url


def test_unexpected_error_box_has_details(qtbot: QtBot) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        box = message_box_for(None, exc)
    qtbot.addWidget(box)
    assert box.text() == UNEXPECTED_TEXT
    assert box.icon() == QMessageBox.Icon.Critical
    assert "RuntimeError: boom" in box.detailedText()


def test_expected_error_box_is_plain(qtbot: QtBot) -> None:
    box = message_box_for(None, ConflictError("Pozice je obsazená."))
    qtbot.addWidget(box)
    assert box.text() == "Pozice je obsazená."
    assert box.detailedText() == ""


def test_build_main_window_on_a_new_database(qtbot: QtBot, tmp_path: Path) -> None:
    window = build_main_window(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    qtbot.addWidget(window)
    try:
        assert window.ctx.project_id > 0
        assert "new.sqlite3" in window.db_label.text()
    finally:
        window.ctx.db.dispose()
