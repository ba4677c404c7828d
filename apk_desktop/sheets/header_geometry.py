"""Sizes of the sheet header that checks outside the layout need too (the logolink check in
Nastavení and on the dashboard), kept free of reportlab so the app starts without loading it."""

from __future__ import annotations

mm = 72 / 25.4  # points per millimetre, as reportlab.lib.units.mm

QR_SIZE = 20 * mm  # the QR code's dark modules' square; the quiet zone lies around it
QUIET_MODULES = 4  # white modules around the code (the standard minimum)
QUIET_ZONE_MAX = QR_SIZE * QUIET_MODULES / 21  # a version 1 code's (largest modules)
QR_GAP = 2 * mm  # between the header text (or logo) and the QR code's quiet zone
CODE_COLUMN = QR_SIZE + QUIET_ZONE_MAX + QR_GAP  # the header's right end, kept for the code
PORTRAIT_TEXT_WIDTH = 180 * mm  # A4 portrait less the margins: the narrowest page
