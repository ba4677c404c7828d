"""The parts of the review screen (``signed_review``): a row as the mentor decides it, the
table of rows with their scanned signature cells, the panel of one sheet and the panel of pages
without a sheet."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services.signed_sheets import SheetProposal
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.sessions import Attendance

UNSURE_BACKGROUND = QColor("#fff4ce")
CELL_HEIGHT = 40  # px: a signature cell's image in a row
NOT_SET = "— nezapsáno —"
STATUS_TEXT = {Attendance.PRESENT: "přítomen", Attendance.ABSENT: "nepřítomen", None: NOT_SET}


@dataclass
class RowState:
    """One row of the review table and what the mentor decided so far."""

    row: int
    name: str
    assistant_id: int | None  # for a walk-in: the person picked (None: nobody yet)
    status: Attendance | None
    proposed: Attendance | None
    confidence: float
    sure: bool
    png: bytes
    walk_in: bool = False

    @property
    def changed(self) -> bool:
        return not self.walk_in and self.status != self.proposed


def row_states(sheet: SheetProposal) -> list[RowState]:
    rows = [
        RowState(
            r.row,
            r.name,
            r.participant_id,
            r.status,
            r.status,
            r.confidence,
            r.sure and r.status is not None,
            r.cell_png,
        )
        for r in sheet.rows
    ]
    rows += [
        RowState(w.row, "", None, None, None, w.confidence, False, w.row_png, walk_in=True)
        for w in sheet.walk_ins
    ]
    return sorted(rows, key=lambda r: r.row)


def pixmap(png: bytes, height: int) -> QPixmap:
    image = QPixmap()
    if png and image.loadFromData(png, "PNG"):
        return image.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
    return image


def sheet_caption(sheet: SheetProposal) -> str:
    day = format_date(sheet.session_date) if sheet.session_date else "bez data"
    return f"{sheet.sheet_id} · {sheet.session_title or 'neznámé setkání'} · {day}"


class RowsTable(QTableWidget):
    """Č., Účastník, Podpis (the scanned cell), Stav, Jistota. Space switches the current row
    between přítomen and nepřítomen; on a walk-in row it opens the list of people."""

    COLUMNS = ("Č.", "Účastník", "Podpis na skenu", "Stav", "Jistota")

    toggled = Signal(int)  # the row whose status the mentor switches

    def __init__(self) -> None:
        super().__init__(0, len(self.COLUMNS))
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(CELL_HEIGHT + 6)
        # a light selection, so the signature under it stays readable
        self.setStyleSheet("QTableWidget::item:selected { background: #cfe3fa; color: black; }")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 36), (1, 210), (3, 110), (4, 150)):
            self.setColumnWidth(column, width)
        self.setIconSize(QSize(400, CELL_HEIGHT))
        self.cellClicked.connect(self._clicked)
        self.setToolTip(
            "Šipkami vyberte řádek, mezerníkem přepněte přítomen / nepřítomen; "
            "Ctrl+Enter potvrdí celou listinu."
        )

    def _clicked(self, row: int, column: int) -> None:
        if column == 3:  # the status
            self.toggled.emit(row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.toggled.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class SheetPanel(QWidget):
    """One sheet: what it is, its problems, its rows, what to do with earlier scans."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = QLabel()
        self.caption.setObjectName("sheet_caption")
        self.caption.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.caption.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(
            "QLabel#problems { background: #fff4ce; border: 1px solid #d8b000; padding: 6px; }"
        )
        self.table = RowsTable()
        self.replace_button = QRadioButton("Nahradit dosavadní sken tímto")
        self.add_button = QRadioButton("Přidat jako další sken")
        self.replace_button.setToolTip("Dosavadní skeny setkání se odeberou, přiloží se tento")
        self.add_button.setToolTip("Dosavadní skeny setkání zůstanou, tento se přiloží k nim")
        self.evidence_mode = QButtonGroup(self)
        self.evidence_mode.addButton(self.replace_button)
        self.evidence_mode.addButton(self.add_button)
        self.evidence_row = QWidget()
        evidence = QHBoxLayout(self.evidence_row)
        evidence.setContentsMargins(0, 0, 0, 0)
        evidence.addWidget(QLabel("Setkání už má podepsaný sken:"))
        evidence.addWidget(self.replace_button)
        evidence.addWidget(self.add_button)
        evidence.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.keys = QLabel(
            "↑ ↓ vybere řádek · mezerník přepne přítomen / nepřítomen · "
            "Ctrl+Enter potvrdí celou listinu"
        )
        self.keys.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.keys)
        layout.addWidget(self.evidence_row)
        layout.addWidget(self.summary)


class UnmatchedPanel(QWidget):
    """Pages with no sheet: a thumbnail each, and a field to type or pick the sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.pages = QListWidget()
        self.pages.setViewMode(QListWidget.ViewMode.IconMode)
        self.pages.setIconSize(QSize(150, 212))
        self.pages.setGridSize(QSize(230, 270))
        self.pages.setMovement(QListWidget.Movement.Static)
        self.pages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.pages.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.sheet = QComboBox()
        self.sheet.setEditable(True)
        self.sheet.setMinimumWidth(200)
        line_edit = self.sheet.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText("např. PL-12")
        self.sheet.setToolTip("Napište identifikátor listiny z její patičky, nebo ho vyberte")
        self.assign_button = QPushButton("Přiřadit k listině")
        self.assign_button.setToolTip(
            "Připojit vybranou stránku k listině se zadaným identifikátorem"
        )
        self.error = QLabel()
        self.error.setObjectName("assign_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        assign = QHBoxLayout()
        assign.addWidget(QLabel("Identifikátor listiny:"))
        assign.addWidget(self.sheet)
        assign.addWidget(self.assign_button)
        assign.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Nepřiřazené stránky")
        title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        layout.addWidget(title)
        layout.addWidget(
            QLabel(
                "Na těchto stránkách se nepodařilo přečíst kód listiny. Vyberte stránku a zadejte "
                "identifikátor z její patičky (např. PL-12)."
            )
        )
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.reason)
        layout.addLayout(assign)
        layout.addWidget(self.error)
