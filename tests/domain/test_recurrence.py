"""Recurring sessions: dateutil rules, Czech public holidays skipped or moved."""

from __future__ import annotations

from datetime import date

import pytest

from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.recurrence import (
    MAX_OCCURRENCES,
    Frequency,
    HolidayPolicy,
    RecurrenceRule,
    holiday_name,
    is_workday,
    plan_dates,
    validate_rule,
)


def test_czech_holidays_by_name() -> None:
    assert holiday_name(date(2024, 10, 28)) == "Den vzniku samostatného československého státu"
    assert holiday_name(date(2024, 4, 1)) == "Velikonoční pondělí"
    assert holiday_name(date(2024, 10, 29)) is None
    assert not is_workday(date(2024, 12, 24))
    assert not is_workday(date(2024, 10, 26))  # Saturday
    assert is_workday(date(2024, 10, 29))


def test_monthly_on_a_day_skips_holidays() -> None:
    rule = RecurrenceRule(Frequency.MONTHLY, start=date(2024, 1, 28), count=12)
    plan = plan_dates(rule)
    assert date(2024, 10, 28) not in plan.dates
    assert [s.day for s in plan.skipped] == [date(2024, 9, 28), date(2024, 10, 28)]
    assert plan.skipped[0].text == "28.09.2024 (Den české státnosti)"
    assert len(plan.dates) == 10
    assert plan.description == "měsíčně, 28. den v měsíci"
    assert "FREQ=MONTHLY" in plan.rrule_text


def test_monthly_first_monday_easter_monday_moves_to_next_workday() -> None:
    rule = RecurrenceRule(
        Frequency.MONTHLY,
        start=date(2024, 3, 1),
        until=date(2024, 5, 31),
        nth=1,
        weekday=0,
        holiday_policy=HolidayPolicy.NEXT_WORKDAY,
    )
    plan = plan_dates(rule)
    # 1.4.2024 is Easter Monday → Tuesday 2.4.
    assert plan.dates == (date(2024, 3, 4), date(2024, 4, 2), date(2024, 5, 6))
    assert plan.moved == ((date(2024, 4, 1), date(2024, 4, 2)),)
    assert plan.description == "měsíčně, první pondělí v měsíci"


def test_last_friday_of_month() -> None:
    rule = RecurrenceRule(Frequency.MONTHLY, start=date(2024, 4, 1), count=3, nth=-1, weekday=4)
    assert plan_dates(rule).dates == (date(2024, 4, 26), date(2024, 5, 31), date(2024, 6, 28))
    # 29.3.2024 is Good Friday in CZ → skipped
    rule = RecurrenceRule(Frequency.MONTHLY, start=date(2024, 3, 1), count=1, nth=-1, weekday=4)
    with pytest.raises(ValidationError) as info:
        plan_dates(rule)
    assert info.value.field_errors == {"start": "Pravidlo nedává žádné setkání."}


def test_weekly_every_two_weeks_through_christmas() -> None:
    rule = RecurrenceRule(
        Frequency.WEEKLY, start=date(2024, 12, 10), until=date(2025, 1, 10), interval=2
    )
    plan = plan_dates(rule)
    assert plan.dates == (date(2024, 12, 10), date(2025, 1, 7))
    assert [s.day for s in plan.skipped] == [date(2024, 12, 24)]
    assert plan.description == "každý 2. týden, úterý"


def test_moved_day_already_in_series_is_not_doubled() -> None:
    # daily-ish: weekly on Tuesday and the holiday Monday moves onto… nothing duplicates
    rule = RecurrenceRule(
        Frequency.WEEKLY,
        start=date(2024, 12, 23),
        count=2,
        weekday=1,
        holiday_policy=HolidayPolicy.NEXT_WORKDAY,
    )
    plan = plan_dates(rule)
    # 24.12 and 31.12 → 24.12 is a holiday; next workday 27.12
    assert plan.dates == (date(2024, 12, 27), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (RecurrenceRule(Frequency.WEEKLY, start=None, count=3), "start"),
        (RecurrenceRule(Frequency.WEEKLY, start=date(2024, 1, 1)), "until"),
        (
            RecurrenceRule(Frequency.WEEKLY, start=date(2024, 1, 1), until=date(2023, 1, 1)),
            "until",
        ),
        (
            RecurrenceRule(
                Frequency.WEEKLY, start=date(2024, 1, 1), until=date(2024, 2, 1), count=2
            ),
            "count",
        ),
        (RecurrenceRule(Frequency.WEEKLY, start=date(2024, 1, 1), count=0), "count"),
        (RecurrenceRule(Frequency.WEEKLY, start=date(2024, 1, 1), count=2, interval=0), "interval"),
        (
            RecurrenceRule(Frequency.MONTHLY, start=date(2024, 1, 1), count=2, nth=5, weekday=1),
            "nth",
        ),
        (
            RecurrenceRule(Frequency.MONTHLY, start=date(2024, 1, 1), count=2, month_day=32),
            "month_day",
        ),
    ],
)
def test_bad_rules(rule: RecurrenceRule, field: str) -> None:
    assert field in validate_rule(rule)
    with pytest.raises(ValidationError):
        plan_dates(rule)


def test_too_many_occurrences() -> None:
    rule = RecurrenceRule(Frequency.WEEKLY, start=date(2020, 1, 1), until=date(2030, 1, 1))
    with pytest.raises(ValidationError) as info:
        plan_dates(rule)
    assert str(MAX_OCCURRENCES) in info.value.field_errors["until"]
