from __future__ import annotations

import io
import itertools
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Table

from apk_desktop.sheets.attendance import (
    AttendanceSheetData,
    attendance_story,
    build_attendance_sheet,
)
from apk_desktop.sheets.base import EU_LINE, MARGIN, SheetHeader, build_pdf
from apk_desktop.sheets.parts import PAGE_WIDTH, signature_lines
from apk_desktop.sheets.supervision import SUPERVISION, RecordSheetData, record_story
from tests.sheets.pdftext import page_texts

HEADER = SheetHeader(
    beneficiary="město Sokolov, Městská policie Sokolov",
    project_name="Asistenti prevence kriminality Sokolov",
    registration_number="CZ.03.02.01/00/22_018/0000388",
)
NAMES = (
    "Jana Nováková",
    "Petr Svoboda",
    "Lucie Dvořáková",
    "Tomáš Černý",
    "Marie Procházková",
    "Josef Kučera",
    "Kateřina Veselá",
    "Martin Horák",
    "Eva Němcová",
)
AREAS = ("Komunikační dovednosti", "Mediační dovednosti")
DATA = AttendanceSheetData(
    header=HEADER,
    sheet_id="PL-17",
    activity_code="KA04",
    activity_name="Vzdělávání a supervize APK",
    topic="Deeskalace konfliktů v SVL",
    areas=AREAS,
    form="prezenčně",
    day=date(2025, 3, 12),
    start=time(9, 0),
    end=time(12, 15),
    hours=Decimal("4"),
    hours_unit="teaching",
    place="Služebna MP Sokolov",
    lecturers=("Mgr. Alena Šťastná",),
    mentor="Bc. Pavel Mentor",
    participants=tuple((name, f"APK – pozice {i}") for i, name in enumerate(NAMES, 1)),
)


def _pages(pdf: bytes) -> list[str]:
    return page_texts(pdf)


def test_every_field_of_a_full_sheet_on_one_page() -> None:
    pages = _pages(build_attendance_sheet(DATA))
    assert len(pages) == 1
    text = " ".join(pages[0].split())  # a cell may wrap
    for expected in (
        "Prezenční listina",
        HEADER.beneficiary,
        HEADER.project_name,
        HEADER.registration_number,
        EU_LINE,
        "KA04 – Vzdělávání a supervize APK",
        "Deeskalace konfliktů v SVL",
        "Komunikační dovednosti; Mediační dovednosti",
        "prezenčně",
        "12.03.2025",
        "9:00 – 12:15",
        "4 – vyučovací hodiny (45 min)",
        "Služebna MP Sokolov",
        "Lektor/ka: Mgr. Alena Šťastná",
        "Mentor: Bc. Pavel Mentor",
        "Celkem přítomných",
        "Podpis",
        "Poznámka",
        "Identifikátor listu: PL-17",
        "Strana 1 / 1",
    ):
        assert expected in text, expected
    for i, name in enumerate(NAMES, 1):
        assert f"{i}." in text and name in text and f"APK – pozice {i}" in text
    assert "12." in text and "13." not in text  # three blank rows for walk-ins


def test_clock_hours_and_online_form() -> None:
    text = _pages(
        build_attendance_sheet(
            replace(DATA, hours=Decimal("1.5"), hours_unit="clock", form="online")
        )
    )[0]
    assert "1,5 – hodiny (60 min)" in " ".join(text.split())
    assert "online" in text


def test_thirty_participants_break_onto_page_two_with_headers_repeated() -> None:
    many = tuple((f"Účastník {i}", f"APK – pozice {i % 9 + 1}") for i in range(1, 31))
    pages = _pages(build_attendance_sheet(replace(DATA, participants=many)))
    assert len(pages) == 2
    for number, text in enumerate(pages, 1):
        assert EU_LINE in text and "Identifikátor listu: PL-17" in text
        assert f"Strana {number} / 2" in text
        assert "Jméno a příjmení" in text and "Podpis" in text  # table header repeated
    assert "Účastník 30" in pages[1] and "Celkem přítomných" in pages[1]


def test_blank_sheet_offers_boxes_to_tick() -> None:
    blank = AttendanceSheetData(
        header=HEADER,
        sheet_id="PL-BLANK-2025-03-12",
        blank_rows=12,
        area_options=("Finanční gramotnost", "Digitální gramotnost"),
    )
    pages = _pages(build_attendance_sheet(blank))
    assert len(pages) == 1
    text = pages[0]
    assert "Identifikátor listu: PL-BLANK-2025-03-12" in text
    assert "☐" in text and "Finanční gramotnost" in text and "online" in text
    assert "vyučovací" in text and "(45 min)" in text and "(60 min)" in text
    assert "12." in text


def test_nothing_personal_beyond_names_and_positions() -> None:
    text = _pages(build_attendance_sheet(DATA))[0]
    assert "@" not in text and "+420" not in text and "narozen" not in text.lower()


def _horizontal_rules(pdf: bytes) -> list[tuple[float, float, float]]:
    """Every horizontal line stroked on the first page: (y, x from, x to)."""
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    rules = []
    rules_start: list[tuple[float, float]] = []
    for operands, operator in content.operations:
        if operator == b"l" and rules_start:
            (x0, y0), (x1, y1) = rules_start[-1], (float(operands[0]), float(operands[1]))
            if abs(y0 - y1) < 0.01:
                rules.append((round(y0, 1), min(x0, x1), max(x0, x1)))
        if operator == b"m":
            rules_start = [(float(operands[0]), float(operands[1]))]
        elif operator != b"l":
            rules_start = []
    return rules


def test_each_signer_has_a_line_of_their_own() -> None:
    pdf = build_pdf(
        HEADER,
        [signature_lines(["Lektor/ka", "Mentor", "Vedoucí"], PAGE_WIDTH)],
        sheet_id="X",
        title="X",
    )
    by_height: dict[float, list[tuple[float, float]]] = {}
    for y, x0, x1 in _horizontal_rules(pdf):
        by_height.setdefault(y, []).append((x0, x1))
    (segments,) = [s for s in by_height.values() if len(s) == 3]
    segments.sort()
    for (_, end), (start, _) in itertools.pairwise(segments):
        assert start - end >= 8 * mm  # a clear gap between two signers' lines


def test_every_table_of_the_session_sheets_fits_the_frame() -> None:
    frame = A4[0] - 2 * MARGIN - 12  # reportlab's frame keeps 6 pt padding on either side
    assert pytest.approx(frame) == PAGE_WIDTH
    record = RecordSheetData(SUPERVISION, HEADER, "SUP-1", participants=DATA.participants)
    tables = [
        flowable
        for story in (attendance_story(DATA), record_story(record))
        for flowable in story
        if isinstance(flowable, Table)
    ]
    assert len(tables) == 4  # facts and signatures of both
    for table in tables:
        width, _ = table.wrap(frame, 10_000)
        assert width <= frame + 0.01, table
