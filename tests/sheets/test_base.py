from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.units import mm

from apk_desktop.sheets.base import EU_LINE, SheetHeader, build_pdf
from apk_desktop.sheets.parts import field_table, grid_table, para, signature_lines, title

HEADER = SheetHeader(
    beneficiary="město Sokolov",
    project_name="Asistenti prevence kriminality Sokolov",
    registration_number="CZ.03.02.01/00/22_018/0000388",
)
CZECH = "ěščřžýáíéůúňťď ĚŠČŘŽÝÁÍÉŮÚŇŤĎ"


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_has_header_footer_and_czech_letters() -> None:
    rows = [[str(i), f"Účastník {i} {CZECH}", ""] for i in range(1, 80)]
    story = [
        title("Zkušební list"),
        field_table([("Téma", CZECH)], 180 * mm),
        para(CZECH),
        grid_table(["Č.", "Jméno", "Podpis"], rows, [10 * mm, 100 * mm, 70 * mm]),
        signature_lines(["Lektor", "Mentor"], 180 * mm),
    ]
    pages = _text(build_pdf(HEADER, story, sheet_id="TEST-1", title="Zkušební list"))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert EU_LINE in text
        assert "CZ.03.02.01/00/22_018/0000388" in text
        assert "Identifikátor listu: TEST-1" in text
        assert f"Strana {number} / {len(pages)}" in text
        assert "Jméno" in text  # the table header repeats
    assert CZECH in pages[0]
