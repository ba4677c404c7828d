"""Lay out the sessions' sheets, already filled in, as one PDF (no Qt, no database).

A ``SheetBatch`` (made by ``db.services.sessions_print``: one session's sheet, a month's sheets
or a blank sheet) holds prezenční listiny and supervision/mentoring records; ``build_document``
turns it into PDF bytes, each sheet on its own pages with its own id. Run it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable

from apk_desktop.domain.czech_text import plural
from apk_desktop.sheets.attendance import AttendanceSheetData, attendance_story
from apk_desktop.sheets.base import SheetHeader, SheetInfo, build_sheets
from apk_desktop.sheets.layout import SheetLayout
from apk_desktop.sheets.supervision import RecordSheetData, record_sheets

SessionSheet = AttendanceSheetData | RecordSheetData
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class SheetBatch:
    """The sheets of one PDF with its title and the file name suggested when saving."""

    header: SheetHeader
    sheets: tuple[SessionSheet, ...]
    title: str
    file_name: str


@dataclass(frozen=True)
class Document:
    """A built PDF with what the preview needs."""

    pdf: bytes
    title: str
    file_name: str  # suggested when saving
    sheet_count: int = 1
    layouts: tuple[SheetLayout, ...] = ()  # where each sheet's signature cells were printed


def sheet_stories(sheet: SessionSheet) -> list[tuple[SheetInfo, list[Flowable]]]:
    """The sheets one session prints: its sheet and, for a record whose private note the user
    asked to print, the confidential annex after it."""
    if isinstance(sheet, AttendanceSheetData):
        info = SheetInfo(sheet.sheet_id, sheet.record_id, sheet.running_line)
        return [(info, attendance_story(sheet))]
    return record_sheets(sheet)


def build_document(
    batch: SheetBatch,
    *,
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> Document:
    """The batch as one PDF. ``check`` raises to cancel; ``progress(done, total, text)``
    reports each sheet laid out (the last step is the PDF itself)."""
    total = len(batch.sheets) + 1
    stories: list[tuple[SheetInfo, list[Flowable]]] = []
    for done, sheet in enumerate(batch.sheets, start=1):
        if check:
            check()
        stories += sheet_stories(sheet)
        if progress:
            sheets = plural(len(batch.sheets), "listu", "listů", "listů")  # genitive: z 1 listu
            progress(done, total, f"Připraveno {done} z {sheets}…")
    if check:
        check()
    built = build_sheets(batch.header, stories, title=batch.title)
    if progress:
        progress(total, total, "Hotovo")
    return Document(built.pdf, batch.title, batch.file_name, len(batch.sheets), built.layouts)
