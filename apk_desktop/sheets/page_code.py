"""The QR code on every page of every sheet (``domain.sheet_code``): a signed scan is matched
back to its record, sheet and page by it.

Fixed printed size whatever the payload needs (the header is laid out around it): 18 mm of
modules, i.e. 0.72 mm a module for the usual version 2 code (4.3 px at 150 dpi, 8.5 px at
300 dpi), error correction M, and the standard quiet zone of 4 white modules around it. It
still decodes from a blurred, noisy 120 dpi scan; at 16 mm a 5 × 5 px blur at 150 dpi broke
it."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Rect
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_SIZE = 18 * mm  # the dark modules' square; the quiet zone lies around it
QUIET_MODULES = 4
QUIET_ZONE_MAX = QR_SIZE * QUIET_MODULES / 21  # a version 1 code's (largest modules)


def draw_page_code(canvas: Canvas, payload: str, x: float, y: float) -> None:
    """The QR code of ``payload`` with its modules in the ``QR_SIZE`` square whose lower left
    corner is (x, y); its quiet zone lies outside the square (keep it free of ink)."""
    widget: Any = QrCodeWidget(payload, barLevel="M", barBorder=QUIET_MODULES)  # untyped
    widget.qr.make()
    modules = widget.qr.getModuleCount()
    quiet = QR_SIZE / modules * QUIET_MODULES
    widget.barWidth = widget.barHeight = QR_SIZE + 2 * quiet
    widget.x, widget.y = x - quiet, y - quiet
    # The widget's module rectangles as one filled path: renderPDF would also set reportlab's
    # default font (Helvetica) on the page, listed in the PDF though never used.
    path = canvas.beginPath()
    for shape in widget.draw().contents:
        if isinstance(shape, Rect) and shape.fillColor is not None:
            path.rect(shape.x, shape.y, shape.width, shape.height)
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
