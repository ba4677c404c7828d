"""Sheets printed from the demo project say UKÁZKA on every page; real ones never do."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader
from reportlab.lib.units import mm

from apk_desktop.sheets.base import DEMO_MARK, SheetHeader, build_pdf
from apk_desktop.sheets.parts import grid_table, title

HEADER = SheetHeader("město Ukázkov", "Ukázkový projekt", "CZ.03.02.01/00/22_999/0000999")


def _pages(header: SheetHeader) -> list[str]:
    rows = [[str(i), f"Účastník {i}"] for i in range(1, 90)]
    story = [title("List"), grid_table(["Č.", "Jméno"], rows, [10 * mm, 120 * mm])]
    pdf = build_pdf(header, story, sheet_id="PL-1", title="List")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_demo_mark_in_header_and_footer_of_every_page() -> None:
    pages = _pages(replace(HEADER, demo=True))
    assert len(pages) >= 2
    assert all(text.count(DEMO_MARK) == 2 for text in pages)
    assert not any("UKÁZKA" in text for text in _pages(HEADER))
