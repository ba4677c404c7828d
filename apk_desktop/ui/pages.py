"""The screens of the left-hand navigation, in order. Each issue replaces its placeholder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from apk_desktop.ui.context import AppContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: Callable[[AppContext], QWidget] | None = None  # None: "připravujeme"


class PlaceholderPage(QWidget):
    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>Tuto část připravujeme.</p>")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)


PAGES: list[PageSpec] = [
    PageSpec("dashboard", "Přehled"),
    PageSpec("assistants", "Asistenti"),
    PageSpec("plans", "Plány rozvoje"),
    PageSpec("assessments", "Hodnocení"),
    PageSpec("sessions", "Vzdělávání a supervize"),
    PageSpec("print", "Tisk"),
    PageSpec("backups", "Zálohy"),
    PageSpec("settings", "Nastavení"),
]
