"""Printing the sessions' sheets from any screen: one sheet, a month's batch or a blank sheet,
each built off the GUI thread (``ui.print_actions.Printer``) and shown in the PDF preview first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import sessions as session_service
from apk_desktop.ui.print_actions import Printer
from apk_desktop.ui.worker import BackgroundTask, TaskControl

if TYPE_CHECKING:
    from apk_desktop.sheets.session_sheets import Document, SheetKind
    from apk_desktop.ui.pdf_preview import PdfPreviewDialog

SessionSheetInput = tuple[project_service.ProjectInfo, session_service.SessionView]


class SheetPrinter(Printer):
    """The sessions' sheets on top of ``Printer`` (which remembers the last preview and the
    running build; tests read them)."""

    def session_sheet(
        self, session_id: int, *, include_private: bool = False
    ) -> BackgroundTask | None:
        """Preview the sheet of one session (the private note only when asked)."""
        pid = self.ctx.project_id

        def read(s: Session) -> SessionSheetInput:
            return project_service.get_project_info(s, pid), session_service.get_session(
                s, session_id
            )

        def build(data: SessionSheetInput) -> Document:
            from apk_desktop.sheets.session_sheets import session_document_from

            return session_document_from(*data, include_private=include_private)

        return self.preview(read, build)

    def blank_sheet(self, kind: SheetKind, day: date | None) -> BackgroundTask | None:
        pid = self.ctx.project_id

        def build(info: project_service.ProjectInfo) -> Document:
            from apk_desktop.sheets.session_sheets import blank_document_from

            return blank_document_from(info, kind, day)

        return self.preview(lambda s: project_service.get_project_info(s, pid), build)

    def month_batch(
        self,
        year: int,
        month: int,
        on_shown: Callable[[PdfPreviewDialog | None], None] | None = None,
    ) -> BackgroundTask:
        """All sheets of a month in one PDF, read and built off the GUI thread (in its own unit
        of work, with progress per sheet and cancel); then the preview."""
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
