"""The "Plány rozvoje" screen: assistants → their plans and versions → the plan editor.

The content of a signed version is frozen: a change of its goals or plan data (after a
confirmation) is saved into a new version, which the screen then selects. Reviews and the final
evaluation are records about the signed plan, so they are added, edited and removed on the newest
version itself, signed or not, without a new version or a confirmation. Older versions only print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import plans, roster
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import AppError
from apk_desktop.domain.plans import PlanData
from apk_desktop.ui.actions import act, status_day
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.empty_state import NO_PEOPLE, TO_ROSTER, EmptyState, to_roster
from apk_desktop.ui.forms import FieldErrors, LimitedTextEdit
from apk_desktop.ui.plan_dialogs import GoalDialog, PlanDialog, ReviewDialog, SignDialog
from apk_desktop.ui.print_actions import Printer
from apk_desktop.ui.window_state import keep_columns, keep_splitter
from apk_desktop.ui.worker import BackgroundTask

GOAL_COLUMNS = ["Oblast", "Cíle", "Plánované aktivity", "Odpovědná osoba", "Termín", "Stav"]
REVIEW_COLUMNS = ["Datum", "Oblast / cíl", "Stav", "Poznámka"]
TITLE = "Plány rozvoje"


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fit_goal_columns(table: QTableWidget) -> None:
    """Short columns sized for their content, the goals take the rest; the user's widths are
    kept. Long texts wrap and the rows grow to show them whole."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, width in enumerate((100, 0, 120, 115, 80, 90)):
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    keep_columns(header, "plan_goals")


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class PlansPage(QWidget):
    def __init__(self, ctx: AppContext, today: Callable[[], date] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today or (lambda: status_day(ctx))
        self.detail: plans.PlanDetail | None = None
        self.printer = Printer(self, ctx)
        # Seams: tests replace these to drive the real dialogs without a modal loop.
        self.run_dialog: Callable[[QDialog], bool] = lambda dialog: (
            dialog.exec() == QDialog.DialogCode.Accepted
        )

        self.assistants = QListWidget()
        self.assistants.setObjectName("plan_assistants")
        self.plans = QListWidget()
        self.plans.setObjectName("plan_versions")
        self.assistants.currentItemChanged.connect(lambda *_: self._assistant_changed())
        self.plans.currentItemChanged.connect(lambda *_: self._plan_changed())

        self.new_button = QPushButton("Nový plán…")
        self.copy_button = QPushButton("Kopírovat jako nový plán…")
        self.new_button.clicked.connect(self.new_plan)
        self.copy_button.clicked.connect(self.copy_plan)
        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(0, 0, 0, 0)
        people_layout.addWidget(QLabel("<b>Asistenti</b>"))
        people_layout.addWidget(self.assistants, 1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(QLabel("<b>Plány a jejich verze</b>"))
        middle_layout.addWidget(self.plans, 1)
        middle_layout.addWidget(self.new_button)
        middle_layout.addWidget(self.copy_button)

        # ---- the editor
        self.header = QLabel()
        self.header.setObjectName("plan_header")
        self.header.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("plan_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4d6; padding: 6px;")
        self.edit_button = QPushButton("Upravit údaje plánu…")
        self.sign_button = QPushButton("Označit jako podepsaný…")
        self.print_button = QPushButton("Tisk / náhled…")
        self.delete_button = QPushButton("Smazat návrh")
        self.edit_button.clicked.connect(self.edit_plan)
        self.sign_button.clicked.connect(self.sign_plan)
        self.print_button.clicked.connect(self.print_plan)
        self.delete_button.clicked.connect(self.delete_plan)
        plan_buttons = QHBoxLayout()
        for button in (self.edit_button, self.sign_button, self.print_button, self.delete_button):
            plan_buttons.addWidget(button)
        plan_buttons.addStretch(1)

        self.goals = _table(GOAL_COLUMNS)
        self.goals.setObjectName("plan_goals")
        _fit_goal_columns(self.goals)
        self.goals.doubleClicked.connect(lambda *_: self.edit_goal())
        self.add_goal_button = QPushButton("Přidat oblast a cíle…")
        self.edit_goal_button = QPushButton("Upravit…")
        self.remove_goal_button = QPushButton("Odebrat")
        self.add_goal_button.clicked.connect(self.add_goal)
        self.edit_goal_button.clicked.connect(self.edit_goal)
        self.remove_goal_button.clicked.connect(self.remove_goal)
        goals_box = QGroupBox("Cíle podle vzdělávacích oblastí")
        goals_layout = QVBoxLayout(goals_box)
        goals_layout.addWidget(self.goals)
        goals_layout.addLayout(
            self._row(self.add_goal_button, self.edit_goal_button, self.remove_goal_button)
        )

        self.reviews = _table(REVIEW_COLUMNS)
        self.reviews.setObjectName("plan_reviews")
        self.reviews.doubleClicked.connect(lambda *_: self.edit_review())
        self.add_review_button = QPushButton("Přidat hodnocení…")
        self.edit_review_button = QPushButton("Upravit…")
        self.remove_review_button = QPushButton("Odebrat")
        self.add_review_button.clicked.connect(self.add_review)
        self.edit_review_button.clicked.connect(self.edit_review)
        self.remove_review_button.clicked.connect(self.remove_review)
        reviews_box = QGroupBox("Průběžná hodnocení")
        reviews_layout = QVBoxLayout(reviews_box)
        reviews_layout.addWidget(self.reviews)
        reviews_layout.addLayout(
            self._row(self.add_review_button, self.edit_review_button, self.remove_review_button)
        )

        self.final_evaluation = LimitedTextEdit("plan.final_evaluation")
        self.final_evaluation.setObjectName("final_evaluation")
        self.final_evaluation.setFixedHeight(80)
        self.final_button = QPushButton("Uložit závěrečné hodnocení")
        self.final_button.clicked.connect(self.save_final_evaluation)
        final_box = QGroupBox("Závěrečné hodnocení")
        final_layout = QVBoxLayout(final_box)
        final_layout.addWidget(self.final_evaluation)
        final_layout.addWidget(self.final_evaluation.counter)
        final_layout.addLayout(self._row(self.final_button))

        self.editor = QWidget()
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.addWidget(self.header)
        editor_layout.addWidget(self.banner)
        editor_layout.addLayout(plan_buttons)
        # the user may give the goals more room (a 1280×720 screen is short); kept
        boxes = QSplitter(Qt.Orientation.Vertical)
        boxes.setObjectName("plan_boxes")
        for box, stretch in ((goals_box, 3), (reviews_box, 1), (final_box, 0)):
            boxes.addWidget(box)
            boxes.setStretchFactor(boxes.count() - 1, stretch)
        keep_splitter(boxes, "plan_boxes")
        editor_layout.addWidget(boxes, 1)
        self.empty = QLabel("Vyberte asistenta a jeho plán, nebo založte nový plán.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.empty)
        right_layout.addWidget(self.editor, 1)

        # assistants above their plans, so the editor gets the width it needs
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(people)
        left.addWidget(middle)
        left.setMinimumWidth(220)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 1000])
        keep_splitter(splitter, "plans")
        self.empty_state = EmptyState(NO_PEOPLE, TO_ROSTER, to_roster(self))
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_state)
        layout.addWidget(splitter)
        ctx.events.changed.connect(self._on_data_changed)
        self.refresh()

    @staticmethod
    def _row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    # ---- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the assistants, keeping the selected assistant and plan."""
        keep_assistant = self.selected_assistant_id()
        keep_plan = self.selected_plan_id()
        with self.ctx.db.unit_of_work() as session:
            people = roster.list_assistants(
                session, self.ctx.project_id, self.today(), include_archived=True
            )
        self.empty_state.setVisible(not people)
        self.assistants.blockSignals(True)
        self.assistants.clear()
        for person in people:
            text = person.sort_name
            if person.position_number is not None:
                text += f"  (pozice {person.position_number})"
            if person.archived:
                text += "  – archiv"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.assistants.addItem(item)
        self.assistants.blockSignals(False)
        if keep_assistant is not None:
            self._select_assistant(keep_assistant, keep_plan)
        elif self.assistants.count():
            self.assistants.setCurrentRow(0)
        else:
            self._assistant_changed()

    def _on_data_changed(self, what: str) -> None:
        if what in ("roster", "project"):
            self.refresh()

    def selected_assistant_id(self) -> int | None:
        item = self.assistants.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def selected_plan_id(self) -> int | None:
        item = self.plans.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _select_assistant(self, assistant_id: int, plan_id: int | None = None) -> None:
        for row in range(self.assistants.count()):
            if self.assistants.item(row).data(Qt.ItemDataRole.UserRole) == assistant_id:
                self.assistants.blockSignals(True)
                self.assistants.setCurrentRow(row)
                self.assistants.blockSignals(False)
                self._load_plans(plan_id)
                return
        self._load_plans(None)

    def _assistant_changed(self) -> None:
        self._load_plans(None)

    def _load_plans(self, plan_id: int | None) -> None:
        assistant_id = self.selected_assistant_id()
        summaries: list[plans.PlanSummary] = []
        if assistant_id is not None:
            with self.ctx.db.unit_of_work() as session:
                summaries = plans.list_plans(session, assistant_id)
        self.plans.blockSignals(True)
        self.plans.clear()
        for summary in summaries:
            period, _, state = summary.label.partition(" · ")
            item = QListWidgetItem(f"{period}\n{state}")  # two short lines fit a narrow list
            item.setToolTip(summary.label)
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            if not summary.is_current_version:
                item.setForeground(Qt.GlobalColor.gray)
            self.plans.addItem(item)
        self.plans.blockSignals(False)
        row = 0
        if plan_id is not None:
            row = next((i for i, s in enumerate(summaries) if s.id == plan_id), 0)
        if summaries:
            self.plans.setCurrentRow(row)
        self._plan_changed()
        self.new_button.setEnabled(assistant_id is not None)

    def _plan_changed(self) -> None:
        plan_id = self.selected_plan_id()
        detail = None
        if plan_id is not None:
            try:
                with self.ctx.db.unit_of_work() as session:
                    detail = plans.get_plan(session, plan_id)
            except AppError:
                detail = None
        self._show(detail)

    def _show(self, detail: plans.PlanDetail | None) -> None:
        self.detail = detail
        self.editor.setVisible(detail is not None)
        self.empty.setVisible(detail is None)
        self.copy_button.setEnabled(detail is not None)
        if detail is None:
            return
        summary = detail.summary
        self.header.setText(
            f"<b>{detail.assistant_name}</b> – plán {summary.period_text}, verze "
            f"{summary.version} ({summary.state_text})<br>Mentor/ka: "
            f"{detail.mentor_name or '–'}"
        )
        if not detail.editable:
            banner = "Tato verze byla nahrazena novější. Lze ji jen prohlížet a tisknout."
        elif detail.signed:
            banner = (
                "Podepsaná verze: změna cílů nebo údajů plánu vytvoří novou verzi "
                f"{summary.version + 1}; tato zůstane uložená beze změny. Průběžná a závěrečná "
                "hodnocení se zapisují k této verzi."
            )
        else:
            banner = ""
        self.banner.setText(banner)
        self.banner.setVisible(bool(banner))
        editable = detail.editable
        for button in (
            self.edit_button,
            self.add_goal_button,
            self.edit_goal_button,
            self.remove_goal_button,
            self.add_review_button,
            self.edit_review_button,
            self.remove_review_button,
            self.final_button,
        ):
            button.setEnabled(editable)
        self.final_evaluation.setReadOnly(not editable)
        self.sign_button.setEnabled(editable and not detail.signed)
        self.delete_button.setEnabled(editable and not detail.signed)

        self.goals.setRowCount(len(detail.goals))
        for row, goal in enumerate(detail.goals):
            values = [
                goal.area_label,
                _one_line(goal.goals),
                goal.activities_text,
                goal.responsible,
                format_date(goal.deadline),
                goal.status_label,
            ]
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                if column == 1:
                    cell.setToolTip(goal.goals)
                self.goals.setItem(row, column, cell)

        self.reviews.setRowCount(len(detail.reviews))
        for row, review in enumerate(detail.reviews):
            values = [
                format_date(review.review_date),
                review.subject,
                review.status_label,
                _one_line(review.note),
            ]
            for column, text in enumerate(values):
                self.reviews.setItem(row, column, QTableWidgetItem(text))
        self.reviews.resizeColumnsToContents()
        self.final_evaluation.setPlainText(detail.final_evaluation)

    def select_assistant(self, assistant_id: int) -> bool:
        """Select the assistant and their newest plan, or the empty state when they have none
        (used by the dashboard for people without a plan). False when not in the list."""
        found = any(
            self.assistants.item(row).data(Qt.ItemDataRole.UserRole) == assistant_id
            for row in range(self.assistants.count())
        )
        if found:
            self._select_assistant(assistant_id)
        return found

    def open_plan(self, plan_id: int) -> None:
        """Select ``plan_id`` with its assistant (used by the dashboard)."""
        try:
            with self.ctx.db.unit_of_work() as session:
                detail = plans.get_plan(session, plan_id)
        except AppError as exc:
            self.ctx.prompter.warning(self, TITLE, exc.message)
            return
        self._select_assistant(detail.summary.assistant_id, plan_id)

    # ---- actions -------------------------------------------------------------------------------

    def _confirm_new_version(self) -> bool:
        """Before changing the content (goals, plan data) of a signed plan: say that a new
        version will be made. Not for reviews and the final evaluation."""
        detail = self.detail
        if detail is None or not detail.editable:
            return False
        if not detail.signed:
            return True
        return self.ctx.prompter.confirm(
            self,
            TITLE,
            f"Plán je podepsaný ({format_date(detail.summary.signed_on)}). Změna vytvoří novou "
            f"verzi {detail.version + 1}; podepsaná verze zůstane beze změny. Pokračovat?",
        )

    def _open(self, dialog: QDialog) -> None:
        if self.run_dialog(dialog):
            detail = getattr(dialog, "detail", None)
            self._after_change(detail.id if isinstance(detail, plans.PlanDetail) else None)

    def _after_change(self, plan_id: int | None) -> None:
        assistant_id = self.selected_assistant_id()
        if assistant_id is not None:
            self._select_assistant(assistant_id, plan_id)

    def _run(
        self,
        action: Callable[[Session], plans.PlanDetail | int | None],
        forms: Sequence[FieldErrors] | None = None,
    ) -> bool:
        ok, result = act(
            self, self.ctx, action, title=TITLE, changed="plans", reload=self.refresh, forms=forms
        )
        if ok:
            self._after_change(result.id if isinstance(result, plans.PlanDetail) else result)
        return ok

    def _assistant_name(self) -> str:
        item = self.assistants.currentItem()
        return item.text().split("  (")[0] if item else ""

    def new_plan_dialog(self) -> PlanDialog | None:
        assistant_id = self.selected_assistant_id()
        if assistant_id is None:
            return None
        with self.ctx.db.unit_of_work() as session:
            start, end = plans.suggested_period(session, assistant_id, self.today())
            mentor = project_service.get_project_info(session, self.ctx.project_id).mentor_name
        return PlanDialog(
            self.ctx,
            self,
            assistant_id=assistant_id,
            assistant_name=self._assistant_name(),
            initial=PlanData(start, end, mentor_name=mentor),
        )

    def copy_plan_dialog(self) -> PlanDialog | None:
        detail = self.detail
        if detail is None:
            return None
        with self.ctx.db.unit_of_work() as session:
            start, end = plans.suggested_period(session, detail.summary.assistant_id, self.today())
        base = detail.data()
        return PlanDialog(
            self.ctx,
            self,
            assistant_id=detail.summary.assistant_id,
            assistant_name=detail.assistant_name,
            initial=PlanData(
                start, end, base.mentor_name, base.police_head_name, base.include_police_head
            ),
            copy_from=detail,
        )

    def edit_plan_dialog(self) -> PlanDialog | None:
        detail = self.detail
        if detail is None or not self._confirm_new_version():
            return None
        return PlanDialog(
            self.ctx,
            self,
            assistant_id=detail.summary.assistant_id,
            assistant_name=detail.assistant_name,
            initial=detail.data(),
            plan=detail,
        )

    def _areas(self) -> list[project_service.AreaInfo]:
        with self.ctx.db.unit_of_work() as session:
            return list(project_service.get_project_info(session, self.ctx.project_id).areas)

    def add_goal_dialog(self) -> GoalDialog | None:
        detail = self.detail
        if detail is None or not self._confirm_new_version():
            return None
        return GoalDialog(self.ctx, self, detail, self._areas())

    def _selected_goal(self) -> plans.GoalView | None:
        row = self.goals.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.goals):
            return None
        return self.detail.goals[row]

    def _selected_review(self) -> plans.ReviewView | None:
        row = self.reviews.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.reviews):
            return None
        return self.detail.reviews[row]

    def edit_goal_dialog(self) -> GoalDialog | None:
        detail, goal = self.detail, self._selected_goal()
        if detail is None or goal is None or not self._confirm_new_version():
            return None
        return GoalDialog(self.ctx, self, detail, self._areas(), goal)

    def add_review_dialog(self) -> ReviewDialog | None:
        detail = self.detail
        if detail is None or not detail.editable:
            return None
        return ReviewDialog(self.ctx, self, detail, today=self.today())

    def edit_review_dialog(self) -> ReviewDialog | None:
        detail, review = self.detail, self._selected_review()
        if detail is None or review is None or not detail.editable:
            return None
        return ReviewDialog(self.ctx, self, detail, review)

    def sign_dialog(self) -> SignDialog | None:
        detail = self.detail
        if detail is None or detail.signed or not detail.editable:
            return None
        return SignDialog(self.ctx, self, detail, self.today())

    def _open_optional(self, dialog: QDialog | None) -> None:
        if dialog is not None:
            self._open(dialog)

    def new_plan(self) -> None:
        self._open_optional(self.new_plan_dialog())

    def copy_plan(self) -> None:
        self._open_optional(self.copy_plan_dialog())

    def edit_plan(self) -> None:
        self._open_optional(self.edit_plan_dialog())

    def add_goal(self) -> None:
        self._open_optional(self.add_goal_dialog())

    def edit_goal(self) -> None:
        self._open_optional(self.edit_goal_dialog())

    def add_review(self) -> None:
        self._open_optional(self.add_review_dialog())

    def edit_review(self) -> None:
        self._open_optional(self.edit_review_dialog())

    def sign_plan(self) -> None:
        self._open_optional(self.sign_dialog())

    def print_plan(self) -> BackgroundTask | None:
        """Preview the IDP of the selected version (built off the GUI thread)."""
        detail = self.detail
        return self.printer.development_plan(detail.id) if detail is not None else None

    def remove_goal(self) -> None:
        goal = self._selected_goal()
        if goal is None or not self._confirm_new_version():
            return
        if (
            self.detail is not None
            and not self.detail.signed
            and not self.ctx.prompter.confirm(
                self, TITLE, f"Odebrat z plánu oblast „{goal.area_label}“ i s jejími cíli?"
            )
        ):
            return
        self._run(lambda s: plans.remove_goal(s, goal.id, seen_version=goal.row_version))

    def remove_review(self) -> None:
        review = self._selected_review()
        if review is None or self.detail is None or not self.detail.editable:
            return
        if not self.ctx.prompter.confirm(
            self, TITLE, f"Odebrat hodnocení ze dne {format_date(review.review_date)}?"
        ):
            return
        self._run(lambda s: plans.remove_review(s, review.id, seen_version=review.row_version))

    def save_final_evaluation(self) -> None:
        detail = self.detail
        if detail is None or not detail.editable:
            return
        text = self.final_evaluation.toPlainText()
        if text.strip() == detail.final_evaluation:
            return
        seen = detail.row_version
        self._run(
            lambda s: plans.set_final_evaluation(s, detail.id, text, seen_version=seen), forms=()
        )

    def delete_plan(self) -> None:
        detail = self.detail
        if detail is None or detail.signed or not detail.editable:
            return
        what = f"návrh verze {detail.version}" if detail.version > 1 else "celý nepodepsaný plán"
        if not self.ctx.prompter.confirm(self, TITLE, f"Opravdu smazat {what}?"):
            return
        self._run(lambda s: plans.delete_draft(s, detail.id, seen_version=detail.row_version))
