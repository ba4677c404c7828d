"""Hodnocení týmu: one assessment for every assistant at once, typed into a grid.

Keyboard: a digit sets the level and moves to the next cell (row by row); Backspace/Delete
clears a cell; Enter saves the whole team (one transaction). A level outside the scale shows a
Czech message and is not entered.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services.assessments import (
    ScaleInfo,
    TeamHeader,
    list_scales,
    save_team_assessment,
)
from apk_desktop.db.services.progress import project_areas
from apk_desktop.db.services.project import get_project_info
from apk_desktop.db.services.roster import ActiveAssistant, active_assistants
from apk_desktop.domain.czech_text import plural
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.progress import KIND_LABELS, METHOD_SUGGESTIONS, validate_level
from apk_desktop.domain.progress_report import AreaRef
from apk_desktop.ui.actions import read, status_day
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.forms import ERROR_STYLE, DateField, FieldErrors, LimitedLineEdit
from apk_desktop.ui.table_models import wrap_label

_DIGITS = {getattr(Qt.Key, f"Key_{d}"): d for d in range(10)}


class LevelGrid(QTableWidget):
    """The grid itself: digits set levels, Enter asks to save."""

    save_requested = Signal()
    rejected_level = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.scale = (1, 5)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        row, column = self.currentRow(), self.currentColumn()
        if key in _DIGITS and row >= 0 and column >= 0:
            level = _DIGITS[key]
            message = validate_level(level, *self.scale)
            if message:
                self.rejected_level.emit(message)
                return
            self.set_level(row, column, level)
            self.rejected_level.emit("")
            self._advance(row, column)
            return
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) and row >= 0 and column >= 0:
            self.set_level(row, column, None)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_requested.emit()
            return
        super().keyPressEvent(event)

    def _advance(self, row: int, column: int) -> None:
        if column + 1 < self.columnCount():
            self.setCurrentCell(row, column + 1)
        elif row + 1 < self.rowCount():
            self.setCurrentCell(row + 1, 0)

    def set_level(self, row: int, column: int, level: int | None) -> None:
        item = self.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(row, column, item)
        item.setText("" if level is None else str(level))

    def level(self, row: int, column: int) -> int | None:
        item = self.item(row, column)
        return int(item.text()) if item is not None and item.text() else None


class TeamAssessmentWidget(QWidget):
    """Header (date, kind, assessor, method, scale) + the grid assistants × areas."""

    saved = Signal(list)  # the new assessment ids

    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._today = today or status_day(ctx)
        self.people: list[ActiveAssistant] = []
        self.areas: tuple[AreaRef, ...] = ()
        self.scales: list[ScaleInfo] = []

        self.date_field = DateField(self._today)
        self.date_field.setObjectName("team_date")
        self.date_field.editingFinished.connect(self._date_changed)
        self.kind = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind.addItem(label, code)
        self.assessor = LimitedLineEdit("assessment.assessor")
        self.assessor.setObjectName("team_assessor")
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHOD_SUGGESTIONS)
        self.method.setCurrentText("")
        self.scale_choice = QComboBox()
        self.scale_choice.currentIndexChanged.connect(self._scale_changed)

        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add_row("Datum hodnocení:", "assessed_on", self.date_field)
        self.errors.add_row("Druh:", "kind", self.kind)
        self.errors.add_row("Hodnotil(a):", "assessor", self.assessor)
        self.errors.add_row("Metoda:", "method", self.method)
        self.errors.add_row("Škála:", "scale", self.scale_choice)

        self.scale_help = QLabel()
        self.scale_help.setWordWrap(True)
        self.scale_help.setAlignment(Qt.AlignmentFlag.AlignTop)
        header = QHBoxLayout()
        header.addLayout(form, 1)
        header.addWidget(self.scale_help, 1)

        self.grid = LevelGrid()
        self.grid.setObjectName("team_grid")
        self.grid.save_requested.connect(self.save)
        self.grid.rejected_level.connect(self._show_grid_message)
        self.grid_message = QLabel()
        self.grid_message.setObjectName("grid_message")
        self.grid_message.setStyleSheet(ERROR_STYLE)
        self.grid_message.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("team_status")

        hint = QLabel(
            "Klikněte do první buňky a pište číslice: každá číslice zapíše úroveň a posune se na "
            "další buňku. Backspace buňku vymaže, Enter uloží hodnocení celého týmu. Prázdný "
            "řádek se neuloží."
        )
        hint.setWordWrap(True)
        self.save_button = QPushButton("Uložit hodnocení týmu (Enter)")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(hint)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.grid_message)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)

    # ---- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        if not hasattr(self, "_loaded_for"):  # first time: a default date inside the project
            info = read(self.ctx, lambda s: get_project_info(s, self.ctx.project_id))
            day = min(max(self._today, info.period_start), info.period_end)
            self.date_field.set_value(day)
        self._load(self._chosen_date() or self._today)

    def _chosen_date(self) -> date | None:
        try:
            return self.date_field.value("assessed_on")
        except ValidationError:
            return None

    def _date_changed(self) -> None:
        day = self._chosen_date()
        if day is not None and day != getattr(self, "_loaded_for", None):
            self._load(day)

    def _load(self, day: date) -> None:
        pid = self.ctx.project_id
        previous = self.entered_rows()
        self.people, self.areas, self.scales = read(
            self.ctx,
            lambda s: (active_assistants(s, pid, day), project_areas(s, pid), list_scales(s, pid)),
        )
        self._loaded_for = day
        chosen_scale = self.scale_choice.currentData()
        self.scale_choice.blockSignals(True)
        self.scale_choice.clear()
        for scale in self.scales:
            self.scale_choice.addItem(f"{scale.name} ({scale.range_text})", scale.id)
        index = self.scale_choice.findData(chosen_scale)
        self.scale_choice.setCurrentIndex(max(index, 0))
        self.scale_choice.blockSignals(False)
        self._scale_changed()

        grid = self.grid
        grid.clear()
        grid.setRowCount(len(self.people))
        grid.setColumnCount(len(self.areas))
        grid.setHorizontalHeaderLabels([wrap_label(a.label, 22) for a in self.areas])
        grid.setVerticalHeaderLabels([f"{p.position_number}. {p.full_name}" for p in self.people])
        for column, area in enumerate(self.areas):
            header_item = grid.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(area.label)
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        grid.horizontalHeader().setMinimumSectionSize(90)
        grid.horizontalHeader().setMinimumHeight(48)
        for row, person in enumerate(self.people):
            for column, area in enumerate(self.areas):
                grid.set_level(row, column, previous.get(person.assistant_id, {}).get(area.id))
        if self.people and self.areas:
            grid.setCurrentCell(0, 0)
        if not self.people:
            self.status.setText("K tomuto datu není v pozici žádný asistent.")

    def _scale_changed(self) -> None:
        scale = self.current_scale()
        if scale is None:
            return
        self.grid.scale = (scale.min_level, scale.max_level)
        self.scale_help.setText(
            "<b>Úrovně škály:</b><br>"
            + "<br>".join(f"{lv.level} – {lv.label}: {lv.description}" for lv in scale.levels)
        )

    def current_scale(self) -> ScaleInfo | None:
        scale_id = self.scale_choice.currentData()
        return next((s for s in self.scales if s.id == scale_id), None)

    def _show_grid_message(self, message: str) -> None:
        self.grid_message.setText(message)
        self.grid_message.setVisible(bool(message))

    # ---- saving ----------------------------------------------------------------------------

    def entered_rows(self) -> dict[int, dict[int, int]]:
        rows: dict[int, dict[int, int]] = {}
        for row, person in enumerate(self.people):
            levels = {}
            for column, area in enumerate(self.areas):
                level = self.grid.level(row, column)
                if level is not None:
                    levels[area.id] = level
            rows[person.assistant_id] = levels
        return rows

    def save(self) -> bool:
        self.errors.clear()
        self.status.clear()
        self._show_grid_message("")
        try:
            day = self.date_field.value("assessed_on")
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return False
        scale = self.current_scale()
        header = TeamHeader(
            assessed_on=day,
            kind=str(self.kind.currentData()),
            assessor=self.assessor.text(),
            method=self.method.currentText(),
            scale_id=scale.id if scale else 0,
        )
        rows = self.entered_rows()
        try:
            with self.ctx.db.unit_of_work() as session:
                ids = save_team_assessment(session, self.ctx.project_id, header, rows)
        except ValidationError as exc:
            self.errors.show(
                {k: v for k, v in exc.field_errors.items() if not k.startswith("row_")}
            )
            row_messages = [v for k, v in exc.field_errors.items() if k.startswith("row_")]
            if row_messages:
                self._show_grid_message("\n".join(row_messages))
            return False
        except Exception as exc:
            present_error(self, exc)
            return False
        people = plural(len(ids), "asistenta", "asistentů", "asistentů")  # genitive
        self.status.setText(f"Uloženo hodnocení {people}.")
        for row in range(self.grid.rowCount()):
            for column in range(self.grid.columnCount()):
                self.grid.set_level(row, column, None)
        self.ctx.events.changed.emit("assessments")
        self.saved.emit(ids)
        return True
