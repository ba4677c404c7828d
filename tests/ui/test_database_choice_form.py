"""The connection form on its own: an answer that comes back after the user changed the values
is not taken for the new values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from apk_desktop.ui.database_choice import DatabaseChoiceForm


def test_an_answer_for_values_edited_meanwhile_is_not_taken(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from apk_desktop.db import connection

    answer = threading.Event()

    def slow_check(url: str) -> connection.ConnectionCheck:
        assert answer.wait(10)
        return connection.ConnectionCheck(True, "Připojení funguje.")

    monkeypatch.setattr(connection, "check_server", slow_check)
    form = DatabaseChoiceForm()
    qtbot.addWidget(form)
    form.server.click()
    form.host.setText("db.mesto.cz")
    form.user.setText("mentor")
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    form.host.setText("jiny-server.mesto.cz")  # typed while the first server is tried
    answer.set()
    qtbot.waitUntil(lambda: form.task is None)
    assert not form.checked_ok and form.status.text() == ""
