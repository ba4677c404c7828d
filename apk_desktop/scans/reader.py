"""A scanned stack read page by page: which sheet and page each is (its QR code), and for each
participant row printed on it whether the signature cell holds a signature.

``read_page`` reads one page (run it off the GUI thread, one page at a time, for progress and
cancel); ``read_pages`` reads a whole stack and then marks duplicate pages and sheets whose
pages came out of order; ``group_sheets`` puts the pages of each sheet together in order."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from apk_desktop.domain.sheet_code import SheetCode
from apk_desktop.scans.codes import Point, find_code
from apk_desktop.scans.locate import cell_image, page_transform, refine
from apk_desktop.scans.measure import SCALE, classify, measure
from apk_desktop.scans.pages import PageImage, Pixels

CELL_SURROUNDINGS_PT = 8.0  # read around each cell too: its rules, a misplaced scan


class StoredCell(Protocol):
    """A participant row's signature cell as printed (``sheets.layout.SignatureCell``, or as
    stored: ``db.services.printed_sheets.CellView``)."""

    @property
    def row(self) -> int: ...
    @property
    def participant(self) -> str: ...
    @property
    def participant_id(self) -> int | None: ...
    @property
    def page(self) -> int: ...
    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...


class StoredLayout(Protocol):
    """A sheet as printed (``sheets.layout.SheetLayout``, or as stored:
    ``db.services.printed_sheets.PrintedLayout``). ``code_rect`` is the QR code's square of
    modules (its quiet zone excluded) in PDF points, the same on every page."""

    @property
    def sheet_id(self) -> str: ...
    @property
    def record_id(self) -> int | None: ...
    @property
    def page_count(self) -> int: ...
    @property
    def layout_version(self) -> int: ...
    @property
    def code_rect(self) -> tuple[float, float, float, float] | None: ...
    @property
    def cells(self) -> Sequence[StoredCell]: ...


class PageStatus(enum.Enum):
    MATCHED = "matched"  # a printed sheet's page; its rows are read
    NO_CODE = "no_code"  # no code could be read (smudged, cut off, not a sheet): assign by hand
    UNKNOWN_SHEET = "unknown_sheet"  # a code, but of no sheet printed here (another project's)
    DUPLICATE = "duplicate"  # the same page of the same sheet came earlier in the stack


@dataclass(frozen=True, eq=False)
class RowReading:
    """One participant row's signature cell: what was printed and what the scan shows."""

    row: int  # the number printed in the row
    participant: str  # "" for a blank row (a walk-in may have written a name there)
    participant_id: int | None
    signed: bool
    confidence: float  # 0.5 – 1
    sure: bool  # False: let the mentor look
    ink: float  # share of the cell that is ink
    corners: tuple[Point, Point, Point, Point]  # the cell on the scan (top left, clockwise)
    pixels: Pixels  # the cell, upright, with a little of its surroundings (for the review)


@dataclass(frozen=True, eq=False)
class PageResult:
    position: int  # 0-based, in the stack as read
    source: str  # file name
    number: int  # page within that file
    status: PageStatus
    code: SheetCode | None = None
    page_count: int = 0  # pages of the sheet as printed (0 when not matched)
    rotation: float = 0.0  # degrees the page lay turned on the scan (180 = upside down)
    rows: tuple[RowReading, ...] = ()
    located: bool = False  # rows could be read (the stored layout says where the code is)
    out_of_order: bool = False  # its sheet's pages are not in order in the stack
    duplicate_of: int | None = None  # position of the first copy

    @property
    def sheet_id(self) -> str | None:
        return self.code.sheet_id if self.code else None

    @property
    def upside_down(self) -> bool:
        return abs(self.rotation) > 135


def read_page(
    image: PageImage, layouts: Mapping[str, StoredLayout], position: int = 0
) -> PageResult:
    """One page on its own (no duplicates or order: ``read_pages`` marks those)."""
    found = find_code(image.pixels)
    base = PageResult(position, image.source, image.number, PageStatus.NO_CODE)
    if found is None:
        return base
    code = found.code
    layout = layouts.get(code.sheet_id)
    if layout is None or _other_record(layout, code) or code.page > layout.page_count:
        return replace(base, status=PageStatus.UNKNOWN_SHEET, code=code)
    matched = replace(
        base,
        status=PageStatus.MATCHED,
        code=code,
        page_count=layout.page_count,
        rotation=found.rotation,
    )
    if layout.code_rect is None or layout.layout_version != code.layout_version:
        return matched
    cells = [cell for cell in layout.cells if cell.page == code.page]
    rects = [(cell.x, cell.y, cell.width, cell.height) for cell in cells]
    x, y, width, height = layout.code_rect
    transform = refine(
        image.pixels,
        page_transform(found.corners, layout.code_rect),
        rects,
        anchor=(x + width / 2, y + height / 2),
    )
    rows = []
    for cell, rect in zip(cells, rects, strict=True):
        crop = cell_image(image.pixels, transform, rect, CELL_SURROUNDINGS_PT, SCALE)
        corners = transform.corners(rect)
        ink = classify(measure(crop))
        if not _on_image(corners, image.pixels):  # cut off by the scanner: unknown, not empty
            ink = replace(ink, signed=False, confidence=0.5, sure=False)
        rows.append(
            RowReading(
                cell.row,
                cell.participant,
                cell.participant_id,
                ink.signed,
                ink.confidence,
                ink.sure,
                ink.ratio,
                corners,
                crop.pixels.clip(0, 255).astype("uint8"),
            )
        )
    return replace(matched, rotation=transform.rotation, rows=tuple(rows), located=True)


def _on_image(corners: tuple[Point, ...], pixels: Pixels) -> bool:
    height, width = pixels.shape
    return all(0 <= u < width and 0 <= v < height for u, v in corners)


def _other_record(layout: StoredLayout, code: SheetCode) -> bool:
    """The code names another record than the one printed under this identifier (a sheet of
    another project); a side that names none (a blank sheet, a plan) does not count."""
    return None not in (layout.record_id, code.record_id) and layout.record_id != code.record_id


def read_pages(
    images: Iterable[PageImage],
    layouts: Mapping[str, StoredLayout],
    *,
    progress: Callable[[int], None] | None = None,
) -> list[PageResult]:
    """Every page of the stack in order, duplicates and out-of-order sheets marked.
    ``progress(pages_read)`` after each page; it may raise to cancel."""
    results = []
    for position, image in enumerate(images):
        results.append(read_page(image, layouts, position))
        if progress:
            progress(position + 1)
    return mark_stack(results)


def mark_stack(results: list[PageResult]) -> list[PageResult]:
    """Pages repeated in the stack marked as duplicates of the first copy; the pages of a sheet
    that came in another order than 1, 2, … marked out of order."""
    first: dict[tuple[str, int], int] = {}
    marked = []
    for result in results:
        if result.status is PageStatus.MATCHED and result.code:
            key = (result.code.sheet_id, result.code.page)
            if key in first:
                result = replace(result, status=PageStatus.DUPLICATE, duplicate_of=first[key])
            else:
                first[key] = result.position
        marked.append(result)
    order: dict[str, list[int]] = {}
    for result in marked:
        if result.status is PageStatus.MATCHED and result.code:
            order.setdefault(result.code.sheet_id, []).append(result.code.page)
    jumbled = {sheet for sheet, pages in order.items() if pages != sorted(pages)}
    return [
        replace(r, out_of_order=True)
        if r.status is PageStatus.MATCHED and r.sheet_id in jumbled
        else r
        for r in marked
    ]


@dataclass(frozen=True)
class SheetScan:
    """The pages of one sheet found in the stack, in page order."""

    sheet_id: str
    record_id: int | None
    page_count: int
    pages: tuple[PageResult, ...]

    @property
    def missing(self) -> tuple[int, ...]:
        found = {page.code.page for page in self.pages if page.code}
        return tuple(p for p in range(1, self.page_count + 1) if p not in found)

    @property
    def rows(self) -> tuple[RowReading, ...]:
        return tuple(row for page in self.pages for row in page.rows)


def group_sheets(results: Iterable[PageResult]) -> list[SheetScan]:
    """The matched pages (first copies) as sheets, in the order each sheet first appears."""
    pages: dict[str, list[PageResult]] = {}
    for result in results:
        if result.status is PageStatus.MATCHED and result.code:
            pages.setdefault(result.code.sheet_id, []).append(result)
    sheets = []
    for sheet_id, found in pages.items():
        found.sort(key=lambda r: r.code.page if r.code else 0)
        code = found[0].code
        assert code is not None
        sheets.append(SheetScan(sheet_id, code.record_id, found[0].page_count, tuple(found)))
    return sheets
