"""The frame every printed sheet shares: A4, embedded Czech font, header with the project and the
EU co-funding line, footer with "Strana x / y" and the sheet identifier."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
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


class _NumberedCanvas(Canvas):
    """Defers page output so the footer can say "Strana x / y" (the reportlab recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab internals

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int, number: int | None = None) -> None:
        width, _ = self._pagesize  # type: ignore[attr-defined]
        self.setFont(FONT, 8)
        self.setFillColor(GREY)
        number = number if number is not None else self.getPageNumber()
        self.drawRightString(width - MARGIN, MARGIN - 4 * mm, f"Strana {number} / {total}")


class _SheetStart(Flowable):
    """Zero-size marker in a batch: the pages from here on belong to sheet ``index``."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._apk_sheet = self.index  # type: ignore[attr-defined]


class _BatchCanvas(_NumberedCanvas):
    """For a batch: draws each page's frame with its own sheet's id and numbers the pages per
    sheet ("Strana x / y" counts the pages of that sheet only)."""

    def __init__(
        self, *args: Any, header: SheetHeader, sheet_ids: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._apk_header = header
        self._apk_ids = list(sheet_ids)
        self._apk_sheet = 0
        self._page_sheets: list[int] = []

    def showPage(self) -> None:
        self._page_sheets.append(self._apk_sheet)
        super().showPage()

    def save(self) -> None:
        totals = Counter(self._page_sheets)
        seen: Counter[int] = Counter()
        frame = SimpleNamespace(pagesize=self._pagesize)  # type: ignore[attr-defined]
        for state, sheet in zip(self._saved_pages, list(self._page_sheets), strict=True):
            self.__dict__.update(state)
            seen[sheet] += 1
            _draw_frame(self, frame, self._apk_header, self._apk_ids[sheet])
            self._draw_page_number(totals[sheet], seen[sheet])
            Canvas.showPage(self)
        Canvas.save(self)


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
) -> bytes:
    """Lay ``story`` out on A4 pages (landscape when ``wide``) with the shared header/footer."""
    buffer = io.BytesIO()
    doc = _document(buffer, header, title, wide)

    def on_page(canvas: Canvas, doc_: Any) -> None:
        _draw_frame(canvas, doc_, header, sheet_id)

    doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def build_pdf_batch(
    header: SheetHeader,
    sheets: Sequence[tuple[str, Sequence[Flowable]]],
    *,
    title: str,
    wide: bool = False,
) -> bytes:
    """Several sheets, given as (sheet id, story), in one PDF: each starts on a new page and
    keeps its own sheet id and page numbering in the footer (the font is embedded once)."""
    from reportlab.platypus.flowables import PageBreakIfNotEmpty

    buffer = io.BytesIO()
    doc = _document(buffer, header, title, wide)
    story: list[Flowable] = []
    for index, (_, flowables) in enumerate(sheets):
        if index:
            story.append(PageBreakIfNotEmpty())
        story.append(_SheetStart(index))
        story.extend(flowables)
    ids = [sheet_id for sheet_id, _ in sheets]
    doc.build(story, canvasmaker=partial(_BatchCanvas, header=header, sheet_ids=ids))
    return buffer.getvalue()


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
