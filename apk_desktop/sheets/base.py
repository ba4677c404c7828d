"""The frame every printed sheet shares: A4, embedded Czech font, header with the project and the
EU co-funding line, footer with "Strana x / y" and the sheet identifier."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from apk_desktop.domain.limits import remove_control_characters
from apk_desktop.paths import resources_dir
from apk_desktop.sheets.layout import BuiltSheets, SheetLayout, SignatureCell

FONT = "APKSans"
FONT_BOLD = "APKSans-Bold"
FONT_ITALIC = "APKSans-Oblique"
EU_LINE = "Spolufinancováno Evropskou unií"
MARGIN = 15 * mm
HEADER_HEIGHT = 24 * mm
FOOTER_HEIGHT = 12 * mm
LOGO_MAX_HEIGHT = 14 * mm
GREY = colors.HexColor("#555555")
DEMO_MARK = "UKÁZKA – vymyšlená data, neplatný doklad"
DEMO_RED = colors.HexColor("#c53030")


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
        self, *args: Any, header: SheetHeader, sheets: Sequence[SheetInfo], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._apk_header = header
        self._apk_infos = list(sheets)
        self._apk_sheet = 0
        self._apk_cells: list[Any] = []
        self._page_sheets: list[int] = []
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._page_sheets.append(self._apk_sheet)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab internals

    def save(self) -> None:
        totals = Counter(self._page_sheets)
        seen: Counter[int] = Counter()
        frame = SimpleNamespace(pagesize=self._pagesize)  # type: ignore[attr-defined]
        for state, sheet in zip(self._saved_pages, list(self._page_sheets), strict=True):
            self.__dict__.update(state)
            seen[sheet] += 1
            info = self._apk_infos[sheet]
            _draw_frame(self, frame, self._apk_header, info.sheet_id)
            self._draw_page_number(totals[sheet], seen[sheet])
            Canvas.showPage(self)
        Canvas.save(self)

    def layouts(self) -> tuple[SheetLayout, ...]:
        """Per sheet: its first page in the document, its page count and its signature cells."""
        first: dict[int, int] = {}
        for page, sheet in enumerate(self._page_sheets, start=1):
            first.setdefault(sheet, page)
        totals = Counter(self._page_sheets)
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
            result.append(SheetLayout(info.sheet_id, info.record_id, start, totals[index], cells))
        return tuple(result)

    def _draw_page_number(self, total: int, number: int) -> None:
        width, _ = self._pagesize  # type: ignore[attr-defined]
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        self.drawRightString(width - MARGIN, MARGIN - 4 * mm, f"Strana {number} / {total}")


def _draw_frame(canvas: Canvas, doc: Any, header: SheetHeader, sheet_id: str) -> None:
    width, height = doc.pagesize
    canvas.saveState()
    top = height - MARGIN
    if header.logo_path and Path(header.logo_path).is_file():
        from reportlab.lib.utils import ImageReader

        image = ImageReader(header.logo_path)
        iw, ih = image.getSize()
        draw_h = LOGO_MAX_HEIGHT
        draw_w = min(width - 2 * MARGIN, iw * draw_h / ih)
        draw_h = draw_w * ih / iw
        canvas.drawImage(image, MARGIN, top - draw_h, draw_w, draw_h, mask="auto")
        top -= draw_h + 1.5 * mm
    room = width - 2 * MARGIN
    eu_width = pdfmetrics.stringWidth(EU_LINE, FONT_BOLD, 8) + 4 * mm
    _draw_fitted(canvas, header.project_name, FONT_BOLD, 9, room - eu_width, top - 3.5 * mm)
    facts = f"Příjemce: {header.beneficiary}   ·   Reg. č.: {header.registration_number}"
    _draw_fitted(canvas, facts, FONT, 8, room, top - 7.5 * mm)
    canvas.setFont(FONT_BOLD, 8)
    canvas.drawRightString(width - MARGIN, top - 3.5 * mm, EU_LINE)
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, top - 9.5 * mm, width - MARGIN, top - 9.5 * mm)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.line(MARGIN, MARGIN, width - MARGIN, MARGIN)
    canvas.drawString(MARGIN, MARGIN - 4 * mm, f"Identifikátor listu: {sheet_id}")
    canvas.drawCentredString(width / 2, MARGIN - 4 * mm, f"Vytištěno {datetime.now():%d.%m.%Y}")
    if header.demo:
        canvas.setFillColor(DEMO_RED)
        canvas.setFont(FONT_BOLD, 9)
        # In the page margins, above the header and below the footer: nothing else is there.
        canvas.drawCentredString(width / 2, height - MARGIN + 4 * mm, DEMO_MARK)
        canvas.drawCentredString(width / 2, MARGIN - 8 * mm, DEMO_MARK)
    canvas.restoreState()


def _draw_fitted(canvas: Canvas, text: str, font: str, size: float, room: float, y: float) -> None:
    """One header line within ``room``: a smaller font for a long text (down to 6 pt), then
    cut with "…" (the maximum project name and beneficiary fit at 6 pt only partly)."""
    text = " ".join(remove_control_characters(text).split())
    while size > 6 and pdfmetrics.stringWidth(text, font, size) > room:
        size -= 0.5
    if pdfmetrics.stringWidth(text, font, size) > room:
        while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
            text = text[:-1]
        text = text.rstrip() + "…"
    canvas.setFont(font, size)
    canvas.drawString(MARGIN, y, text)


def header_space(header: SheetHeader) -> float:
    """Vertical space the header takes, so the story starts below it."""
    extra = (
        LOGO_MAX_HEIGHT + 1.5 * mm if header.logo_path and Path(header.logo_path).is_file() else 0
    )
    return HEADER_HEIGHT - 12 * mm + extra + 1 * mm


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
    page numbering in the footer (the font is embedded once). Returns the PDF with where each
    sheet's signature cells were printed."""
    from reportlab.platypus.flowables import PageBreakIfNotEmpty

    buffer = io.BytesIO()
    doc = _document(buffer, header, title, wide)
    story: list[Flowable] = []
    for index, (_, flowables) in enumerate(sheets):
        if index:
            story.append(PageBreakIfNotEmpty())
        story.append(_SheetStart(index))
        story.extend(flowables)
    infos = [info for info, _ in sheets]
    canvases: list[_SheetCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> _SheetCanvas:
        canvas = _SheetCanvas(*args, header=header, sheets=infos, **kwargs)
        canvases.append(canvas)
        return canvas

    doc.build(story, canvasmaker=make_canvas)
    return BuiltSheets(buffer.getvalue(), canvases[-1].layouts())


def _document(buffer: io.BytesIO, header: SheetHeader, title: str, wide: bool) -> Any:
    register_fonts()
    pagesize = landscape(A4) if wide else A4
    top_margin = MARGIN + header_space(header) + 10 * mm
    return SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=top_margin,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author=header.beneficiary,
        subject=f"{header.project_name} ({header.registration_number})",
        creator="APK Desktop",
    )
