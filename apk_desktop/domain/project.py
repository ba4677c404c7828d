"""Rules for the project's settings: registration number, period, funding lines. No Qt, no SQL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from apk_desktop.domain.czech_format import format_money, parse_date, parse_money
from apk_desktop.domain.errors import ValidationError, collect
from apk_desktop.domain.limits import clean_text, max_length, unprintable_error

# e.g. CZ.03.02.01/00/22_018/0000388
REGISTRATION_RE = re.compile(r"^CZ\.\d{2}\.\d{2}\.\d{2}/\d{2}/\d{2}_\d{3}/\d{7}$")
REGISTRATION_EXAMPLE = "CZ.03.02.01/00/22_018/0000388"

MONEY_FIELDS = ("total_cost", "eu_contribution", "national_sources", "own_financing")
TEXT_FIELDS = ("name", "registration_number", "beneficiary", "programme", "method", "mentor_name")
REQUIRED_TEXT = {
    "name": "Zadejte název projektu.",
    "registration_number": "Zadejte registrační číslo projektu.",
    "beneficiary": "Zadejte příjemce podpory.",
}
MAX_TEXT = {name: max_length(f"project.{name}") for name in TEXT_FIELDS}
MAX_AMOUNT = Decimal("999999999999.99")  # what the database column (14 digits, 2 decimal) holds
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class ProjectData:
    """The editable facts of a project, typed. Field names match the model's columns."""

    name: str
    registration_number: str
    beneficiary: str
    programme: str
    method: str
    mentor_name: str
    period_start: date
    period_end: date
    total_cost: Decimal
    eu_contribution: Decimal
    national_sources: Decimal
    own_financing: Decimal


def validate_registration_number(text: str) -> str | None:
    """None when ``text`` has the form CZ.03.02.01/00/22_018/0000388, else a Czech message."""
    if REGISTRATION_RE.match(text.strip()) is None:
        return (
            f"„{text.strip()}“ nemá tvar registračního čísla projektu "
            f"(např. {REGISTRATION_EXAMPLE})."
        )
    return None


def validate_project(data: ProjectData) -> dict[str, str]:
    """Every rule at once; keys are the ``ProjectData`` field names."""
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        value = str(getattr(data, name)).strip()
        if not value and name in REQUIRED_TEXT:
            errors[name] = REQUIRED_TEXT[name]
        elif len(value) > MAX_TEXT[name]:
            errors[name] = f"Text je příliš dlouhý (nejvýše {MAX_TEXT[name]} znaků)."
        elif message := unprintable_error(value):
            errors[name] = message
    if "registration_number" not in errors:
        message = validate_registration_number(data.registration_number)
        if message:
            errors["registration_number"] = message
    if data.period_end <= data.period_start:
        errors["period_end"] = "Konec realizace musí být po jejím začátku."
    for name in MONEY_FIELDS:
        amount: Decimal = getattr(data, name)
        if not amount.is_finite():
            errors[name] = "Částka musí být číslo (např. 13 676 292,00)."
        elif amount < 0:
            errors[name] = "Částka nesmí být záporná."
        elif amount > MAX_AMOUNT:
            errors[name] = "Částka je příliš velká."
    return errors


def clean_project(data: ProjectData) -> ProjectData:
    """Texts as stored: control characters removed, ends trimmed."""
    texts: dict[str, Any] = {
        name: clean_text(f"project.{name}", getattr(data, name)) for name in TEXT_FIELDS
    }
    return replace(data, **texts)


def parse_project_form(texts: Mapping[str, str]) -> ProjectData:
    """Parse what the settings form holds (all values as typed) into ``ProjectData``.

    Collects every field's problem (format errors and rule errors) into one ValidationError."""
    errors: dict[str, str] = {}
    dates: dict[str, date | None] = {}
    for name in ("period_start", "period_end"):
        try:
            dates[name] = parse_date(texts.get(name, ""), name)
        except ValidationError as exc:
            errors.update(exc.field_errors)
            dates[name] = None
    amounts: dict[str, Decimal] = {}
    for name in MONEY_FIELDS:
        try:
            amounts[name] = parse_money(texts.get(name, ""), name)
        except ValidationError as exc:
            errors.update(exc.field_errors)
            amounts[name] = Decimal(0)
    start, end = dates["period_start"], dates["period_end"]
    text = {name: clean_text(f"project.{name}", texts.get(name, "")) for name in TEXT_FIELDS}
    data = ProjectData(
        name=text["name"],
        registration_number=text["registration_number"],
        beneficiary=text["beneficiary"],
        programme=text["programme"],
        method=text["method"],
        mentor_name=text["mentor_name"],
        period_start=start or date.min,
        period_end=end or date.max,
        total_cost=amounts["total_cost"],
        eu_contribution=amounts["eu_contribution"],
        national_sources=amounts["national_sources"],
        own_financing=amounts["own_financing"],
    )
    rule_errors = validate_project(data)
    if start is None or end is None:
        rule_errors.pop("period_end", None)
    for name, message in rule_errors.items():
        errors.setdefault(name, message)
    collect(errors)
    return data


def funding_sum_warning(total: Decimal, eu: Decimal, national: Decimal, own: Decimal) -> str | None:
    """A gentle warning (not an error) when the three sources don't add up to the total."""
    parts = eu + national + own
    if parts == total:
        return None
    return (
        f"Součet zdrojů ({format_money(parts)} Kč) se liší od celkových nákladů "
        f"({format_money(total)} Kč) o {format_money(abs(total - parts))} Kč."
    )


def logo_suffix_error(filename: str) -> str | None:
    """The logolink must be a PNG or JPG picture."""
    if not filename.lower().endswith(LOGO_SUFFIXES):
        return "Logo musí být obrázek PNG nebo JPG."
    return None


def status_day(today: date, period_start: date, period_end: date) -> date:
    """The day a status ("stav k …") is shown for: today, kept inside the project period, so
    after the project ends its final state is shown rather than an empty team."""
    return min(max(today, period_start), period_end)
