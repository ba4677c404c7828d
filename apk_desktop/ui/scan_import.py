"""Attaching a signed scan: read, check and copy off the GUI thread (progress, Zrušit), then
attach it in one unit of work on the GUI thread and say so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from apk_desktop.db.services import evidence as evidence_service
from apk_desktop.db.services.evidence import ScanImportCancelled, StagedScan
from apk_desktop.db.services.sessions import get_session
from apk_desktop.domain.czech_format import format_date
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_task_failure
from apk_desktop.ui.worker import BackgroundTask, Cancelled, TaskControl, run_with_progress

SCAN_FILTER = "Podepsaný sken (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
TITLE = "Podepsaný sken"


class ScanAttacher(QObject):
    """One attach at a time; ``finished`` tells whether the scan was attached."""

    finished = Signal(bool)

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.ctx = ctx
        self.task: BackgroundTask | None = None

    def attach(self, session_id: int) -> BackgroundTask | None:
        """Ask for a file and start the import; None when nothing was chosen or one runs."""
        if self.task is not None:
            return None
        chosen = self.ctx.prompter.open_file(
            self.parent_widget, "Přiložit podepsaný sken", SCAN_FILTER
        )
        if not chosen:
            return None
        source = Path(chosen)

        def stage(control: TaskControl) -> StagedScan:
            try:
                return evidence_service.stage_scan(
                    source, progress=control.progress, cancel=lambda: control.cancelled
                )
            except ScanImportCancelled:
                raise Cancelled() from None

        self.task = run_with_progress(
            self.parent_widget,
            f"Čtu a kontroluji sken „{source.name}“…",
            stage,
            lambda staged: self._attach(session_id, staged),
            self._failed,
        )
        return self.task

    def _attach(self, session_id: int, staged: StagedScan) -> None:
        self.task = None
        try:
            with self.ctx.db.unit_of_work() as session:
                evidence_service.attach_staged(session, session_id, staged)
                view = get_session(session, session_id)
        except Exception as exc:
            self._failed(exc)
            return
        finally:
            evidence_service.discard_staged(staged)  # a no-op once it was moved into place
        self.ctx.events.changed.emit("sessions")
        self.ctx.prompter.info(
            self.parent_widget,
            TITLE,
            f"Sken „{staged.original_name}“ je přiložen k setkání „{view.topic}“ "
            f"z {format_date(view.date)}.",
        )
        self.finished.emit(True)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        present_task_failure(self.parent_widget, self.ctx.prompter, TITLE, exc)
        self.finished.emit(False)
