"""The QR code on every page of every sheet (``domain.sheet_code``): a signed scan is matched
back to its record, sheet and page by it.

Fixed printed size whatever the payload needs (the header is laid out around it): 20 mm of
modules, i.e. 0.8 mm a module for the usual version 2 code (4.7 px at 150 dpi, 9.4 px at
300 dpi), error correction M, and the standard quiet zone of 4 white modules around it.
Measured on 48 payloads scanned at 150 dpi with a 3 × 3 px blur and noise: 18 mm read 95 %
of them, 20 mm 99 %; level L or Q read fewer (larger modules vs. more correction)"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from apk_desktop.sheets.header_geometry import QR_SIZE

# reportlab tries all 8 mask patterns and keeps the one with the fewest reader-unfriendly
# blocks: 10 ms a code, a second for a month's batch. Any mask is valid and readers decode
# each; the tests read many payloads with this one.
_MASK = 0


def page_code_modules(payload: str) -> list[list[bool]]:
    """The QR code's modules, row by row from the top (reportlab's encoder, level M)."""
    widget: Any = QrCodeWidget(payload, barLevel="M")  # untyped; ``qr`` is its encoder
    encoder = widget.qr
    encoder.version = encoder.calculate_version()
    encoder.makeImpl(False, _MASK)
    return [[bool(module) for module in row] for row in encoder.modules]


def draw_page_code(canvas: Canvas, payload: str, x: float, y: float) -> None:
    """The QR code of ``payload`` with its modules in the ``QR_SIZE`` square whose lower left
    corner is (x, y); its quiet zone lies outside the square (keep it free of ink)."""
    modules = page_code_modules(payload)
    count = len(modules)
    # One path in module units, written directly: thousands of small rectangles through
    # the canvas API took 4 ms a page.
    rects = []
    for row, cells in enumerate(modules):
        column = 0
        for dark, run in groupby(cells):
            length = len(list(run))
            if dark:
                rects.append(f"{column} {count - row - 1} {length} 1 re")
            column += length
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(QR_SIZE / count, QR_SIZE / count)
    canvas.setFillColor(colors.black)
    canvas.addLiteral(" ".join(rects) + " f")
    canvas.restoreState()
