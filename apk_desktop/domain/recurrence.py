"""Recurring sessions (e.g. monthly group supervision): dates from a dateutil rrule, skipping
Czech public holidays. No Qt, no SQL.

A rule is a small frozen dataclass the form fills in (frequency, interval, weekday or day of
the month, start, and an end date or a count); ``plan_dates`` expands it into dates and says
which dates were dropped because of a public holiday. Holidays are *skipped* (the occurrence
is left out) by default; ``HolidayPolicy.NEXT_WORKDAY`` moves it to the next working day
instead (Monday–Friday, not a holiday) unless that day is already in the series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ValidationError

if TYPE_CHECKING:
    from dateutil.rrule import rrule

MAX_OCCURRENCES = 120
WEEKDAY_LABELS = ("pondělí", "úterý", "středa", "čtvrtek", "pátek", "sobota", "neděle")
ORDINAL_LABELS = {1: "první", 2: "druhý", 3: "třetí", 4: "čtvrtý", -1: "poslední"}


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return "týdně" if self is Frequency.WEEKLY else "měsíčně"


class HolidayPolicy(StrEnum):
    SKIP = "skip"  # leave the occurrence out
    NEXT_WORKDAY = "next_workday"  # move it to the next working day


@dataclass(frozen=True)
class RecurrenceRule:
    """Fields of the recurrence form (their names are the ValidationError keys).

    - weekly: every ``interval`` weeks on ``weekday`` (0 = Monday; default: the start's weekday)
    - monthly: every ``interval`` months either on ``month_day`` (1–31; months without that
      day are left out) or, when ``nth`` is set, on the ``nth`` (1–4, or -1 = last)
      ``weekday`` of the month, e.g. nth=1, weekday=1 → "první úterý v měsíci"
    - ends at ``until`` (inclusive) or after ``count`` occurrences (before holidays are skipped)
    """

    frequency: Frequency
    start: date | None
    until: date | None = None
    count: int | None = None
    interval: int = 1
    weekday: int | None = None
    month_day: int | None = None
    nth: int | None = None
    holiday_policy: HolidayPolicy = HolidayPolicy.SKIP


@dataclass(frozen=True)
class SkippedDate:
    day: date
    reason: str  # the holiday's Czech name

    @property
    def text(self) -> str:
        return f"{format_date(self.day)} ({self.reason})"


@dataclass(frozen=True)
class RecurrencePlan:
    """The dates a rule gives, holidays already handled; ``skipped`` says what was left out
    (or moved: then ``moved`` maps the holiday to the day used instead)."""

    dates: tuple[date, ...]
    skipped: tuple[SkippedDate, ...]
    moved: tuple[tuple[date, date], ...]
    description: str
    rrule_text: str


@lru_cache(maxsize=64)
def _cz_holidays(year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("CZ", years=year, language="cs").items())


def holiday_name(day: date) -> str | None:
    """The Czech name of the public holiday on ``day``, or None."""
    return _cz_holidays(day.year).get(day)


def is_workday(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def validate_rule(rule: RecurrenceRule) -> dict[str, str]:
    errors: dict[str, str] = {}
    if rule.start is None:
        errors["start"] = "Zadejte datum prvního setkání."
    if rule.until is None and rule.count is None:
        errors["until"] = "Zadejte datum posledního setkání nebo počet opakování."
    if rule.until is not None and rule.count is not None:
        errors["count"] = "Zadejte buď datum posledního setkání, nebo počet opakování – ne obojí."
    if rule.until is not None and rule.start is not None and rule.until < rule.start:
        errors["until"] = "Konec opakování musí být po prvním setkání."
    if rule.count is not None and not 1 <= rule.count <= MAX_OCCURRENCES:
        errors["count"] = f"Počet opakování musí být 1 až {MAX_OCCURRENCES}."
    if not 1 <= rule.interval <= 12:
        errors["interval"] = "Interval musí být 1 až 12."
    if rule.weekday is not None and not 0 <= rule.weekday <= 6:
        errors["weekday"] = "Neplatný den v týdnu."
    if rule.frequency is Frequency.MONTHLY:
        if rule.nth is not None:
            if rule.nth not in ORDINAL_LABELS:
                errors["nth"] = "Vyberte první až čtvrtý nebo poslední týden."
            if rule.weekday is None:
                errors["weekday"] = "Vyberte den v týdnu."
        elif rule.month_day is not None and not 1 <= rule.month_day <= 31:
            errors["month_day"] = "Den v měsíci musí být 1 až 31."
    return errors


def to_rrule(rule: RecurrenceRule) -> rrule:
    """The dateutil rrule for ``rule`` (validated first)."""
    from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

    errors = validate_rule(rule)
    if errors:
        raise ValidationError(errors)
    assert rule.start is not None
    start = datetime.combine(rule.start, datetime.min.time())
    until = datetime.combine(rule.until, datetime.min.time()) if rule.until else None
    day_of_week = rule.weekday if rule.weekday is not None else rule.start.weekday()
    if rule.frequency is Frequency.WEEKLY:
        return rrule(
            WEEKLY,
            dtstart=start,
            interval=rule.interval,
            byweekday=day_of_week,
            until=until,
            count=rule.count,
        )
    if rule.nth is not None:
        return rrule(
            MONTHLY,
            dtstart=start,
            interval=rule.interval,
            byweekday=weekday(day_of_week, rule.nth),
            until=until,
            count=rule.count,
        )
    return rrule(
        MONTHLY,
        dtstart=start,
        interval=rule.interval,
        bymonthday=rule.month_day or rule.start.day,
        until=until,
        count=rule.count,
    )


def describe(rule: RecurrenceRule) -> str:
    """A Czech description, e.g. "měsíčně, první úterý v měsíci"."""
    every = rule.frequency.label
    if rule.interval > 1:
        unit = "týden" if rule.frequency is Frequency.WEEKLY else "měsíc"
        every = f"každý {rule.interval}. {unit}"
    start_weekday = rule.start.weekday() if rule.start else 0
    day = WEEKDAY_LABELS[rule.weekday if rule.weekday is not None else start_weekday]
    if rule.frequency is Frequency.WEEKLY:
        return f"{every}, {day}"
    if rule.nth is not None:
        return f"{every}, {ORDINAL_LABELS.get(rule.nth, '')} {day} v měsíci"
    month_day = rule.month_day or (rule.start.day if rule.start else 1)
    return f"{every}, {month_day}. den v měsíci"


def plan_dates(rule: RecurrenceRule) -> RecurrencePlan:
    """Expand ``rule`` into dates, dropping (or moving) Czech public holidays.

    Raises ValidationError for a bad rule or one that gives more than MAX_OCCURRENCES dates
    or none at all.
    """
    generated = to_rrule(rule)
    raw: list[date] = []
    for occurrence in generated:
        raw.append(occurrence.date())
        if len(raw) > MAX_OCCURRENCES:
            raise ValidationError(
                {"until": f"Pravidlo dává víc než {MAX_OCCURRENCES} setkání. Zkraťte období."}
            )
    dates: list[date] = []
    skipped: list[SkippedDate] = []
    moved: list[tuple[date, date]] = []
    taken = set(raw)
    for day in raw:
        name = holiday_name(day)
        if name is None:
            dates.append(day)
            continue
        skipped.append(SkippedDate(day, name))
        if rule.holiday_policy is HolidayPolicy.NEXT_WORKDAY:
            other = day + timedelta(days=1)
            while not is_workday(other):
                other += timedelta(days=1)
            if other not in taken:
                taken.add(other)
                dates.append(other)
                moved.append((day, other))
    if not dates:
        raise ValidationError({"start": "Pravidlo nedává žádné setkání."})
    return RecurrencePlan(
        dates=tuple(sorted(dates)),
        skipped=tuple(skipped),
        moved=tuple(moved),
        description=describe(rule),
        rrule_text=str(generated),
    )
