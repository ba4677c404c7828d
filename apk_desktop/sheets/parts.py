"""Building blocks shared by the sheets: field tables, grid tables, signature lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.limits import remove_control_characters
from apk_desktop.sheets.base import FONT, FONT_BOLD, styles
from apk_desktop.sheets.layout import RowLabel, SignatureTable

GRID = colors.HexColor("#444444")
HEADER_FILL = colors.HexColor("#e6e6e6")
# label: value tables (``field_table``, ``field_grid``): grid, shaded label column, tight rows
FIELD_STYLE: tuple[tuple[Any, ...], ...] = (
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
    ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
)


# bordered tables with a shaded header row (``grid_table``, ``signature_table``)
GRID_TABLE_STYLE: list[tuple[Any, ...]] = [
    ("FONT", (0, 0), (-1, -1), FONT, 9),
    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
]


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept; control characters of older rows
    dropped)."""
    text = escape(remove_control_characters(text))
    return Paragraph(text.replace("\n", "<br/>"), styles()[style])


def title(text: str) -> Paragraph:
    return para(text, "title")


def heading(text: str) -> Paragraph:
    return para(text, "h2")


def field_table(
    rows: Sequence[tuple[str, str]], width: float, label_width: float = 45 * mm
) -> Table:
    """Two columns, label: value, e.g. the facts of a session at the top of a sheet."""
    data = [[para(label, "label"), para(value, "cell")] for label, value in rows]
    table = Table(data, colWidths=[label_width, width - label_width], splitInRow=1)
    table.setStyle(TableStyle(list(FIELD_STYLE)))
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
    table.setStyle(TableStyle(GRID_TABLE_STYLE))
    return table


def signature_lines(
    labels: Sequence[str],
    width: float,
    *,
    space: float = 16 * mm,
    align: Literal["LEFT", "CENTER", "RIGHT"] = "CENTER",
) -> Table:
    """Side-by-side blanks to sign, each with a name/role under the line and a date blank;
    ``space`` above the line to sign in, ``align`` the table when narrower than the page."""
    cells = [
        Paragraph(f"{escape(label)}<br/>Datum: ………………………", styles()["cell"]) for label in labels
    ]
    col = width / len(labels)
    table = Table(
        [[""] * len(labels), cells],
        colWidths=[col] * len(labels),
        rowHeights=[space, None],
        hAlign=align,
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


# --- Helpers for sheets whose fields may be left blank (blank sheets for unplanned sessions) ---

BLANK = "…" * 14
BOX = "☐"


def or_blank(value: str, blank: str = BLANK) -> str:
    """``value``, or a dotted line to fill in by hand when it is empty."""
    return value.strip() or blank


def choice(chosen: str, options: Sequence[str]) -> str:
    """The chosen option, or every option with a box to tick when none was chosen."""
    return chosen.strip() or "   ".join(f"{BOX}\u00a0{option}" for option in options)


def time_range(start: time | None, end: time | None) -> str:
    """``9:00–12:30``; blanks for a missing end."""
    if start is None and end is None:
        return "……… – ………"
    return f"{_clock(start)} – {_clock(end)}"


def _clock(value: time | None) -> str:
    return f"{value.hour}:{value.minute:02d}" if value is not None else "………"


def text_box(text: str, width: float, min_height: float = 30 * mm) -> Table:
    """A bordered box with ``text``, tall enough to write in by hand when ``text`` is empty."""
    table = Table(
        [[para(text, "cell")]],
        colWidths=[width],
        rowHeights=[None if text.strip() else min_height],
        splitInRow=1,  # a long text continues on the next page
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


PAGE_WIDTH = 180 * mm  # A4 portrait minus the margins
SIGN_ROW_HEIGHT = 10 * mm  # tall enough to sign (≥ 10 mm)


def running_line(title: str, day: date | None, topic: str) -> str:
    """``Prezenční listina · 12.03.2026 · Téma``: repeated on every page after the first."""
    return " · ".join(part for part in (title, format_date(day), " ".join(topic.split())) if part)


def activity_text(code: str, name: str) -> str:
    """``KA04 – Vzdělávání a supervize APK``."""
    return " – ".join(part for part in (code, name) if part)


def signature_table(
    participants: Sequence[tuple[str, str]],
    blank_rows: int,
    *,
    note_column: bool,
    participant_ids: Sequence[int | None] = (),
) -> Table:
    """No., name, position, a signature column ≥ 60 mm (rows ≥ 10 mm), optionally a note;
    pre-filled with ``participants`` (name, position) and ``blank_rows`` empty rows after.
    Each row's signature cell is recorded as drawn (``layout.SignatureTable``)."""
    header = ["Č.", "Jméno a příjmení", "Pozice", "Podpis"]
    if note_column:
        widths = [10 * mm, 52 * mm, 32 * mm, 62 * mm, 24 * mm]
        header.append("Poznámka")
    else:
        widths = [10 * mm, 62 * mm, 38 * mm, 70 * mm]
    ids = [*participant_ids, *[None] * len(participants)][: len(participants)]
    people = [(name, pos, pid) for (name, pos), pid in zip(participants, ids, strict=True)]
    people += [("", "", None)] * blank_rows
    blanks = [""] * (len(header) - 3)
    data: list[list[Flowable | str]] = [[para(h, "cell_bold") for h in header]]
    for number, (name, position, pid) in enumerate(people, start=1):
        label = RowLabel(
            f"{number}.",
            styles()["cell"],
            row=number,
            participant=name,
            participant_id=pid,
            sign_column=3,
        )
        data.append([label, para(name, "cell"), para(position, "cell"), *blanks])
    heights = [None] + [SIGN_ROW_HEIGHT] * len(people)
    table = SignatureTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    table.setStyle(TableStyle(GRID_TABLE_STYLE))
    return table


FieldRow = tuple[str, str] | tuple[tuple[str, str], tuple[str, str]]


def field_grid(rows: Sequence[FieldRow], width: float, label_width: float = 34 * mm) -> Table:
    """Like ``field_table`` in four columns: a row is one wide (label, value) or two pairs."""
    half = width / 2
    widths = [label_width, half - label_width, label_width, half - label_width]
    data: list[list[Flowable | str]] = []
    per_row: list[tuple[Any, ...]] = []
    for index, row in enumerate(rows):
        if isinstance(row[0], tuple):
            (l1, v1), (l2, v2) = row
            data.append([para(l1, "label"), para(v1, "cell"), para(l2, "label"), para(v2, "cell")])
            per_row.append(("BACKGROUND", (2, index), (2, index), HEADER_FILL))
        else:
            label, value = row
            assert isinstance(label, str) and isinstance(value, str)
            data.append([para(label, "label"), para(value, "cell"), "", ""])
            per_row.append(("SPAN", (1, index), (3, index)))
    table = Table(data, colWidths=widths, splitInRow=1)
    table.setStyle(TableStyle([*FIELD_STYLE, *per_row]))
    return table
