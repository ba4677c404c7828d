"""The "Tisk" screen: every printable document in one list of actions.

Other screens' prints (development plan, progress summary) are added by appending a
``PrintAction`` to ``PRINT_ACTIONS``: a title, a short description and a function that gets the
page (its chosen month, session, date and options) and shows the preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.sessions import SessionFilter
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ValidationError
from apk_desktop.ui.actions import read
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import DateField
from apk_desktop.ui.session_printing import SheetPrinter
from apk_desktop.ui.sessions import combo_month, month_combo, month_end


@dataclass(frozen=True)
class PrintAction:
    key: str
    title: str
    description: str
    run: Callable[[PrintPage], object]


def _session_sheet(page: PrintPage) -> object:
    session_id = page.session_combo.currentData()
    if session_id is None:
        page.ctx.prompter.info(page, "Tisk", "Vyberte setkání, jehož list chcete vytisknout.")
        return None
    return page.printer.session_sheet(session_id, include_private=page.private_note.isChecked())


def _month_batch(page: PrintPage) -> object:
    month = combo_month(page.month_combo)
    return page.printer.month_batch(month.year, month.month) if month else None


def _blank(kind: str) -> Callable[[PrintPage], object]:
    def run(page: PrintPage) -> object:
        from apk_desktop.sheets.session_sheets import SheetKind

        try:
            day = page.blank_date.value("blank_date")
        except ValidationError as exc:
            page.ctx.prompter.warning(page, "Tisk", exc.message)
            return None
        return page.printer.blank_sheet(SheetKind(kind), day)

    return run


PRINT_ACTIONS: list[PrintAction] = [
    PrintAction(
        "session",
        "List vybraného setkání",
        "Prezenční listina, nebo záznam ze supervize či z mentoringu, podle druhu setkání.",
        _session_sheet,
    ),
    PrintAction(
        "month",
        "Všechny listy za měsíc",
        "Listy všech setkání zvoleného měsíce v jednom PDF.",
        _month_batch,
    ),
    PrintAction(
        "blank_attendance",
        "Prázdná prezenční listina",
        "Pro neplánované školení – vyplní se ručně.",
        _blank("attendance"),
    ),
    PrintAction(
        "blank_supervision",
        "Prázdný záznam ze supervize",
        "Pro neplánovanou supervizi – vyplní se ručně.",
        _blank("supervision"),
    ),
    PrintAction(
        "blank_mentoring",
        "Prázdný záznam z mentoringu",
        "Pro neplánovaný mentoring – vyplní se ručně.",
        _blank("mentoring"),
    ),
]


class PrintPage(QWidget):
    def __init__(self, ctx: AppContext, actions: list[PrintAction] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.printer = SheetPrinter(self, ctx)
        self.print_actions = actions if actions is not None else PRINT_ACTIONS
        info = read(ctx, lambda s: project_service.get_project_info(s, ctx.project_id))

        self.month_combo = month_combo(info.period_start, info.period_end)
        index = self.month_combo.findData(date.today().replace(day=1).isoformat())
        self.month_combo.setCurrentIndex(max(index, 0))
        self.session_combo = QComboBox()
        self.session_combo.setMinimumWidth(420)
        self.private_note = QCheckBox("Tisknout i důvěrnou poznámku (jen na výslovné přání)")
        self.blank_date = DateField(required=False)
        self.month_combo.currentIndexChanged.connect(self.load_sessions)

        options = QGroupBox("Co tisknout")
        form = QFormLayout(options)
        form.addRow("Měsíc", self.month_combo)
        form.addRow("Setkání", self.session_combo)
        form.addRow("", self.private_note)
        form.addRow("Datum prázdného listu", self.blank_date)

        self.list = QListWidget()
        self.list.setObjectName("print_actions")
        self.list.setSpacing(4)
        for action in self.print_actions:
            item = QListWidgetItem(f"{action.title}\n    {action.description}")
            item.setToolTip(action.description)
            self.list.addItem(item)
        self.list.itemActivated.connect(lambda _item: self.run_selected())
        self.list.setCurrentRow(0)
        run = QPushButton("Zobrazit náhled a tisknout…")
        run.clicked.connect(self.run_selected)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Tisk</h2>"))
        layout.addWidget(options)
        layout.addWidget(self.list, 1)
        layout.addWidget(run)
        self.load_sessions()

    def load_sessions(self) -> None:
        """The chosen month's sessions, oldest first."""
        month = combo_month(self.month_combo)
        self.session_combo.clear()
        if month is None:
            return
        filters = SessionFilter(date_from=month, date_to=month_end(month))
        rows = read(
            self.ctx, lambda s: session_service.list_sessions(s, self.ctx.project_id, filters)
        )
        for row in reversed(rows):
            self.session_combo.addItem(
                f"{format_date(row.date)} {row.time_text} – {row.kind_label}: {row.topic}", row.id
            )

    def refresh(self) -> None:
        current = self.session_combo.currentData()
        self.load_sessions()
        index = self.session_combo.findData(current)
        if index >= 0:
            self.session_combo.setCurrentIndex(index)

    def run(self, key: str) -> object:
        action = next(a for a in self.print_actions if a.key == key)
        return action.run(self)

    def run_selected(self) -> object:
        row = self.list.currentRow()
        return self.print_actions[row].run(self) if 0 <= row < len(self.print_actions) else None
