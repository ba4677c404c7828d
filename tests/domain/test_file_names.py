"""File names made from user data are valid on Windows: checked against the rules Windows
applies, written out here independently of the helper."""

from __future__ import annotations

import random
import unicodedata

import pytest

from apk_desktop.domain.file_names import MAX_LENGTH, safe_file_name

DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"
}


def windows_problem(name: str) -> str | None:
    """Why Windows would refuse ``name`` (or make it a device), or None."""
    if not name:
        return "empty"
    if len(name) > MAX_LENGTH:
        return "too long"
    if any(ch in '<>:"/\\|?*' or unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        return "forbidden character"
    if name[-1] in " .":
        return "trailing dot or space"
    if name.split(".")[0].rstrip(" ").upper() in DEVICES:
        return "device name"
    return None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON.pdf", "CON_.pdf"),
        ("con.txt", "con_.txt"),
        ("nul .pdf", "nul_.pdf"),
        ("Aux", "Aux_"),
        ("prn.xlsx", "prn_.xlsx"),
        ("COM1.csv", "COM1_.csv"),
        ("lpt9.zip", "lpt9_.zip"),
        ("COM0.pdf", "COM0_.pdf"),
        ("COM¹.pdf", "COM¹_.pdf"),
        ("conout$.txt", "conout$_.txt"),
        ("con.tar.gz", "con_.tar.gz"),
        ("CON..pdf", "CON_.pdf"),
        ("NUL", "NUL_"),
    ],
)
def test_device_names_get_an_underscore(name: str, expected: str) -> None:
    assert windows_problem(name) == "device name" or name.endswith("..pdf")
    assert safe_file_name(name) == expected
    assert windows_problem(expected) is None


@pytest.mark.parametrize(
    "name",
    [
        "CONSOLE.pdf",
        "COM10.pdf",
        "Connor Jana.pdf",
        "NULL.pdf",
        "PRN-plan.pdf",
        "IDP-12-v2 Jana Nováková.pdf",
        "Plán rozvoje – Řehoř Žák.pdf",
        "apk-zaloha-2026-12-01_101500-n000012.zip",
        "setkani-dochazka.csv",
        "listy-2024-03.pdf",
    ],
)
def test_valid_names_are_kept(name: str) -> None:
    assert safe_file_name(name) == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('Školení: "krize" <1/2>?*|\\.pdf', "Školení_ _krize_ _1_2_____.pdf"),
        ("Jana\x00Nová\x07.pdf", "JanaNová.pdf"),
        ("Jana\tNová\r\n  Řehoř.pdf", "Jana Nová Řehoř.pdf"),
        ("faktura\u202efdp.exe", "fakturafdp.exe"),  # right-to-left override
        ("Zápis. . .pdf", "Zápis.pdf"),
        ("Zápis...", "Zápis"),
        ("  Zápis  ", "Zápis"),
        ("", "soubor"),
        (".pdf", "soubor.pdf"),
        ("   .pdf", "soubor.pdf"),
        ("...", "soubor"),
        ("Nova\u0301kova\u0301.pdf", "Nováková.pdf"),  # decomposed accents composed
    ],
)
def test_forbidden_characters_and_edges_are_fixed(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_long_names_are_cut_before_the_extension() -> None:
    name = safe_file_name("Zápis " * 100 + ".pdf")
    assert len(name) <= MAX_LENGTH and name.startswith("Zápis Zápis") and name.endswith(".pdf")
    device = safe_file_name("CON." + "x" * 500 + ".pdf")
    assert device.startswith("CON_.") and device.endswith("x.pdf")
    assert windows_problem(device) is None
    assert len(safe_file_name("a" * 30, max_length=20)) <= 20


def test_plain_ascii_drops_diacritics() -> None:
    assert safe_file_name("IDP-7 Jana Nováková.pdf", ascii_only=True) == "IDP-7 Jana Novakova.pdf"
    assert safe_file_name("Łukasz Ščerba ½.pdf", ascii_only=True) == "_ukasz Scerba 1_2.pdf"
    assert safe_file_name("COM¹.pdf", ascii_only=True) == "COM1_.pdf"


def test_any_text_gives_a_valid_name_that_stays_as_it_is() -> None:
    alphabet = 'aZčŘ .._-<>:"/\\|?*\x00\x1f\x7f\u202e\u200b\t\nCONULPTM1¹$ '
    pieces = [*alphabet, "CON", "nul", "COM1", ".pdf", "lpt²", "  ", ".."]
    generator = random.Random(12)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 12)))
        name = safe_file_name(text)
        assert windows_problem(name) is None, (text, name)
        assert safe_file_name(name) == name, (text, name)


def test_names_of_backups_and_archives_are_valid_on_windows() -> None:
    from datetime import datetime, timedelta, timezone

    from apk_desktop.backup.service import backup_name, export_name
    from apk_desktop.backup.store import snapshot_name

    made = datetime(2026, 12, 1, 23, 59, 58, tzinfo=timezone(timedelta(hours=1)))
    for name in (backup_name(made, 12), export_name(made), snapshot_name(made, 12)):
        assert windows_problem(name) is None, name
        assert safe_file_name(name) == name
