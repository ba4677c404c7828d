from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

from pypdf import PdfReader

from apk_desktop.sheets.base import EU_LINE, SheetHeader, SheetInfo, build_sheets
from apk_desktop.sheets.supervision import (
    MENTORING,
    PRIVATE_HEADING,
    SUPERVISION,
    RecordSheetData,
    build_record_sheet,
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
    shown = _text(build_record_sheet(replace(DATA, include_private_note=True)))
    assert PRIVATE in shown


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


def test_blank_record_fits_one_page_with_boxes() -> None:
    pdf = build_record_sheet(RecordSheetData(SUPERVISION, HEADER, "SUP-BLANK-2025-03-20"))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    text = pages[0].extract_text().replace("\xa0", " ")
    assert "☐" in text and "týmová" in text and "případová" in text and "interní" in text
    assert "4." in text


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
