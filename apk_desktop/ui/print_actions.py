"""Printing from any screen, through one path: read plain data in the GUI thread (inside a unit of
work), build the PDF with reportlab off the GUI thread, then show the preview.

``Printer.preview(read, build)`` is that path; ``Printer.build_off_thread(work)`` is its second
half for work that reads on its own (a month's batch of sheets). The documents that several
screens print (development plan, progress summaries) are methods here, so the Tisk page and the
screen of the record print them with the same code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from apk_desktop.domain.errors import AppError
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.worker import BackgroundTask, Cancelled, TaskControl, run_with_progress

if TYPE_CHECKING:
    from apk_desktop.domain.progress_report import AssistantProgress, TeamProgress
    from apk_desktop.sheets.base import SheetHeader
    from apk_desktop.sheets.idp import IdpSheetData
    from apk_desktop.ui.pdf_preview import PdfPreviewDialog

T = TypeVar("T")
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


@dataclass(frozen=True)
class BuiltPdf:
    pdf: bytes
    title: str
    file_name: str  # suggested when saving


class Printer(QObject):
    """Builds the PDFs of one screen and opens their preview; remembers the last preview and
    the running build. ``shown`` is emitted with each preview opened."""

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
            document.pdf, document.title, document.file_name, self.ctx.prompter, self.parent_widget
        )
        self.last_preview = dialog
        dialog.open()  # window-modal, does not block
        self.shown.emit(dialog)
        return dialog

    def _warn(self, exc: BaseException) -> None:
        if isinstance(exc, AppError):
            self.ctx.prompter.warning(self.parent_widget, TITLE, exc.message)
        elif not isinstance(exc, Cancelled):
            present_error(self.parent_widget, exc)

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

    # ---- documents printed from more than one screen -------------------------------------------

    def development_plan(self, plan_id: int) -> BackgroundTask | None:
        """The plán individuálního rozvoje of one plan version."""
        from apk_desktop.db.services.plans import idp_sheet_data

        return self.preview(
            lambda s: idp_sheet_data(s, plan_id),
            _build_idp,
            busy_text="Připravuji plán individuálního rozvoje…",
        )

    def assistant_progress(self, assistant_id: int, today: date) -> BackgroundTask | None:
        """Přehled pokroku of one assistant (history, first → latest, goal 1)."""
        from apk_desktop.db.services.progress import assistant_progress, sheet_inputs

        pid = self.ctx.project_id

        def read(s: Session) -> tuple[SheetHeader, str, AssistantProgress]:
            header, legend = sheet_inputs(s, pid)
            return header, legend, assistant_progress(s, pid, assistant_id, today)

        def build(data: tuple[SheetHeader, str, AssistantProgress]) -> BuiltPdf:
            from apk_desktop.sheets.progress import assistant_progress_pdf

            header, legend, person = data
            return BuiltPdf(
                assistant_progress_pdf(header, person, today, legend),
                f"Přehled pokroku – {person.person.name}",
                f"prehled-pokroku-{assistant_id}-{today:%Y-%m-%d}.pdf",
            )

        return self.preview(read, build, busy_text="Připravuji přehled pokroku…")

    def team_progress(self, today: date) -> BackgroundTask | None:
        """Přehled pokroku of the team (matrix, goal 1 and the evidence behind it)."""
        from apk_desktop.db.services.progress import sheet_inputs, team_progress

        pid = self.ctx.project_id

        def read(s: Session) -> tuple[SheetHeader, str, TeamProgress]:
            header, legend = sheet_inputs(s, pid)
            return header, legend, team_progress(s, pid, today, with_evidence=True)

        def build(data: tuple[SheetHeader, str, TeamProgress]) -> BuiltPdf:
            from apk_desktop.sheets.progress import team_progress_pdf

            header, legend, team = data
            return BuiltPdf(
                team_progress_pdf(header, team, legend),
                "Přehled pokroku – tým",
                f"prehled-pokroku-tym-{today:%Y-%m-%d}.pdf",
            )

        return self.preview(read, build, busy_text="Připravuji přehled pokroku týmu…")


def _build_idp(data: IdpSheetData) -> BuiltPdf:
    from apk_desktop.sheets.idp import build_idp_pdf, suggested_file_name

    return BuiltPdf(
        build_idp_pdf(data), f"Plán rozvoje – {data.assistant_name}", suggested_file_name(data)
    )
