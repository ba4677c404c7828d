"""GUI start-up: single instance and logging, then the main window at once; the database is
opened and migrated off the GUI thread while the window says "Načítám…" (SQLAlchemy is not
even imported before the window is on screen), then the first screen is filled."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from apk_desktop import APP_NAME, __version__, instance_lock, startup_trace
from apk_desktop.backup import faults
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.logging_setup import configure_logging
from apk_desktop.paths import DB_ENV, data_dir, resolve_db_url
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import install_excepthook, present_error
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.startup_marks import when_first_exposed
from apk_desktop.ui.worker import run_in_background

if TYPE_CHECKING:
    from apk_desktop.startup import Opened

log = logging.getLogger(__name__)

ALREADY_RUNNING = (
    "APK Desktop už je spuštěný.\n\n"
    "Přepněte se do otevřeného okna aplikace. Dvě současně otevřené aplikace by mohly "
    "poškodit data. Pokud právě běží obnova ze zálohy z příkazové řádky, počkejte, "
    "až skončí."
)
UNSAFE_FOLDER = (
    "Databáze je ve složce synchronizované s cloudem, na síťovém disku nebo na "
    "vyměnitelném disku (USB). "
    "SQLite tam může data poškodit – přesuňte ji prosím na místní disk. "
    "Na sdílenou složku patří jen zálohy."
)
# The database opens when the window is first painted; should the platform never say so
# (e.g. a start minimised), it opens after this long anyway.
OPEN_AT_LATEST_MS = 1000


def install_czech_translations(app: QCoreApplication) -> QTranslator | None:
    """Qt's own texts (OK/Ano/Ne, Zobrazit podrobnosti…, context menus) in Czech."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Czech), "qtbase", "_", folder):
        log.warning("Czech Qt translations not found in %s", folder)
        return None
    app.installTranslator(translator)
    return translator


def build_main_window(db_url: str, *, named: bool = False) -> MainWindow | None:
    """The main window over the database the user works with, built synchronously (tests,
    scripts): the demo while the user tries it, else ``db_url`` (migrated). ``named``: the
    database was given by ``--db`` or APK_DESKTOP_DB, so it is opened even while the demo is
    remembered. A database without a project starts with the first-run wizard; None when the
    user cancels it (the database stays empty)."""
    from apk_desktop.startup import open_at_start

    opened = _with_project(open_at_start(db_url, named=named), None)
    if opened is None:
        return None
    window = MainWindow()
    _attach(window, opened, db_url)
    return window


def _with_project(
    opened: Opened,
    parent: QWidget | None,
    shown: Callable[[QDialog], None] | None = None,
) -> Opened | None:
    """``opened`` if its project is known; the one the user picks when it holds several (none
    worked on here last); else what the first-run wizard made of it (a new project, or the
    demo). None when the user leaves the chooser or the wizard (the database disposed)."""
    if opened.project_id is not None:
        return opened
    if opened.choices:
        from apk_desktop.ui.project_chooser import chosen_project

        chosen = chosen_project(parent, opened.db, opened.choices, shown)
        if chosen is None:
            opened.db.dispose()
            return None
        return replace(opened, project_id=chosen, choices=())
    from apk_desktop.ui.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard(opened.db, parent=parent)
    if shown is not None:
        when_first_exposed(wizard, lambda: shown(wizard))
    wizard.exec()
    wizard.deleteLater()
    outcome = wizard.outcome
    if outcome is None or outcome.db is not opened.db:
        opened.db.dispose()
    if outcome is None:
        return None
    return replace(opened, db=outcome.db, project_id=outcome.project_id, demo=outcome.demo)


def _attach(window: MainWindow, opened: Opened, real_url: str) -> None:
    assert opened.project_id is not None
    ctx = AppContext(db=opened.db, project_id=opened.project_id)
    window.attach(ctx)
    if opened.demo:
        from apk_desktop.ui.demo_mode import DemoMode

        window.demo_mode = DemoMode(window, ctx, real_url)
    elif opened.demo_project:  # a database filled by ``apk-desktop init --demo``
        from apk_desktop.ui.demo_mode import DEMO_TITLE

        window.setWindowTitle(DEMO_TITLE)


class _FirstPaint(QObject):
    """Calls back once, just after ``widget`` is first painted: its data are on screen."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


class Startup(QObject):
    """What follows the window on screen: restore-recovery and then the database opened and
    migrated on a worker thread, the first-run wizard over the window if the database holds no
    project, then the window's screens. A failure is shown in Czech and ends the app with 2."""

    def __init__(self, window: MainWindow, url: str, *, named: bool) -> None:
        super().__init__(window)
        self.window = window
        self.url = url
        self.named = named
        self._started = False
        self._ready = False
        self._recovery_note: str | None = None  # restore-recovery's message, not yet shown
        self._unclaimed: Opened | None = None  # opened, not yet handed to the window
        when_first_exposed(window, self._shown)
        QTimer.singleShot(OPEN_AT_LATEST_MS, self.open)

    def _shown(self) -> None:
        startup_trace.mark(startup_trace.WINDOW_SHOWN)
        self.open()

    def open(self) -> None:
        """Start opening the database (once), in one task: each hand-over between threads
        waits for the scheduler, which on a busy PC costs more than the work."""
        if self._started:
            return
        self._started = True
        url, named = self.url, self.named

        def open_database(_control: object) -> Opened:
            from apk_desktop.backup.restore import recover_at_startup
            from apk_desktop.startup import open_at_start

            # A restore or backup killed last time is finished before the database is opened.
            self._recovery_note = recover_at_startup(url)
            self._unclaimed = open_at_start(url, named=named)
            return self._unclaimed

        run_in_background(open_database, self._opened, self._failed)

    def _tell_recovery(self) -> None:
        """What restore-recovery did, before anything else the user sees of the data."""
        note, self._recovery_note = self._recovery_note, None
        if note:
            QMessageBox.information(self.window, APP_NAME, note)

    def _opened(self, opened: Opened) -> None:
        if not self.window.isVisible():  # closed while it was opening
            return
        self._unclaimed = None
        self._tell_recovery()
        try:
            chosen = _with_project(opened, self.window, self._wizard_shown)
            if chosen is None:  # the chooser or the first-run wizard was left
                self._quit(0)
                return
            _attach(self.window, chosen, self.url)
        except Exception as exc:
            self._failed(exc)
            return
        screen = self.window.stack.currentWidget()  # built by attach
        assert screen is not None
        _FirstPaint(screen, self._main_window_ready)
        if chosen.unsafe_folder:
            QMessageBox.warning(self.window, APP_NAME, UNSAFE_FOLDER)

    def _wizard_shown(self, dialog: QDialog) -> None:
        """The first-run wizard or the project chooser waits for the user."""
        # done(), not reject(): the trace's quit must not stop at "Ukončit průvodce?"
        self._mark_ready(lambda: dialog.done(0))

    def _main_window_ready(self) -> None:
        faults.pause_at("gui-shown")
        self._mark_ready(self.window.close)

    def _mark_ready(self, close: Callable[[], Any]) -> None:
        """The first screen shows its data (or the wizard waits for the user)."""
        if self._ready:
            return
        self._ready = True
        startup_trace.mark(startup_trace.READY)
        if startup_trace.quit_when_ready():
            QTimer.singleShot(0, close)

    def _failed(self, exc: BaseException) -> None:
        if not self.window.isVisible():  # closed meanwhile: the log has it
            return
        self._tell_recovery()
        present_error(self.window, exc)
        self._quit(2)

    def _quit(self, code: int) -> None:
        QCoreApplication.exit(code)

    def finish(self) -> None:
        """After the event loop: wait for an open still under way, close what nobody took."""
        QThreadPool.globalInstance().waitForDone()
        if self._unclaimed is not None:
            self._unclaimed.db.dispose()
            self._unclaimed = None
        if not self.window.loading:
            self.window.ctx.db.dispose()


def run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("APK Desktop")
    folder = data_dir()
    configure_logging()
    install_excepthook()
    install_czech_translations(app)
    log.info("starting %s %s", APP_NAME, __version__)

    try:
        lock = instance_lock.acquire(folder)
    except StorageUnavailableError as exc:  # e.g. a read-only data folder
        present_error(None, exc)
        return 2
    if lock is None:
        QMessageBox.information(None, APP_NAME, ALREADY_RUNNING)
        return 1
    try:
        url = resolve_db_url(args.db)
    except StorageUnavailableError as exc:
        present_error(None, exc)
        lock.release()
        return 2

    window = MainWindow()
    start = Startup(window, url, named=bool(args.db or os.environ.get(DB_ENV)))
    window.show()
    code = app.exec()
    start.finish()
    window.deleteLater()
    lock.release()
    return code
