"""Building blocks shared by the sheets: field tables, grid tables, signature lines."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from apk_desktop.sheets.base import FONT, FONT_BOLD, styles

GRID = colors.HexColor("#444444")
HEADER_FILL = colors.HexColor("#e6e6e6")


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), styles()[style])


def title(text: str) -> Paragraph:
    return para(text, "title")


def heading(text: str) -> Paragraph:
    return para(text, "h2")


def field_table(
    rows: Sequence[tuple[str, str]], width: float, label_width: float = 45 * mm
) -> Table:
    """Two columns, label: value, e.g. the facts of a session at the top of a sheet."""
    data = [[para(label, "label"), para(value, "cell")] for label, value in rows]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    *,
    row_height: float | None = None,
) -> Table:
    """A bordered table whose header row repeats on every page."""
    data: list[list[Flowable | str]] = [[para(h, "cell_bold") for h in header]]
    data += [[para(cell, "cell") for cell in row] for row in rows]
    heights = [None] + [row_height] * len(rows) if row_height else None
    table = Table(data, colWidths=list(col_widths), rowHeights=heights, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def signature_lines(labels: Sequence[str], width: float) -> Table:
    """Side-by-side blanks to sign, each with a name/role under the line and a date blank."""
    cells = [
        Paragraph(f"{escape(label)}<br/>Datum: ………………………", styles()["cell"]) for label in labels
    ]
    col = width / len(labels)
    table = Table(
        [[""] * len(labels), cells], colWidths=[col] * len(labels), rowHeights=[16 * mm, None]
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def gap(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)
