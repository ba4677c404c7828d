"""What was printed where: one row per sheet printed (or saved as PDF) and one per signature
cell of its tables, so a signed scan can be read back cell by cell (issue 11).

A snapshot of the print, like the PDF's hash: the record and participant ids are plain numbers
(no foreign keys), so later changes to sessions or the roster neither block nor alter it. The
project it was printed in is a foreign key: it decides who sees the row on a server (migration
0012), and the prints go with their project."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from apk_desktop.db.base import Base


class PrintedSheet(Base):
    """One sheet as printed: its identifier, the record it belongs to, the layout version, when
    (UTC), how many pages and the SHA-256 of the PDF it was part of (a batch shares one)."""

    __tablename__ = "printed_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    sheet_id: Mapped[str] = mapped_column(String(60), index=True)
    record_kind: Mapped[str | None] = mapped_column(String(20))  # domain.sheet_refs.RecordKind
    record_id: Mapped[int | None] = mapped_column(Integer)
    layout_version: Mapped[int] = mapped_column(Integer)
    printed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive
    page_count: Mapped[int] = mapped_column(Integer)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    # where the QR code is printed on each page (points), when the sheet has one
    code_x: Mapped[float | None] = mapped_column(Float)
    code_y: Mapped[float | None] = mapped_column(Float)
    code_width: Mapped[float | None] = mapped_column(Float)
    code_height: Mapped[float | None] = mapped_column(Float)

    cells: Mapped[list[PrintedCell]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PrintedCell.id",  # as printed: page by page, row by row,
    )


class PrintedCell(Base):
    """One participant row of a printed signature table and its signature cell: a rectangle in
    PDF points on the sheet's ``page`` (1-based), origin at the bottom left of the page."""

    __tablename__ = "printed_cell"

    id: Mapped[int] = mapped_column(primary_key=True)
    printed_sheet_id: Mapped[int] = mapped_column(
        ForeignKey("printed_sheet.id", ondelete="CASCADE"), index=True
    )
    row: Mapped[int] = mapped_column(Integer)  # the number printed in the "Č." column
    participant: Mapped[str] = mapped_column(Text)  # "" for a blank row
    participant_id: Mapped[int | None] = mapped_column(Integer)  # None: blank row or the mentor
    page: Mapped[int] = mapped_column(Integer)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
