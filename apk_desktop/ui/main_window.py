"""Main window: navigation on the left, the chosen screen on the right, database below."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from apk_desktop import APP_NAME
from apk_desktop.db.database import Database
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.pages import PAGES, PageSpec, PlaceholderPage
from apk_desktop.ui.window_state import restore_window, save_window

NAV_STYLE = """
QListWidget#navigation { background: #f4f6f8; border: none; border-right: 1px solid #d0d5da;
                         font-size: 11pt; }
QListWidget#navigation::item { padding: 6px 12px; }
QListWidget#navigation::item:selected { background: #2b6cb0; color: white; }
"""


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(APP_NAME)
        if not restore_window(self):
            self._fit_to_screen()
        self.demo_mode: object | None = None  # ui.demo_mode.DemoMode over the demo database
        self._specs = pages if pages is not None else PAGES
        self._built: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(220)
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        for spec in self._specs:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(200, 36))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # built lazily on first visit
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(f"Databáze: {ctx.db.display_name}")
        self.statusBar().addWidget(self.db_label, 1)
        for row in range(min(9, len(self._specs))):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.activated.connect(lambda r=row: self.nav.setCurrentRow(r))
        ctx.events.open_record.connect(self.open_record)
        from apk_desktop.ui.backup_controller import BackupController

        self.backup_controller = BackupController(ctx, self)
        self.backup_controller.attach(self)
        self.nav.setCurrentRow(0)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1280, int(screen.width() * 0.95)), min(820, int(screen.height() * 0.92)))

    def page(self, key: str) -> QWidget:
        """The screen for ``key``, built on first use."""
        row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        spec = self._specs[row]
        if key not in self._built:
            widget = spec.factory(self.ctx) if spec.factory else PlaceholderPage(spec.title)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, widget)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self._built[key] = widget
        return self._built[key]

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        self.nav.setCurrentRow(row)
        return self.page(key)

    def open_record(self, key: str, record_id: int) -> None:
        widget = self.show_page(key)
        opener = getattr(widget, "open_record", None)
        if callable(opener):
            opener(record_id)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        widget = self.page(self._specs[row].key)
        self.stack.setCurrentIndex(row)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        for widget in self._built.values():
            can_close = getattr(widget, "can_close", None)
            if callable(can_close) and not can_close():
                event.ignore()
                return
        if not self.backup_controller.can_close():  # an on-close backup runs first
            event.ignore()
            return
        save_window(self)
        event.accept()

    def reopen_database(self, db: Database, project_id: int | None = None) -> None:
        """Work on ``db`` from now on (after a restore): every screen is rebuilt from it."""
        self.ctx.db = db
        if project_id is not None:
            self.ctx.project_id = project_id
        for key, widget in list(self._built.items()):
            row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
            self.stack.insertWidget(row, QWidget())
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self.db_label.setText(f"Databáze: {db.display_name}")
        self._show_row(self.nav.currentRow())
        self.ctx.events.changed.emit("all")
