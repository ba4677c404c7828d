from __future__ import annotations

from datetime import date

from apk_desktop.sheets.base import EU_LINE, SheetHeader
from apk_desktop.sheets.idp import (
    IdpGoal,
    IdpReview,
    IdpSheetData,
    build_idp_pdf,
    suggested_file_name,
)
from tests.sheets.pdftext import page_texts

HEADER = SheetHeader(
    beneficiary="město Sokolov",
    project_name="Asistenti prevence kriminality Sokolov",
    registration_number="CZ.03.02.01/00/22_018/0000388",
)


def _goal(label: str, text: str = "Umí sestavit rozpočet domácnosti.") -> IdpGoal:
    return IdpGoal(
        area_label=label,
        goals=text,
        activities="vzdělávání/školení, praxe",
        activity_detail="Kurz finanční gramotnosti (8 h)",
        responsible="Mgr. Pavel Kratochvíl",
        deadline=date(2024, 3, 1),
        success_measure="Modelová situace zvládnutá",
        status="částečně splněno",
        entry_level="2 – základní znalosti",
    )


def _data(**changes: object) -> IdpSheetData:
    base = IdpSheetData(
        header=HEADER,
        plan_id=7,
        version=2,
        assistant_name="Jana Nováková",
        position_number=3,
        mentor_name="Mgr. Pavel Kratochvíl",
        period_start=date(2023, 4, 1),
        period_end=date(2024, 3, 31),
        signed_on=date(2023, 4, 8),
        note="Žluťoučký kůň úpěl ďábelské ódy.",
        goals=(_goal("Finanční gramotnost"), _goal("Komunikační dovednosti")),
        reviews=(IdpReview(date(2023, 10, 1), "Celý plán", "splněno", "Plní průběžně."),),
        final_evaluation="Asistentka splnila cíle ve dvou oblastech.",
        include_police_head=True,
        police_head_name="Bc. Karel Dvořák",
        show_entry_levels=True,
    )
    return IdpSheetData(**{**base.__dict__, **changes})


def _pages(pdf: bytes) -> list[str]:
    return page_texts(pdf)


def test_idp_shows_every_field_in_czech() -> None:
    pages = _pages(build_idp_pdf(_data()))
    text = " ".join(" ".join(pages).split())  # cells wrap: compare with single spaces
    for expected in (
        "Plán individuálního rozvoje",
        "Jana Nováková (pozice č. 3)",
        "Mgr. Pavel Kratochvíl",
        "01.04.2023 – 31.03.2024",
        "podepsaná verze 2 (podepsáno 08.04.2023)",
        "Žluťoučký kůň úpěl ďábelské ódy.",
        "1. Finanční gramotnost",
        "2. Komunikační dovednosti",
        "Vstupní úroveň",
        "2 – základní znalosti",
        "Umí sestavit rozpočet domácnosti.",
        "vzdělávání/školení, praxe",
        "Kurz finanční gramotnosti (8 h)",
        "Odpovědná osoba",
        "01.03.2024",
        "Modelová situace zvládnutá",
        "částečně splněno",
        "Průběžná hodnocení plánu",
        "01.10.2023",
        "Plní průběžně.",
        "Závěrečné hodnocení",
        "Asistentka splnila cíle ve dvou oblastech.",
        "Asistent/ka: Jana Nováková",
        "Mentor/ka: Mgr. Pavel Kratochvíl",
        "Vedoucí městské policie: Bc. Karel Dvořák",
    ):
        assert expected in text, expected
    for number, page in enumerate(pages, start=1):
        assert EU_LINE in page
        assert "CZ.03.02.01/00/22_018/0000388" in page
        assert "Identifikátor listu: IDP-7-v2" in page
        assert f"Strana {number} / {len(pages)}" in page


def test_draft_without_entry_levels_or_head_of_police() -> None:
    data = _data(
        signed_on=None,
        show_entry_levels=False,
        include_police_head=False,
        reviews=(),
        final_evaluation="",
        goals=(),
    )
    text = "\n".join(_pages(build_idp_pdf(data)))
    assert "verze 2 – návrh k projednání" in text
    assert "Vstupní úroveň" not in text
    assert "Vedoucí městské policie" not in text
    assert "Plán zatím neobsahuje žádné cíle." in text
    assert "Asistent/ka: Jana Nováková" in text


def test_long_texts_wrap_and_flow_onto_more_pages() -> None:
    long_text = ("Dlouhý cíl s diakritikou – řeší sousedské spory. " * 80).strip()
    goals = tuple(_goal(f"Oblast {i}", long_text) for i in range(1, 6))
    pages = _pages(build_idp_pdf(_data(goals=goals)))
    assert len(pages) >= 3
    assert "Vedoucí městské policie: Bc. Karel Dvořák" in " ".join(pages[-1].split())
    assert "5. Oblast 5" in "\n".join(pages)


def test_suggested_file_name_is_plain() -> None:
    assert suggested_file_name(_data()) == "IDP-7-v2 Jana Novakova.pdf"
    odd = _data(assistant_name='Jana „Kočka" Nováková: AUX/2 \t ')
    assert suggested_file_name(odd) == "IDP-7-v2 Jana _Kocka_ Novakova_ AUX_2.pdf"


def test_no_heading_or_goal_label_ends_a_page() -> None:
    """Whatever the length of the note above, each heading and goal label shares its page
    with the start of what it heads."""
    long_goal = " ".join(["Umí sestavit rozpočet domácnosti a poradit s ním klientům."] * 30)
    for lines in range(0, 70, 3):
        note = "\n".join(f"Poznámka číslo {n}." for n in range(lines + 1))
        goals = (_goal("Finanční gramotnost", long_goal), _goal("Komunikační dovednosti"))
        pages = _pages(build_idp_pdf(_data(note=note, goals=goals)))
        for heading, start in (
            ("Cíle a plánované aktivity", "1. Finanční gramotnost"),
            ("1. Finanční gramotnost", "Vstupní úroveň"),
            ("2. Komunikační dovednosti", "Vstupní úroveň"),
            ("Průběžná hodnocení plánu", "Oblast / cíl"),
            ("Závěrečné hodnocení", "Asistentka splnila"),
        ):
            (page,) = [p for p in pages if heading in p]
            assert start in page.split(heading, 1)[1], (lines, heading)
        assert len(pages) <= 4, lines  # a long goal flows on, never pushed onto its own page
