"""What was printed where: each participant's table row and its signature cell, in page
coordinates, recorded while a sheet is drawn. Stored when a sheet is printed, so a signed scan
can be read back cell by cell (``scans``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Paragraph, Table

from apk_desktop.domain.sheet_code import LAYOUT_VERSION


@dataclass(frozen=True)
class SignatureCell:
    """One row of a signature table as printed. Rectangle in PDF points, origin at the bottom
    left of the page (A4 portrait: 595 × 842)."""

    row: int  # the number printed in the "Č." column
    participant: str  # the name printed ("" for a blank row)
    participant_id: int | None  # the assistant's id (None for a blank row or the mentor)
    page: int  # 1-based page within the sheet
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class SheetLayout:
    """One sheet of a built PDF: its pages in the document and its signature cells."""

    sheet_id: str
    record_id: int | None
    first_page: int  # 1-based page of the document where the sheet starts
    page_count: int
    cells: tuple[SignatureCell, ...] = ()
    layout_version: int = LAYOUT_VERSION
    # where the QR code is printed on each of its pages (x, y, width, height in points); a scan
    # is located on the page from the code's corners and this rectangle
    code_rect: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class BuiltSheets:
    """A built PDF and, per sheet, where things were printed."""

    pdf: bytes
    layouts: tuple[SheetLayout, ...]


class RowLabel(Paragraph):
    """The "Č." cell of a signature table; carries who the row is for, so the row can be found
    again in any part of a table split across pages."""

    def __init__(
        self,
        text: str,
        style: Any,
        *,
        row: int,
        participant: str,
        participant_id: int | None,
        sign_column: int,
    ) -> None:
        super().__init__(text, style)
        self.row_number = row
        self.participant = participant
        self.participant_id = participant_id
        self.sign_column = sign_column


@dataclass(frozen=True)
class _DrawnCell:
    """A signature cell as drawn: document page (1-based) and the rectangle."""

    document_page: int
    row: RowLabel
    rect: tuple[float, float, float, float]


class SignatureTable(Table):
    """A table whose rows starting with a ``RowLabel`` report their signature cell to the
    canvas (``canvas._apk_cells``) as they are drawn, in absolute page coordinates."""

    def draw(self) -> None:
        super().draw()
        canvas: Any = self.canv
        table: Any = self  # reportlab's layout attributes are untyped
        sink: list[_DrawnCell] | None = getattr(canvas, "_apk_cells", None)
        if sink is None:
            return
        a, _, _, d, e, f = canvas._currentMatrix  # reportlab tracks the CTM; only translated
        rows: Sequence[Sequence[Any]] = table._cellvalues
        for index, cells in enumerate(rows):
            label = cells[0]
            if isinstance(label, list | tuple) and label:
                label = label[0]
            if not isinstance(label, RowLabel):
                continue
            col = label.sign_column
            x0, x1 = table._colpositions[col], table._colpositions[col + 1]
            top, bottom = table._rowpositions[index], table._rowpositions[index + 1]
            rect = (a * x0 + e, d * bottom + f, a * (x1 - x0), d * (top - bottom))
            sink.append(_DrawnCell(canvas.getPageNumber(), label, rect))
