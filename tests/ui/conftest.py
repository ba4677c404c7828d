"""UI fixtures: a scripted Prompter and a main window over the test database."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from apk_desktop.db.database import Database
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.prompter import Prompter


class ScriptedPrompter(Prompter):
    """Answers dialogs from queues; records every message shown."""

    def __init__(self) -> None:
        self.confirm_answers: deque[bool] = deque()
        self.file_answers: deque[str | None] = deque()
        self.files_answers: deque[list[str]] = deque()
        self.choice_answers: deque[bool] = deque()
        self.messages: list[tuple[str, str]] = []
        self.choices: list[tuple[str, str]] = []  # the two buttons of each ``choose``
        self.suggested_names: list[str] = []  # what each save dialog proposed

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.messages.append((title, text))
        return self.confirm_answers.popleft() if self.confirm_answers else True

    def choose(
        self, parent: QWidget | None, title: str, text: str, accept: str, reject: str
    ) -> bool:
        self.messages.append((title, text))
        self.choices.append((accept, reject))
        return self.choice_answers.popleft() if self.choice_answers else True

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append((title, text))

    def warning(self, parent: QWidget | None, title: str, text: str) -> None:
        self.messages.append((title, text))

    def open_file(self, parent: QWidget | None, title: str, filter_: str = "") -> str | None:
        return self.file_answers.popleft() if self.file_answers else None

    def open_files(self, parent: QWidget | None, title: str, filter_: str = "") -> list[str]:
        return self.files_answers.popleft() if self.files_answers else []

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str = "", filter_: str = ""
    ) -> str | None:
        self.suggested_names.append(suggested)
        return self.file_answers.popleft() if self.file_answers else None

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> str | None:
        return self.file_answers.popleft() if self.file_answers else None


@pytest.fixture
def prompter() -> ScriptedPrompter:
    return ScriptedPrompter()


@pytest.fixture
def ctx(db: Database, project_id: int, prompter: ScriptedPrompter) -> AppContext:
    return AppContext(db=db, project_id=project_id, prompter=prompter)


@pytest.fixture
def main_window(qtbot: QtBot, ctx: AppContext) -> Iterator[MainWindow]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    yield window
