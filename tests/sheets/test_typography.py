"""Czech typesetting on the sheets: no one-letter word or title ends a line, running text is
hyphenated by Czech rules, names are never broken inside a word."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from apk_desktop.sheets.attendance import build_attendance_sheet
from apk_desktop.sheets.base import FONT, register_fonts
from apk_desktop.sheets.parts import PAGE_WIDTH, name_para, para, signature_table
from apk_desktop.sheets.supervision import build_record_sheet
from apk_desktop.sheets.typography import NBSP, bind_short_words, fitting_font_size
from tests.sheets.pdftext import page_texts
from tests.sheets.test_attendance import DATA as ATTENDANCE
from tests.sheets.test_supervision import DATA as RECORD


def lines(paragraph: Paragraph, width: float) -> list[str]:
    """The lines ``paragraph`` is broken into at ``width``, as text."""
    paragraph.wrap(width, 1e6)
    return [" ".join(words).replace(NBSP, " ") for _, words in paragraph.blPara.lines]


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Bc. Miroslav Novák", "Bc.\u00a0Miroslav"),
        ("Tomáš Černý z Lobkovic", "z\u00a0Lobkovic"),
        ("a v Praze i u nás", "a\u00a0v\u00a0Praze i\u00a0u\u00a0nás"),
        ("PhDr. Karel Dohled, Ing. Jan Kos", "PhDr.\u00a0Karel Dohled, Ing.\u00a0Jan"),
        ("s klienty k tomu", "s\u00a0klienty k\u00a0tomu"),
        ("vyučovací hodiny (45 min)", "(45\u00a0min)"),
        ("pozice č. 3", "č.\u00a03"),
    ],
)
def test_short_words_and_titles_are_bound_to_the_next_word(text: str, bound: str) -> None:
    assert bound in bind_short_words(text)


def test_words_that_only_look_short_stay_apart() -> None:
    for text in ("KA04 – A", "s. r. o.", "x/a b", "konec a", "V.I.P. a"):
        assert NBSP not in bind_short_words(text), text


@pytest.mark.parametrize(("lead", "word"), [("Bc.", "Miroslav"), ("z", "Lobkovic")])
def test_a_title_or_preposition_never_ends_a_line(lead: str, word: str) -> None:
    text = f"Dnes vedl Jan Kos {lead} {word} a další"
    register_fonts()
    width = stringWidth(f"Dnes vedl Jan Kos {lead}", FONT, 10) + 2  # "… z" fits, "Lobkovic" not
    for paragraph in (para(text), name_para(text, 10, "body")):
        broken = lines(paragraph, width)
        assert not any(line.endswith(f" {lead}") for line in broken), broken
        assert any(line.startswith(f"{lead} {word}") for line in broken), broken


def test_running_text_is_hyphenated_by_czech_rules() -> None:
    register_fonts()
    text = "Asistenti prevence kriminality nejneobhospodařovávatelnějšími prostředky"
    broken = lines(para(text), stringWidth("Asistenti prevence kriminality nejne", FONT, 10))
    assert broken[0].endswith("-"), broken  # the long word is hyphenated, not pushed down
    assert "".join(line.removesuffix("-") for line in broken).replace(" ", "") == text.replace(
        " ", ""
    )


def test_a_name_is_never_hyphenated() -> None:
    register_fonts()
    width = stringWidth("Procházková-Dvořáková", FONT, 9) + 1
    broken = lines(name_para("Marie Procházková-Dvořáková", 9), width)
    assert all(line in ("Marie", "Procházková-Dvořáková") for line in broken), broken


def test_long_names_shrink_instead_of_breaking() -> None:
    register_fonts()
    name = "Bc. Marie Procházková-Dvořáková-Šťastná"
    size = fitting_font_size([name], FONT, 9, 40 * mm)
    assert 6.5 <= size < 9
    for pdf in (
        build_attendance_sheet(replace(ATTENDANCE, participants=((name, "APK – pozice 1"),))),
        build_record_sheet(replace(RECORD, participants=((name, "APK – pozice 1"),))),
    ):
        text = page_texts(pdf)[0]
        lines = text.split("\n")
        assert any(line.endswith(" Procházková-Dvořáková-Šťastná") for line in lines) or (
            "Procházková-Dvořáková-Šťastná" in lines
        ), text


def test_a_name_too_long_for_any_size_makes_its_row_taller() -> None:
    long_name = " ".join(["Procházková-Dvořáková-Šťastná"] * 8)
    table = signature_table([(long_name, "APK")], 1, note_column=False)
    table.wrap(PAGE_WIDTH, 1e6)
    heights = table._rowHeights
    assert heights[1] > heights[2] >= 28  # the long name's row grew; a blank row is 10 mm
