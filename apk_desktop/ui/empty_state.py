"""What an empty list shows instead of blank space: a short Czech hint and a button for the
next step ("Přidejte asistenty…" → Asistenti)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

HINT_STYLE = "color: #444444; font-size: 11pt;"


class EmptyState(QWidget):
    """A hint with an optional button; a page shows it while its list is empty."""

    def __init__(
        self,
        text: str = "",
        button_text: str = "",
        action: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("empty_state")
        self.label = QLabel()
        self.label.setObjectName("empty_hint")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet(HINT_STYLE)
        self.button = QPushButton()
        self.button.setObjectName("empty_action")
        self.button.clicked.connect(self._run)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self._action: Callable[[], object] | None = None
        self.set_step(text, button_text, action)

    def set_step(
        self, text: str, button_text: str = "", action: Callable[[], object] | None = None
    ) -> None:
        """The hint and the next step's button (hidden without an action)."""
        self.label.setText(text)
        self.button.setText(button_text)
        self._action = action
        self.button.setVisible(action is not None)

    def _run(self) -> None:
        if self._action is not None:
            self._action()


def show_page(widget: QWidget, key: str) -> QWidget | None:
    """Ask the main window to show the page ``key`` (None outside the main window)."""
    opener = getattr(widget.window(), "show_page", None)
    result = opener(key) if callable(opener) else None
    return result if isinstance(result, QWidget) else None


def to_roster(widget: QWidget) -> Callable[[], object]:
    """The next step when there is nobody yet: the roster, ready to add an assistant."""
    return lambda: show_page(widget, "assistants")


NO_PEOPLE = "Projekt zatím nemá žádné asistenty. Přidejte je nejdříve na obrazovce Asistenti."
TO_ROSTER = "Přejít na Asistenty…"
