"""Printing the sessions' sheets from any screen: one sheet, a month's batch or a blank sheet.
The sheets are read and filled in by ``db.services.sessions_print`` in one unit of work, then
laid out as a PDF off the GUI thread (``ui.print_actions.Printer``) and shown in the preview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from apk_desktop import printing
from apk_desktop.db.services import sessions_print
from apk_desktop.db.services.sessions_print import SheetKind
from apk_desktop.ui.print_actions import Printer
from apk_desktop.ui.worker import BackgroundTask, TaskControl

if TYPE_CHECKING:
    from apk_desktop.sheets.session_sheets import Document
    from apk_desktop.ui.pdf_preview import PdfPreviewDialog


class SheetPrinter(Printer):
    """The sessions' sheets on top of ``Printer`` (which remembers the last preview and the
    running build; tests read them)."""

    def session_sheet(
        self, session_id: int, *, include_private: bool = False
    ) -> BackgroundTask | None:
        """Preview the sheet of one session (the private note only when asked)."""

        return self.run(printing.session_sheet(session_id, include_private=include_private))

    def blank_sheet(self, kind: SheetKind, day: date | None) -> BackgroundTask | None:
        return self.run(printing.blank_sheet(self.ctx.project_id, kind, day))

    def month_batch(
        self,
        year: int,
        month: int,
        on_shown: Callable[[PdfPreviewDialog | None], None] | None = None,
    ) -> BackgroundTask:
        """All sheets of a month in one PDF, off the GUI thread with progress and cancel: first
        every sheet is read in one unit of work (closed before the build), then the PDF is
        built; then the preview."""
        db, project_id = self.ctx.db, self.ctx.project_id

        def work(control: TaskControl) -> Document | None:
            from apk_desktop.sheets.session_sheets import build_document

            def reading(done: int, total: int, text: str) -> None:
                control.progress(done, 2 * total + 1, text)  # reading is the first half

            with db.unit_of_work() as session:
                batch = sessions_print.month_sheets(
                    session, project_id, year, month, progress=reading, check=control.check
                )
            if batch is None:
                return None
            read = len(batch.sheets)

            def building(done: int, total: int, text: str) -> None:
                control.progress(read + done, read + total, text)

            return build_document(batch, progress=building, check=control.check)

        def empty() -> None:
            self.ctx.prompter.info(
                self.parent_widget, "Tisk", f"V měsíci {month}/{year} není žádné setkání."
            )

        return self.build_off_thread(
            work,
            busy_text=f"Připravuji listy za {month}/{year}…",
            on_empty=empty,
            on_shown=on_shown,
        )
