"""The "Tisk" screen: every printable document in one list of actions.

A print is a ``PrintAction`` in ``PRINT_ACTIONS``: a title, a short description, the options it
uses (only those are enabled while it is selected) and a function that gets the page (its chosen
month, session, assistant, plan, dates and options) and starts the preview. The documents are
built off the GUI thread (``ui.print_actions.Printer``), with the same code the other screens use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services import plans as plan_service
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.sessions import SessionFilter
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ValidationError
from apk_desktop.ui.actions import read, status_day
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import DateField
from apk_desktop.ui.session_printing import SheetPrinter
from apk_desktop.ui.sessions import combo_month, month_combo, month_end

KEY_ROLE = Qt.ItemDataRole.UserRole
# Names of the options an action can use (see PrintPage.options).
MONTH, SESSION, PRIVATE, BLANK_DATE, ASSISTANT, PLAN, AS_OF = (
    "month",
    "session",
    "private",
    "blank_date",
    "assistant",
    "plan",
    "as_of",
)


@dataclass(frozen=True)
class PrintAction:
    key: str
    title: str
    description: str
    run: Callable[[PrintPage], object]
    options: tuple[str, ...] = ()  # what the action reads from the page
    section: str = "Setkání"  # the heading it is listed under


def _session_sheet(page: PrintPage) -> object:
    session_id = page.session_combo.currentData()
    if session_id is None:
        page.ctx.prompter.info(page, "Tisk", "Vyberte setkání, jehož list chcete vytisknout.")
        return None
    return page.printer.session_sheet(session_id, include_private=page.private_note.isChecked())


def _month_batch(page: PrintPage) -> object:
    month = combo_month(page.month_combo)
    return page.printer.month_batch(month.year, month.month) if month else None


def _date(page: PrintPage, field: DateField, name: str) -> tuple[bool, date | None]:
    """(ok, value) of a date option; a bad date is said in a dialog."""
    try:
        return True, field.value(name)
    except ValidationError as exc:
        page.ctx.prompter.warning(page, "Tisk", exc.message)
        return False, None


def _blank(kind: str) -> Callable[[PrintPage], object]:
    def run(page: PrintPage) -> object:
        from apk_desktop.db.services.sessions_print import SheetKind

        ok, day = _date(page, page.blank_date, BLANK_DATE)
        return page.printer.blank_sheet(SheetKind(kind), day) if ok else None

    return run


def _development_plan(page: PrintPage) -> object:
    plan_id = page.plan_combo.currentData()
    if plan_id is None:
        page.ctx.prompter.info(
            page, "Tisk", "Vyberte asistenta a verzi jeho plánu individuálního rozvoje."
        )
        return None
    return page.printer.development_plan(plan_id)


def _as_of(page: PrintPage) -> date | None:
    ok, day = _date(page, page.as_of, AS_OF)
    return day if ok else None


def _assistant_progress(page: PrintPage) -> object:
    assistant_id = page.assistant_combo.currentData()
    if assistant_id is None:
        page.ctx.prompter.info(page, "Tisk", "Vyberte asistenta, jehož pokrok chcete vytisknout.")
        return None
    day = _as_of(page)
    return page.printer.assistant_progress(assistant_id, day) if day else None


def _team_progress(page: PrintPage) -> object:
    day = _as_of(page)
    return page.printer.team_progress(day) if day else None


PLANS_AND_PROGRESS = "Plány rozvoje a pokrok"
PRINT_ACTIONS: list[PrintAction] = [
    PrintAction(
        "session",
        "List vybraného setkání",
        "Prezenční listina, nebo záznam ze supervize či z mentoringu.",
        _session_sheet,
        (MONTH, SESSION, PRIVATE),
    ),
    PrintAction(
        "month",
        "Všechny listy za měsíc",
        "Listy všech setkání zvoleného měsíce v jednom PDF.",
        _month_batch,
        (MONTH,),
    ),
    PrintAction(
        "blank_attendance",
        "Prázdná prezenční listina",
        "Pro neplánované školení – vyplní se ručně.",
        _blank("attendance"),
        (BLANK_DATE,),
    ),
    PrintAction(
        "blank_supervision",
        "Prázdný záznam ze supervize",
        "Pro neplánovanou supervizi – vyplní se ručně.",
        _blank("supervision"),
        (BLANK_DATE,),
    ),
    PrintAction(
        "blank_mentoring",
        "Prázdný záznam z mentoringu",
        "Pro neplánovaný mentoring – vyplní se ručně.",
        _blank("mentoring"),
        (BLANK_DATE,),
    ),
    PrintAction(
        "idp",
        "Plán individuálního rozvoje",
        "Zvolená verze plánu asistenta, s podpisy asistenta a mentora.",
        _development_plan,
        (ASSISTANT, PLAN),
        PLANS_AND_PROGRESS,
    ),
    PrintAction(
        "progress_assistant",
        "Přehled pokroku – asistent",
        "Hodnocení asistenta: první a poslední úroveň v každé oblasti, splnění cíle 1.",
        _assistant_progress,
        (ASSISTANT, AS_OF),
        PLANS_AND_PROGRESS,
    ),
    PrintAction(
        "progress_team",
        "Přehled pokroku – tým",
        "Celý tým: zlepšení v oblastech, splnění cíle 1 a hodnocení, která to dokládají.",
        _team_progress,
        (AS_OF,),
        PLANS_AND_PROGRESS,
    ),
]


class PrintPage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        actions: list[PrintAction] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.today: Callable[[], date] = today or (lambda: status_day(ctx))
        today = self.today
        self.printer = SheetPrinter(self, ctx)
        self.print_actions = actions if actions is not None else PRINT_ACTIONS
        info = read(ctx, lambda s: project_service.get_project_info(s, ctx.project_id))

        self.month_combo = month_combo(info.period_start, info.period_end)
        index = self.month_combo.findData(today().replace(day=1).isoformat())
        self.month_combo.setCurrentIndex(max(index, 0))
        self.session_combo = QComboBox()
        self.session_combo.setPlaceholderText("– v tomto měsíci žádné setkání –")
        self.private_note = QCheckBox("Tisknout i důvěrnou poznámku (jen na výslovné přání)")
        self.blank_date = DateField(required=False)
        self.assistant_combo = QComboBox()
        self.assistant_combo.setObjectName("print_assistant")
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("print_plan")
        self.as_of = DateField(today())  # the one "as of" day: today within the period
        for combo in (self.month_combo, self.session_combo, self.assistant_combo, self.plan_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(36)
        self.month_combo.setMinimumContentsLength(10)
        self.month_combo.currentIndexChanged.connect(self.load_sessions)
        self.assistant_combo.currentIndexChanged.connect(self.load_plans)

        options = QGroupBox("Údaje pro tisk")
        form = QFormLayout(options)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        rows: list[tuple[str, str, QWidget]] = [
            (MONTH, "Měsíc", self.month_combo),
            (SESSION, "Setkání", self.session_combo),
            (PRIVATE, "", self.private_note),
            (BLANK_DATE, "Datum prázdného listu", self.blank_date),
            (ASSISTANT, "Asistent", self.assistant_combo),
            (PLAN, "Plán / verze", self.plan_combo),
            (AS_OF, "Stav ke dni", self.as_of),
        ]
        self.options: dict[str, tuple[QWidget, ...]] = {}
        for name, label, widget in rows:
            form.addRow(label, widget)
            caption = form.labelForField(widget)
            self.options[name] = (widget, caption) if caption is not None else (widget,)
        run = QPushButton("Zobrazit náhled a tisknout…")
        run.setToolTip("Sestavit vybrané tiskopisy a zobrazit je k tisku nebo uložení do PDF")
        run.setObjectName("print_run")
        run.setDefault(True)
        run.clicked.connect(self.run_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(run)
        right = QVBoxLayout()
        right.addWidget(options)
        right.addLayout(buttons)
        right.addStretch(1)

        self.list = QListWidget()
        self.list.setObjectName("print_actions")
        self.list.setMinimumWidth(380)
        self.list.setSpacing(3)
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fill_list()
        self.list.currentItemChanged.connect(lambda *_: self._action_changed())
        self.list.itemActivated.connect(lambda _item: self.run_selected())
        chooser = QVBoxLayout()
        chooser.addWidget(QLabel("<b>Co tisknout</b>"))
        chooser.addWidget(self.list, 1)

        columns = QHBoxLayout()
        columns.addLayout(chooser, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Tisk</h2>"))
        layout.addLayout(columns, 1)
        self.load_sessions()
        self.load_assistants()
        self.select(self.print_actions[0].key if self.print_actions else "")

    def _fill_list(self) -> None:
        """The actions under their section headings (headings can't be selected)."""
        section = None
        bold = QFont(self.list.font())
        bold.setBold(True)
        for action in self.print_actions:
            if action.section != section:
                section = action.section
                heading = QListWidgetItem(section)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setFont(bold)
                heading.setForeground(self.palette().windowText())
                self.list.addItem(heading)
            item = QListWidgetItem(f"{action.title}\n    {action.description}")
            item.setData(KEY_ROLE, action.key)
            item.setToolTip(action.description)
            self.list.addItem(item)

    # ---- which action ----------------------------------------------------------------------

    def selected_action(self) -> PrintAction | None:
        item = self.list.currentItem()
        key = item.data(KEY_ROLE) if item is not None else None
        return next((a for a in self.print_actions if a.key == key), None)

    def select(self, key: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(KEY_ROLE) == key:
                self.list.setCurrentRow(row)
                self._action_changed()
                return True
        return False

    def _action_changed(self) -> None:
        """Enable the options the selected action uses; grey out the others."""
        action = self.selected_action()
        used = set(action.options) if action else set()
        for name, widgets in self.options.items():
            for widget in widgets:
                widget.setEnabled(name in used)

    # ---- the options' contents -------------------------------------------------------------

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
        if rows:  # (with a placeholder text the combo would stay without a choice)
            self.session_combo.setCurrentIndex(0)

    def load_assistants(self) -> None:
        """Everyone of the project (those who left too: their plans and progress still print)."""
        keep = self.assistant_combo.currentData()
        people = read(
            self.ctx,
            lambda s: roster.list_assistants(
                s, self.ctx.project_id, self.today(), include_archived=True
            ),
        )
        self.assistant_combo.blockSignals(True)
        self.assistant_combo.clear()
        for person in people:
            if person.position_number is not None:
                suffix = f" (pozice {person.position_number})"
            else:
                suffix = " (již nepracuje)"
            self.assistant_combo.addItem(person.sort_name + suffix, person.id)
        index = self.assistant_combo.findData(keep) if keep is not None else -1
        self.assistant_combo.setCurrentIndex(max(index, 0) if people else -1)
        self.assistant_combo.blockSignals(False)
        self.load_plans()

    def select_assistant(self, assistant_id: int) -> bool:
        index = self.assistant_combo.findData(assistant_id)
        if index >= 0:
            self.assistant_combo.setCurrentIndex(index)
        return index >= 0

    def load_plans(self) -> None:
        """The chosen assistant's plans, every version, newest first."""
        keep = self.plan_combo.currentData()
        assistant_id = self.assistant_combo.currentData()
        summaries = (
            read(self.ctx, lambda s: plan_service.list_plans(s, assistant_id))
            if assistant_id is not None
            else []
        )
        self.plan_combo.clear()
        for summary in summaries:
            self.plan_combo.addItem(summary.label, summary.id)
        if not summaries:
            self.plan_combo.addItem("– žádný plán –", None)
        index = self.plan_combo.findData(keep) if keep is not None else -1
        self.plan_combo.setCurrentIndex(max(index, 0))

    def refresh(self) -> None:
        current = self.session_combo.currentData()
        self.load_sessions()
        index = self.session_combo.findData(current)
        if index >= 0:
            self.session_combo.setCurrentIndex(index)
        self.load_assistants()

    # ---- running ---------------------------------------------------------------------------

    def run(self, key: str) -> object:
        action = next(a for a in self.print_actions if a.key == key)
        return action.run(self)

    def run_selected(self) -> object:
        action = self.selected_action()
        return action.run(self) if action is not None else None
