"""Printed sheets: what was printed where, recorded when the user prints a sheet or saves its
PDF (the preview, ``apk-desktop print``), read back by the scan reader: the latest layout of a
sheet id says which participant signs in which cell of which page."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from apk_desktop.db.models.printed_sheets import PrintedCell, PrintedSheet
from apk_desktop.domain.sheet_refs import RecordKind, parse_sheet_ref, record_of

if TYPE_CHECKING:
    from apk_desktop.sheets.layout import SheetLayout


@dataclass(frozen=True)
class CellView:
    """One participant row and its signature cell (PDF points, origin bottom left)."""

    row: int
    participant: str
    participant_id: int | None
    page: int  # 1-based within the sheet
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class PrintedLayout:
    """One sheet as printed."""

    id: int
    sheet_id: str
    record_kind: RecordKind | None
    record_id: int | None
    layout_version: int
    printed_at: datetime  # UTC, naive
    page_count: int
    pdf_sha256: str
    cells: tuple[CellView, ...]
    code_rect: tuple[float, float, float, float] | None  # the QR code on each page (points)


def _record(layout: SheetLayout) -> tuple[RecordKind | None, int | None]:
    """The record a sheet belongs to, as its identifier says; else the id the layout carries."""
    ref = parse_sheet_ref(layout.sheet_id)
    kind, record_id = record_of(ref) if ref is not None else (None, None)
    return kind, record_id if record_id is not None else layout.record_id


def record_printed(
    session: Session,
    project_id: int,
    layouts: Sequence[SheetLayout],
    pdf: bytes,
    *,
    printed_at: datetime | None = None,
) -> list[int]:
    """Store every sheet of one printed (or saved) PDF of project ``project_id`` with its cells,
    in the caller's unit of work; returns the new rows' ids in the order of ``layouts``."""
    digest = hashlib.sha256(pdf).hexdigest()
    when = printed_at or datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for layout in layouts:
        kind, record_id = _record(layout)
        code = layout.code_rect or (None, None, None, None)
        row = PrintedSheet(
            project_id=project_id,
            sheet_id=layout.sheet_id,
            record_kind=kind.value if kind else None,
            record_id=record_id,
            layout_version=layout.layout_version,
            printed_at=when,
            page_count=layout.page_count,
            pdf_sha256=digest,
            code_x=code[0],
            code_y=code[1],
            code_width=code[2],
            code_height=code[3],
            cells=[
                PrintedCell(
                    row=c.row,
                    participant=c.participant,
                    participant_id=c.participant_id,
                    page=c.page,
                    x=c.x,
                    y=c.y,
                    width=c.width,
                    height=c.height,
                )
                for c in layout.cells
            ],
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return [row.id for row in rows]


def latest_layout(
    session: Session, sheet_id: str, *, project_id: int | None = None
) -> PrintedLayout | None:
    """The layout of the last print of ``sheet_id`` (exact spelling as printed) in the project
    ``project_id`` (blank sheets and progress summaries have the same identifier in every
    project; None: in any); None when it was never printed."""
    where = [PrintedSheet.sheet_id == sheet_id]
    if project_id is not None:
        where.append(PrintedSheet.project_id == project_id)
    row = session.scalar(
        select(PrintedSheet)
        .where(*where)
        .order_by(PrintedSheet.printed_at.desc(), PrintedSheet.id.desc())
        .options(selectinload(PrintedSheet.cells))
        .limit(1)
    )
    if row is None:
        return None
    return PrintedLayout(
        id=row.id,
        sheet_id=row.sheet_id,
        record_kind=RecordKind(row.record_kind) if row.record_kind else None,
        record_id=row.record_id,
        layout_version=row.layout_version,
        printed_at=row.printed_at,
        page_count=row.page_count,
        pdf_sha256=row.pdf_sha256,
        cells=tuple(
            CellView(c.row, c.participant, c.participant_id, c.page, c.x, c.y, c.width, c.height)
            for c in row.cells
        ),
        code_rect=_code_rect(row),
    )


def _code_rect(row: PrintedSheet) -> tuple[float, float, float, float] | None:
    x, y, width, height = row.code_x, row.code_y, row.code_width, row.code_height
    if x is None or y is None or width is None or height is None:
        return None
    return x, y, width, height
