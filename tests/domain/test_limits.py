"""Typed text is cleaned of control characters; numbers must be finite."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.limits import (
    LIMITS,
    clean_text,
    length_error,
    remove_control_characters,
)
from apk_desktop.domain.project import ProjectData, validate_project
from apk_desktop.domain.sessions import (
    Attendance,
    AttendanceEntry,
    HourUnit,
    attendance_errors,
    hours_error,
)


def test_single_line_fields_lose_every_control_character() -> None:
    assert clean_text("session.topic", "  Deeskalace\x0bv praxi\x00\x07\n\tII ") == (
        "Deeskalace v praxi  II"
    )
    assert clean_text("person.last_name", "Nová\ud800ková\ufffe") == "Nováková"


def test_multi_line_fields_keep_line_breaks_and_tabs() -> None:
    text = "Závěr:\r\n\t1. klid\x0b2. dohoda\u2028konec\x1b"
    assert clean_text("session.conclusions", text) == "Závěr:\n\t1. klid\n2. dohoda\nkonec"


def test_letters_of_every_kind_stay() -> None:
    text = "Šťastná–Ďurďovská „citace“ 😀 zero\u200bwidth\u00a0nbsp"
    assert remove_control_characters(text) == text


def test_every_limit_has_a_czech_message() -> None:
    for key, limit in LIMITS.items():
        assert length_error(key, "a" * limit.max_length) is None
        message = length_error(key, "a" * (limit.max_length + 1))
        assert message is not None and f"nejvýše {limit.max_length} znaků" in message


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_non_finite_hours_are_refused_with_a_message(value: str) -> None:
    hours = Decimal(value)
    assert hours_error(hours, time(9), time(12), HourUnit.CLOCK) == (
        "Počet hodin musí být číslo (např. 1,5)."
    )
    errors = attendance_errors(
        AttendanceEntry(1, Attendance.PRESENT, hours), Decimal(3), HourUnit.CLOCK, "f"
    )
    assert errors == {"f": "Počet hodin musí být číslo (např. 1,5)."}
    errors = attendance_errors(
        AttendanceEntry(1, Attendance.ABSENT, hours), Decimal(3), HourUnit.CLOCK, "f"
    )
    assert errors == {"f": "Počet hodin musí být číslo (např. 1,5)."}


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1E+20"])
def test_amounts_must_be_finite_and_fit_the_column(value: str) -> None:
    data = ProjectData(
        name="Projekt",
        registration_number="CZ.03.02.01/00/22_018/0000388",
        beneficiary="město",
        programme="",
        method="",
        mentor_name="",
        period_start=date(2023, 4, 1),
        period_end=date(2026, 3, 31),
        total_cost=Decimal(value),
        eu_contribution=Decimal(1),
        national_sources=Decimal(1),
        own_financing=Decimal(1),
    )
    message = validate_project(data)["total_cost"]
    assert message in ("Částka musí být číslo (např. 13 676 292,00).", "Částka je příliš velká.")


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-inf", "sNaN", " NaN "])
def test_typed_hours_that_are_not_numbers(typed: str) -> None:
    from apk_desktop.domain.czech_format import parse_hours

    with pytest.raises(ValidationError) as caught:
        parse_hours(typed, "hours")
    assert caught.value.field_errors == {
        "hours": f"„{typed.strip()}“ není číslo. Zadejte hodiny jako 1,5."
    }


def test_characters_assumed_printable_are_in_every_sheet_font() -> None:
    from apk_desktop.domain.limits import _COMMON_PUNCTUATION, _sheet_code_points

    known = _sheet_code_points()
    assumed = [
        *range(0x20, 0x7F),
        *range(0xA0, 0x250),
        *map(ord, _COMMON_PUNCTUATION - {"\n", "\t"}),
    ]
    assert [hex(code) for code in assumed if code not in known] == []
