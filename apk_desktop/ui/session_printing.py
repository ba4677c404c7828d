"""Printing the sessions' sheets from any screen: one sheet, a month's batch (off the GUI thread,
with progress and cancel) or a blank sheet, each shown in the PDF preview first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from apk_desktop.domain.errors import AppError
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.worker import BackgroundTask, Cancelled, TaskControl, run_with_progress

if TYPE_CHECKING:
    from apk_desktop.sheets.session_sheets import Document, SheetKind
    from apk_desktop.ui.pdf_preview import PdfPreviewDialog


class SheetPrinter:
    """Builds sheets for one screen and opens the preview; remembers the last preview (tests
    read it) and the running batch."""

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        self.parent = parent
        self.ctx = ctx
        self.last_preview: PdfPreviewDialog | None = None
        self.batch: BackgroundTask | None = None

    def show(self, document: Document) -> PdfPreviewDialog:
        from apk_desktop.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(
            document.pdf, document.title, document.file_name, self.ctx.prompter, self.parent
        )
        self.last_preview = dialog
        dialog.open()  # window-modal, does not block
        return dialog

    def _build(self, build: Callable[[Any], Document]) -> PdfPreviewDialog | None:
        try:
            with self.ctx.db.unit_of_work() as session:
                document = build(session)
        except AppError as exc:
            self.ctx.prompter.warning(self.parent, "Tisk", exc.message)
            return None
        except Exception as exc:
            present_error(self.parent, exc)
            return None
        return self.show(document)

    def session_sheet(
        self, session_id: int, *, include_private: bool = False
    ) -> PdfPreviewDialog | None:
        """Preview the sheet of one session (the private note only when asked)."""
        from apk_desktop.sheets.session_sheets import session_document

        return self._build(
            lambda s: session_document(
                s, self.ctx.project_id, session_id, include_private=include_private
            )
        )

    def blank_sheet(self, kind: SheetKind, day: date | None) -> PdfPreviewDialog | None:
        from apk_desktop.sheets.session_sheets import blank_document

        return self._build(lambda s: blank_document(s, self.ctx.project_id, kind, day))

    def month_batch(
        self,
        year: int,
        month: int,
        on_shown: Callable[[PdfPreviewDialog | None], None] | None = None,
    ) -> BackgroundTask:
        """All sheets of a month in one PDF, built off the GUI thread; then the preview."""
        db, project_id = self.ctx.db, self.ctx.project_id

        def work(control: TaskControl) -> Document | None:
            from apk_desktop.sheets.session_sheets import month_batch

            with db.unit_of_work() as session:
                return month_batch(
                    session,
                    project_id,
                    year,
                    month,
                    progress=control.progress,
                    check=control.check,
                )

        def done(document: Document | None) -> None:
            self.batch = None
            shown = None
            if document is None:
                self.ctx.prompter.info(
                    self.parent, "Tisk", f"V měsíci {month}/{year} není žádné setkání."
                )
            else:
                shown = self.show(document)
            if on_shown:
                on_shown(shown)

        def failed(exc: BaseException) -> None:
            self.batch = None
            if isinstance(exc, AppError):
                self.ctx.prompter.warning(self.parent, "Tisk", exc.message)
            elif not isinstance(exc, Cancelled):
                present_error(self.parent, exc)
            if on_shown:
                on_shown(None)

        self.batch = run_with_progress(
            self.parent, f"Připravuji listy za {month}/{year}…", work, done, failed
        )
        return self.batch
