from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apk_desktop.domain.czech_format import (
    NBSP,
    format_date,
    format_hours,
    format_money,
    parse_date,
    parse_money,
)
from apk_desktop.domain.errors import ValidationError


def test_format_and_parse_dates() -> None:
    assert format_date(date(2023, 4, 1)) == "01.04.2023"
    assert format_date(None) == ""
    assert parse_date("1.4.2023") == date(2023, 4, 1)
    assert parse_date(" 01 . 04 . 2023 ") == date(2023, 4, 1)
    assert parse_date("2023-04-01") == date(2023, 4, 1)
    assert parse_date("", required=False) is None


@pytest.mark.parametrize("text", ["31.2.2024", "abc", "1.13.2024"])
def test_bad_dates_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(text, "start")
    assert "není platné datum" in info.value.field_errors["start"]


def test_empty_required_date() -> None:
    with pytest.raises(ValidationError) as info:
        parse_date("  ", "start")
    assert info.value.field_errors == {"start": "Zadejte datum."}


def test_money_round_trip() -> None:
    text = format_money(Decimal("13676292"))
    assert text == f"13{NBSP}676{NBSP}292,00"
    assert parse_money(text) == Decimal("13676292.00")
    assert parse_money("13 676 292,00") == Decimal("13676292.00")
    assert parse_money("10494502.67") == Decimal("10494502.67")
    assert parse_money("1 000 Kč") == Decimal("1000.00")
    assert format_money(Decimal("0.5")) == "0,50"
    assert format_money(Decimal("-1234.5")) == f"-1{NBSP}234,50"


@pytest.mark.parametrize("text", ["1,234", "12,3,4", "abc", "1.005", "-", "5-"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_money(text, "total_cost")
    assert "není platná částka" in info.value.field_errors["total_cost"]


@pytest.mark.parametrize("text", ["-5", "-13 676 292,00", "\u22121 000,50", "- 5"])
def test_negative_amounts_are_refused_plainly(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_money(text, "total_cost")
    assert info.value.field_errors == {"total_cost": "Částka nesmí být záporná."}


def test_empty_amount() -> None:
    with pytest.raises(ValidationError) as info:
        parse_money("", "total_cost")
    assert info.value.field_errors == {"total_cost": "Zadejte částku."}


def test_format_hours() -> None:
    assert format_hours(1.5) == "1,5"
    assert format_hours(Decimal("2.00")) == "2"
