"""Czech order, accent-free search and plural forms (the one module every list calls)."""

from __future__ import annotations

import pytest

from apk_desktop.domain.czech_text import czech_sort_key, fold, matches, plural


def test_czech_alphabet_order() -> None:
    names = [
        "Kučera",
        "Čermáková",
        "Cibulka",
        "Hrubý",
        "Chalupa",
        "Iva",
        "Řehoř",
        "Rak",
        "Sova",
        "Šimek",
        "Tůma",
        "Žák",
        "Zeman",
        "Ábel",
        "Adam",
        "dvořák",
        "Dvorský",
    ]
    assert sorted(names, key=czech_sort_key) == [
        "Ábel", "Adam", "Cibulka", "Čermáková", "Dvorský", "dvořák", "Hrubý", "Chalupa", "Iva",
        "Kučera", "Rak", "Řehoř", "Sova", "Šimek", "Tůma", "Zeman", "Žák",
    ]  # fmt: skip


def test_accents_other_than_own_letters_only_break_ties() -> None:
    assert sorted(["Tuma", "Tůma", "Tumpach"], key=czech_sort_key) == ["Tuma", "Tůma", "Tumpach"]
    assert sorted(["Ábel", "Abel", "Abeles"], key=czech_sort_key)[-1] == "Abeles"


@pytest.mark.parametrize(
    ("text", "query"),
    [("Dvořáček", "dvora"), ("Řehoř", "rehor"), ("ŠŤASTNÁ", "šťastná"), ("Jana Šťastná", "STAST")],
)
def test_search_ignores_diacritics_and_case(text: str, query: str) -> None:
    assert matches(text, query)


def test_search_still_tells_different_words_apart() -> None:
    assert not matches("Dvořáček", "dvorek")
    assert fold("Řehoř") == "rehor"


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 souborů"), (1, "1 soubor"), (2, "2 soubory"), (4, "4 soubory"), (5, "5 souborů"),
     (11, "11 souborů"), (22, "22 souborů"), (101, "101 souborů")],
)  # fmt: skip
def test_plural_forms(count: int, text: str) -> None:
    assert plural(count, "soubor", "soubory", "souborů") == text
