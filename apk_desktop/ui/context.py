"""What every screen needs: the open database, the current project and the dialog seam."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from apk_desktop.ui.prompter import Prompter

if TYPE_CHECKING:  # SQLAlchemy stays out of start-up until the window is on screen
    from apk_desktop.db.database import Database


class DataEvents(QObject):
    """Broadcast after a successful write, so other screens refresh what they show."""

    changed = Signal(str)  # what changed: "project", "roster", "plans", ...
    # Ask the main window to show a page and the record on it: (page key, record id).
    # The page gets ``open_record(record_id)`` called if it has that method.
    open_record = Signal(str, int)


@dataclass
class AppContext:
    db: Database
    project_id: int
    prompter: Prompter = field(default_factory=Prompter)
    events: DataEvents = field(default_factory=DataEvents)
