from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Table

from apk_desktop.db.database import Database
from apk_desktop.db.services.sessions_print import SheetKind, blank_sheets
from apk_desktop.sheets.base import EU_LINE, SheetHeader, SheetInfo, build_sheets
from apk_desktop.sheets.parts import PAGE_WIDTH
from apk_desktop.sheets.session_sheets import SheetBatch, build_document
from apk_desktop.sheets.supervision import (
    ANNEX_WARNING,
    BLANK_SHEET_ROWS,
    MENTORING,
    PRIVATE_HEADING,
    SUPERVISION,
    RecordKind,
    RecordSheetData,
    build_record_sheet,
    record_sheets,
    record_story,
)
from tests.sheets.pdftext import page_texts, pdf_text

HEADER = SheetHeader(
    "město Sokolov", "Asistenti prevence kriminality Sokolov", "CZ.03.02.01/00/22_018/0000388"
)
PRIVATE = "Důvěrné: osobní situace účastníka."
DATA = RecordSheetData(
    kind=SUPERVISION,
    header=HEADER,
    sheet_id="SUP-5",
    activity_code="KA04",
    activity_name="Vzdělávání a supervize APK",
    leader="PhDr. Karel Dohled",
    leader_kind="externí",
    form="skupinová",
    day=date(2025, 3, 20),
    start=time(13, 0),
    end=time(14, 30),
    hours=Decimal("1.5"),
    place="Zasedačka MěÚ Sokolov",
    areas=("Komunikační dovednosti", "Mediační dovednosti"),
    participants=(("Jana Nováková", "APK – pozice 1"), ("Petr Svoboda", "APK – pozice 2")),
    topic="Zvládání zátěže při práci v SVL",
    conclusions="Tým pojmenoval hlavní zdroje zátěže.",
    agreed_steps="Zavést krátké porady po zásahu.",
    next_meeting="17.04.2025",
    private_note=PRIVATE,
)


def _text(pdf: bytes) -> str:
    return pdf_text(pdf)


def test_every_field_of_the_supervision_record() -> None:
    text = _text(build_record_sheet(DATA))
    for expected in (
        "Záznam ze supervize",
        EU_LINE,
        HEADER.registration_number,
        "KA04 – Vzdělávání a supervize APK",
        "Supervizor/ka",
        "PhDr. Karel Dohled",
        "externí",
        "skupinová",
        "Zasedačka MěÚ Sokolov",
        "Vzdělávací oblasti",
        "Komunikační dovednosti; Mediační dovednosti",
        "20.03.2025",
        "13:00 – 14:30",
        "1,5 h",
        "17.04.2025",
        "Zakázka (téma)",
        "Zvládání zátěže při práci v SVL",
        "Závěry",
        "Tým pojmenoval hlavní zdroje zátěže.",
        "Dohodnuté kroky",
        "Zavést krátké porady po zásahu.",
        "Jana Nováková",
        "APK – pozice 1",
        "Petr Svoboda",
        "Podpis",
        "Supervizor/ka: PhDr. Karel Dohled",
        "Identifikátor listu: SUP-5",
    ):
        assert expected in text, expected


def test_private_note_printed_only_on_explicit_request() -> None:
    assert PRIVATE not in _text(build_record_sheet(DATA))
    assert PRIVATE_HEADING not in _text(build_record_sheet(DATA))
    assert ANNEX_WARNING not in _text(build_record_sheet(DATA))
    shown = _text(build_record_sheet(replace(DATA, include_private_note=True)))
    assert PRIVATE in shown


@pytest.mark.parametrize("participants", [2, 9, 30])
def test_private_note_only_on_a_confidential_annex_after_the_signatures(
    participants: int,
) -> None:
    people = tuple((f"Účastník {i}", "APK – pozice 1") for i in range(1, participants + 1))
    data = replace(DATA, participants=people, include_private_note=True)
    batch = SheetBatch(HEADER, (data, replace(DATA, sheet_id="SUP-6")), "Záznamy", "z.pdf")
    document = build_document(batch)
    pages = page_texts(document.pdf)
    with_note = [index for index, text in enumerate(pages) if PRIVATE in text]
    assert len(with_note) == 1
    annex = pages[with_note[0]]
    assert ANNEX_WARNING in annex and "Identifikátor listu: SUP-5-D" in annex
    assert "Strana 1 / 1" in annex
    assert "Podpis" not in annex and "Účastník 1" not in annex and "Datum: …" not in annex
    record = re.compile(r"Identifikátor listu: SUP-5(?![-\d])")
    signed = [text for text in pages[: with_note[0]] if record.search(text)]
    assert signed and "Supervizor/ka: PhDr. Karel Dohled" in signed[-1]  # the annex follows
    assert all(ANNEX_WARNING not in text and PRIVATE not in text for text in signed)
    assert "Identifikátor listu: SUP-6" in pages[with_note[0] + 1]  # then the next session
    layouts = {layout.sheet_id: layout for layout in document.layouts}
    assert layouts["SUP-5-D"].record_id == layouts["SUP-5"].record_id
    assert layouts["SUP-5-D"].cells == ()  # nobody signs the annex
    assert len(layouts["SUP-5"].cells) == participants


def test_mentoring_record_has_its_own_title_and_roles() -> None:
    data = replace(
        DATA,
        kind=MENTORING,
        sheet_id="MEN-8",
        activity_code="KA03",
        activity_name="Mentoring APK",
        leader="Bc. Pavel Mentor",
        leader_kind="",
        form="individuální",
        participants=DATA.participants[:1],
    )
    text = _text(build_record_sheet(data))
    assert "Záznam z mentoringu" in text and "supervize" not in text.split("Záznam")[1][:20]
    assert "Mentor: Bc. Pavel Mentor" in text and "KA03 – Mentoring APK" in text
    assert "individuální" in text and "Identifikátor listu: MEN-8" in text
    assert "Supervizor" not in text and "Typ" not in text


@pytest.mark.parametrize("kind", [SUPERVISION, MENTORING])
def test_blank_record_has_ten_rows_to_sign_and_areas_to_tick(kind: RecordKind) -> None:
    areas = ("Finanční gramotnost", "Digitální gramotnost")
    blank = RecordSheetData(kind, HEADER, f"{kind.id_prefix}-BLANK", area_options=areas)
    built = build_sheets(HEADER, record_sheets(blank), title="Prázdný záznam")
    text = pdf_text(built.pdf)
    assert "☐ Finanční gramotnost" in text and "☐ Digitální gramotnost" in text
    assert "☐ individuální" in text
    (layout,) = built.layouts
    assert [cell.row for cell in layout.cells] == list(range(1, BLANK_SHEET_ROWS + 1))
    assert BLANK_SHEET_ROWS >= 10
    assert all(cell.height >= 10 * mm - 0.01 for cell in layout.cells)
    assert len({cell.page for cell in layout.cells}) == 1  # one page of signatures
    if kind is SUPERVISION:
        assert "☐ externí" in text and "☐ případová" in text


@pytest.mark.parametrize("kind", list(SheetKind))
def test_blank_sheets_of_the_project_offer_its_areas(
    db: Database, project_id: int, kind: SheetKind
) -> None:
    with db.unit_of_work() as session:
        batch = blank_sheets(session, project_id, kind, None)
    text = " ".join(pdf_text(build_document(batch).pdf).split())
    assert "☐ Finanční gramotnost" in text and "☐ Digitální gramotnost" in text
    assert "10." in text


def test_batch_keeps_each_sheets_id_and_numbering() -> None:
    many = tuple((f"Účastník {i}", "APK – pozice 1") for i in range(1, 25))
    long_one = replace(DATA, sheet_id="SUP-6", participants=many)
    pdf = build_sheets(
        HEADER,
        [
            (SheetInfo(d.sheet_id), record_story(d))
            for d in (DATA, long_one, replace(DATA, sheet_id="SUP-7"))
        ],
        title="Záznamy ze supervize",
    ).pdf
    pages = page_texts(pdf)
    assert len(pages) == 4
    expected = [("SUP-5", 1, 1), ("SUP-6", 1, 2), ("SUP-6", 2, 2), ("SUP-7", 1, 1)]
    for text, (sheet_id, number, total) in zip(pages, expected, strict=True):
        assert f"Identifikátor listu: {sheet_id}" in text
        assert f"Strana {number} / {total}" in text
        assert EU_LINE in text


def test_duration_states_its_unit() -> None:
    teaching = " ".join(_text(build_record_sheet(replace(DATA, hours_unit="teaching"))).split())
    assert "1,5 – vyučovací hodiny (45 min)" in teaching
    clock = " ".join(_text(build_record_sheet(replace(DATA, hours_unit="clock"))).split())
    assert "1,5 – hodiny (60 min)" in clock


@pytest.mark.parametrize("kind", [SUPERVISION, MENTORING])
def test_blank_record_fields_are_tall_enough_to_write_in(kind: RecordKind) -> None:
    story = record_story(RecordSheetData(kind, HEADER, "X", area_options=("Finanční",)))
    facts = next(flowable for flowable in story if isinstance(flowable, Table))
    facts.wrap(PAGE_WIDTH, 10_000)
    assert min(facts._rowHeights) >= 10 * mm - 0.01
