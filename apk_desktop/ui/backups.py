"""The "Zálohy" screen: backup settings, "Zálohovat nyní" with progress, the list of backups
(incremental snapshots and .zip archives) with their verification, restore, and "Exportovat
archiv…" (one .zip file). The work itself is done by the BackupController.

With a server database (PostgreSQL) the server's own backups apply: the screen says so and
offers only the archive export and the restore from a file."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.backup import state as backup_state
from apk_desktop.backup.describe import format_size
from apk_desktop.backup.errors import BackupCancelled
from apk_desktop.backup.service import BackupEntry, folder_problem
from apk_desktop.backup.settings import INTERVALS, BackupSettings
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.errors import AppError
from apk_desktop.ui.actions import read
from apk_desktop.ui.backup_controller import BackupController, controller_for, show_error
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.table_models import header_title
from apk_desktop.ui.worker import Cancelled

ModelIndex = QModelIndex | QPersistentModelIndex
GOOD = QColor("#1b5e20")
BAD = QColor("#b00020")
COVERAGE_SQLITE = (
    "Záloha obsahuje data projektu z databáze aplikace (SQLite) a jeho přiložené skeny; "
    "ostatní projekty v databázi mají své zálohy. Zálohy se ukládají "
    "do sdílené složky města přírůstkově (každý sken jen jednou); živá databáze zůstává na "
    "tomto počítači. Jeden soubor .zip, např. na flash disk, vytvoří Exportovat archiv…"
)
COVERAGE_SERVER = (
    "Data včetně skenů jsou v databázi na serveru PostgreSQL. Chrání je zálohy serveru, které "
    "zajišťuje správce IT (např. pg_dump nebo záloha celého serveru); průběžné zálohy do "
    "složky, jaké aplikace dělá u databáze na tomto počítači, se zde nepoužívají.\n\n"
    "Exportovat archiv… uloží data projektu i se skeny do jednoho souboru .zip ve stejném "
    "formátu jako zálohy aplikace – lze ho obnovit do databáze na serveru i do databáze na "
    "počítači. Obnovit ze souboru… nahradí data projektu na serveru daty z archivu nebo zálohy "
    "(ostatní projekty zůstanou beze změny; současná data se předtím uloží do zálohy před "
    "obnovou na tomto počítači)."
)


class BackupListModel(QAbstractTableModel):
    """A thin model over the backups found in the folder, newest first."""

    COLUMNS = ("Datum", "Druh", "Soubor", "Velikost dat", "Ověření")

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[BackupEntry] = []
        self._checks: dict[str, backup_state.Verification] = {}

    def set_entries(
        self, entries: list[BackupEntry], checks: dict[str, backup_state.Verification]
    ) -> None:
        self.beginResetModel()
        self._entries = entries
        self._checks = checks
        self.endResetModel()

    def entry(self, row: int) -> BackupEntry:
        return self._entries[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_title(self.COLUMNS, section, orientation, role)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        check = self._checks.get(entry.name)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{entry.created_at:%d.%m.%Y %H:%M}"
            if column == 1:
                return "přírůstková" if entry.is_snapshot else "archiv .zip"
            if column == 2:
                return entry.name
            if column == 3:
                return format_size(entry.size)
            if check is None:
                return "neověřeno"
            return ("✔ " if check.ok else "✘ ") + check.message
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and check is not None:
            return GOOD if check.ok else BAD
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(entry.path)
        return None


class BackupsPage(QWidget):
    def __init__(self, ctx: AppContext, controller: BackupController | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = controller or controller_for(ctx, self)
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Zálohy a obnova</h2>")
        layout.addWidget(title)
        info = read(ctx, lambda s: project_service.get_project_info(s, ctx.project_id))
        number = f" (reg. č. {info.registration_number})" if info.registration_number else ""
        self.project_label = QLabel(f"<b>Projekt: {escape(info.name)}{escape(number)}</b>")
        layout.addWidget(self.project_label)
        self.coverage = QLabel(COVERAGE_SQLITE if ctx.db.is_sqlite else COVERAGE_SERVER)
        self.coverage.setWordWrap(True)
        layout.addWidget(self.coverage)
        self.last_label = QLabel()
        layout.addWidget(self.last_label)

        self.settings_box = self._settings_box()
        layout.addWidget(self.settings_box)

        buttons = QHBoxLayout()
        self.backup_button = QPushButton("Zálohovat nyní")
        self.verify_button = QPushButton("Ověřit vybranou")
        self.restore_button = QPushButton("Obnovit vybranou…")
        self.restore_file_button = QPushButton("Obnovit ze souboru…")
        self.export_button = QPushButton("Exportovat archiv…")
        self.export_button.setToolTip(
            "Uloží současná data do jednoho souboru .zip, např. na flash disk nebo k předání."
        )
        self.reload_button = QPushButton("Načíst seznam znovu")
        self.cancel_button = QPushButton("Zrušit")
        for button in (
            self.backup_button,
            self.verify_button,
            self.restore_button,
            self.restore_file_button,
            self.export_button,
            self.reload_button,
            self.cancel_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress_text = QLabel()
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_text)

        self.model = BackupListModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.list_message = QLabel()
        self.list_message.setWordWrap(True)
        layout.addWidget(self.list_message)

        self.backup_button.clicked.connect(self.backup_now)
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.export_button.clicked.connect(self.export_archive)
        self.reload_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.controller.cancel)
        self.controller.busy_changed.connect(self._busy)
        self.controller.progressed.connect(self._progress)
        self.controller.status_changed.connect(self._status)
        self.controller.backup_finished.connect(self._backup_finished)
        self.controller.entries_loaded.connect(self._entries_loaded)
        self.controller.verified.connect(self._verified)
        self.controller.exported.connect(self._exported)
        if not ctx.db.is_sqlite:  # a server database: the archive export and restore only
            for widget in (
                self.settings_box,
                self.backup_button,
                self.verify_button,
                self.restore_button,
                self.reload_button,
                self.table,
                self.list_message,
            ):
                widget.hide()
            layout.addStretch(1)
        self._busy(self.controller.busy)
        self._status(*self.controller.status())
        self.refresh()

    # --- settings ---------------------------------------------------------------------------

    def _settings_box(self) -> QGroupBox:
        box = QGroupBox("Nastavení záloh")
        form = QFormLayout(box)
        settings = self.controller.settings
        self.folder = QLineEdit(settings.folder)
        self.folder.setPlaceholderText(r"např. \\server\sdilene\apk nebo D:\Zalohy\APK")
        choose = QPushButton("Vybrat…")
        choose.setToolTip("Vybrat složku pro zálohy (nejlépe na jiném disku)")
        choose.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form.addRow("Složka záloh:", row)
        self.interval = QComboBox()
        for hours, label in INTERVALS.items():
            self.interval.addItem(label, hours)
        self.interval.setCurrentIndex(max(0, self.interval.findData(settings.interval_hours)))
        self.interval.setMaximumWidth(220)
        form.addRow("Jak často:", self.interval)
        self.on_close = QCheckBox("zálohovat také při zavření aplikace (jen když se data změnila)")
        self.on_close.setChecked(settings.on_close)
        form.addRow("", self.on_close)
        self.keep_last = QSpinBox()
        self.keep_last.setRange(1, 100)
        self.keep_last.setValue(settings.keep_last)
        self.keep_daily = QSpinBox()
        self.keep_daily.setRange(0, 366)
        self.keep_daily.setValue(settings.keep_daily)
        self.keep_weekly = QSpinBox()
        self.keep_weekly.setRange(0, 104)
        self.keep_weekly.setValue(settings.keep_weekly)
        self.keep_monthly = QSpinBox()
        self.keep_monthly.setRange(0, 240)
        self.keep_monthly.setSpecialValueText("po celou dobu projektu")
        self.keep_monthly.setValue(settings.keep_monthly)
        keep = QHBoxLayout()
        keep.addWidget(QLabel("posledních"))
        keep.addWidget(self.keep_last)
        keep.addWidget(QLabel("+ jednu denně po"))
        keep.addWidget(self.keep_daily)
        keep.addWidget(QLabel("dnů + jednu týdně po"))
        keep.addWidget(self.keep_weekly)
        keep.addWidget(QLabel("týdnů + jednu měsíčně:"))
        keep.addWidget(self.keep_monthly)
        keep.addStretch(1)
        form.addRow("Ponechat:", keep)
        self.include_scans = QCheckBox("zahrnout přiložené skeny")
        self.include_scans.setChecked(settings.include_scans)
        form.addRow("", self.include_scans)
        self.save_button = QPushButton("Uložit nastavení")
        self.save_button.clicked.connect(self.save_settings)
        self.settings_message = QLabel()
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.settings_message, 1)
        form.addRow("", save_row)
        return box

    def _choose_folder(self) -> None:
        chosen = self.ctx.prompter.choose_folder(self, "Složka pro zálohy", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def edited_settings(self) -> BackupSettings:
        return BackupSettings(
            folder=self.folder.text().strip(),
            interval_hours=int(self.interval.currentData()),
            on_close=self.on_close.isChecked(),
            keep_last=self.keep_last.value(),
            keep_daily=self.keep_daily.value(),
            keep_weekly=self.keep_weekly.value(),
            keep_monthly=self.keep_monthly.value(),
            include_scans=self.include_scans.isChecked(),
        )

    def save_settings(self) -> bool:
        edited = self.edited_settings()
        problem = folder_problem(edited.folder) if edited.is_configured else None
        if problem is not None:
            self.ctx.prompter.warning(self, "Zálohy", problem)
            return False
        try:
            self.controller.save_settings(edited)
        except OSError as exc:
            show_error(self.ctx, self, exc)
            return False
        self.settings_message.setText("Nastavení uloženo.")
        self.refresh()
        return True

    # --- actions ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.controller.refresh_status()
        if self.ctx.db.is_sqlite:
            self.list_message.setText("Načítám seznam záloh…")
            self.controller.load_entries()

    def backup_now(self) -> None:
        if self.edited_settings() != self.controller.settings and not self.save_settings():
            return
        if not self.controller.settings.is_configured:
            self.ctx.prompter.warning(
                self, "Zálohy", "Nejdřív vyplňte složku pro zálohy a uložte nastavení."
            )
            return
        self.controller.start_backup(force=True)

    def selected_entry(self) -> BackupEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def verify_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.ctx.prompter.info(
                self, "Zálohy", "Vyberte v seznamu zálohu, kterou chcete ověřit."
            )
            return
        self.controller.verify(entry.path)

    def restore_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.ctx.prompter.info(self, "Zálohy", "Vyberte v seznamu zálohu k obnovení.")
            return
        self.controller.restore(entry.path, self)

    def restore_from_file(self) -> None:
        chosen = self.ctx.prompter.open_file(
            self, "Soubor zálohy", "Zálohy APK Desktop (apk-zaloha-*.json *.zip)"
        )
        if chosen:
            self.controller.restore(Path(chosen), self)

    def export_archive(self) -> None:
        from apk_desktop.backup.service import export_name, local_now

        chosen = self.ctx.prompter.save_file(
            self, "Exportovat archiv", export_name(local_now()), "Archiv ZIP (*.zip)"
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        self.controller.export_archive(target)

    # --- controller signals -----------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        for button in (
            self.backup_button,
            self.verify_button,
            self.restore_button,
            self.restore_file_button,
            self.export_button,
        ):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
        else:
            self.progress_text.clear()

    def _progress(self, done: int, total: int, text: str) -> None:
        scale = max(total, 1)
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * min(done, scale) / scale))
        self.progress_text.setText(text)

    def _status(self, text: str, warning: bool) -> None:
        self.last_label.setText(text)
        self.last_label.setStyleSheet("color: #b00020; font-weight: bold;" if warning else "")

    def _backup_finished(self, outcome: object) -> None:
        if isinstance(outcome, BackupCancelled | Cancelled):
            self.progress_text.setText("Zálohování zrušeno.")
        elif isinstance(outcome, BaseException):
            if not self.controller._close_allowed:
                show_error(self.ctx, self, outcome)
        elif getattr(outcome, "skipped", False):
            self.progress_text.setText("Data se od poslední zálohy nezměnila.")
        self.refresh()

    def _entries_loaded(self, outcome: object) -> None:
        if isinstance(outcome, AppError):
            self.model.set_entries([], {})
            self.list_message.setText(outcome.message)
            return
        if isinstance(outcome, BaseException):
            self.list_message.setText(str(outcome))
            return
        entries: list[BackupEntry] = list(outcome)  # type: ignore[call-overload]
        self.model.set_entries(entries, backup_state.load().verifications)
        if entries:
            self.list_message.setText(f"Záloh tohoto projektu ve složce: {len(entries)}")
        elif self.controller.settings.is_configured:
            self.list_message.setText("Ve složce zatím není žádná záloha tohoto projektu.")
        else:
            self.list_message.setText("Složka pro zálohy není nastavena.")

    def _exported(self, outcome: object) -> None:
        if isinstance(outcome, BackupCancelled | Cancelled):
            self.progress_text.setText("Export zrušen.")
        elif isinstance(outcome, BaseException):
            show_error(self.ctx, self, outcome)
        else:
            path = getattr(outcome, "path", None)
            self.ctx.prompter.info(self, "Export archivu", f"Archiv byl uložen a ověřen:\n{path}")

    def _verified(self, name: str, outcome: object) -> None:
        if isinstance(outcome, BackupCancelled | Cancelled):
            return
        if isinstance(outcome, BaseException):
            show_error(self.ctx, self, outcome)
        else:
            self.ctx.prompter.info(self, "Ověření zálohy", f"Záloha „{name}“ je v pořádku.")
        self.refresh()
