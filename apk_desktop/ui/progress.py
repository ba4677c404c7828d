"""Pokrok: the team matrix (first → latest, goal 1) and one assistant's history with charts."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services.progress import (
    assistant_progress,
    list_people,
    team_progress,
)
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.progress import GOAL_MIN_AREAS, Trend
from apk_desktop.domain.progress_report import AreaRef, AssistantProgress, EvidenceRow, TeamProgress
from apk_desktop.ui.actions import read, status_day
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.print_actions import Printer
from apk_desktop.ui.table_models import area_columns_header, wrap_label
from apk_desktop.ui.worker import BackgroundTask

IMPROVED_BG = QColor("#d7f0d2")
DECLINED_BG = QColor("#fbe3d6")
MET_BG = QColor("#d7f0d2")
NOT_MET_BG = QColor("#fbe3d6")
DEPARTED_FG = QColor("#777777")
Index = QModelIndex | QPersistentModelIndex


def goal_html(meets: bool, text: str) -> str:
    color = "#1f7a3a" if meets else "#b00020"
    word = "SPLNĚN" if meets else "NESPLNĚN"
    return f"<span style='color:{color}; font-weight:bold'>Cíl 1 {word}</span> – {text}"


class TeamProgressModel(QAbstractTableModel):
    """Rows: people; columns: position, name, one per area (first → latest), improved, goal."""

    def __init__(self, data: TeamProgress | None = None) -> None:
        super().__init__()
        self._data = data

    def set_progress(self, data: TeamProgress) -> None:
        self.beginResetModel()
        self._data = data
        self.endResetModel()

    @property
    def progress(self) -> TeamProgress | None:
        return self._data

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._data is None else len(self._data.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._data is None else len(self._data.areas) + 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._data is None or orientation != Qt.Orientation.Horizontal:
            return None
        areas = self._data.areas
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Poz."
            if section == 1:
                return "Asistent/ka"
            if section < 2 + len(areas):
                return wrap_label(areas[section - 2].label)
            return "Zlepšeno" if section == 2 + len(areas) else "Cíl 1"
        if role == Qt.ItemDataRole.ToolTipRole and 2 <= section < 2 + len(areas):
            return areas[section - 2].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._data is None or not index.isValid():
            return None
        row = self._data.rows[index.row()]
        areas = len(self._data.areas)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(row.person.position_number or "")
            if column == 1:
                return row.person.name + ("" if row.person.current else " (již nepracuje)")
            if column < 2 + areas:
                return row.areas[column - 2].text()
            if column == 2 + areas:
                return f"{row.improved} z {areas}"
            return "splněn" if row.meets else "nesplněn"
        if role == Qt.ItemDataRole.BackgroundRole:
            if 2 <= column < 2 + areas:
                trend = row.areas[column - 2].trend
                if trend is Trend.IMPROVED:
                    return QBrush(IMPROVED_BG)
                if trend is Trend.DECLINED:
                    return QBrush(DECLINED_BG)
            if column == 3 + areas:
                return QBrush(MET_BG if row.meets else NOT_MET_BG)
        if role == Qt.ItemDataRole.ForegroundRole and not row.person.current:
            return QBrush(DEPARTED_FG)
        if role == Qt.ItemDataRole.ToolTipRole:
            if 2 <= column < 2 + areas:
                p = row.areas[column - 2]
                parts = [p.trend.label]
                if p.first:
                    parts.append(f"první {format_date(p.first.on)}")
                if p.latest and p.trend is not Trend.SINGLE:
                    parts.append(f"poslední {format_date(p.latest.on)}")
                return ", ".join(parts)
            if not row.person.current:
                return "Již nepracuje v projektu – do plnění cíle týmem se nezapočítává."
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.person.assistant_id
        return None


class HistoryModel(QAbstractTableModel):
    """One assistant's assessments: date, kind, assessor, method and the level per area."""

    FIXED = ("Datum", "Druh", "Hodnotil(a)", "Metoda")

    def __init__(self) -> None:
        super().__init__()
        self._areas: tuple[AreaRef, ...] = ()
        self._rows: tuple[EvidenceRow, ...] = ()
        self._improved: set[int] = set()
        self._latest: dict[int, int] = {}

    def set_progress(self, data: AssistantProgress) -> None:
        self.beginResetModel()
        self._areas = data.areas
        self._rows = data.history
        self._improved = {p.area_id for p in data.progress if p.improved}
        self._latest = {
            p.area_id: p.latest.assessment_id for p in data.progress if p.latest is not None
        }
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.FIXED) + len(self._areas)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        labels = [a.label for a in self._areas]
        return area_columns_header(self.FIXED, labels, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        area = self._areas[column - len(self.FIXED)] if column >= len(self.FIXED) else None
        if role == Qt.ItemDataRole.DisplayRole:
            if area is not None:
                level = row.levels.get(area.id)
                if level is None:
                    return ""
                default = (1, 5)
                if (row.scale_min, row.scale_max) != default:
                    return f"{level} ({row.scale_min}–{row.scale_max})"
                return str(level)
            return (format_date(row.assessed_on), row.kind_label, row.assessor, row.method)[column]
        highlight = (
            area is not None
            and area.id in self._improved
            and self._latest.get(area.id) == row.assessment_id
        )
        if role == Qt.ItemDataRole.BackgroundRole and highlight:
            return QBrush(IMPROVED_BG)
        if role == Qt.ItemDataRole.FontRole and highlight:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and area is not None:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _table() -> QTableView:
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(False)
    view.setWordWrap(True)
    return view


class ProgressView(QWidget):
    """Choose "Celý tým" or one person; shows the matrix or the history with charts."""

    TEAM = -1

    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._today = today
        self.person_choice = QComboBox()
        self.person_choice.setObjectName("progress_person")
        self.person_choice.setMinimumWidth(280)
        self.printer = Printer(self, ctx)
        self.print_button = QPushButton("Tisk přehledu pokroku…")
        self.print_button.clicked.connect(self.print_summary)
        top = QHBoxLayout()
        top.addWidget(QLabel("Zobrazit:"))
        top.addWidget(self.person_choice)
        top.addStretch(1)
        top.addWidget(self.print_button)

        self.goal_label = QLabel()
        self.goal_label.setObjectName("progress_goal")
        self.goal_label.setWordWrap(True)
        self.goal_label.setTextFormat(Qt.TextFormat.RichText)
        font = self.goal_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.goal_label.setFont(font)

        # Team page
        self.team_model = TeamProgressModel()
        self.team_view = _table()
        self.team_view.setObjectName("team_progress")
        self.team_view.setModel(self.team_model)
        self.team_view.doubleClicked.connect(self._open_row)
        self.team_view.activated.connect(self._open_row)
        team_note = QLabel(
            "První → poslední úroveň v každé oblasti; zelená = zlepšení, červená = zhoršení. "
            f"Asistent splňuje cíl 1 při zlepšení alespoň ve {GOAL_MIN_AREAS} oblastech; tým, "
            "když cíl splňuje každý, kdo je nyní v pozici (kdo odešel, se nezapočítává). "
            "Dvojklikem otevřete pokrok asistenta."
        )
        team_note.setWordWrap(True)
        team_page = QWidget()
        team_layout = QVBoxLayout(team_page)
        team_layout.setContentsMargins(0, 0, 0, 0)
        team_layout.addWidget(self.team_view, 1)
        team_layout.addWidget(team_note)

        # Person page
        self.history_model = HistoryModel()
        self.history_view = _table()
        self.history_view.setObjectName("assistant_history")
        self.history_view.setModel(self.history_model)
        from apk_desktop.ui.charts import LevelsOverTimeChart, RadarChart  # QtCharts: heavy

        self.radar = RadarChart()
        self.line_chart = LevelsOverTimeChart()
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.radar)
        charts.addWidget(self.line_chart)
        charts.setSizes([450, 650])
        person_split = QSplitter(Qt.Orientation.Vertical)
        person_split.addWidget(self.history_view)
        person_split.addWidget(charts)
        person_split.setSizes([260, 420])
        self.stack = QStackedWidget()
        self.stack.addWidget(team_page)
        self.stack.addWidget(person_split)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.goal_label)
        layout.addWidget(self.stack, 1)
        self.person_choice.currentIndexChanged.connect(self._choice_changed)
        self._team: TeamProgress | None = None
        self._person: AssistantProgress | None = None
        self._loading = False
        self._loaded = False

    @property
    def today(self) -> date:
        return self._today or status_day(self.ctx)

    def refresh(self) -> None:
        """Reload the people (and what is shown: the team or the chosen person)."""
        self.load(self.current_assistant_id())

    def load(self, chosen: int | None) -> None:
        """Reload the people and show ``chosen`` (None: the team)."""
        people = read(self.ctx, lambda s: list_people(s, self.ctx.project_id, self.today))
        self._team = None
        self._loading = True
        self.person_choice.clear()
        self.person_choice.addItem("Celý tým", self.TEAM)
        for person in people:
            suffix = f" (pozice {person.position_number})" if person.current else " (již nepracuje)"
            self.person_choice.addItem(person.name + suffix, person.assistant_id)
        self._loading = False
        self._loaded = True
        self._select(chosen)

    def current_assistant_id(self) -> int | None:
        value = self.person_choice.currentData()
        return None if value in (None, self.TEAM) else int(value)

    def show_team(self) -> None:
        if not self._loaded:
            self.load(None)
        self._select(None)

    def show_assistant(self, assistant_id: int) -> None:
        if not self._loaded:
            self.load(assistant_id)
        self._select(assistant_id)

    def _select(self, assistant_id: int | None) -> None:
        index = self.person_choice.findData(self.TEAM if assistant_id is None else assistant_id)
        index = max(index, 0)
        if index == self.person_choice.currentIndex():
            self._choice_changed(index)
        else:
            self.person_choice.setCurrentIndex(index)

    def _choice_changed(self, _index: int) -> None:
        if self._loading or not self._loaded:
            return
        assistant_id = self.current_assistant_id()
        if assistant_id is None:
            if self._team is None:
                self._team = read(
                    self.ctx, lambda s: team_progress(s, self.ctx.project_id, self.today)
                )
            self._show_team(self._team)
        else:
            self._person = read(
                self.ctx,
                lambda s: assistant_progress(s, self.ctx.project_id, assistant_id, self.today),
            )
            self._show_person(self._person)

    def _show_team(self, team: TeamProgress) -> None:
        self.team_model.set_progress(team)
        header = self.team_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        self.team_view.setColumnWidth(0, 50)
        self.team_view.setColumnWidth(1, 170)  # names stay readable; the areas share the rest
        for column in range(2, 2 + len(team.areas)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.team_view.setColumnWidth(2 + len(team.areas), 80)
        self.team_view.setColumnWidth(3 + len(team.areas), 80)
        self.goal_label.setText(goal_html(team.goal.meets, team.goal.text() + " (tým)"))
        self.stack.setCurrentIndex(0)

    def _show_person(self, data: AssistantProgress) -> None:
        self.history_model.set_progress(data)
        for column, width in enumerate((85, 85, 190, 190)):
            self.history_view.setColumnWidth(column, width)
        for column in range(4, 4 + len(data.areas)):
            self.history_view.setColumnWidth(column, 115)
        state = "v pozici" if data.person.current else "již nepracuje – nezapočítává se do týmu"
        improved = [a.label for a, p in zip(data.areas, data.progress, strict=True) if p.improved]
        text = (
            f"{data.person.name}: zlepšení v {data.improved} z {len(data.areas)} oblastí ({state})"
        )
        if improved:
            text += "<br><small>Zlepšení: " + ", ".join(improved) + "</small>"
        self.goal_label.setText(goal_html(data.meets, text))
        labels = [wrap_label(a.label, 16).replace("\n", "<br>") for a in data.areas]
        first = [p.first.level if p.first else None for p in data.progress]
        latest = [p.latest.level if p.latest else None for p in data.progress]
        scales = [(h.scale_min, h.scale_max) for h in data.history]
        scale = (min(s[0] for s in scales), max(s[1] for s in scales)) if scales else (1, 5)
        self.radar.set_data(
            labels,
            [float(v) if v is not None else None for v in first],
            [float(v) if v is not None else None for v in latest],
            scale,
        )
        lines = [
            (
                a.label,
                [(h.assessed_on, float(h.levels[a.id])) for h in data.history if a.id in h.levels],
            )
            for a in data.areas
        ]
        self.line_chart.set_data(lines, scale)
        self.stack.setCurrentIndex(1)

    def _open_row(self, index: QModelIndex) -> None:
        assistant_id = self.team_model.data(index, Qt.ItemDataRole.UserRole)
        if isinstance(assistant_id, int):
            self.show_assistant(assistant_id)

    def print_summary(self) -> BackgroundTask | None:
        """Preview (built off the GUI thread) the progress summary of what is shown."""
        assistant_id = self.current_assistant_id()
        if assistant_id is None:
            return self.printer.team_progress(self.today)
        return self.printer.assistant_progress(assistant_id, self.today)
