"""The "Vzdělávání a supervize" screen: sessions (filter by kind, month, text), the sessions
still missing a signed sheet, and hours per area, assistant and month.

The two session lists are paged: ``SessionTableModel`` reads the first 200 rows of the list
(filtered and sorted in SQL by the services) and the next 200 whenever the view scrolls to the
end (``canFetchMore``/``fetchMore``); a click on a header sorts in SQL and starts again from the
first page. The pages use keyset paging (see ``services.sessions.session_page``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import evidence as evidence_service
from apk_desktop.db.services import export as export_service
from apk_desktop.db.services import hours as hours_service
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.hours import AreaHoursRow, AreaProgressLink
from apk_desktop.db.services.sessions import (
    PageCursor,
    SessionFilter,
    SessionPage,
    SessionRow,
    SessionSort,
)
from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.domain.czech_text import czech_sort_key
from apk_desktop.domain.errors import AppError
from apk_desktop.domain.sessions import GROUP_LABELS, SessionKind
from apk_desktop.ui.actions import act, read, status_day
from apk_desktop.ui.attendance_dialog import AttendanceDialog
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.empty_state import EmptyState
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.scan_import import ScanAttacher
from apk_desktop.ui.session_dialogs import SessionDialog
from apk_desktop.ui.session_printing import SheetPrinter
from apk_desktop.ui.signed_import import SignedSheetsImport
from apk_desktop.ui.table_models import header_title
from apk_desktop.ui.window_state import keep_columns
from apk_desktop.ui.worker import BackgroundTask

ModelIndex = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
MISSING = QColor("#b00020")
IMPROVED = QColor("#1b5e20")


class Column(Generic[R]):
    def __init__(self, title: str, text: Callable[[R], str], key: Callable[[R], Any]) -> None:
        self.title, self.text, self.key = title, text, key


class RowsModel(QAbstractTableModel, Generic[R]):
    """A thin, sortable table model over a list of frozen service rows."""

    def __init__(self, columns: Sequence[Column[R]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[R] = []

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title([c.title for c in self.columns], section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        return None

    def foreground(self, row: R, column: int) -> QBrush | None:
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=self.columns[column].key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


def thousands(number: int) -> str:
    """20 000 (Czech: a no-break space between thousands)."""
    return f"{number:,}".replace(",", "\u00a0")


class SessionSource(Protocol):
    """Where a paged session list reads its rows (each call is one short unit of work)."""

    def page(
        self, sort: SessionSort, descending: bool, after: PageCursor | None, limit: int
    ) -> SessionPage:
        """The rows after ``after`` (the first page, with the total, when None)."""
        ...

    def position(self, session_id: int, sort: SessionSort, descending: bool) -> int | None:
        """Where the session is in the list (None: not in it)."""
        ...


class SessionListSource:
    """The session list with the page's filters (taken when the list is (re)loaded)."""

    def __init__(self, ctx: AppContext, filters: SessionFilter) -> None:
        self.ctx, self.filters = ctx, filters

    def page(
        self, sort: SessionSort, descending: bool, after: PageCursor | None, limit: int
    ) -> SessionPage:
        return read(
            self.ctx,
            lambda s: session_service.session_page(
                s,
                self.ctx.project_id,
                self.filters,
                sort=sort,
                descending=descending,
                after=after,
                limit=limit,
                with_total=after is None,
            ),
        )

    def position(self, session_id: int, sort: SessionSort, descending: bool) -> int | None:
        return read(
            self.ctx,
            lambda s: session_service.session_position(
                s, self.ctx.project_id, session_id, self.filters, sort=sort, descending=descending
            ),
        )


class MissingEvidenceSource:
    """Past sessions without a signed scan (as of the time the list is loaded)."""

    def __init__(self, ctx: AppContext, now: datetime | None = None) -> None:
        self.ctx, self.now = ctx, now or datetime.now()

    def page(
        self, sort: SessionSort, descending: bool, after: PageCursor | None, limit: int
    ) -> SessionPage:
        return read(
            self.ctx,
            lambda s: evidence_service.missing_evidence_page(
                s,
                self.ctx.project_id,
                now=self.now,
                sort=sort,
                descending=descending,
                after=after,
                limit=limit,
            ),
        )

    def position(self, session_id: int, sort: SessionSort, descending: bool) -> int | None:
        return read(
            self.ctx,
            lambda s: session_service.session_position(
                s,
                self.ctx.project_id,
                session_id,
                evidence_service.missing_filter(self.now),
                sort=sort,
                descending=descending,
            ),
        )


class SessionColumn:
    def __init__(self, title: str, text: Callable[[SessionRow], str], sort: SessionSort) -> None:
        self.title, self.text, self.sort = title, text, sort


def _session_columns(clock: Callable[[], datetime]) -> list[SessionColumn]:
    return [
        SessionColumn("Datum", lambda r: format_date(r.date), SessionSort.DATE),
        SessionColumn("Čas", lambda r: r.time_text, SessionSort.TIME),
        SessionColumn("Druh", lambda r: r.kind_label, SessionSort.KIND),
        SessionColumn("KA", lambda r: r.activity_code, SessionSort.ACTIVITY),
        SessionColumn("Téma", lambda r: r.topic, SessionSort.TOPIC),
        SessionColumn("Oblasti", lambda r: ", ".join(r.area_short_labels), SessionSort.AREAS),
        SessionColumn("Hodiny", lambda r: r.hours_text, SessionSort.HOURS),
        SessionColumn("Účastníků", lambda r: str(r.participant_count), SessionSort.PARTICIPANTS),
        SessionColumn(
            "Docházka",
            lambda r: "zapsána" if r.attendance_recorded else "—",
            SessionSort.ATTENDANCE,
        ),
        SessionColumn("Listina", lambda r: r.evidence_text(clock()), SessionSort.EVIDENCE),
        SessionColumn("Identifikátor", lambda r: r.sheet_id, SessionSort.SHEET),
    ]


class SessionTableModel(QAbstractTableModel):
    """A paged, SQL-sorted table model over a ``SessionSource``: ``rows`` holds the rows read so
    far, ``total`` how many match; the view asks for more (``fetchMore``) as the user scrolls.
    """

    EVIDENCE_COLUMN = 9
    SHEET_COLUMN = 10
    PAGE_SIZE = 200
    loaded = Signal()  # rows were read (first page or more): the count line changes

    def __init__(
        self,
        *,
        sort: SessionSort = SessionSort.DATE,
        descending: bool = True,
        page_size: int = PAGE_SIZE,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        super().__init__()
        self.clock: Callable[[], datetime] = datetime.now  # tests replace it
        self.columns = _session_columns(lambda: self.clock())
        self.rows: list[SessionRow] = []
        self.total = 0
        self.sort_key, self.descending = sort, descending
        self.page_size = page_size
        self.source: SessionSource | None = None
        self._after: PageCursor | None = None
        self._on_error = on_error

    # ---- loading -------------------------------------------------------------------------------

    def reload(self, source: SessionSource | None = None) -> None:
        """Read the first page again (from ``source`` from now on, when given); raises on a
        database error (the caller presents it)."""
        if source is not None:
            self.source = source
        if self.source is None:
            return
        page = self.source.page(self.sort_key, self.descending, None, self.page_size)
        self.beginResetModel()
        self.rows = list(page.rows)
        self.total = page.total if page.total is not None else len(self.rows)
        self._after = page.after if len(self.rows) < self.total else None
        self.endResetModel()
        self.loaded.emit()

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.source is not None and self._after is not None

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(self.page_size)

    def fetch_to(self, position: int) -> bool:
        """Read rows (in one query) until row ``position`` is in the model."""
        if position >= len(self.rows) and self.canFetchMore():
            self._fetch(position + 1 - len(self.rows))
        return position < len(self.rows)

    def _fetch(self, count: int) -> None:
        assert self.source is not None
        try:
            page = self.source.page(self.sort_key, self.descending, self._after, count)
        except Exception as exc:  # called by the view while painting: report, stop fetching
            self._after = None
            if self._on_error is not None:
                self._on_error(exc)
            return
        rows = list(page.rows)
        self._after = page.after if rows else None
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        if len(self.rows) >= self.total:
            self.total = len(self.rows)
            self._after = None
        self.loaded.emit()

    def position(self, session_id: int) -> int | None:
        """Where the session is in the whole (sorted, filtered) list; None when not in it."""
        for number, row in enumerate(self.rows):
            if row.id == session_id:
                return number
        if self.source is None or self._after is None:
            return None
        return self.source.position(session_id, self.sort_key, self.descending)

    # ---- the model -----------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title([c.title for c in self.columns], section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):  # elided: whole
            return self.columns[index.column()].text(row)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == self.EVIDENCE_COLUMN
            and row.evidence_text(self.clock()) == "chybí"
        ):
            return QBrush(MISSING)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column (ties by date and time or by id) and read the first page
        again; before the first load it only remembers the order."""
        if not 0 <= column < len(self.columns):
            return
        self.sort_key = self.columns[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.source is not None:
            try:
                self.reload()
            except Exception as exc:
                if self._on_error is None:
                    raise
                self._on_error(exc)


def _hours(value: Any) -> str:
    return format_hours(value) if value else ""


class HoursTableModel(RowsModel[AreaHoursRow]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column(
                    "Asistent",
                    lambda r: r.assistant_name,
                    lambda r: czech_sort_key(r.assistant_name),
                ),
                Column("Měsíc", lambda r: f"{r.month.month:02d}/{r.month.year}", lambda r: r.month),
                Column("Oblast", lambda r: r.area_label, lambda r: czech_sort_key(r.area_label)),
                Column("Druh", lambda r: GROUP_LABELS[r.group], lambda r: r.group),
                Column(
                    "Vyuč. hodiny (45 min)",
                    lambda r: _hours(r.teaching_hours),
                    lambda r: r.teaching_hours,
                ),
                Column("Hodiny (60 min)", lambda r: _hours(r.clock_hours), lambda r: r.clock_hours),
                Column(
                    "Celkem (60 min)",
                    lambda r: _hours(r.total_clock_hours),
                    lambda r: r.total_clock_hours,
                ),
                Column("Setkání", lambda r: str(r.session_count), lambda r: r.session_count),
            ]
        )


@dataclass(frozen=True)
class LinkRow:
    """One attended session that served an area (or the area alone, without sessions)."""

    area_label: str
    progress_text: str
    improved: bool
    day: date | None
    kind_label: str
    topic: str
    hours_text: str


def link_rows(links: Sequence[AreaProgressLink]) -> list[LinkRow]:
    rows = []
    for link in links:
        common = (link.area.label, link.progress_text, link.improved)
        if not link.sessions:
            rows.append(LinkRow(*common, None, "", "", ""))
        for s in link.sessions:
            hours = f"{format_hours(s.hours)} {s.hour_unit.short}"
            rows.append(LinkRow(*common, s.date, s.kind.label, s.topic, hours))
    return rows


class LinkTableModel(RowsModel[LinkRow]):
    def __init__(self) -> None:
        super().__init__(
            [
                Column("Oblast", lambda r: r.area_label, lambda r: czech_sort_key(r.area_label)),
                Column("Pokrok", lambda r: r.progress_text, lambda r: r.progress_text),
                Column("Zlepšení", lambda r: "ano" if r.improved else "ne", lambda r: r.improved),
                Column("Datum", lambda r: format_date(r.day), lambda r: r.day or date.min),
                Column("Druh", lambda r: r.kind_label, lambda r: czech_sort_key(r.kind_label)),
                Column(
                    "Téma",
                    lambda r: r.topic or "— žádné zapsané setkání —",
                    lambda r: czech_sort_key(r.topic),
                ),
                Column("Hodiny", lambda r: r.hours_text, lambda r: r.hours_text),
            ]
        )

    def foreground(self, row: LinkRow, column: int) -> QBrush | None:
        return QBrush(IMPROVED) if row.improved else None


class ProgressLinksView(QWidget):
    """For one assistant: per area the progress (first → latest assessment) and the attended
    sessions that served the area between those assessments."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.person = QComboBox()
        self.person.setMinimumWidth(260)
        self.model = LinkTableModel()
        self.table = _table(self.model)
        for column, width in enumerate((230, 70, 70, 85, 160, 260)):
            self.table.setColumnWidth(column, width)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Asistent:"))
        top.addWidget(self.person)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.person.currentIndexChanged.connect(lambda _i: self.show_links())

    def refresh(self) -> None:
        """Reload the people (keeping the chosen one) and the links."""
        chosen = self.person.currentData()
        pid = self.ctx.project_id
        people = read(self.ctx, lambda s: roster.list_assistants(s, pid, status_day(self.ctx)))
        self.person.blockSignals(True)
        self.person.clear()
        for person in people:
            number = person.position_number
            suffix = f" (pozice {number})" if number else " (již nepracuje)"
            self.person.addItem(person.full_name + suffix, person.id)
        index = self.person.findData(chosen)
        self.person.setCurrentIndex(max(index, 0))
        self.person.blockSignals(False)
        self.show_links()

    def show_links(self) -> None:
        assistant_id = self.person.currentData()
        if assistant_id is None:
            self.model.set_rows([])
            self.summary.setText("")
            return
        pid = self.ctx.project_id
        links = read(
            self.ctx,
            lambda s: hours_service.progress_links(s, pid, int(assistant_id), status_day(self.ctx)),
        )
        self.model.set_rows(link_rows(links))
        improved = [link.area.label for link in links if link.improved]
        self.summary.setText(
            f"Zlepšil(a) se v {len(improved)} z {len(links)} oblastí: " + ", ".join(improved)
            if improved
            else "Zatím se nezlepšil(a) v žádné oblasti (chybí dvě hodnocení nebo vyšší úroveň)."
        )


def project_months(start: date, end: date) -> list[date]:
    """First days of the months from ``start`` to ``end``, newest first."""
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months[::-1]


def month_combo(start: date, end: date, all_label: str = "") -> QComboBox:
    """Months of the period, newest first (item data: ISO date of the first day; Qt can't
    find Python dates by value)."""
    combo = QComboBox()
    if all_label:
        combo.addItem(all_label, None)
    for month in project_months(start, end):
        combo.addItem(f"{month.month:02d}/{month.year}", month.isoformat())
    return combo


def combo_month(combo: QComboBox) -> date | None:
    value = combo.currentData()
    return date.fromisoformat(value) if value else None


def month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)  # one line a row; a long topic is elided, its tooltip is whole
    return view


def _topic_takes_the_rest(view: QTableView, key: str) -> None:
    """The topic column (4) gets the width the others leave, so the whole row shows on a
    1280×720 screen; the user's own widths are kept under ``key``."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
    keep_columns(header, key)


class SessionsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.printer = SheetPrinter(self, ctx)
        self.scans = ScanAttacher(self, ctx)
        self.signed = SignedSheetsImport(self, ctx)
        info = read(ctx, lambda s: project_service.get_project_info(s, ctx.project_id))

        self.kind_filter = QComboBox()
        self.kind_filter.addItem("Všechny druhy", None)
        for kind in SessionKind:
            self.kind_filter.addItem(kind.label, kind)
        self.month_filter = month_combo(info.period_start, info.period_end, "Všechny měsíce")
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(
            "Hledat v tématu, lektorovi, místě nebo identifikátor listu (PL-17)…"
        )
        self.text_filter.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.text_filter.textChanged.connect(self._debounce.start)
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        self.month_filter.currentIndexChanged.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in (("Druh:", self.kind_filter), ("Měsíc:", self.month_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text_filter, 1)

        report = self._report_error
        self.model = SessionTableModel(on_error=report)  # newest first
        self.table = _table(self.model)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        widths = (78, 92, 120, 40, 220, 60, 90, 72, 72, 105, 75)  # 4, the topic: stretched
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)
        _topic_takes_the_rest(self.table, "sessions")
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.missing_model = SessionTableModel(descending=False, on_error=report)  # oldest first
        self.missing_table = _table(self.missing_model)
        self.missing_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate(widths):
            self.missing_table.setColumnWidth(column, width)
        _topic_takes_the_rest(self.missing_table, "sessions_missing")
        self.missing_table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.model.loaded.connect(self._update_count)
        self.missing_model.loaded.connect(self._update_count)
        self.hours_model = HoursTableModel()
        self.hours_table = _table(self.hours_model)
        self.progress_view = ProgressLinksView(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "Setkání")
        self.tabs.addTab(self.missing_table, "Chybějící podepsané listiny")
        self.tabs.addTab(self.hours_table, "Hodiny podle oblastí")
        self.tabs.addTab(self.progress_view, "Oblasti a pokrok")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.count_label = QLabel()

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("plan", "Naplánovat…", self.plan_session),
            ("edit", "Upravit…", self.edit_selected),
            ("attendance", "Docházka…", self.attendance_selected),
            ("scan", "Přiložit sken…", self.attach_scan),
            ("print", "Tisk listu…", self.print_selected),
            ("batch", "Tisk za měsíc…", self.print_month),
            ("archive", "Archivovat", self.archive_selected),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            buttons.addWidget(button)
            if key == "scan":
                self.buttons["signed"] = self.signed.button()
                buttons.addWidget(self.buttons["signed"])
            if key == "batch":  # CSV or XLSX: one button, so the row fits a 1280 px screen
                self.buttons["export"] = QPushButton("Export")
                export = QMenu(self.buttons["export"])
                export.addAction("CSV pro Excel…", self.export_csv)
                export.addAction("Sešit XLSX…", self.export_xlsx)
                self.buttons["export"].setMenu(export)
                buttons.addWidget(self.buttons["export"])
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        title = QLabel("<h2>Vzdělávání a supervize</h2>")
        title.setObjectName("page_title")
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        self.empty_state = EmptyState(
            "Zatím žádné setkání. Naplánujte první vzdělávání, mentoring nebo supervizi; "
            "pravidelná setkání lze naplánovat najednou jako řadu.",
            "Naplánovat setkání…",
            self.plan_session,
        )
        layout.addWidget(self.empty_state)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.count_label)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.missing_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        # A header click sorts in SQL and reads the first page again: keep the selected session
        # selected when it is among the first rows of the new order.
        self._last_selected: int | None = None
        for table in (self.table, self.missing_table):
            table.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._reselect())
        ctx.events.changed.connect(self._on_changed)
        self.refresh()

    # ---- reading -------------------------------------------------------------------------------

    def filters(self) -> SessionFilter:
        kind = self.kind_filter.currentData()
        month = combo_month(self.month_filter)
        return SessionFilter(
            kinds=(SessionKind(kind),) if kind else (),
            date_from=month,
            date_to=month_end(month) if month else None,
            text=self.text_filter.text(),
        )

    def refresh(self) -> None:
        """Reload the visible tab only: the first page of a session list (filtered and sorted
        in SQL, with the total), or the hours."""
        selected = self.selected_id()
        filters = self.filters()
        project_id = self.ctx.project_id
        tab = self.tabs.currentWidget()
        try:
            if tab is self.missing_table:
                self.missing_model.reload(MissingEvidenceSource(self.ctx))
            elif tab is self.hours_table:
                hours = read(
                    self.ctx,
                    lambda s: hours_service.hours_per_area(
                        s, project_id, date_from=filters.date_from, date_to=filters.date_to
                    ),
                )
                self.hours_model.set_rows(hours)
            elif tab is self.progress_view:
                self.progress_view.refresh()
            else:
                self.model.reload(SessionListSource(self.ctx, filters))
                self.empty_state.setVisible(self.model.total == 0 and filters == SessionFilter())
        except Exception as exc:
            present_error(self, exc)
            return
        self._update_count()
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def _update_count(self) -> None:
        tab = self.tabs.currentWidget()
        if tab is self.hours_table:
            text = "Hodiny se počítají jen u zapsané účasti (přítomen)."
        elif tab is self.progress_view:
            text = (
                "U oblasti jsou setkání, kterých se asistent účastnil (přítomen) mezi prvním a "
                "posledním hodnocením v oblasti; bez dvou hodnocení všechna."
            )
        elif tab is self.missing_table:
            model = self.missing_model
            text = f"Proběhlá setkání bez podepsané listiny: {thousands(model.total)}"
            if model.rowCount() < model.total:
                text += f" (zobrazeno {thousands(model.rowCount())}, další při posunu dolů)"
        else:
            model = self.model
            if model.rowCount() < model.total:
                text = (
                    f"Zobrazeno {thousands(model.rowCount())} z {thousands(model.total)} "
                    "setkání (další se načtou při posunu dolů)"
                )
            else:
                text = f"Setkání: {thousands(model.total)}"
        self.count_label.setText(text)

    def _report_error(self, exc: Exception) -> None:
        present_error(self, exc)

    def _on_changed(self, what: str) -> None:
        if what in ("sessions", "roster", "project") or (
            what == "assessments" and self.tabs.currentWidget() is self.progress_view
        ):
            self.refresh()

    def _current_table(self) -> tuple[QTableView, SessionTableModel] | None:
        if self.tabs.currentWidget() is self.missing_table:
            return self.missing_table, self.missing_model
        if self.tabs.currentWidget() is self.table:
            return self.table, self.model
        return None

    def selected_row(self) -> SessionRow | None:
        current = self._current_table()
        if current is None:
            return None
        table, model = current
        rows = table.selectionModel().selectedRows()
        return model.rows[rows[0].row()] if rows else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return row.id if row else None

    def select(self, session_id: int, *, within: int | None = None) -> bool:
        """Select the session in the current list (True when it is in the list); rows not read
        yet are read up to it first (only when it is among the first ``within`` rows, if given)."""
        current = self._current_table()
        if current is None:
            return False
        table, model = current
        try:
            number = model.position(session_id)
            if number is None or (within is not None and number >= within):
                return False
            if not model.fetch_to(number):
                return False
        except Exception as exc:
            present_error(self, exc)
            return False
        table.selectRow(number)
        table.scrollTo(model.index(number, 0))
        return True

    def _reselect(self) -> None:
        if self._last_selected is not None:
            self.select(self._last_selected, within=5 * SessionTableModel.PAGE_SIZE)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self._last_selected = row.id if row is not None else None
        has = row is not None
        for key in ("edit", "attendance", "scan", "print", "archive"):
            self.buttons[key].setEnabled(has)

    # ---- actions -------------------------------------------------------------------------------

    def _run(self, action: Callable[[Session], object], title: str) -> bool:
        """One unit of work; expected errors in a Czech message, nothing stored half-way."""
        ok, _ = act(self, self.ctx, action, title=title, changed="sessions", reload=self.refresh)
        return ok

    def plan_dialog(self) -> SessionDialog:
        month = combo_month(self.month_filter)
        return SessionDialog(self.ctx, self, day=month or status_day(self.ctx))

    def edit_dialog(self) -> SessionDialog | None:
        session_id = self.selected_id()
        return SessionDialog(self.ctx, self, session_id) if session_id else None

    def attendance_dialog(self) -> AttendanceDialog | None:
        session_id = self.selected_id()
        return AttendanceDialog(self.ctx, session_id, self) if session_id else None

    def plan_session(self) -> None:
        dialog = self.plan_dialog()
        if dialog.exec() and dialog.saved_ids:
            self.select(dialog.saved_ids[0])

    def edit_selected(self) -> None:
        dialog = self.edit_dialog()
        if dialog is not None:
            dialog.exec()

    def attendance_selected(self) -> None:
        dialog = self.attendance_dialog()
        if dialog is not None:
            dialog.exec()

    def attach_scan(self) -> BackgroundTask | None:
        """Read and copy the chosen scan off the GUI thread; ``scans.finished`` tells the end."""
        session_id = self.selected_id()
        return self.scans.attach(session_id) if session_id is not None else None

    def print_selected(self) -> None:
        session_id = self.selected_id()
        if session_id is None:
            return
        view = read(self.ctx, lambda s: session_service.get_session(s, session_id))
        include_private = (
            bool(view.private_note)
            and view.kind.has_record
            and (
                self.ctx.prompter.confirm(
                    self,
                    "Důvěrná poznámka",
                    "Setkání má důvěrnou poznámku. Má být na vytištěném záznamu?\n"
                    "Obvykle ne – záznam slouží jako doklad pro poskytovatele dotace.",
                )
            )
        )
        self.printer.session_sheet(session_id, include_private=include_private)

    def print_month(self) -> None:
        month = combo_month(self.month_filter)
        if month is None:
            row = self.selected_row()
            month = (row.date if row else date.today()).replace(day=1)
        self.printer.month_batch(month.year, month.month)

    def archive_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if not self.ctx.prompter.confirm(
            self,
            "Archivovat setkání",
            f"Archivovat setkání „{row.topic}“ z {format_date(row.date)}? Zmizí ze seznamu a "
            "z hodin, v databázi zůstane.",
        ):
            return
        self._run(
            lambda s: session_service.archive_session(s, row.id, seen_version=row.row_version),
            "Archivovat setkání",
        )

    def _export(self, kind: str) -> Path | None:
        filters = self.filters()
        suffix = ".csv" if kind == "csv" else ".xlsx"
        chosen = self.ctx.prompter.save_file(
            self,
            "Export setkání",
            f"setkani{suffix}",
            "CSV pro Excel (*.csv)" if kind == "csv" else "Sešit Excel (*.xlsx)",
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        project_id = self.ctx.project_id

        def export(session: Session) -> list[Path]:
            sessions, attendance, hours = export_service.monitoring_tables(
                session, project_id, date_from=filters.date_from, date_to=filters.date_to
            )
            if kind == "xlsx":
                export_service.write_xlsx((sessions, attendance, hours), path)
                return [path]
            # the CSV of sessions honours every filter of the list, like the list itself
            sessions = export_service.sessions_table(session, project_id, filters)
            return export_service.write_csv_set((sessions, attendance, hours), path)

        try:
            written = read(self.ctx, export)
        except AppError as exc:
            self.ctx.prompter.warning(self, "Export", exc.message)
            return None
        except Exception as exc:
            present_error(self, exc)
            return None
        if len(written) > 1:
            names = "\n".join(p.name for p in written)
            self.ctx.prompter.info(
                self, "Export", f"Uloženy soubory ve složce {path.parent}:\n{names}"
            )
        else:
            self.ctx.prompter.info(
                self, "Export", f"Uložen soubor {path.name} do složky {path.parent}."
            )
        return path

    def export_csv(self) -> Path | None:
        return self._export("csv")

    def export_xlsx(self) -> Path | None:
        return self._export("xlsx")
