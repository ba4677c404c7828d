"""Načíst podepsané listiny: choose scan files or a folder, read the stack off the GUI thread
(progress, Zrušit), then open the review screen over what was read. Nothing is saved until the
mentor confirms a sheet there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_task_failure
from apk_desktop.ui.worker import BackgroundTask, Cancelled, TaskControl, run_with_progress

SCANS_FILTER = "Naskenované listiny (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)"
TITLE = "Načíst podepsané listiny"


class SignedSheetsImport(QObject):
    """One import at a time. ``reviewing`` hands over the review dialog once the stack is read
    (it is open, window-modal); ``finished`` tells whether there was anything to review."""

    reviewing = Signal(object)  # the SignedReviewDialog
    finished = Signal(bool)

    def __init__(self, parent: QWidget, ctx: AppContext) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.ctx = ctx
        self.task: BackgroundTask | None = None

    def button(self) -> QPushButton:
        """The button above the sessions list: files or a whole folder."""
        button = QPushButton(f"{TITLE}…")
        menu = QMenu(button)
        menu.addAction("Vybrat soubory (PDF, obrázky)…", self.choose_files)
        menu.addAction("Vybrat celou složku…", self.choose_folder)
        button.setMenu(menu)
        return button

    def choose_files(self) -> BackgroundTask | None:
        chosen = self.ctx.prompter.open_files(self.parent_widget, TITLE, SCANS_FILTER)
        return self.start([Path(p) for p in chosen]) if chosen else None

    def choose_folder(self) -> BackgroundTask | None:
        chosen = self.ctx.prompter.choose_folder(self.parent_widget, f"{TITLE} ze složky")
        return self.start([Path(chosen)]) if chosen else None

    def start(self, paths: list[Path]) -> BackgroundTask | None:
        """Read ``paths`` (files and folders) off the GUI thread; None while one runs."""
        if self.task is not None or not paths:
            return None
        from apk_desktop.db.services import signed_sheets

        db, project_id = self.ctx.db, self.ctx.project_id

        def analyse(control: TaskControl) -> signed_sheets.StackProposal:
            try:
                return signed_sheets.analyse(
                    db,
                    paths,
                    project_id,
                    progress=control.progress,
                    check=lambda: control.cancelled,
                )
            except signed_sheets.ScanImportCancelled:
                raise Cancelled() from None

        names = paths[0].name if len(paths) == 1 else f"{len(paths)} souborů"
        self.task = run_with_progress(
            self.parent_widget,
            f"Čtu podepsané listiny ({names})…",
            analyse,
            self._read,
            self._failed,
        )
        return self.task

    def _read(self, stack: object) -> None:
        from apk_desktop.db.services.signed_sheets import StackProposal
        from apk_desktop.ui.signed_review import SignedReviewDialog

        self.task = None
        assert isinstance(stack, StackProposal)
        if not stack.sheets and not stack.unmatched:
            self.ctx.prompter.warning(
                self.parent_widget, TITLE, "Ve skenech není žádná stránka ke zpracování."
            )
            self.finished.emit(False)
            return
        dialog = SignedReviewDialog(self.ctx, stack, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.reviewing.emit(dialog)
        self.finished.emit(True)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        present_task_failure(self.parent_widget, self.ctx.prompter, TITLE, exc)
        self.finished.emit(False)
