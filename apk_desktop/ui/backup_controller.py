"""Backups as the running app sees them: periodic and on-close backups off the GUI thread,
the status-bar line, and restore ending with the window reopened on the restored data."""

from __future__ import annotations

import logging
import sqlite3
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from apk_desktop.backup import settings as backup_settings
from apk_desktop.backup import state as backup_state
from apk_desktop.backup.errors import BackupCancelled
from apk_desktop.backup.service import is_due, is_overdue, local_now
from apk_desktop.backup.settings import INTERVALS, BackupSettings
from apk_desktop.domain.errors import AppError
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.worker import Cancelled, TaskControl, run_in_background

if TYPE_CHECKING:
    from apk_desktop.backup.restore import PreparedRestore
    from apk_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
CHECK_INTERVAL_MS = 5 * 60 * 1000
WARNING_STYLE = "color: #b00020; font-weight: bold;"
PROGRESS_EVERY_S = 0.05
_controllers: dict[int, weakref.ref[BackupController]] = {}


def controller_for(ctx: AppContext, parent: QObject | None = None) -> BackupController:
    """The app's controller for ``ctx`` (made by the main window), or a new one."""
    ref = _controllers.get(id(ctx))
    found = ref() if ref is not None else None
    return found if found is not None else BackupController(ctx, parent)


def _cancel_of(control: TaskControl) -> Any:
    return lambda: control.cancelled


Report = Callable[[int, int, str], None]


def throttled(report: Report, clock: Callable[[], float] = time.monotonic) -> Report:
    """``report`` at most every 50 ms, and at once for a new step or its end. A backup reports
    every 256 kB (thousands of times a second); each report repaints the screen on the GUI
    thread, and unthrottled they froze it for 100–400 ms."""
    last_at = -1e9
    last_text: str | None = None

    def progress(done: int, total: int, text: str = "") -> None:
        nonlocal last_at, last_text
        now = clock()
        if text != last_text or done >= total or now - last_at >= PROGRESS_EVERY_S:
            last_at, last_text = now, text
            report(done, total, text)

    return progress


class BackupController(QObject):
    busy_changed = Signal(bool)
    progressed = Signal(int, int, str)
    status_changed = Signal(str, bool)  # text, warning
    backup_finished = Signal(object)  # BackupResult or the exception
    entries_loaded = Signal(object)  # list[BackupEntry] or the exception
    verified = Signal(str, object)  # file name, Manifest or the exception
    exported = Signal(object)  # BackupResult of an exported archive, or the exception
    restored = Signal(object)  # Manifest, or the exception

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.window: MainWindow | None = None
        self.label: QLabel | None = None
        self.task: Any = None
        self._close_pending = False
        self._close_allowed = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.run_if_due)
        _controllers[id(ctx)] = weakref.ref(self)

    # --- wiring -----------------------------------------------------------------------------

    def attach(self, window: MainWindow) -> None:
        """Put the status line in ``window``'s status bar and start the periodic check."""
        self.window = window
        self.label = QLabel()
        self.label.setObjectName("backupStatus")
        window.statusBar().addPermanentWidget(self.label)
        self.refresh_status()
        self.timer.start()
        self.first_check = QTimer(self)  # soon after start, a backup may be due already
        self.first_check.setSingleShot(True)
        self.first_check.timeout.connect(self.run_if_due)
        self.first_check.start(60_000)

    @property
    def settings(self) -> BackupSettings:
        return backup_settings.load()

    def save_settings(self, new: BackupSettings) -> None:
        backup_settings.save(new)
        self.refresh_status()

    @property
    def busy(self) -> bool:
        return self.task is not None

    # --- status -----------------------------------------------------------------------------

    def status(self) -> tuple[str, bool]:
        settings = self.settings
        if not self.ctx.db.is_sqlite:
            return "Zálohy: data jsou na serveru – zálohuje je server", False
        if not settings.is_configured:
            return "Zálohy nejsou nastaveny", True
        current = backup_state.load(project_id=self.ctx.project_id)
        last_good = current.last_good
        if last_good is None:
            return "Zatím žádná záloha", True
        shown = current.last_success or last_good
        text = f"Poslední záloha: {shown:%d.%m.%Y %H:%M}"
        if is_overdue(settings, last_good, local_now()):
            period = INTERVALS.get(settings.interval_hours, f"{settings.interval_hours} h")
            return f"⚠ {text} – starší, než dovoluje nastavení ({period})", True
        if current.last_error:
            return f"{text} (poslední pokus selhal)", True
        return text, False

    def refresh_status(self) -> None:
        text, warning = self.status()
        if self.label is not None:
            self.label.setText(text)
            self.label.setStyleSheet(WARNING_STYLE if warning else "")
            self.label.setToolTip(backup_state.load(project_id=self.ctx.project_id).last_error)
        self.status_changed.emit(text, warning)

    def _set_task(self, task: Any) -> None:
        self.task = task
        self.busy_changed.emit(task is not None)
        if task is not None and self.label is not None:
            self.label.setText("Zálohuji…")
            self.label.setStyleSheet("")

    # --- backup -----------------------------------------------------------------------------

    def run_if_due(self) -> bool:
        """The periodic check: start a backup when one is due (only if data changed)."""
        settings = self.settings
        if self.busy:
            return False
        self.refresh_status()  # the overdue warning appears as time passes
        if not settings.is_configured or not self.ctx.db.is_sqlite:
            return False
        if not is_due(
            settings, backup_state.load(project_id=self.ctx.project_id).last_good, local_now()
        ):
            return False
        return self.start_backup(force=False)

    def start_backup(self, *, force: bool = True, folder: Path | None = None) -> bool:
        """Back up in the background; False when another backup/restore is running."""
        if self.busy:
            return False
        from apk_desktop.backup.service import backup_now

        url, settings, project_id = self.ctx.db.url, self.settings, self.ctx.project_id

        def work(control: TaskControl) -> Any:
            return backup_now(
                url,
                settings,
                folder=folder,
                force=force,
                progress=throttled(control.progress),
                cancel=_cancel_of(control),
                project_id=project_id,
            )

        self._set_task(
            run_in_background(work, self._backup_done, self._backup_done, self.progressed.emit)
        )
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.control.cancel()

    def _backup_done(self, outcome: object) -> None:
        self._set_task(None)
        self.refresh_status()
        self.backup_finished.emit(outcome)
        if self._close_pending:
            self._close_pending = False
            self._close_allowed = True
            if isinstance(outcome, BaseException) and not isinstance(
                outcome, BackupCancelled | Cancelled
            ):
                self.ctx.prompter.warning(
                    self.window,
                    "Záloha při zavření",
                    "Zálohu se při zavírání aplikace nepodařilo vytvořit:\n\n"
                    + (outcome.message if isinstance(outcome, AppError) else str(outcome))
                    + "\n\nData v tomto počítači jsou v pořádku.",
                )
            if self.window is not None:
                self.window.close()

    def can_close(self) -> bool:
        """Called by the main window: hold the close while an on-close backup runs."""
        if self._close_allowed:
            return True
        if self.busy:
            self._close_pending = True  # close when the running task ends
            return False
        settings = self.settings
        if settings.on_close and settings.is_configured and self.ctx.db.is_sqlite:
            self._close_pending = True
            if self.label is not None:
                self.label.setText("Zálohuji před zavřením…")
            self.start_backup(force=False)
            return False
        return True

    # --- list and verify --------------------------------------------------------------------

    def load_entries(self) -> None:
        """The current project's backups in the backup folder."""
        from apk_desktop.backup.service import list_project_backups

        settings = self.settings
        if not settings.is_configured:
            self.entries_loaded.emit([])
            return
        folder, url, project_id = Path(settings.folder), self.ctx.db.url, self.ctx.project_id
        run_in_background(
            lambda _c: list_project_backups(folder, url, project_id),
            self.entries_loaded.emit,
            self.entries_loaded.emit,
        )

    def verify(self, path: Path) -> bool:
        if self.busy:
            return False
        from apk_desktop.backup.service import verify_backup

        def work(control: TaskControl) -> Any:
            return verify_backup(
                path, progress=throttled(control.progress), cancel=_cancel_of(control)
            )

        def done(outcome: object) -> None:
            self._set_task(None)
            self.refresh_status()
            self.verified.emit(path.name, outcome)

        self._set_task(run_in_background(work, done, done, self.progressed.emit))
        return True

    def export_archive(self, target: Path) -> bool:
        """Write the current data into one .zip archive at ``target`` in the background."""
        if self.busy:
            return False
        from apk_desktop.backup.service import export_archive

        url, include_scans = self.ctx.db.url, self.settings.include_scans
        project_id = self.ctx.project_id

        def work(control: TaskControl) -> Any:
            return export_archive(
                url,
                target,
                include_scans=include_scans,
                progress=throttled(control.progress),
                cancel=_cancel_of(control),
                project_id=project_id,
            )

        def done(outcome: object) -> None:
            self._set_task(None)
            self.refresh_status()
            self.exported.emit(outcome)

        self._set_task(run_in_background(work, done, done, self.progressed.emit))
        return True

    # --- restore ----------------------------------------------------------------------------

    def restore(self, path: Path, parent: QWidget | None) -> None:
        """Show the manifest, confirm, save a safety backup, restore, reopen the app."""
        if self.busy:
            return
        from apk_desktop.backup.reader import read_manifest

        def shown(manifest: Any) -> None:
            self._set_task(None)
            self.refresh_status()  # not "Zálohuji…" while only the question is open
            from apk_desktop.backup.describe import describe_manifest
            from apk_desktop.backup.projects import manifest_project

            project = manifest_project(manifest)
            replaced = (
                f"Data projektu „{project.name}“ budou nahrazena (ostatní projekty v databázi "
                "zůstanou beze změny)."
                if project is not None
                else "Současná data budou nahrazena."
            )
            question = (
                f"Obnovit data ze zálohy „{path.name}“?\n\n{describe_manifest(manifest)}\n\n"
                f"{replaced} Předtím se uloží do zálohy před obnovou, takže je lze vrátit."
            )
            if self.ctx.prompter.confirm(parent, "Obnova ze zálohy", question):
                self._prepare(path, parent)

        def failed(exc: BaseException) -> None:
            self._set_task(None)
            self.refresh_status()
            show_error(self.ctx, parent, exc)

        self._set_task(run_in_background(lambda _c: read_manifest(path), shown, failed))

    def _prepare(self, path: Path, parent: QWidget | None) -> None:
        from apk_desktop.backup.restore import prepare_restore
        from apk_desktop.backup.service import sqlite_path

        if not self.ctx.db.is_sqlite:
            self._restore_on_server(path, parent)
            return
        db_path = sqlite_path(self.ctx.db.url)
        self._set_enabled(False)

        def work(control: TaskControl) -> Any:
            return prepare_restore(
                path, db_path, progress=throttled(control.progress), cancel=_cancel_of(control)
            )

        def failed(exc: BaseException) -> None:
            self._set_task(None)
            self._set_enabled(True)
            self.refresh_status()
            if not isinstance(exc, BackupCancelled | Cancelled):
                show_error(self.ctx, parent, _storage(exc, path))
            self.restored.emit(exc)

        self._set_task(
            run_in_background(work, lambda p: self._commit(p, parent), failed, self.progressed.emit)
        )

    def _commit(self, prepared: PreparedRestore, parent: QWidget | None) -> None:
        from apk_desktop.backup.archive import Manifest
        from apk_desktop.backup.restore import commit_restore
        from apk_desktop.db.open import open_database

        self._set_task(None)
        url = self.ctx.db.url
        self.ctx.db.dispose()
        try:
            commit_restore(prepared)
        except Exception as exc:
            self._reopen(open_database(url))
            show_error(self.ctx, parent, _storage(exc, Path(prepared.db_path)))
            self.restored.emit(exc)
            return
        self._reopened(prepared.safety_backup)
        self.restored.emit(Manifest(prepared.manifest))

    def _restore_on_server(self, path: Path, parent: QWidget | None) -> None:
        """Replace the server's data in one transaction (off the GUI thread), then reopen."""
        from apk_desktop.backup.server import restore_into_server

        url = self.ctx.db.url
        self._set_enabled(False)

        def work(control: TaskControl) -> Any:
            return restore_into_server(
                path, url, progress=throttled(control.progress), cancel=_cancel_of(control)
            )

        def done(outcome: Any) -> None:
            self._set_task(None)
            self._reopened(outcome.safety_backup)
            self.restored.emit(outcome.manifest)

        def failed(exc: BaseException) -> None:
            self._set_task(None)
            self._set_enabled(True)
            self.refresh_status()
            if not isinstance(exc, BackupCancelled | Cancelled):
                show_error(self.ctx, parent, _storage(exc, path))
            self.restored.emit(exc)

        self._set_task(run_in_background(work, done, failed, self.progressed.emit))

    def _reopened(self, safety_backup: str) -> None:
        """Open the restored data in the window and say where the old data went."""
        from apk_desktop.db.open import open_database
        from apk_desktop.db.seed import current_project
        from apk_desktop.db.services.project import list_projects

        url = self.ctx.db.url
        self.ctx.db.dispose()
        db = open_database(url)
        with db.unit_of_work() as session:
            # the project worked on, if the restored data hold it (not the shared flag)
            kept = any(p.id == self.ctx.project_id for p in list_projects(session))
            project_id = self.ctx.project_id if kept else current_project(session).id
        self._reopen(db, project_id)
        self.refresh_status()
        self.ctx.prompter.info(
            self.window,
            "Obnova ze zálohy",
            "Data byla obnovena ze zálohy. Aplikace nyní pracuje s obnovenými daty.\n\n"
            f"Původní data jsou uložena v záloze před obnovou:\n{safety_backup}",
        )

    def _reopen(self, db: Any, project_id: int | None = None) -> None:
        self._set_enabled(True)
        if self.window is not None:
            self.window.reopen_database(db, project_id)
        else:
            self.ctx.db = db
            if project_id is not None:
                self.ctx.project_id = project_id
            self.ctx.events.changed.emit("all")

    def _set_enabled(self, enabled: bool) -> None:
        central = self.window.centralWidget() if self.window is not None else None
        if central is not None:
            central.setEnabled(enabled)


def show_error(ctx: AppContext, parent: QWidget | None, exc: BaseException) -> None:
    """Expected failures (Czech message) through the prompter; the unexpected to the presenter."""
    if isinstance(exc, AppError):
        ctx.prompter.warning(parent, "Zálohy", exc.message)
    else:
        present_error(parent, exc)


def _storage(exc: BaseException, path: Path) -> BaseException:
    from apk_desktop.backup.errors import (
        is_sqlite_storage_error,
        sqlite_storage_error,
        storage_error,
    )

    if isinstance(exc, OSError):
        return storage_error(exc, str(path.parent))
    if isinstance(exc, sqlite3.Error) and is_sqlite_storage_error(exc):
        return sqlite_storage_error(exc, str(path.parent))
    return exc
