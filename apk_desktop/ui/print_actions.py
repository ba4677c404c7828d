"""Printing from any screen, through one path: read plain data in the GUI thread (inside a unit of
work), build the PDF with reportlab off the GUI thread, then show the preview.

``Printer.preview(read, build)`` is that path; ``Printer.build_off_thread(work)`` is its second
half for work that reads on its own (a month's batch of sheets). What each document reads and
builds is in ``apk_desktop.printing`` (shared with ``apk-desktop print``); the documents that
several screens print (development plan, progress summaries) are methods here, so the Tisk page
and the screen of the record print them with the same code. Printing or saving a previewed PDF
records what was printed where.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from apk_desktop import printing
from apk_desktop.printing import PrintJob
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_task_failure
from apk_desktop.ui.worker import BackgroundTask, TaskControl, run_with_progress

if TYPE_CHECKING:
    from apk_desktop.sheets.layout import SheetLayout
    from apk_desktop.ui.pdf_preview import PdfPreviewDialog

T = TypeVar("T")
log = logging.getLogger(__name__)
TITLE = "Tisk"
BUSY_TEXT = "Připravuji náhled k tisku…"

# reportlab keeps process-wide caches (fonts, styles): one build at a time, never two at once.
_BUILD_LOCK = threading.Lock()


class Printable(Protocol):
    """A built PDF with what the preview needs (``sheets.session_sheets.Document`` is one)."""

    @property
    def pdf(self) -> bytes: ...

    @property
    def title(self) -> str: ...

    @property
    def file_name(self) -> str: ...

    @property
    def layouts(self) -> tuple[SheetLayout, ...]: ...


class Printer(QObject):
    """Builds the PDFs of one screen and opens their preview; remembers the last preview and
    the running build. ``shown`` is emitted with each preview opened; printing or saving from
    it records what was printed where (``printing.record_printed``)."""

    shown = Signal(object)  # the PdfPreviewDialog

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.ctx = ctx
        self.last_preview: PdfPreviewDialog | None = None
        self.task: BackgroundTask | None = None

    # ---- the path every print takes ------------------------------------------------------------

    def show(self, document: Printable) -> PdfPreviewDialog:
        from apk_desktop.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(
            document.pdf,
            document.title,
            document.file_name,
            self.ctx.prompter,
            self.parent_widget,
            on_output=lambda: self._record(document),
        )
        self.last_preview = dialog
        dialog.open()  # window-modal, does not block
        self.shown.emit(dialog)
        return dialog

    def _record(self, document: Printable) -> None:
        """The document was printed or saved: store what was printed where. The output is
        done and stays; a failure only warns."""
        try:
            printing.record_printed(
                self.ctx.db, self.ctx.project_id, document.layouts, document.pdf
            )
        except Exception:
            log.exception("the printed layout could not be recorded")
            self.ctx.prompter.warning(self.parent_widget, TITLE, printing.NOT_RECORDED)

    def _warn(self, exc: BaseException) -> None:
        present_task_failure(self.parent_widget, self.ctx.prompter, TITLE, exc)

    def build_off_thread(
        self,
        work: Callable[[TaskControl], Printable | None],
        *,
        busy_text: str = BUSY_TEXT,
        on_empty: Callable[[], None] | None = None,
        on_shown: Callable[[PdfPreviewDialog | None], None] | None = None,
    ) -> BackgroundTask:
        """Run ``work`` on the thread pool (progress dialog with Zrušit after a second), then
        show its document in the preview on the GUI thread. ``work`` returning None means
        nothing to print: ``on_empty`` says so."""

        def guarded(control: TaskControl) -> Printable | None:
            with _BUILD_LOCK:
                control.check()
                return work(control)

        def done(document: Printable | None) -> None:
            self.task = None
            shown = None
            if document is None:
                if on_empty:
                    on_empty()
            else:
                shown = self.show(document)
            if on_shown:
                on_shown(shown)

        def failed(exc: BaseException) -> None:
            self.task = None
            self._warn(exc)
            if on_shown:
                on_shown(None)

        self.task = run_with_progress(self.parent_widget, busy_text, guarded, done, failed)
        return self.task

    def preview(
        self,
        read: Callable[[Session], T],
        build: Callable[[T], Printable],
        *,
        busy_text: str = BUSY_TEXT,
        on_shown: Callable[[PdfPreviewDialog | None], None] | None = None,
    ) -> BackgroundTask | None:
        """``read(session)`` in the GUI thread (plain data only, no ORM objects), then
        ``build(data)`` off it, then the preview. None when the read failed (already said)."""
        try:
            with self.ctx.db.unit_of_work() as session:
                data = read(session)
        except Exception as exc:
            self._warn(exc)
            return None
        return self.build_off_thread(
            lambda _control: build(data), busy_text=busy_text, on_shown=on_shown
        )

    def run(self, job: PrintJob[Any], *, busy_text: str = BUSY_TEXT) -> BackgroundTask | None:
        """Preview a document of ``apk_desktop.printing`` (the same PDF the command line makes)."""
        return self.preview(job.read, job.build, busy_text=busy_text)

    # ---- documents printed from more than one screen -------------------------------------------

    def development_plan(self, plan_id: int) -> BackgroundTask | None:
        """The plán individuálního rozvoje of one plan version."""
        return self.run(
            printing.development_plan(plan_id), busy_text="Připravuji plán individuálního rozvoje…"
        )

    def assistant_progress(self, assistant_id: int, today: date) -> BackgroundTask | None:
        """Přehled pokroku of one assistant (history, first → latest, goal 1)."""
        job = printing.assistant_progress(self.ctx.project_id, assistant_id, today)
        return self.run(job, busy_text="Připravuji přehled pokroku…")

    def team_progress(self, today: date) -> BackgroundTask | None:
        """Přehled pokroku of the team (matrix, goal 1 and the evidence behind it)."""
        job = printing.team_progress(self.ctx.project_id, today)
        return self.run(job, busy_text="Připravuji přehled pokroku týmu…")
