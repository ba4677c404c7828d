"""The machine-readable code printed (as a QR code) on every page of every sheet: which sheet,
which record, which page, which layout. A signed scan is matched back to its record by it.

``APK|<layout version>|<sheet id>|<record id>|<page>`` e.g. ``APK|2|PL-12|12|1``; the record id
is empty for sheets of no single record (blank sheets)."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "APK"
LAYOUT_VERSION = 2  # raise when what a sheet prints where changes (the stored layouts say which)


@dataclass(frozen=True)
class SheetCode:
    sheet_id: str
    record_id: int | None
    page: int  # 1-based, within the sheet
    layout_version: int = LAYOUT_VERSION

    def encode(self) -> str:
        record = "" if self.record_id is None else str(self.record_id)
        return f"{PREFIX}|{self.layout_version}|{self.sheet_id}|{record}|{self.page}"


def decode(text: str) -> SheetCode | None:
    """The code read from a scan, or None for anything that is not one of ours."""
    parts = text.strip().split("|")
    if len(parts) != 5 or parts[0] != PREFIX or not parts[2]:
        return None
    version, sheet_id, record, page = parts[1:]
    if not (version.isdigit() and page.isdigit() and (record == "" or record.isdigit())):
        return None
    return SheetCode(sheet_id, int(record) if record else None, int(page), int(version))
