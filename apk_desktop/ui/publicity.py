"""The notice that the printed sheets do not (yet) meet the EU publicity rules: no logolink,
or one that will not print well. Nastavení shows it beside the logo field, Přehled at the top."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from apk_desktop.sheets.logolink import LogolinkCheck, publicity_notice

NOTICE_STYLE = """
QFrame#publicity_notice { background: #fff4d6; border: 1px solid #d9a93a; border-radius: 4px; }
QFrame#publicity_notice QLabel { color: #4d3300; }
"""
HEADING = "Pravidla publicity EU"


class PublicityNotice(QFrame):
    """Hidden while the logolink is fine; otherwise what is wrong and how to fix it."""

    def __init__(self, button_text: str = "", action: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.setObjectName("publicity_notice")
        self.setStyleSheet(NOTICE_STYLE)
        self.label = QLabel()
        self.label.setObjectName("publicity_text")
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        self.message = ""  # the notice as plain text, "" while hidden
        self.button: QPushButton | None = None
        if action is not None:
            self.button = QPushButton(button_text)
            self.button.setObjectName("publicity_action")
            self.button.clicked.connect(action)
            layout.addWidget(self.button)
        self.hide()

    def show_check(self, check: LogolinkCheck | None) -> None:
        """Show the notice for ``check`` (None: the project has no logolink), or hide it."""
        self.message = publicity_notice(check)
        self.label.setText(f"<b>{HEADING}:</b> {html.escape(self.message)}")
        self.setVisible(bool(self.message))
