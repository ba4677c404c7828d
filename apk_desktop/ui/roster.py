"""The roster screen ("Asistenti"): nine positions, the people in them and their history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import roster
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.czech_text import czech_sort_key, plural_form
from apk_desktop.ui.actions import act, read, status_day
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.empty_state import EmptyState
from apk_desktop.ui.roster_dialogs import AssistantDialog, EndEmploymentDialog, ReplaceDialog
from apk_desktop.ui.table_models import WIDTH_SAMPLE_ROWS, CzechFilterProxy, header_title
from apk_desktop.ui.window_state import keep_splitter

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = QColor("#777777")


def _date_key(value: date | None) -> str:
    return value.isoformat() if value else ""


class RosterTableModel(QAbstractTableModel):
    """A thin model over ``roster.roster_rows``: one line per position, then other people."""

    COLUMNS = ("Pozice", "Příjmení", "Jméno", "Stav", "Nástup", "Konec", "Telefon", "E-mail")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[roster.RosterRow] = []

    def set_rows(self, rows: list[roster.RosterRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> roster.RosterRow:
        return self._rows[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title(self.COLUMNS, section, orientation, role)

    def _display(self, line: roster.RosterRow, column: int) -> str:
        person = line.assistant
        employment = person.employment if person else None
        values = (
            str(line.position_number) if line.position_number else "–",
            person.last_name if person else "",
            person.first_name if person else "",
            line.status,
            format_date(employment.start_date) if employment else "",
            format_date(employment.end_date) if employment else "",
            person.phone if person else "",
            person.email if person else "",
        )
        return values[column]

    def _sort_key(self, line: roster.RosterRow, column: int) -> str | int:
        person = line.assistant
        employment = person.employment if person else None
        if column == 0:
            return line.position_number or 1000
        if column == 4:
            return _date_key(employment.start_date if employment else None)
        if column == 5:
            return _date_key(employment.end_date if employment else None)
        return czech_sort_key(self._display(line, column))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, index.column())
        if role == SORT_ROLE:
            return self._sort_key(line, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and line.status != "Aktivní":
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class RosterTable(QTableView):
    """The roster table: Enter opens the selected line, Delete archives it."""

    open_requested = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
        elif event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)


class RosterPage(QWidget):
    """Positions and people; add, edit, end, replace, archive; history of the selected line."""

    def __init__(self, ctx: AppContext, today: Callable[[], date] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.today = today or (lambda: status_day(ctx))

        self.model = RosterTableModel()
        self.proxy = CzechFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Hledat jméno, telefon, e-mail…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_query)
        self.show_archived = QCheckBox("Zobrazit archivované")
        self.show_archived.toggled.connect(lambda _checked: self.refresh())

        self.add_button = QPushButton("Nový asistent…")
        self.add_button.setToolTip("Přidat člověka na neobsazenou pozici (Ctrl+N)")
        self.edit_button = QPushButton("Upravit…")
        self.edit_button.setToolTip("Upravit údaje a data pracovního poměru (Enter)")
        self.end_button = QPushButton("Ukončit poměr…")
        self.replace_button = QPushButton("Nahradit…")
        self.replace_button.setToolTip("Dosavadní asistent odchází, na pozici nastupuje nový")
        self.archive_button = QPushButton("Archivovat")
        self.archive_button.setToolTip("Skrýt člověka bez platného pracovního poměru (Delete)")
        self.restore_button = QPushButton("Obnovit z archivu")
        self.add_button.clicked.connect(self.add_assistant)
        self.edit_button.clicked.connect(self.edit_selected)
        self.end_button.clicked.connect(self.end_selected)
        self.replace_button.clicked.connect(self.replace_selected)
        self.archive_button.clicked.connect(self.archive_selected)
        self.restore_button.clicked.connect(self.restore_selected)

        self.table = RosterTable()
        self.table.setObjectName("rosterTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(WIDTH_SAMPLE_ROWS)
        header.setSectionResizeMode(header.count() - 1, QHeaderView.ResizeMode.Stretch)  # e-mail
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.history_title = QLabel("<b>Historie pracovních poměrů</b>")
        self.history = QTableWidget(0, 3)
        self.history.setObjectName("employmentHistory")
        self.history.setHorizontalHeaderLabels(["Pozice", "Asistent", "Období"])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.history.horizontalHeader().setStretchLastSection(True)

        toolbar = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.end_button,
            self.replace_button,
            self.archive_button,
            self.restore_button,
        ):
            toolbar.addWidget(button)
        toolbar.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.show_archived)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 0, 0, 0)
        side_layout.addWidget(self.detail)
        side_layout.addWidget(self.history_title)
        side_layout.addWidget(self.history, 1)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([1000, 280])
        keep_splitter(splitter, "roster")

        layout = QVBoxLayout(self)
        title = QLabel("<h2>Asistenti prevence kriminality</h2>")
        layout.addWidget(title)
        layout.addLayout(toolbar)
        layout.addLayout(filters)
        self.empty_state = EmptyState(
            "Seznam asistentů je zatím prázdný. Přidejte asistenty do volných pozic – data "
            "nástupu a kontakty můžete doplnit kdykoli později.",
            "Přidat asistenta…",
            self.add_assistant,
        )
        layout.addWidget(self.empty_state)
        layout.addWidget(splitter, 1)

        self._shortcut(QKeySequence.StandardKey.New, self.add_assistant, self)
        self.table.open_requested.connect(self.edit_selected)
        self.table.delete_requested.connect(self.archive_selected)
        ctx.events.changed.connect(self._on_data_changed)
        self.refresh()

    @staticmethod
    def _shortcut(
        keys: QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object], owner: QWidget
    ) -> None:
        shortcut = QShortcut(keys, owner)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # ---- data ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the roster, keeping the selected position (or person) selected."""
        keep = self._row_key(self.selected_row())
        include = self.show_archived.isChecked()
        with self.ctx.db.unit_of_work() as session:
            rows = roster.roster_rows(
                session, self.ctx.project_id, self.today(), include_archived=include
            )
        self.model.set_rows(rows)
        self.empty_state.setVisible(all(line.assistant is None for line in rows))
        if keep is not None:
            for source_row, line in enumerate(rows):
                if self._row_key(line) == keep:
                    self.select_source_row(source_row)
                    break
        self._selection_changed()

    @staticmethod
    def _row_key(line: roster.RosterRow | None) -> tuple[str, int] | None:
        if line is None:
            return None
        if line.position_id is not None:
            return ("position", line.position_id)
        return ("person", line.assistant.id) if line.assistant else None

    def _on_data_changed(self, what: str) -> None:
        if what in ("roster", "project"):
            self.refresh()

    def select_source_row(self, source_row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectRow(index.row())

    def selected_row(self) -> roster.RosterRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_at(self.proxy.mapToSource(indexes[0]).row())

    def _selection_changed(self, *_args: object) -> None:
        line = self.selected_row()
        person = line.assistant if line else None
        employed = bool(person and person.employed and not person.archived)
        self.edit_button.setEnabled(person is not None)
        self.end_button.setEnabled(employed)
        self.replace_button.setEnabled(
            employed and line is not None and line.position_id is not None
        )
        self.archive_button.setEnabled(person is not None and not person.archived)
        self.restore_button.setEnabled(person is not None and person.archived)
        self._show_detail(line)

    def _show_detail(self, line: roster.RosterRow | None) -> None:
        if line is None:
            self.detail.setText("<i>Vyberte pozici nebo asistenta.</i>")
            self._fill_history([])
            return
        person = line.assistant
        if person is None:
            self.detail.setText(
                f"<h3>Pozice č. {line.position_number}</h3><p>Pozice je neobsazená. "
                "Nového asistenta přidáte tlačítkem <b>Nový asistent</b> (Ctrl+N).</p>"
            )
        else:
            parts = [f"<h3>{person.full_name}</h3>", f"<p>Stav: {line.status}"]
            if line.position_number:
                parts.append(f", pozice č. {line.position_number}")
            parts.append("</p><p>")
            if person.birth_date:
                parts.append(f"Datum narození: {format_date(person.birth_date)}<br>")
            if person.phone:
                parts.append(f"Telefon: {person.phone}<br>")
            if person.email:
                parts.append(f"E-mail: {person.email}<br>")
            if person.note:
                parts.append(f"Poznámka: {person.note}")
            parts.append("</p>")
            self.detail.setText("".join(parts))
        with self.ctx.db.unit_of_work() as session:
            if line.position_id is not None:
                history = roster.employment_history(session, position_id=line.position_id)
                self.history_title.setText(f"<b>Historie pozice č. {line.position_number}</b>")
            else:
                assert person is not None
                history = roster.employment_history(session, assistant_id=person.id)
                self.history_title.setText(f"<b>Pracovní poměry – {person.full_name}</b>")
        self._fill_history(history)

    def _fill_history(self, history: list[roster.EmploymentView]) -> None:
        self.history.setRowCount(len(history))
        for row, item in enumerate(history):
            values = (str(item.position_number), item.assistant_name, item.period_text)
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(item.note)
                self.history.setItem(row, column, cell)

    # ---- actions -------------------------------------------------------------------------------

    def _run(self, action: Callable[[Session], object], title: str) -> bool:
        ok, _ = act(self, self.ctx, action, title=title, changed="roster", reload=self.refresh)
        return ok

    def _open(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
        self.table.setFocus()  # keyboard use goes on in the table (Enter, Delete, Ctrl+N)

    def add_dialog(self) -> AssistantDialog:
        line = self.selected_row()
        position_id = line.position_id if line and line.assistant is None else None
        return AssistantDialog(self.ctx, self, position_id=position_id, today=self.today())

    def edit_dialog(self) -> AssistantDialog | None:
        line = self.selected_row()
        if line is None or line.assistant is None:
            return None
        return AssistantDialog(self.ctx, self, assistant_id=line.assistant.id, today=self.today())

    def end_dialog(self) -> EndEmploymentDialog | None:
        line = self.selected_row()
        person = line.assistant if line else None
        if person is None or not person.employed or person.employment is None:
            return None
        return EndEmploymentDialog(self.ctx, self, person.employment, today=self.today())

    def replace_dialog(self) -> ReplaceDialog | None:
        line = self.selected_row()
        if line is None or line.position_id is None or line.assistant is None:
            return None
        with self.ctx.db.unit_of_work() as session:
            rows = roster.list_positions(session, self.ctx.project_id, self.today())
        position = next(r for r in rows if r.position_id == line.position_id)
        if position.vacant:
            return None
        return ReplaceDialog(self.ctx, self, position, today=self.today())

    def add_assistant(self) -> None:
        """A new assistant on a vacant position; when every position is taken, say so and
        offer to replace the selected person instead."""
        rows = read(self.ctx, lambda s: roster.list_positions(s, self.ctx.project_id, self.today()))
        if rows and not any(r.vacant for r in rows):
            title = "Tým je plný"
            full = plural_form(
                len(rows),
                "Jediná pozice je obsazená.",
                f"Všechny {len(rows)} pozice jsou obsazené.",
                f"Všech {len(rows)} pozic je obsazeno.",
            )
            line = self.selected_row()
            if line is None or line.assistant is None or not line.assistant.employed:
                self.ctx.prompter.info(
                    self,
                    title,
                    f"{full} Nového asistenta přijmete jako náhradu: vyberte pozici a zvolte "
                    "„Nahradit…“, nebo nejdříve ukončete něčí pracovní poměr.",
                )
                return
            question = (
                f"{full} Nového asistenta přijmete jako náhradu.\n\n"
                f"Nahradit asistenta {line.assistant.full_name} na pozici "
                f"{line.position_number}?"
            )
            if self.ctx.prompter.confirm(self, title, question):
                self.replace_selected()
            return
        self._open(self.add_dialog())

    def edit_selected(self) -> None:
        dialog = self.edit_dialog()
        if dialog is not None:
            self._open(dialog)
        elif (line := self.selected_row()) is not None and line.assistant is None:
            self.add_assistant()  # Enter on a vacant position: fill it

    def end_selected(self) -> None:
        dialog = self.end_dialog()
        if dialog is not None:
            self._open(dialog)

    def replace_selected(self) -> None:
        dialog = self.replace_dialog()
        if dialog is not None:
            self._open(dialog)

    def archive_selected(self) -> None:
        line = self.selected_row()
        person = line.assistant if line else None
        if person is None or person.archived:
            return
        title = "Archivovat asistenta"
        if person.has_ongoing_employment:
            self.ctx.prompter.warning(
                self,
                title,
                f"{person.full_name} má platný pracovní poměr. Nejdříve ho ukončete "
                "(tlačítko „Ukončit poměr“), potom lze asistenta archivovat.",
            )
            return
        question = (
            f"Archivovat asistenta „{person.full_name}“?\n\n"
            "Archivovaný člověk se nezobrazuje v seznamech; jeho historie, plány a hodnocení "
            "zůstávají uloženy. Obnovit ho lze po zaškrtnutí „Zobrazit archivované“."
        )
        if not self.ctx.prompter.confirm(self, title, question):
            return
        person_id, seen, today = person.id, person.row_version, self.today()
        if self._run(
            lambda s: roster.archive_assistant(s, person_id, today, seen_version=seen), title
        ):
            self.refresh()

    def restore_selected(self) -> None:
        line = self.selected_row()
        person = line.assistant if line else None
        if person is None or not person.archived:
            return
        person_id, seen = person.id, person.row_version
        if self._run(
            lambda s: roster.unarchive_assistant(s, person_id, seen_version=seen),
            "Obnovit z archivu",
        ):
            self.refresh()
