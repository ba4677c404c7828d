"""Preview a generated PDF inside the app, then print it or save it as a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from apk_desktop.domain.file_names import safe_file_name
from apk_desktop.files import write_atomic
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.prompter import Prompter
from apk_desktop.ui.screen_fit import fit_to_screen


class PdfPreviewDialog(QDialog):
    """Shows ``pdf`` (bytes) page by page; Tisknout… and Uložit jako PDF… (``on_output`` is
    told each time the PDF went to a printer or a file)."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        suggested_name: str,
        prompter: Prompter,
        parent: QWidget | None = None,
        *,
        on_output: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Náhled – {title}")
        self.pdf = pdf
        # the save dialog's proposal and the print job's name (Print to PDF proposes it)
        self.suggested_name = safe_file_name(suggested_name)
        self.prompter = prompter
        self.on_output = on_output  # called after each print or save (the sheet is out)

        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("Tisknout…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton(
            "Uložit jako PDF…", QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton("Zavřít", QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)

        footer = QHBoxLayout()
        footer.addWidget(QLabel(f"Stran: {self.document.pageCount()}"))
        footer.addStretch(1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        fit_to_screen(self, QSize(900, 1000))

    def save_as(self) -> Path | None:
        chosen = self.prompter.save_file(
            self, "Uložit jako PDF", self.suggested_name, "Dokument PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            write_atomic(path, self.pdf)
        except Exception as exc:
            present_error(self, exc)
            return None
        self._output_done()
        return path

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        render_to_printer(self.document, printer)
        self._output_done()

    def _output_done(self) -> None:
        if self.on_output is not None:
            self.on_output()


def render_to_printer(document: QPdfDocument, printer: QPrinter) -> None:
    """Paint each PDF page as an image at the printer's resolution, fitted to the page."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer could not be started")
    try:
        target = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
        first = max(printer.fromPage() - 1, 0)
        last = printer.toPage() - 1 if printer.toPage() > 0 else document.pageCount() - 1
        for index in range(first, last + 1):
            if index > first:
                printer.newPage()
            size = document.pagePointSize(index)
            scale = min(target.width() / size.width(), target.height() / size.height())
            image = document.render(
                index, QSize(int(size.width() * scale), int(size.height() * scale))
            )
            painter.drawImage(QPointF(0, 0), image)
    finally:
        painter.end()
