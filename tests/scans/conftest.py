"""Printed sheets shared by the scan tests (printing and rendering them takes a moment)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apk_desktop.sheets.layout import SheetLayout
from tests.scans.scan_factory import Paper, paper, print_sheets


@dataclass(frozen=True)
class Printed:
    layouts: dict[str, SheetLayout]
    pages: dict[tuple[str, int], Paper]  # by (sheet id, page); copy before drawing on one

    def page(self, sheet_id: str, page: int = 1) -> Paper:
        return self.pages[sheet_id, page].copy()


@pytest.fixture(scope="session")
def printed() -> Printed:
    """PL-1 and PL-2 (one page each: 9 participants and 3 blank rows) and PL-3 (two pages)."""
    short = print_sheets([1, 2])
    long = print_sheets([3], participants=24)
    pages = paper(short) + paper(long)
    return Printed(
        {**short.by_id(), **long.by_id()},
        {(p.layout.sheet_id, p.page): p for p in pages},
    )
