"""The review screen of a scanned stack: per sheet (list on the left) each participant's name
beside the image of their signature cell and the proposed attendance; the mentor changes a row
(arrows, Space) and confirms the sheet (Ctrl+Enter), which saves its attendance and attaches
its pages as the session's signed evidence in one unit of work. Pages whose code could not be
read are listed with a thumbnail to be assigned to a sheet by hand."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QBrush, QIcon, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services import signed_sheets as service
from apk_desktop.db.services.signed_sheets import (
    NEEDS_REVIEW,
    EvidenceMode,
    ProblemKind,
    RowDecision,
    SheetProposal,
    StackProposal,
    UnmatchedPage,
)
from apk_desktop.domain.czech_text import plural, plural_form
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.sessions import Attendance
from apk_desktop.ui.actions import act, read
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.screen_fit import fit_to_screen
from apk_desktop.ui.signed_review_parts import (
    CELL_HEIGHT,
    NOT_SET,
    STATUS_TEXT,
    UNSURE_BACKGROUND,
    RowState,
    SheetPanel,
    UnmatchedPanel,
    pixmap,
    row_states,
    sheet_caption,
)

# what the mentor decides beside the rows (unsure and unread rows are settled row by row)
TO_DECIDE = NEEDS_REVIEW - {ProblemKind.UNSURE, ProblemKind.NOT_READ}
CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")


class SignedReviewDialog(QDialog):
    """Review and confirm the sheets read from one scanned stack."""

    def __init__(self, ctx: AppContext, stack: StackProposal, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.stack = stack
        self.confirmed: dict[str, str] = {}  # sheet id -> what was saved (Czech)
        self.rows: dict[str, list[RowState]] = {}
        self.setWindowTitle("Načtené podepsané listiny – kontrola")

        self.sheet_list = QListWidget()
        self.sheet_list.setObjectName("sheet_list")
        self.sheet_list.setToolTip("Listiny nalezené ve skenech; šipkami přejdete na další")
        self.sheet_list.setMinimumWidth(250)
        self.sheet_list.setWordWrap(True)
        self.sheet_list.setSpacing(3)
        self.sheet_list.currentRowChanged.connect(self._show_current)
        self.sheet_panel = SheetPanel()
        self.sheet_panel.table.toggled.connect(self.toggle)
        self.unmatched_panel = UnmatchedPanel()
        self.unmatched_panel.assign_button.clicked.connect(self.assign_selected)
        self.unmatched_panel.pages.currentRowChanged.connect(self._show_reason)
        self.panels = QStackedWidget()
        self.panels.addWidget(self.sheet_panel)
        self.panels.addWidget(self.unmatched_panel)

        self.confirm_button = QPushButton("Potvrdit listinu (Ctrl+Enter)")
        self.confirm_button.setDefault(False)
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setToolTip(
            "Uložit docházku podle tabulky a přiložit stránky listiny jako podepsaný sken setkání"
        )
        self.confirm_button.clicked.connect(self.confirm_current)
        for keys in CONFIRM_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.confirm_current)
        self.close_button = QPushButton("Zavřít")
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip("Zavřít kontrolu; nepotvrzené listiny se neuloží")
        self.close_button.clicked.connect(self.close)
        self.status = QLabel()
        self.status.setObjectName("review_status")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Listiny ve skenech:"))
        left_layout.addWidget(self.sheet_list, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.panels)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 900])
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.sheet_list.installEventFilter(self)
        self._fill_list()
        fit_to_screen(self, QSize(1240, 700))
        if self.panels.currentWidget() is self.sheet_panel:
            self.sheet_panel.table.setFocus()  # arrows, Space and Ctrl+Enter work at once

    # ---- the list of sheets --------------------------------------------------------------------

    def _fill_list(self, select: str | None = None) -> None:
        self.sheet_list.blockSignals(True)
        self.sheet_list.clear()
        for sheet in self.stack.sheets:
            self.rows.setdefault(sheet.sheet_id, row_states(sheet))
            item = QListWidgetItem(f"{sheet_caption(sheet)}\n{self._state(sheet)}")
            item.setData(Qt.ItemDataRole.UserRole, sheet.sheet_id)
            item.setToolTip(self._state(sheet))
            self.sheet_list.addItem(item)
        if self.stack.unmatched:
            item = QListWidgetItem(
                f"Nepřiřazené stránky ({len(self.stack.unmatched)})\npřiřaďte je ručně"
            )
            item.setData(Qt.ItemDataRole.UserRole, None)
            self.sheet_list.addItem(item)
        self.sheet_list.blockSignals(False)
        ids = [s.sheet_id for s in self.stack.sheets]
        row = ids.index(select) if select in ids else self._first_open()
        self.sheet_list.setCurrentRow(row)
        self._show_current(row)

    def _first_open(self) -> int:
        for number, sheet in enumerate(self.stack.sheets):
            if sheet.sheet_id not in self.confirmed and sheet.confirmable:
                return number
        return 0

    def _state(self, sheet: SheetProposal) -> str:
        if sheet.sheet_id in self.confirmed:
            return "✓ potvrzeno"
        if not sheet.confirmable:
            return "✗ nelze potvrdit"
        rows = self.rows.get(sheet.sheet_id, [])
        if any(not r.sure for r in rows) or any(p.kind in TO_DECIDE for p in sheet.problems):
            return "⚠ ke kontrole"
        return "připraveno k potvrzení"

    def current_sheet(self) -> SheetProposal | None:
        item = self.sheet_list.currentItem()
        sheet_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return self.stack.sheet(sheet_id) if sheet_id else None

    def select_sheet(self, sheet_id: str) -> None:
        ids = [s.sheet_id for s in self.stack.sheets]
        self.sheet_list.setCurrentRow(ids.index(sheet_id))

    def show_unmatched(self) -> None:
        self.sheet_list.setCurrentRow(self.sheet_list.count() - 1)

    def _show_current(self, _row: int = 0) -> None:
        sheet = self.current_sheet()
        if sheet is None and self.stack.unmatched:
            self._show_unmatched()
            return
        self.panels.setCurrentWidget(self.sheet_panel)
        if sheet is not None:
            self._show_sheet(sheet)

    # ---- one sheet -----------------------------------------------------------------------------

    def _show_sheet(self, sheet: SheetProposal) -> None:
        panel = self.sheet_panel
        found = plural_form(sheet.page_count, "strany", "stran", "stran")
        panel.caption.setText(
            f"{sheet_caption(sheet)} (ve skenu {len(sheet.pages)} z {sheet.page_count} {found})"
        )
        problems = [p for p in sheet.problems if p.kind != ProblemKind.UNSURE]
        unsure = sum(1 for r in self.rows[sheet.sheet_id] if not r.sure and not r.walk_in)
        lines = [f"⚠ {p.message}" for p in problems]
        if unsure:
            lines.append(
                f"⚠ Nejisté řádky ({unsure}) jsou označeny „⚠ zkontrolujte“: podívejte se na "
                "podpis a případně stav přepněte mezerníkem."
            )
        panel.problems.setText("\n".join(lines))
        panel.problems.setVisible(bool(lines))
        done = sheet.sheet_id in self.confirmed
        panel.evidence_row.setVisible(sheet.evidence_count > 0 and not done)
        panel.evidence_mode.setExclusive(False)
        panel.replace_button.setChecked(False)
        panel.add_button.setChecked(False)
        panel.evidence_mode.setExclusive(True)
        self._fill_rows(sheet)
        panel.table.setEnabled(not done and sheet.confirmable)
        self.confirm_button.setEnabled(not done and sheet.confirmable)
        panel.summary.setText(self.confirmed.get(sheet.sheet_id, ""))
        self._update_status()

    def _fill_rows(self, sheet: SheetProposal) -> None:
        table = self.sheet_panel.table
        rows = self.rows[sheet.sheet_id]
        table.clearContents()
        table.setRowCount(len(rows))
        for number, state in enumerate(rows):
            table.setItem(number, 0, QTableWidgetItem(str(state.row)))
            image = QTableWidgetItem()
            image.setIcon(QIcon(pixmap(state.png, CELL_HEIGHT)))
            image.setToolTip(
                "Celý řádek se jménem napsaným rukou"
                if state.walk_in
                else "Podpisové pole ze skenu"
            )
            table.setItem(number, 2, image)
            if state.walk_in:
                table.setItem(number, 1, QTableWidgetItem())
                table.setCellWidget(number, 1, self._people_combo(sheet.sheet_id, number))
            else:
                table.setItem(number, 1, QTableWidgetItem(state.name))
            self._paint_row(number, state)
        if rows:
            table.setCurrentCell(0, 3)

    def _people_combo(self, sheet_id: str, number: int) -> QComboBox:
        combo = QComboBox()
        combo.setToolTip("Kdo se na prázdný řádek zapsal rukou (viz obrázek řádku)")
        combo.addItem("— vyberte osobu —", None)
        sheet = self.stack.sheet(sheet_id)
        day = sheet.session_date if sheet else None
        for person in self.stack.candidates:
            if person.employed_on(day):  # nobody who was not employed that day
                combo.addItem(person.name, person.assistant_id)
        state = self.rows[sheet_id][number]
        combo.setCurrentIndex(max(0, combo.findData(state.assistant_id)))
        combo.currentIndexChanged.connect(
            lambda _i: self._pick_walk_in(sheet_id, number, combo.currentData())
        )
        return combo

    def _pick_walk_in(self, sheet_id: str, number: int, assistant_id: int | None) -> None:
        state = self.rows[sheet_id][number]
        state.assistant_id = assistant_id
        state.status = Attendance.PRESENT if assistant_id is not None else None
        state.sure = assistant_id is not None
        self._paint_row(number, state)
        self._refresh_item()

    def _paint_row(self, number: int, state: RowState) -> None:
        table = self.sheet_panel.table
        status = STATUS_TEXT.get(state.status, NOT_SET)
        if state.changed:
            status += " (změněno)"
        status_item = QTableWidgetItem(status)
        status_item.setToolTip("Mezerník nebo klepnutí přepne přítomen / nepřítomen")
        table.setItem(number, 3, status_item)
        if state.walk_in:
            certainty = "zapsal(a) se rukou" if state.assistant_id else "⚠ vyberte osobu"
        elif state.proposed is None:
            certainty = "⚠ nepřečteno"
        else:
            percent = f"{round(state.confidence * 100)} %"
            certainty = percent if state.sure else f"⚠ {percent} zkontrolujte"
        table.setItem(number, 4, QTableWidgetItem(certainty))
        for column in range(table.columnCount()):
            item = table.item(number, column)
            if item is not None:
                item.setBackground(QBrush(UNSURE_BACKGROUND) if not state.sure else QBrush())

    def toggle(self, number: int) -> None:
        """Switch a row between přítomen and nepřítomen (the mentor has looked: it is sure)."""
        sheet = self.current_sheet()
        if sheet is None or sheet.sheet_id in self.confirmed or not number >= 0:
            return
        rows = self.rows[sheet.sheet_id]
        if number >= len(rows):
            return
        state = rows[number]
        if state.walk_in:
            combo = self.sheet_panel.table.cellWidget(number, 1)
            if isinstance(combo, QComboBox):
                combo.setFocus()
                combo.showPopup()
            return
        state.status = (
            Attendance.ABSENT if state.status == Attendance.PRESENT else Attendance.PRESENT
        )
        state.sure = True
        self._paint_row(number, state)
        self._refresh_item()

    def _refresh_item(self) -> None:
        item = self.sheet_list.currentItem()
        sheet = self.current_sheet()
        if item is not None and sheet is not None:
            item.setText(f"{sheet_caption(sheet)}\n{self._state(sheet)}")
            item.setToolTip(self._state(sheet))
        self._update_status()

    def _update_status(self) -> None:
        done = len(self.confirmed)
        total = sum(1 for s in self.stack.sheets if s.confirmable)
        sheets = plural_form(total, "listiny", "listin", "listin")
        self.status.setText(
            f"Potvrzeno {done} z {total} {sheets} · "
            f"ve skenech {plural(self.stack.page_count, 'strana', 'strany', 'stran')}"
        )

    # ---- confirming ----------------------------------------------------------------------------

    def decisions(self, sheet: SheetProposal) -> list[RowDecision]:
        return [
            RowDecision(state.assistant_id, state.status)
            for state in self.rows[sheet.sheet_id]
            if state.assistant_id is not None and state.status is not None
        ]

    def confirm_current(self) -> bool:
        """Save the shown sheet (attendance + its pages as evidence) in one unit of work."""
        sheet = self.current_sheet()
        if sheet is None or sheet.sheet_id in self.confirmed or not sheet.confirmable:
            return False
        title = "Potvrdit listinu"
        mode: EvidenceMode | None = None
        if sheet.evidence_count:
            panel = self.sheet_panel
            if panel.replace_button.isChecked():
                mode = EvidenceMode.REPLACE
            elif panel.add_button.isChecked():
                mode = EvidenceMode.ADD
            else:
                self.ctx.prompter.warning(
                    self,
                    title,
                    "Setkání už má podepsaný sken. Vyberte, zda ho tento nahradí, "
                    "nebo se přidá jako další.",
                )
                return False
        unset = [s for s in self.rows[sheet.sheet_id] if s.walk_in and s.assistant_id is None]
        if unset and not self.ctx.prompter.confirm(
            self,
            title,
            f"U {len(unset)} ručně zapsaných řádků není vybrána osoba; ty se neuloží. Pokračovat?",
        ):
            return False
        decisions = self.decisions(sheet)
        ok, done = act(
            self,
            self.ctx,
            lambda s: service.confirm_sheet(s, sheet, decisions, evidence_mode=mode),
            title=title,
            changed="sessions",
            reload=lambda: self.reread_session(sheet.sheet_id),
        )
        if not ok or done is None:
            return False
        replaced = f", nahrazeno skenů: {done.removed_evidence}" if done.removed_evidence else ""
        self.confirmed[sheet.sheet_id] = (
            f"✓ Potvrzeno: docházka uložena ({done.saved_rows} řádků), "
            f"sken přiložen k setkání{replaced}."
        )
        self._fill_list()  # moves on to the next sheet still open
        return True

    def reread_session(self, sheet_id: str) -> None:
        """The sheet's session as stored now (someone changed it since the stack was read);
        what the mentor decided for its rows stays."""
        self.stack = read(self.ctx, lambda s: service.reread_session(s, self.stack, sheet_id))
        sheet = self.stack.sheet(sheet_id)
        if sheet is not None:
            self.rows[sheet_id] = _keep_decisions(row_states(sheet), self.rows.get(sheet_id))
        self._fill_list(select=sheet_id)

    # ---- pages without a sheet -----------------------------------------------------------------

    def _show_unmatched(self) -> None:
        panel = self.unmatched_panel
        self.panels.setCurrentWidget(panel)
        self.confirm_button.setEnabled(False)
        panel.pages.clear()
        for page in self.stack.unmatched:
            item = QListWidgetItem(QIcon(pixmap(page.thumbnail_png, 212)), page.page.label)
            item.setToolTip(page.reason)
            panel.pages.addItem(item)
        panel.sheet.clear()
        panel.sheet.addItems([s.sheet_id for s in self.stack.sheets])
        panel.sheet.setCurrentText("")
        panel.error.clear()
        if self.stack.unmatched:
            panel.pages.setCurrentRow(0)
        self._update_status()

    def _show_reason(self, number: int) -> None:
        pages = self.stack.unmatched
        if 0 <= number < len(pages):
            page = pages[number]
            self.unmatched_panel.reason.setText(f"{page.page.label}: {page.reason}")
            if page.sheet_id:
                self.unmatched_panel.sheet.setCurrentText(page.sheet_id)

    def selected_page(self) -> UnmatchedPage | None:
        number = self.unmatched_panel.pages.currentRow()
        pages = self.stack.unmatched
        return pages[number] if 0 <= number < len(pages) else None

    def assign_selected(self) -> bool:
        """Join the selected page to the sheet typed or picked; show that sheet."""
        page = self.selected_page()
        text = self.unmatched_panel.sheet.currentText().strip()
        if page is None or not text:
            self.unmatched_panel.error.setText("Vyberte stránku a zadejte identifikátor listiny.")
            return False
        try:
            stack = read(self.ctx, lambda s: service.assign_page(s, self.stack, page, text))
        except ValidationError as exc:
            self.unmatched_panel.error.setText(exc.message)
            return False
        except Exception as exc:
            present_error(self, exc)
            return False
        joined = _joined_sheet(self.stack, stack, text)
        self.stack = stack
        if joined is not None:
            previous = self.rows.get(joined.sheet_id)
            self.rows[joined.sheet_id] = _keep_decisions(row_states(joined), previous)
        self._fill_list(select=joined.sheet_id if joined else None)
        return True

    # ---- keys and closing ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the list of sheets goes to the rows of the sheet."""
        if (
            watched is self.sheet_list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            target = (
                self.sheet_panel.table
                if self.panels.currentWidget() is self.sheet_panel
                else self.unmatched_panel.pages
            )
            target.setFocus()
            return True
        return super().eventFilter(watched, event)

    def open_sheets(self) -> list[str]:
        return [
            s.sheet_id
            for s in self.stack.sheets
            if s.confirmable and s.sheet_id not in self.confirmed
        ]

    def reject(self) -> None:
        waiting = self.open_sheets()
        if waiting and not self.ctx.prompter.confirm(
            self,
            "Zavřít kontrolu",
            f"Nepotvrzené listiny ({len(waiting)}) se neuloží; skeny můžete načíst znovu. Zavřít?",
        ):
            return
        super().reject()


def _joined_sheet(old: StackProposal, new: StackProposal, text: str) -> SheetProposal | None:
    """The sheet a page was just joined to: the one whose pages grew (or the new one)."""
    before = {s.sheet_id: len(s.pages) for s in old.sheets}
    for sheet in new.sheets:
        if len(sheet.pages) > before.get(sheet.sheet_id, 0):
            return sheet
    wanted = text.upper()
    return next((s for s in new.sheets if s.sheet_id.upper() == wanted), None)


def _keep_decisions(rows: list[RowState], previous: list[RowState] | None) -> list[RowState]:
    """The rows of a sheet read again (it gained a page, or its session was read again),
    keeping what the mentor changed already."""
    if not previous:
        return rows
    changed = {(r.row, r.walk_in): r for r in previous if r.changed or r.walk_in}
    return [
        replace(r, assistant_id=old.assistant_id, status=old.status, sure=old.sure)
        if (old := changed.get((r.row, r.walk_in))) is not None
        else r
        for r in rows
    ]
