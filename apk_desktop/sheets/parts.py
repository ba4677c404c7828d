"""Building blocks shared by the sheets: field tables, grid tables, signature lines."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, time
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    FrameBreak,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.limits import remove_control_characters
from apk_desktop.sheets.base import FONT, FONT_BOLD, MARGIN, styles
from apk_desktop.sheets.layout import RowLabel, SignatureTable
from apk_desktop.sheets.typography import (
    bind_short_words,
    fitting_font_size,
    hyphenated,
    sized,
    tinted,
)

FRAME_PADDING = 6  # reportlab's Frame keeps 6 pt padding on every side
PAGE_WIDTH = A4[0] - 2 * MARGIN - 2 * FRAME_PADDING  # what a story may fill, A4 portrait
LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN - 2 * FRAME_PADDING  # … and A4 landscape
# reportlab's default paddings of a table cell: 6 pt left and right, 3 pt top and bottom
CELL_PADDING_X = 12
CELL_PADDING_Y = 6
SIGN_ROW_HEIGHT = 10 * mm  # tall enough to sign (≥ 10 mm)
SIGNATURE_GAP = 10 * mm  # between side-by-side signature lines

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


def para(text: str, style: str = "body", *, hyphenate: bool = True, size: float = 0) -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept; control characters of older rows
    dropped), set by the Czech rules (``typography``): one-letter prepositions and titles bound
    to the next word, running text hyphenated. Names are not hyphenated (``hyphenate=False``);
    ``size`` sets the font size instead of the style's."""
    text = escape(bind_short_words(remove_control_characters(text)))
    chosen = _style(style)
    if size and size != chosen.fontSize:
        chosen = sized(chosen, size)
    if hyphenate:
        chosen = hyphenated(chosen)
    return Paragraph(text.replace("\n", "<br/>"), chosen)


def name_para(text: str, size: float = 0, style: str = "cell") -> Paragraph:
    """A person's name (or a list of them): never hyphenated."""
    return para(text, style, hyphenate=False, size=size)


def title(text: str) -> Paragraph:
    return para(text, "title", hyphenate=False)


def heading(text: str) -> Paragraph:
    """A section heading; it stays on the page of what follows it."""
    flowable = para(text, "h2", hyphenate=False)
    flowable.keepWithNext = True
    return flowable


MUTED = colors.HexColor("#707070")  # who left the project: printed, but in grey


def _style(name: str) -> ParagraphStyle:
    """A paragraph style by name: the frame's (``base.styles``) or ``cell_muted``."""
    if name == "cell_muted":
        return tinted(styles()["cell"], MUTED)
    return styles()[name]


def name_size(texts: Sequence[str], width: float, style: str = "cell") -> float:
    """The font size at which no word of ``texts`` (names) must be broken in a column of
    ``width`` (a smaller size than the style's when a name is long, down to 6.5 pt)."""
    chosen = _style(style)
    return fitting_font_size(texts, chosen.fontName, chosen.fontSize, width - CELL_PADDING_X)


def with_heading(heading_text: str, flowables: Sequence[Flowable]) -> list[Flowable]:
    """A heading and what it heads; the heading never ends a page alone: it moves to the next
    page unless there is room for it and the first lines after it."""
    head = para(heading_text, "h2", hyphenate=False)  # kept by the KeepTogether below
    if not flowables:
        return [heading(heading_text)]
    return [kept_with_start([head, flowables[0]]), *flowables[1:]]


START_ROOM = 3 * 13 + 6  # three lines of body text (and a table cell's paddings)


class KeepStart(KeepTogether):
    """A heading (or label) and what it heads: moved to the next page when the heading and the
    first lines after it do not fit on this one; otherwise started here, the last flowable
    flowing onto the next pages as far as it needs (a long text or table is never pushed onto
    a page of its own, and a heading never ends a page)."""

    def __init__(self, flowables: Sequence[Flowable]) -> None:
        super().__init__(list(flowables))
        self._flowables = list(flowables)

    def split(self, aW: float, aH: float) -> list[Flowable]:
        content = list(self._flowables)
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if getattr(self, "_H") <= aH:  # noqa: B009 - set by KeepTogether.wrap, untyped
            return content
        frame = getattr(self, "_frame", None)
        if self.start_height(aW) > aH and not getattr(frame, "_atTop", False):
            return [FrameBreak(), *content]
        return content

    def start_height(self, width: float) -> float:
        """The height of the heading and the least that may follow it on a page."""
        *first, last = self._flowables
        height = sum(float(f.wrapOn(self.canv, width, 1e9)[1]) for f in first)
        return height + _start_of(last, width, self.canv)


def _start_of(flowable: Flowable, width: float, canvas: Any) -> float:
    """The least of ``flowable`` that may start a page: three lines of a text, a table's
    first rows (a heading row, its header and two rows, kept together), a nested
    ``KeepStart``'s start."""
    if isinstance(flowable, KeepStart):
        flowable.canv = canvas
        return flowable.start_height(width)
    _, height = flowable.wrapOn(canvas, width, 1e9)
    if isinstance(flowable, Table):
        rows: list[float] = getattr(flowable, "_rowHeights")  # noqa: B009 - reportlab's layout
        if flowable.splitInRow:  # a tall row may be split: its first lines suffice
            rows = [min(row, START_ROOM) for row in rows]
        return float(min(height, sum(rows[:4])))
    return float(min(height, START_ROOM))


def kept_with_start(flowables: Sequence[Flowable]) -> KeepStart:
    """``flowables`` (a heading or label and what it heads) start on one page (``KeepStart``)."""
    return KeepStart(flowables)


def text_paragraphs(text: str) -> list[Flowable]:
    """A long text (conclusions, goals, notes) as paragraphs that flow across pages: one per
    line of ``text`` (an empty line leaves a gap); none for an empty text."""
    if not text.strip():
        return []
    lines = remove_control_characters(text).strip("\n").split("\n")
    result: list[Flowable] = []
    for line in lines:
        if line.strip():
            result.append(para(line, "body"))
        else:
            result.append(Spacer(1, styles()["body"].leading / 2))
    return result


KEEP_LIMIT = 100 * mm  # rows kept together never take more than this (else they may split)


def no_lonely_rows(heights: Sequence[float], first: int, last: int) -> list[tuple[Any, ...]]:
    """Table style commands so that no page holds a single row of ``first``..``last`` (the
    data rows, ``heights`` of every row of the table): the first two rows stay together (with
    the header above, which cannot be split from them) and so do the last two; unless two rows
    are too tall to move together."""
    commands: list[tuple[Any, ...]] = []
    if last - first < 1:
        return commands
    for top in (first, last - 1):
        if heights[top] + heights[top + 1] <= KEEP_LIMIT:
            commands.append(("NOSPLIT", (0, top), (-1, top + 1)))
    return commands


def kept_with_tail(heights: Sequence[float], first: int, last: int) -> list[tuple[Any, ...]]:
    """Keep the row after ``last`` (signatures) with the last two data rows (``first``..
    ``last``), or with the last one when two are too tall to move together."""
    for top in (max(last - 1, first), last):
        if top >= first and sum(heights[top : last + 1]) <= KEEP_LIMIT:
            return [("NOSPLIT", (0, top), (-1, last + 1))]
    return []


def row_heights(data: Sequence[Sequence[Any]], widths: Sequence[float]) -> list[float]:
    """The natural height of each row of a table (cells with default paddings)."""
    return [
        max(
            (
                _height(cell, width)
                for cell, width in zip(row, widths, strict=True)
                if isinstance(cell, Flowable)
            ),
            default=0.0,
        )
        for row in data
    ]


def field_table(
    rows: Sequence[tuple[str, str]], width: float, label_width: float = 45 * mm
) -> Table:
    """Two columns, label: value, e.g. the facts of a session at the top of a sheet."""
    data = [[para(label, "label", hyphenate=False), para(value, "cell")] for label, value in rows]
    table = Table(data, colWidths=[label_width, width - label_width], splitInRow=1)
    table.setStyle(TableStyle(list(FIELD_STYLE)))
    return table


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    col_widths: Sequence[float],
    *,
    row_height: float | None = None,
    name_columns: Collection[int] = (),
    muted_rows: Collection[int] = (),
    tail: Sequence[Flowable] = (),
) -> Table:
    """A bordered table whose header row repeats on every page. ``name_columns`` hold names
    (set smaller rather than broken, never hyphenated); ``muted_rows`` (indexes of ``rows``)
    print in grey; ``tail`` (e.g. signatures) is printed under the table and always shares a
    page with its last two rows."""
    sizes = {c: name_size([row[c] for row in rows], col_widths[c]) for c in name_columns}
    data: list[list[Any]] = [[para(h, "cell_bold", hyphenate=False) for h in header]]
    for index, row in enumerate(rows):
        style = "cell_muted" if index in muted_rows else "cell"
        data.append(
            [
                name_para(cell, sizes[c], style) if c in sizes else para(cell, style)
                for c, cell in enumerate(row)
            ]
        )
    heights: list[float | None] = [None, *([row_height] * len(rows))]
    natural = row_heights(data, col_widths)
    commands = [*GRID_TABLE_STYLE, *no_lonely_rows(natural, 1, len(rows))]
    if tail:
        last = len(data) - 1
        data.append([list(tail), *[""] * (len(header) - 1)])
        heights.append(None)
        commands = [
            *(c for c in commands if c[0] != "GRID"),
            ("GRID", (0, 0), (-1, last), 0.4, GRID),
            *_outside_grid(last + 1, len(header)),
            *kept_with_tail(natural, 1, last),
        ]
    table = Table(data, colWidths=list(col_widths), rowHeights=heights, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def signature_lines(
    labels: Sequence[str],
    width: float,
    *,
    space: float = 16 * mm,
    align: Literal["LEFT", "CENTER", "RIGHT"] = "CENTER",
) -> Table:
    """Side-by-side blanks to sign, each with a name/role under the line and a date blank;
    ``space`` above the line to sign in, ``align`` the table when narrower than the page.
    Each signer has a line of their own, ``SIGNATURE_GAP`` apart."""
    count = len(labels)
    col = (width - SIGNATURE_GAP * (count - 1)) / count
    top: list[Flowable | str] = []
    cells: list[Flowable | str] = []
    widths: list[float] = []
    lines: list[tuple[Any, ...]] = []
    for index, label in enumerate(labels):
        if index:
            top.append("")
            cells.append("")
            widths.append(SIGNATURE_GAP)
        top.append("")
        cells.append(name_para(f"{label}\nDatum: ………………………"))
        widths.append(col)
        lines.append(("LINEBELOW", (len(widths) - 1, 0), (len(widths) - 1, 0), 0.5, colors.black))
    table = Table([top, cells], colWidths=widths, rowHeights=[space, None], hAlign=align)
    table.setStyle(
        TableStyle(
            [
                *lines,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
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


def write_in_box(width: float, height: float) -> Table:
    """An empty bordered box to write in by hand (blank sheets)."""
    table = Table([[""]], colWidths=[width], rowHeights=[height])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.4, GRID)]))
    return table


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
    lead: Sequence[Flowable] = (),
    tail: Sequence[Flowable] = (),
) -> Table:
    """No., name, position, a signature column ≥ 60 mm (rows ≥ 10 mm), optionally a note;
    pre-filled with ``participants`` (name, position) and ``blank_rows`` empty rows after.
    ``lead`` (a heading) is printed above the column header and stays with it and the first
    two rows; ``tail`` (the total and the signatures of who led the session) is printed under
    the last row and always shares a page with the last two rows. Names are set smaller
    rather than broken. Each row's signature cell is recorded as drawn
    (``layout.SignatureTable``)."""
    header = ["Č.", "Jméno a příjmení", "Pozice", "Podpis"]
    number_width = 10 * mm
    if note_column:
        fixed = [62 * mm, 24 * mm]  # signature, note
        header.append("Poznámka")
        name_share = 0.62
    else:
        fixed = [70 * mm]
        name_share = 0.60
    rest = PAGE_WIDTH - number_width - sum(fixed)
    widths = [number_width, rest * name_share, rest * (1 - name_share), *fixed]
    ids = [*participant_ids, *[None] * len(participants)][: len(participants)]
    people = [(name, pos, pid) for (name, pos), pid in zip(participants, ids, strict=True)]
    people += [("", "", None)] * blank_rows
    name_pt = name_size([name for name, _, _ in people], widths[1])
    position_pt = name_size([position for _, position, _ in people], widths[2])
    blanks = [""] * (len(header) - 3)
    data: list[list[Any]] = []
    if lead:
        data.append([list(lead), *[""] * (len(header) - 1)])
    head_row = len(data)
    data.append([para(h, "cell_bold", hyphenate=False) for h in header])
    heights: list[float | None] = [None] * len(data)
    for number, (name, position, pid) in enumerate(people, start=1):
        label = RowLabel(
            f"{number}.",
            styles()["cell"],
            row=number,
            participant=name,
            participant_id=pid,
            sign_column=3,
        )
        cells = [_person_cell(name, name_pt), _person_cell(position, position_pt)]
        tall = max(_height(cell, width) for cell, width in zip(cells, widths[1:3], strict=True))
        data.append([label, *cells, *blanks])
        heights.append(max(tall, SIGN_ROW_HEIGHT))  # a very long name makes a taller row
    last = len(data) - 1
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *no_lonely_rows([h or 0.0 for h in heights], head_row + 1, last),
    ]
    if lead:
        commands += _outside_grid(0, len(header))
    if tail:
        data.append([list(tail), *[""] * (len(header) - 1)])
        heights.append(None)
        commands += _outside_grid(last + 1, len(header))
        commands.append(("ALIGN", (0, last + 1), (-1, last + 1), "RIGHT"))  # a narrower block
        commands += kept_with_tail([h or 0.0 for h in heights], head_row + 1, last)
    commands += [
        ("GRID", (0, head_row), (-1, last), 0.4, GRID),
        ("BACKGROUND", (0, head_row), (-1, head_row), HEADER_FILL),
    ]
    table = SignatureTable(data, colWidths=widths, rowHeights=heights, repeatRows=(head_row,))
    table.setStyle(TableStyle(commands))
    return table


def _person_cell(text: str, size: float) -> Paragraph | str:
    """A name or position cell of a signature row; a blank row's cells stay empty strings
    (a month's batch has hundreds of them: no paragraph to parse and lay out)."""
    return name_para(text, size) if text.strip() else ""


def _height(cell: Flowable | str, width: float) -> float:
    """The height of a table cell holding ``cell`` in a column of ``width`` (default
    paddings); 0 for an empty cell."""
    if isinstance(cell, str):
        return 0.0
    return float(cell.wrap(width - CELL_PADDING_X, 1e9)[1]) + CELL_PADDING_Y


def _outside_grid(row: int, columns: int) -> list[tuple[Any, ...]]:
    """Style of a row that spans the table without its grid (a heading or the signatures)."""
    return [
        ("SPAN", (0, row), (columns - 1, row)),
        ("LEFTPADDING", (0, row), (-1, row), 0),
        ("RIGHTPADDING", (0, row), (-1, row), 0),
        ("TOPPADDING", (0, row), (-1, row), 0),
        ("BOTTOMPADDING", (0, row), (-1, row), 0),
        ("VALIGN", (0, row), (-1, row), "TOP"),
    ]


FieldRow = tuple[str, str] | tuple[tuple[str, str], tuple[str, str]]


WRITE_IN_HEIGHT = 10 * mm  # a field left blank is tall enough to write in by hand


def field_grid(rows: Sequence[FieldRow], width: float, label_width: float = 34 * mm) -> Table:
    """Like ``field_table`` in four columns: a row is one wide (label, value) or two pairs.
    A row with a value to fill in by hand (``BLANK``, ``BOX``) is ``WRITE_IN_HEIGHT`` tall,
    its text at the bottom."""
    half = width / 2
    widths = [label_width, half - label_width, label_width, half - label_width]
    data: list[list[Flowable | str]] = []
    heights: list[float | None] = []
    per_row: list[tuple[Any, ...]] = []
    for index, row in enumerate(rows):
        if isinstance(row[0], tuple):
            (l1, v1), (l2, v2) = row
            cells: list[Flowable | str] = [
                para(l1, "label", hyphenate=False),
                para(v1, "cell"),
                para(l2, "label", hyphenate=False),
                para(v2, "cell"),
            ]
            values = [v1, v2]
            per_row.append(("BACKGROUND", (2, index), (2, index), HEADER_FILL))
            spans = [(cells[1], widths[1]), (cells[3], widths[3])]
        else:
            label, value = row
            assert isinstance(label, str) and isinstance(value, str)
            cells = [para(label, "label", hyphenate=False), para(value, "cell"), "", ""]
            values = [value]
            per_row.append(("SPAN", (1, index), (3, index)))
            spans = [(cells[1], width - label_width)]
        data.append(cells)
        if any(BLANK[:3] in v or BOX in v for v in values):
            natural = max(_height(cell, w) for cell, w in spans if isinstance(cell, Flowable))
            heights.append(max(WRITE_IN_HEIGHT, natural))
            per_row.append(("VALIGN", (0, index), (-1, index), "BOTTOM"))
        else:
            heights.append(None)
    table = Table(data, colWidths=widths, rowHeights=heights, splitInRow=1)
    table.setStyle(TableStyle([*FIELD_STYLE, *per_row]))
    return table
