"""GUI start-up: single instance, logging, database, main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from apk_desktop import APP_NAME, __version__, instance_lock, startup_trace
from apk_desktop.backup import faults
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.logging_setup import configure_logging
from apk_desktop.paths import DB_ENV, data_dir, looks_synced_or_remote, resolve_db_url
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import install_excepthook, present_error
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.startup_marks import when_first_exposed

log = logging.getLogger(__name__)

ALREADY_RUNNING = (
    "APK Desktop už je spuštěný.\n\n"
    "Přepněte se do otevřeného okna aplikace. Dvě současně otevřené aplikace by mohly "
    "poškodit data. Pokud právě běží obnova ze zálohy z příkazové řádky, počkejte, "
    "až skončí."
)


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
    """The main window over the database the user works with: the demo while the user tries
    it, else ``db_url`` (migrated). ``named``: the database was given by ``--db`` or
    APK_DESKTOP_DB, so it is opened even while the demo is remembered. A database without a
    project starts with the first-run wizard; None when the user cancels it (the database
    stays empty)."""
    from apk_desktop import startup
    from apk_desktop.db.open import open_database

    if not named and startup.load().demo and startup.demo_db_path().is_file():
        db, project_id = startup.open_demo()
        return _window(AppContext(db=db, project_id=project_id), db_url, demo=True)
    db = open_database(db_url)
    found = startup.project_id_of(db)
    if found is None:
        from apk_desktop.ui.first_run_wizard import FirstRunWizard

        wizard = FirstRunWizard(db)
        # done(), not reject(): the trace's quit must not stop at "Ukončit průvodce?"
        when_first_exposed(wizard, lambda: _ready(lambda: wizard.done(0)))
        wizard.exec()
        outcome = wizard.outcome
        if outcome is None:
            db.dispose()
            return None
        if outcome.db is not db:
            db.dispose()
        return _window(AppContext(outcome.db, outcome.project_id), db_url, demo=outcome.demo)
    return _window(AppContext(db=db, project_id=found), db_url, demo=False)


def _ready(close: Callable[[], object]) -> None:
    """The first window is on screen with its data: mark it for the start-up trace."""
    startup_trace.mark(startup_trace.WINDOW_SHOWN)
    startup_trace.mark(startup_trace.READY)
    if startup_trace.quit_when_ready():
        QTimer.singleShot(0, close)


def _window(ctx: AppContext, real_url: str, *, demo: bool) -> MainWindow:
    window = MainWindow(ctx)
    if demo:
        from apk_desktop.ui.demo_mode import DemoMode

        window.demo_mode = DemoMode(window, ctx, real_url)
    elif _is_demo_project(ctx):  # a database filled by ``apk-desktop init --demo``
        from apk_desktop.ui.demo_mode import DEMO_TITLE

        window.setWindowTitle(DEMO_TITLE)
    return window


def _is_demo_project(ctx: AppContext) -> bool:
    from apk_desktop.db.services.project import get_project_info

    with ctx.db.unit_of_work() as session:
        return get_project_info(session, ctx.project_id).is_demo


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
        from apk_desktop.backup.restore import recover_at_startup

        recovered = recover_at_startup(url)  # a restore or backup killed last time
        if recovered:
            QMessageBox.information(None, APP_NAME, recovered)
        window = build_main_window(url, named=bool(args.db or os.environ.get(DB_ENV)))
    except Exception as exc:
        present_error(None, exc)
        lock.release()
        return 2
    if window is None:  # the first-run wizard was cancelled
        lock.release()
        return 0
    if window.ctx.db.is_sqlite and looks_synced_or_remote(Path(window.ctx.db.display_name)):
        QMessageBox.warning(
            window,
            APP_NAME,
            "Databáze je ve složce synchronizované s cloudem, na síťovém disku nebo na "
            "vyměnitelném disku (USB). "
            "SQLite tam může data poškodit – přesuňte ji prosím na místní disk. "
            "Na sdílenou složku patří jen zálohy.",
        )
    when_first_exposed(window, lambda: _ready(window.close))
    window.show()
    faults.pause_at("gui-shown")
    code = app.exec()
    window.ctx.db.dispose()
    lock.release()
    return code
