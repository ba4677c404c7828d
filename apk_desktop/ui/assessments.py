"""Hodnocení: records of assessments, the team grid and the progress view (three tabs)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services.assessments import (
    AssessmentInput,
    AssessmentView,
    ScaleInfo,
    create_assessment,
    delete_assessment,
    get_assessment,
    list_assessments,
    list_scales,
    update_assessment,
)
from apk_desktop.db.services.progress import project_areas
from apk_desktop.db.services.project import get_project_info
from apk_desktop.db.services.roster import AssistantView, list_assistants
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.progress import KIND_LABELS, METHOD_SUGGESTIONS
from apk_desktop.domain.progress_report import AreaRef
from apk_desktop.ui.actions import act, read, status_day, store
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.empty_state import NO_PEOPLE, TO_ROSTER, EmptyState, show_page, to_roster
from apk_desktop.ui.forms import DateField, FieldErrors, LimitedLineEdit, LimitedTextEdit
from apk_desktop.ui.progress import Index, ProgressView
from apk_desktop.ui.screen_fit import ScrollBody, fit_to_screen
from apk_desktop.ui.table_models import WIDTH_SAMPLE_ROWS, area_columns_header
from apk_desktop.ui.team_grid import TeamAssessmentWidget


class AssessmentListModel(QAbstractTableModel):
    FIXED = ("Datum", "Asistent/ka", "Druh", "Hodnotil(a)", "Metoda")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AssessmentView] = []
        self.areas: tuple[AreaRef, ...] = ()

    def set_rows(self, rows: list[AssessmentView], areas: tuple[AreaRef, ...]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.areas = areas
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self.areas)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        labels = [a.label for a in self.areas]
        return area_columns_header(self.FIXED, labels, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column < len(self.FIXED):
                return (
                    format_date(row.assessed_on),
                    row.assistant_name,
                    row.kind_label,
                    row.assessor,
                    row.method,
                )[column]
            level = row.levels.get(self.areas[column - len(self.FIXED)].id)
            return "" if level is None else str(level)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= len(self.FIXED):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class AssessmentDialog(QDialog):
    """Record or edit one assessment: facts and a level per area (an area may stay empty)."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        assessment_id: int | None = None,
        assistant_id: int | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.assessment_id = assessment_id
        self.saved_view: AssessmentView | None = None
        pid = ctx.project_id
        day = today or status_day(ctx)
        existing = read(ctx, lambda s: get_assessment(s, assessment_id)) if assessment_id else None
        self.existing = existing
        self.people, self.areas, self.scales, info = read(
            ctx,
            lambda s: (
                list_assistants(s, pid, day, include_archived=True),
                project_areas(s, pid),
                list_scales(s, pid),
                get_project_info(s, pid),
            ),
        )
        day = min(max(day, info.period_start), info.period_end)  # a default inside the project
        self.setWindowTitle("Upravit hodnocení" if existing else "Nové hodnocení")
        self.assistant = QComboBox()
        for person in self.people:
            self.assistant.addItem(_person_text(person), person.id)
        self.assessed_on = DateField(day)
        self.kind = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.assessor = LimitedLineEdit("assessment.assessor")
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHOD_SUGGESTIONS)
        self.method.setCurrentText("")
        self.scale = QComboBox()
        for scale in self.scales:
            self.scale.addItem(f"{scale.name} ({scale.range_text})", scale.id)
        self.note = LimitedTextEdit("assessment.note")
        self.note.setFixedHeight(60)

        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add_row("Asistent/ka:", "assistant", self.assistant)
        self.errors.add_row("Datum:", "assessed_on", self.assessed_on)
        self.errors.add_row("Druh:", "kind", self.kind)
        self.errors.add_row("Hodnotil(a):", "assessor", self.assessor)
        self.errors.add_row("Metoda:", "method", self.method)
        self.errors.add_row("Škála:", "scale", self.scale)
        self.level_boxes: dict[int, QComboBox] = {}
        for area in self.areas:
            box = QComboBox()
            box.setObjectName(f"level_{area.id}")
            self.level_boxes[area.id] = box
            self.errors.add_row(f"{area.label}:", f"level_{area.id}", box)
        self.errors.add_row("Poznámka:", "note", self.note)
        self.scale.currentIndexChanged.connect(self._fill_levels)

        if existing:
            self._fill(existing)
        else:
            if assistant_id is not None:
                self.assistant.setCurrentIndex(max(self.assistant.findData(assistant_id), 0))
            self._fill_levels()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Uložit")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Zrušit")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(ScrollBody(form, self.errors.general), 1)
        layout.addWidget(buttons)
        fit_to_screen(self, self.sizeHint().expandedTo(QSize(620, 560)))

    def _fill(self, view: AssessmentView) -> None:
        self.assistant.setCurrentIndex(max(self.assistant.findData(view.assistant_id), 0))
        self.assessed_on.set_value(view.assessed_on)
        self.kind.setCurrentIndex(max(self.kind.findData(view.kind), 0))
        self.assessor.setText(view.assessor)
        self.method.setCurrentText(view.method)
        self.scale.setCurrentIndex(max(self.scale.findData(view.scale_id), 0))
        self.note.setPlainText(view.note)
        self._fill_levels()
        for area_id in self.level_boxes:
            self.set_level(area_id, view.levels.get(area_id))
        self.errors.mark_loaded()

    def reload(self) -> None:
        """Show the assessment as stored now (someone else changed it meanwhile)."""
        assessment_id = self.assessment_id
        assert assessment_id is not None
        self.existing = read(self.ctx, lambda s: get_assessment(s, assessment_id))
        self._fill(self.existing)

    def current_scale(self) -> ScaleInfo | None:
        scale_id = self.scale.currentData()
        return next((s for s in self.scales if s.id == scale_id), None)

    def _fill_levels(self) -> None:
        scale = self.current_scale()
        for area_id, box in self.level_boxes.items():
            previous = box.currentData()
            box.clear()
            box.addItem("— nehodnoceno —", None)
            if scale is not None:
                for lv in scale.levels:
                    box.addItem(f"{lv.level} – {lv.label}", lv.level)
            self.set_level(area_id, previous)

    def set_level(self, area_id: int, level: int | None) -> None:
        box = self.level_boxes[area_id]
        box.setCurrentIndex(max(box.findData(level), 0))

    def set_assistant(self, assistant_id: int) -> None:
        self.assistant.setCurrentIndex(max(self.assistant.findData(assistant_id), 0))

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))

    def save(self) -> bool:
        self.errors.clear()
        try:
            day = self.assessed_on.value("assessed_on")
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return False
        scale = self.current_scale()
        levels = {
            area_id: int(box.currentData())
            for area_id, box in self.level_boxes.items()
            if box.currentData() is not None
        }
        data = AssessmentInput(
            assistant_id=int(self.assistant.currentData() or 0),
            assessed_on=day,
            kind=str(self.kind.currentData()),
            assessor=self.assessor.text(),
            method=self.method.currentText(),
            scale_id=scale.id if scale else 0,
            levels=levels,
            note=self.note.toPlainText(),
        )
        pid, assessment_id, existing = self.ctx.project_id, self.assessment_id, self.existing

        def action(session: Session) -> AssessmentView:
            if assessment_id is None or existing is None:
                return create_assessment(session, pid, data)
            return update_assessment(
                session, pid, assessment_id, data, seen_version=existing.row_version
            )

        ok, view = store(
            self,
            self.ctx,
            self.errors,
            action,
            changed="assessments",
            reload=self.reload if assessment_id is not None else None,
        )
        if not ok:
            return False
        self.saved_view = view
        self.accept()
        return True


def _person_text(person: AssistantView) -> str:
    if person.position_number:
        return f"{person.full_name} (pozice {person.position_number})"
    return f"{person.full_name} (není v pozici)"


class AssessmentRecords(QWidget):
    """The list of assessments, filtered by person, with new / edit / delete."""

    ALL = -1

    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._today = today
        self.filter = QComboBox()
        self.filter.setObjectName("records_filter")
        self.filter.setMinimumWidth(280)
        self.filter.currentIndexChanged.connect(self._reload)
        self.new_button = QPushButton("Nové hodnocení…")
        self.edit_button = QPushButton("Upravit…")
        self.delete_button = QPushButton("Smazat")
        self.progress_button = QPushButton("Pokrok asistenta")
        self.new_button.clicked.connect(self.new_assessment)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("Asistent/ka:"))
        top.addWidget(self.filter)
        top.addStretch(1)
        for button in (self.new_button, self.edit_button, self.delete_button, self.progress_button):
            top.addWidget(button)
        self.model = AssessmentListModel()
        self.view = QTableView()
        self.view.setObjectName("assessment_list")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.note = QLabel()
        self.empty_state = EmptyState()
        self.empty_state.hide()
        self._has_people = True
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty_state)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self._loading = False

    @property
    def today(self) -> date:
        return self._today or status_day(self.ctx)

    def refresh(self) -> None:
        chosen = self.filter.currentData()
        pid = self.ctx.project_id
        people = read(
            self.ctx, lambda s: list_assistants(s, pid, self.today, include_archived=True)
        )
        self._loading = True
        self.filter.clear()
        self.filter.addItem("Všichni", self.ALL)
        for person in people:
            self.filter.addItem(_person_text(person), person.id)
        self.filter.setCurrentIndex(max(self.filter.findData(chosen), 0))
        self._loading = False
        self._has_people = bool(people)
        self._reload()

    def _show_next_step(self, nothing: bool) -> None:
        """With no assessment at all: what to do first (people, then the entry assessment)."""
        self.empty_state.setVisible(nothing)
        if not nothing:
            return
        if not self._has_people:
            self.empty_state.set_step(NO_PEOPLE, TO_ROSTER, to_roster(self))
        else:
            self.empty_state.set_step(
                "Zatím žádné hodnocení. Začněte vstupním hodnocením celého týmu v mřížce "
                "(asistenti × oblasti).",
                "Zadat hodnocení týmu…",
                self._open_team_grid,
            )

    def _open_team_grid(self) -> None:
        page = show_page(self, "assessments")
        if isinstance(page, AssessmentsPage):
            page.open_team_grid()

    def show_assistant(self, assistant_id: int | None) -> None:
        if self.filter.count() == 0:
            self.refresh()
        index = self.filter.findData(self.ALL if assistant_id is None else assistant_id)
        self.filter.setCurrentIndex(max(index, 0))

    def selected_assistant(self) -> int | None:
        value = self.filter.currentData()
        return None if value in (None, self.ALL) else int(value)

    def _reload(self) -> None:
        if self._loading:
            return
        pid = self.ctx.project_id
        who = self.selected_assistant()
        rows, areas = read(
            self.ctx, lambda s: (list_assessments(s, pid, who, limit=500), project_areas(s, pid))
        )
        self.model.set_rows(rows, areas)
        self._show_next_step(not rows and who is None)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(WIDTH_SAMPLE_ROWS)
        self.note.setText(
            "Zobrazeno posledních 500 hodnocení." if len(rows) == 500 else f"Hodnocení: {len(rows)}"
        )

    def selected_id(self) -> int | None:
        indexes = self.view.selectionModel().selectedRows()
        if not indexes:
            return None
        value = self.model.data(indexes[0], Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def dialog(self, assessment_id: int | None = None) -> AssessmentDialog:
        """Build (not show) the dialog for a new or existing assessment."""
        return AssessmentDialog(
            self.ctx,
            self,
            assessment_id=assessment_id,
            assistant_id=self.selected_assistant(),
            today=self._today,
        )

    def new_assessment(self) -> None:
        if self.dialog().exec():
            self._reload()

    def edit_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is not None and self.dialog(chosen).exec():
            self._reload()

    def delete_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            return
        row = next(r for r in self.model.rows if r.id == chosen)
        if not self.ctx.prompter.confirm(
            self,
            "Smazat hodnocení",
            f"Opravdu smazat hodnocení {row.assistant_name} ze dne "
            f"{format_date(row.assessed_on)} ({row.kind_label})?",
        ):
            return
        seen = row.row_version
        ok, _ = act(
            self,
            self.ctx,
            lambda s: delete_assessment(s, chosen, seen_version=seen),
            title="Smazat hodnocení",
            changed="assessments",
            reload=self._reload,
        )
        if ok:
            self._reload()


class AssessmentsPage(QWidget):
    """Tabs: Záznamy hodnocení · Hodnocení týmu · Pokrok."""

    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.records = AssessmentRecords(ctx, today)
        self.team = TeamAssessmentWidget(ctx, today)
        self.progress = ProgressView(ctx, today)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.records, "Záznamy hodnocení")
        self.tabs.addTab(self.team, "Hodnocení týmu")
        self.tabs.addTab(self.progress, "Pokrok a cíl 1")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.records.progress_button.clicked.connect(
            lambda: self.open_progress(self.records.selected_assistant())
        )
        self.team.saved.connect(lambda _ids: self.records.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel("<h2>Hodnocení</h2>")
        title.setObjectName("page_title")
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        ctx.events.changed.connect(self._data_changed)
        self.refresh()

    def _data_changed(self, _what: str) -> None:
        self._stale = {0, 1, 2}
        if self.isVisible():
            self._tab_changed(self.tabs.currentIndex())

    def refresh(self) -> None:
        self._stale = {0, 1, 2}
        self._tab_changed(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            widget = self.tabs.widget(index)
            refresh = getattr(widget, "refresh", None)
            if callable(refresh):
                refresh()

    def _show_tab(self, widget: QWidget) -> None:
        index = self.tabs.indexOf(widget)
        self.tabs.setCurrentIndex(index)
        self._tab_changed(index)

    def open_progress(self, assistant_id: int | None = None) -> ProgressView:
        """Show the progress tab: the team, or one person."""
        index = self.tabs.indexOf(self.progress)
        stale = index in self._stale
        self._stale.discard(index)
        self.tabs.setCurrentIndex(index)
        if stale:
            self.progress.load(assistant_id)
        elif assistant_id is None:
            self.progress.show_team()
        else:
            self.progress.show_assistant(assistant_id)
        return self.progress

    def open_records(self, assistant_id: int | None = None) -> AssessmentRecords:
        """Show the list of assessments (of one person)."""
        self._show_tab(self.records)
        self.records.show_assistant(assistant_id)
        return self.records

    def open_team_grid(self) -> TeamAssessmentWidget:
        self._show_tab(self.team)
        return self.team
