"""The shared form-error helper: every message at once, each gone as its field is edited."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from apk_desktop.ui.forms import FieldErrors


def test_all_messages_shown_and_each_cleared_when_its_field_is_edited(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    errors = FieldErrors(QFormLayout(window))
    name, kind = QLineEdit(), QComboBox()
    kind.addItems(["a", "b"])
    errors.add_row("Jméno", "name", name)
    errors.add_row("Druh", "kind", kind)
    errors.show({"name": "Zadejte jméno.", "kind": "Vyberte druh.", "": "Celkově špatně."})
    assert errors.message("name") == "Zadejte jméno."
    assert errors.message("kind") == "Vyberte druh."
    qtbot.keyClicks(name, "Jana")
    assert errors.message("name") == ""
    assert errors.message("kind") == "Vyberte druh."  # not touched yet: still shown
    kind.setCurrentIndex(1)
    assert errors.message("kind") == ""
