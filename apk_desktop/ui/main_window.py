"""Main window: navigation on the left, the chosen screen on the right, the open project and
database below."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from apk_desktop import APP_NAME, paths
from apk_desktop.logging_setup import LOG_FILE
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.elided_label import ElidedLabel
from apk_desktop.ui.icons import ICON_SIZE, icon
from apk_desktop.ui.pages import PAGES, LoadingPage, PageSpec, PlaceholderPage
from apk_desktop.ui.tooltips import apply_tooltips
from apk_desktop.ui.window_state import restore_window, save_window

if TYPE_CHECKING:
    from apk_desktop.db.database import Database
    from apk_desktop.ui.backup_controller import BackupController
    from apk_desktop.ui.help_window import HelpWindow

NAV_STYLE = """
QListWidget#navigation { background: #f4f6f8; border: none; border-right: 1px solid #d0d5da;
                         font-size: 11pt; }
QListWidget#navigation::item { padding: 6px 12px; }
QListWidget#navigation::item:selected { background: #2b6cb0; color: white; }
"""


class MainWindow(QMainWindow):
    """Without ``ctx`` it opens "Načítám…" (the database opens meanwhile) until ``attach``."""

    ctx: AppContext
    backup_controller: BackupController

    def __init__(self, ctx: AppContext | None = None, pages: list[PageSpec] | None = None) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        if not restore_window(self):
            self._fit_to_screen()
        self.demo_mode: object | None = None  # ui.demo_mode.DemoMode over the demo database
        self._specs = pages if pages is not None else PAGES
        self._built: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(240)
        self.nav.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget()
        self.nav.setIconSize(ICON_SIZE)
        for spec in self._specs:
            item = QListWidgetItem(spec.title)
            if spec.icon:
                item.setIcon(icon(spec.icon))
            item.setSizeHint(QSize(200, 36))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # built lazily on first visit
        self.loading_page: LoadingPage | None = LoadingPage()
        self.stack.addWidget(self.loading_page)
        self.nav.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.project_label = QLabel()
        self.project_label.setObjectName("project_label")
        self.project_label.setContentsMargins(0, 0, 16, 0)  # apart from the database
        self.statusBar().addWidget(self.project_label)
        self.db_label = ElidedLabel("Databáze: načítám…")
        self.statusBar().addWidget(self.db_label, 1)
        for row in range(min(9, len(self._specs))):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.activated.connect(lambda r=row: self.nav.setCurrentRow(r))
        # Seam: tests replace it to see which folder or file would be opened.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.help_window: HelpWindow | None = None  # built on the first F1
        self._build_menus()
        # What needs the database waits for it; a screen chosen meanwhile opens when it is there.
        self.data_actions = [
            self.backup_action,
            self.restore_action,
            self.signed_action,
            self.export_csv_action,
            self.export_xlsx_action,
            self.about_action,
            self.switch_project_action,
            self.new_project_action,
        ]
        for action in self.data_actions:
            action.setEnabled(False)
        self.nav.setCurrentRow(0)
        if ctx is not None:
            self.attach(ctx)

    @property
    def loading(self) -> bool:
        """True until ``attach`` gives the window its database."""
        return self.loading_page is not None

    def attach(self, ctx: AppContext) -> None:
        """Work on ``ctx`` from now on: the chosen screen is built and shown."""
        from apk_desktop.ui.backup_controller import BackupController

        assert self.loading_page is not None, "attached twice"
        self.ctx = ctx
        self._show_where()
        ctx.events.open_record.connect(self.open_record)
        self.backup_controller = BackupController(ctx, self)
        self.backup_controller.attach(self)
        for action in self.data_actions:
            action.setEnabled(True)
        self.stack.removeWidget(self.loading_page)
        self.loading_page.deleteLater()
        self.loading_page = None
        self._show_row(self.nav.currentRow())

    def _build_menus(self) -> None:
        """Soubor and Nápověda, as in the office programs; each item calls what the screens'
        own buttons call."""
        menu = self.menuBar().addMenu("&Soubor")
        self.backup_action = menu.addAction("&Zálohovat nyní", self._backup_now)
        self.restore_action = menu.addAction("&Obnovit ze zálohy…", self._restore_from_file)
        self.signed_action = menu.addAction("Načíst &podepsané listiny…", self._signed_sheets)
        export = menu.addMenu("&Exportovat")
        self.export_csv_action = export.addAction(
            "Vzdělávání a supervize do CSV…", lambda: self._export("csv")
        )
        self.export_xlsx_action = export.addAction(
            "Vzdělávání a supervize do XLSX…", lambda: self._export("xlsx")
        )
        menu.addSeparator()
        self.quit_action = menu.addAction("&Konec", self.close)
        # setShortcuts, not setShortcut: its overloads load the Qt namespace (~100 enums,
        # 18 ms), which the window does without until it is on screen
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        project = self.menuBar().addMenu("&Projekt")
        self.switch_project_action = project.addAction("&Přepnout projekt…", self.choose_project)
        self.switch_project_action.setShortcuts([QKeySequence("Ctrl+Shift+P")])
        self.new_project_action = project.addAction("&Nový projekt…", self.new_project)
        help_menu = self.menuBar().addMenu("&Nápověda")
        self.guide_action = help_menu.addAction("&Uživatelská příručka", self.show_help)
        self.guide_action.setShortcuts([QKeySequence("F1")])
        self.about_action = help_menu.addAction("&O aplikaci", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction("Otevřít &složku dat", self.open_data_folder)
        help_menu.addAction("Otevřít &protokol", self.open_log)

    def choose_project(self) -> QDialog | None:
        from apk_desktop.ui import project_switch

        return project_switch.choose(self)

    def new_project(self) -> QDialog:
        from apk_desktop.ui import project_switch

        return project_switch.new_project(self)

    def _show_where(self) -> None:
        """The open project in the title and the status bar, the database beside it."""
        from apk_desktop.db.services.project import get_project_info
        from apk_desktop.ui.actions import read

        info = read(self.ctx, lambda s: get_project_info(s, self.ctx.project_id))
        self.setWindowTitle(f"{APP_NAME} – {info.name}")
        self.project_label.setText(f"Projekt: {info.name} ({info.registration_number})")
        self.project_label.setToolTip(info.name)
        self.db_label.setText(f"Databáze: {self.ctx.db.display_name}")

    def _backup_now(self) -> None:
        from apk_desktop.ui.backups import BackupsPage

        page = self.show_page("backups")
        if isinstance(page, BackupsPage):
            page.backup_now()

    def _restore_from_file(self) -> None:
        from apk_desktop.ui.backups import BackupsPage

        page = self.show_page("backups")
        if isinstance(page, BackupsPage):
            page.restore_from_file()

    def _signed_sheets(self) -> None:
        from apk_desktop.ui.sessions import SessionsPage

        page = self.show_page("sessions")
        if isinstance(page, SessionsPage):
            page.signed.choose_files()

    def _export(self, kind: str) -> None:
        from apk_desktop.ui.sessions import SessionsPage

        page = self.show_page("sessions")
        if isinstance(page, SessionsPage):
            export = page.export_csv if kind == "csv" else page.export_xlsx
            export()

    def show_help(self) -> None:
        """The user guide at the chapter that explains the current screen."""
        from apk_desktop.ui.help_window import HelpWindow

        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_for_page(self._specs[max(self.nav.currentRow(), 0)].key)

    def show_about(self) -> QDialog:
        from PySide6.QtCore import Qt  # not at import: see quit_action

        from apk_desktop.ui.about_dialog import AboutDialog, current_facts

        dialog = AboutDialog(current_facts(self.ctx.db.display_name), self.open_url, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_data_folder(self) -> None:
        self.open_url(QUrl.fromLocalFile(str(paths.data_dir())))

    def open_log(self) -> None:
        log = paths.logs_dir() / LOG_FILE
        self.open_url(QUrl.fromLocalFile(str(log if log.exists() else log.parent)))

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1600, int(screen.width() * 0.95)), min(1000, int(screen.height() * 0.92)))

    def page(self, key: str) -> QWidget:
        """The screen for ``key``, built on first use."""
        row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        spec = self._specs[row]
        if key not in self._built:
            widget = spec.factory(self.ctx) if spec.factory else PlaceholderPage(spec.title)
            apply_tooltips(key, widget)
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
        if self.loading_page is not None:
            self.loading_page.set_title(self._specs[row].title)
            self.stack.setCurrentWidget(self.loading_page)
            return
        key = self._specs[row].key
        built_before = key in self._built  # a new page loaded its data when it was built
        widget = self.page(key)
        self.stack.setCurrentIndex(row)
        refresh = getattr(widget, "refresh", None)
        if built_before and callable(refresh):
            refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.loading:
            save_window(self)
            event.accept()
            return
        if not self.pages_can_close():
            event.ignore()
            return
        if not self.backup_controller.can_close():  # an on-close backup runs first
            event.ignore()
            return
        save_window(self)
        event.accept()

    def pages_can_close(self, question: str | None = None) -> bool:
        """False when a screen keeps unsaved edits the user does not want to lose; ``question``
        asks about them (default: closing the app)."""
        for widget in self._built.values():
            can_close = getattr(widget, "can_close", None)
            if callable(can_close) and not (can_close(question) if question else can_close()):
                return False
        return True

    def reopen_database(
        self, db: Database, project_id: int | None = None, *, announce: bool = True
    ) -> None:
        """Work on ``db`` (after a restore) or another of its projects from now on: every
        screen is rebuilt from it. ``announce``: tell the listeners that all data changed
        (not on a switch: nothing changed, and every screen is new anyway)."""
        self.ctx.db = db
        if project_id is not None:
            self.ctx.project_id = project_id
        for key, widget in list(self._built.items()):
            row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
            self.stack.insertWidget(row, QWidget())
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self._built.clear()
        self._show_where()
        self.backup_controller.refresh_status()  # each project has its own last backup
        self._show_row(self.nav.currentRow())
        if announce:
            self.ctx.events.changed.emit("all")
