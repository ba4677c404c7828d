"""The frame every printed sheet shares: A4, embedded Czech font, a header with the EU
co-funding acknowledgement (the logolink image or the written line), the project and a QR code
of the sheet and page, a running line on every page after a sheet's first, and a footer with
the sheet identifier and "Strana x / y".

Nothing the frame draws comes closer than ``INK_MARGIN`` to the paper's edge (office printers
leave about 5 mm unprinted). The header is laid out once per document: its height depends on
the project's texts (up to 300 characters each: they wrap, then shrink) and the logo, and sets
where the story starts on every page."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from apk_desktop.domain.limits import remove_control_characters
from apk_desktop.domain.sheet_code import SheetCode
from apk_desktop.paths import resources_dir
from apk_desktop.sheets.header_geometry import CODE_COLUMN, QR_SIZE
from apk_desktop.sheets.layout import BuiltSheets, SheetLayout, SignatureCell
from apk_desktop.sheets.logo_image import LogoImage, draw_logo, load_logo
from apk_desktop.sheets.logolink import logo_size
from apk_desktop.sheets.page_code import draw_page_code
from apk_desktop.sheets.pdf_metadata import LANGUAGE, add_xmp_metadata

FONT = "APKSans"
FONT_BOLD = "APKSans-Bold"
FONT_ITALIC = "APKSans-Oblique"
EU_LINE = "Spolufinancováno Evropskou unií"
MARGIN = 15 * mm  # left and right of the story, header and footer
INK_MARGIN = 7 * mm  # nothing is printed closer to the paper's edge
HEADER_TOP = 10 * mm  # from the top edge to the header's first line, logo and QR code
RUNNING_LINE_BAND = 6 * mm  # below the header rule: the running line on later pages
FOOTER_RULE = 16 * mm  # from the bottom edge
BOTTOM_MARGIN = 19 * mm  # the story ends above it
GREY = colors.HexColor("#555555")
DEMO_MARK = "UKÁZKA – vymyšlená data, neplatný doklad"
DEMO_RED = colors.HexColor("#c53030")
_RULE_GAP = 1.5 * mm  # from the header's lowest ink to its rule
_LOGO_GAP = 1.5 * mm  # from the logo to the project's name below it
_BUILT_IN_FONTS = {"Helvetica": FONT, "Helvetica-Bold": FONT_BOLD, "Helvetica-Oblique": FONT_ITALIC}
_FIXED_FRAME = "APKFixedFrame"
_HEADER_LINES = 3  # a header text wraps to this many lines before its font shrinks


@dataclass(frozen=True)
class SheetHeader:
    """What the header of every sheet shows, taken from the current project."""

    beneficiary: str
    project_name: str
    registration_number: str
    logo_path: str = ""  # the official EU/OPZ+ logolink supplied by the user; never redrawn
    demo: bool = False  # sample data: every page is marked DEMO_MARK in its header and footer


@cache
def register_fonts() -> None:
    """Register the shipped DejaVu Sans family once (it covers every Czech letter)."""
    from reportlab.lib.fonts import addMapping

    folder = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(folder / "DejaVuSans-Oblique.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD)


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name: title, h2, body, small, cell, cell_bold, label."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
            spaceAfter=3 * mm,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=3 * mm,
            spaceAfter=1.5 * mm,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11
        ),
        "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11),
    }


@dataclass(frozen=True)
class SheetInfo:
    """What the frame prints on every page of one sheet, besides the project header."""

    sheet_id: str
    record_id: int | None = None  # the record the sheet belongs to (QR code); None = blank sheet
    running_line: str = ""  # title · date · topic, printed on every page after the first


class _HeaderLayout:
    """The header laid out once for a document: the logo's printed size and the text lines
    (wrapped, then shrunk) in the column left of the QR code."""

    def __init__(self, header: SheetHeader, page_width: float) -> None:
        register_fonts()
        self.demo = header.demo
        column = page_width - 2 * MARGIN - CODE_COLUMN
        self.logo: LogoImage | None = load_logo(header.logo_path) if header.logo_path else None
        self.logo_size = (0.0, 0.0)
        texts: list[tuple[str, str, float, float]] = []  # markup, font, size, smallest size
        if self.logo:
            self.logo_size = logo_size(self.logo.pixel_width, self.logo.pixel_height, column)
        else:
            texts.append((escape(EU_LINE), FONT_BOLD, 8, 8))
        texts.append((_markup(header.project_name), FONT_BOLD, 9, 6.5))
        reg_number = "Reg.\u00a0č.:\u00a0" + _markup(header.registration_number)
        texts.append((f"Příjemce: {_markup(header.beneficiary)} · {reg_number}", FONT, 8, 6))
        self.lines = [_fitted(text, font, size, least, column) for text, font, size, least in texts]
        if header.demo:
            style = ParagraphStyle("demo", fontName=FONT_BOLD, fontSize=9, textColor=DEMO_RED)
            self.lines.append(_wrapped(escape(DEMO_MARK), style, column))
        logo_height = self.logo_size[1] + _LOGO_GAP if self.logo else 0
        text_height = sum(line.height for line in self.lines)
        self.height = max(logo_height + text_height, QR_SIZE) + _RULE_GAP

    def draw(self, canvas: Canvas, page_width: float, page_height: float) -> None:
        """Draw the header without the QR code, down to its rule."""
        y = page_height - HEADER_TOP
        if self.logo:
            width, height = self.logo_size
            draw_logo(canvas, self.logo, MARGIN, y - height, width, height)
            y -= height + _LOGO_GAP
        for line in self.lines:
            line.paragraph.drawOn(canvas, MARGIN, y - line.height)
            y -= line.height
        rule = page_height - HEADER_TOP - self.height
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, rule, page_width - MARGIN, rule)


@dataclass(frozen=True)
class _Line:
    paragraph: Paragraph
    height: float


def _markup(text: str) -> str:
    return escape(" ".join(remove_control_characters(text).split()))


def _fitted(markup: str, font: str, size: float, least: float, width: float) -> _Line:
    """``markup`` in ``width``: wrapped to at most ``_HEADER_LINES`` lines, shrinking the font
    down to ``least``; a text too long even then wraps to more lines at ``least``."""
    while True:
        style = ParagraphStyle("header", fontName=font, fontSize=size, leading=size * 1.2)
        line = _wrapped(markup, style, width)
        if size <= least or line.height <= _HEADER_LINES * style.leading + 0.01:
            return line
        size -= 0.5


def _wrapped(markup: str, style: ParagraphStyle, width: float) -> _Line:
    paragraph = Paragraph(markup, style)
    _, height = paragraph.wrap(width, 10_000)
    return _Line(paragraph, height)


class _SheetStart(Flowable):
    """Zero-size marker: the pages from here on belong to sheet ``index`` of the document."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._apk_sheet = self.index  # type: ignore[attr-defined]


class _SheetCanvas(Canvas):
    """Defers page output so each page's frame can say "Strana x / y" of its own sheet (the
    reportlab recipe), and collects the signature cells drawn (``layout.SignatureTable``)."""

    def __init__(
        self, *args: Any, header: _HeaderLayout, sheets: Sequence[SheetInfo], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._apk_header = header
        self._apk_infos = list(sheets)
        self._apk_sheet = 0
        self._apk_cells: list[Any] = []
        self._page_sheets: list[int] = []
        self._saved_pages: list[dict[str, Any]] = []
        self._printed = f"Vytištěno {datetime.now():%d.%m.%Y}"

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        # reportlab's tables set their default Helvetica for every cell, even one holding a
        # paragraph: the PDF would list a font it does not embed.
        super().setFont(_BUILT_IN_FONTS.get(psfontname, psfontname), size, leading)

    def showPage(self) -> None:
        self._page_sheets.append(self._apk_sheet)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab internals

    def save(self) -> None:
        totals = Counter(self._page_sheets)
        seen: Counter[int] = Counter()
        for index, (state, sheet) in enumerate(
            zip(self._saved_pages, self._page_sheets, strict=True)
        ):
            self.__dict__.update(state)
            if index == 0:
                self._define_fixed_frame()
            seen[sheet] += 1
            self._draw_frame(self._apk_infos[sheet], seen[sheet], totals[sheet])
            Canvas.showPage(self)
        add_xmp_metadata(self)
        Canvas.save(self)

    def layouts(self) -> tuple[SheetLayout, ...]:
        """Per sheet: its first page in the document, its page count and its signature cells."""
        first: dict[int, int] = {}
        for page, sheet in enumerate(self._page_sheets, start=1):
            first.setdefault(sheet, page)
        totals = Counter(self._page_sheets)
        code = (*self._code_origin(), QR_SIZE, QR_SIZE)
        result = []
        for index, info in enumerate(self._apk_infos):
            start = first.get(index, 0)
            cells = tuple(
                SignatureCell(
                    row=c.row.row_number,
                    participant=c.row.participant,
                    participant_id=c.row.participant_id,
                    page=c.document_page - start + 1,
                    x=c.rect[0],
                    y=c.rect[1],
                    width=c.rect[2],
                    height=c.rect[3],
                )
                for c in self._apk_cells
                if self._page_sheets[c.document_page - 1] == index
            )
            result.append(
                SheetLayout(
                    info.sheet_id, info.record_id, start, totals[index], cells, code_rect=code
                )
            )
        return tuple(result)

    def _code_origin(self) -> tuple[float, float]:
        """Lower left corner of the QR code's modules, the same on every page."""
        width, height = self._pagesize  # type: ignore[attr-defined]
        return width - MARGIN - QR_SIZE, height - HEADER_TOP - QR_SIZE

    def _define_fixed_frame(self) -> None:
        """What every page of the document shows alike (header, rules, print date, demo mark),
        as one form XObject that each page draws: laid out and written into the PDF once."""
        width, height = self._pagesize  # type: ignore[attr-defined]
        self.beginForm(_FIXED_FRAME)
        self._apk_header.draw(self, width, height)
        self.line(MARGIN, FOOTER_RULE, width - MARGIN, FOOTER_RULE)
        self.setFont(FONT, 7)
        self.setFillColor(GREY)
        self.drawString(MARGIN, 8.3 * mm, self._printed)
        if self._apk_header.demo:
            self.setFillColor(DEMO_RED)
            self.setFont(FONT_BOLD, 8)
            self.drawCentredString(width / 2, 8.3 * mm, DEMO_MARK)
        self.endForm()

    def _draw_frame(self, info: SheetInfo, page: int, total: int) -> None:
        width, height = self._pagesize  # type: ignore[attr-defined]
        self.saveState()
        self.doForm(_FIXED_FRAME)
        code = SheetCode(info.sheet_id, info.record_id, page).encode()
        draw_page_code(self, code, *self._code_origin())
        self.setFillColor(colors.black)
        if page > 1:
            rule = height - HEADER_TOP - self._apk_header.height
            self._draw_running_line(info, width, rule - RUNNING_LINE_BAND + 2 * mm)
        self._draw_plain_bold(MARGIN, 12 * mm, 10, "Identifikátor listu: ", info.sheet_id)
        self.setFont(FONT, 9)
        self.drawRightString(width - MARGIN, 12 * mm, f"Strana {page} / {total}")
        self.restoreState()

    def _draw_running_line(self, info: SheetInfo, width: float, y: float) -> None:
        """``Prezenční listina · 12.03.2026 · Téma · PL-12`` in one line, cut with "…"."""
        sheet_id = f" · {info.sheet_id}" if info.running_line else info.sheet_id
        size = 8.5
        room = width - 2 * MARGIN - pdfmetrics.stringWidth(sheet_id, FONT_BOLD, size)
        text = _cut(" ".join(remove_control_characters(info.running_line).split()), room, size)
        self._draw_plain_bold(MARGIN, y, size, text, sheet_id)

    def _draw_plain_bold(self, x: float, y: float, size: float, plain: str, bold: str) -> None:
        """One line, its end in bold: one text object, so it extracts as one line."""
        text = self.beginText(x, y)
        text.setFont(FONT, size)
        text.textOut(plain)
        text.setFont(FONT_BOLD, size)
        text.textOut(bold)
        self.drawText(text)


def _cut(text: str, room: float, size: float) -> str:
    """``text`` in one line of ``room``: the longest start that fits, with "…"."""
    if pdfmetrics.stringWidth(text, FONT, size) <= room:
        return text
    low, high = 0, len(text)  # text[:low] + "…" fits, text[:high] + "…" does not
    while high - low > 1:
        middle = (low + high) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", FONT, size) <= room:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


def build_pdf(
    header: SheetHeader,
    story: Sequence[Flowable],
    *,
    sheet_id: str,
    title: str,
    wide: bool = False,
    record_id: int | None = None,
    running_line: str = "",
) -> bytes:
    """Lay ``story`` out on A4 pages (landscape when ``wide``) with the shared header/footer."""
    info = SheetInfo(sheet_id, record_id, running_line)
    return build_sheets(header, [(info, story)], title=title, wide=wide).pdf


def build_sheets(
    header: SheetHeader,
    sheets: Sequence[tuple[SheetInfo, Sequence[Flowable]]],
    *,
    title: str,
    wide: bool = False,
) -> BuiltSheets:
    """Several sheets in one PDF: each starts on a new page and keeps its own identifier and
    page numbering in the footer (the font and the logo are embedded once). Returns the PDF
    with where each sheet's signature cells were printed."""
    from reportlab.platypus.flowables import PageBreakIfNotEmpty

    register_fonts()
    pagesize = landscape(A4) if wide else A4
    layout = _HeaderLayout(header, pagesize[0])
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=HEADER_TOP + layout.height + RUNNING_LINE_BAND,
        bottomMargin=BOTTOM_MARGIN,
        title=title,
        author=header.beneficiary,
        subject=f"{header.project_name} ({header.registration_number})",
        creator="APK Desktop",
        lang=LANGUAGE,
        initialFontName=FONT,  # not reportlab's Helvetica: it would be listed, never embedded
    )
    story: list[Flowable] = []
    for index, (_, flowables) in enumerate(sheets):
        if index:
            story.append(PageBreakIfNotEmpty())
        story.append(_SheetStart(index))
        story.extend(flowables)
    infos = [info for info, _ in sheets]
    canvases: list[_SheetCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> _SheetCanvas:
        canvas = _SheetCanvas(*args, header=layout, sheets=infos, **kwargs)
        canvases.append(canvas)
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    return BuiltSheets(buffer.getvalue(), canvases[-1].layouts())
