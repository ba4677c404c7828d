"""Rules for assistants and their employments: plain validation, no Qt, no SQL.

Every function returns a dict ``{field: Czech message}`` (empty when all is well), so a form can
show each message beside its field; ``errors.collect`` turns a non-empty dict into a
``ValidationError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from apk_desktop.domain.limits import clean_text, length_error, max_length, unprintable_error

# Deliberately simple: something@something.tld, no spaces. Real checking is the mail server's job.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Lenient: digits with +, spaces, dashes, dots, slashes and brackets; 9–15 digits.
PHONE_CHARS_RE = re.compile(r"^[+\d\s\-./()]+$")

MAX_NAME = max_length("person.first_name")
MAX_EMAIL = max_length("person.email")
MAX_PHONE = max_length("person.phone")


class _Named(Protocol):
    @property
    def first_name(self) -> str: ...

    @property
    def last_name(self) -> str: ...


class PersonName:
    """``full_name`` ("Jana Nováková") and ``sort_name`` ("Nováková Jana") of anything with
    ``first_name`` and ``last_name`` (a model, a service view): one rule for every list."""

    __slots__ = ()

    @property
    def full_name(self: _Named) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self: _Named) -> str:
        return f"{self.last_name} {self.first_name}".strip()


@dataclass(frozen=True)
class PersonData:
    """What the user types about a person (already stripped by ``clean``)."""

    first_name: str
    last_name: str
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    note: str = ""

    def clean(self) -> PersonData:
        return PersonData(
            first_name=clean_text("person.first_name", self.first_name),
            last_name=clean_text("person.last_name", self.last_name),
            birth_date=self.birth_date,
            phone=" ".join(clean_text("person.phone", self.phone).split()),
            email=clean_text("person.email", self.email),
            note=clean_text("person.note", self.note),
        )


def validate_person(person: PersonData, today: date | None = None) -> dict[str, str]:
    """Check names, e-mail, phone and birth date. Fields: first_name, last_name, email, phone,
    birth_date."""
    errors: dict[str, str] = {}
    if not person.first_name.strip():
        errors["first_name"] = "Zadejte jméno."
    elif len(person.first_name.strip()) > MAX_NAME:
        errors["first_name"] = f"Jméno může mít nejvýše {MAX_NAME} znaků."
    if not person.last_name.strip():
        errors["last_name"] = "Zadejte příjmení."
    elif len(person.last_name.strip()) > MAX_NAME:
        errors["last_name"] = f"Příjmení může mít nejvýše {MAX_NAME} znaků."
    for name in ("first_name", "last_name", "phone", "email"):
        glyph_error = unprintable_error(getattr(person, name))
        if glyph_error:
            errors.setdefault(name, glyph_error)
    email = person.email.strip()
    if email and (EMAIL_RE.match(email) is None or len(email) > MAX_EMAIL):
        errors["email"] = f"„{email}“ není platná e-mailová adresa (např. jana.novakova@email.cz)."
    note_error = length_error("person.note", person.note)
    if note_error:
        errors["note"] = note_error
    phone_error = validate_phone(person.phone)
    if phone_error:
        errors["phone"] = phone_error
    today = today or date.today()
    if person.birth_date is not None:
        if person.birth_date >= today:
            errors["birth_date"] = "Datum narození musí být v minulosti."
        elif person.birth_date.year < 1900:
            errors["birth_date"] = "Datum narození je příliš dávno – zkontrolujte rok."
    return errors


def validate_phone(phone: str) -> str | None:
    """None when the phone is empty or plausible (lenient: +420 777 123 456, 777-123-456…)."""
    text = phone.strip()
    if not text:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if PHONE_CHARS_RE.match(text) is None or not 9 <= digits <= 15 or len(text) > MAX_PHONE:
        return f"„{text}“ nevypadá jako telefonní číslo (např. +420 777 123 456)."
    return None


def validate_period(
    start: date | None,
    end: date | None,
    *,
    start_field: str = "start_date",
    end_field: str = "end_date",
) -> dict[str, str]:
    """Start is required; an end, when given, must not be before the start."""
    errors: dict[str, str] = {}
    if start is None:
        errors[start_field] = "Zadejte datum nástupu."
    elif end is not None and end < start:
        errors[end_field] = "Konec pracovního poměru nesmí být před jeho začátkem."
    return errors


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """True when two closed periods (an open end = still running) share at least one day."""
    a_stop = a_end or date.max
    b_stop = b_end or date.max
    return a_start <= b_stop and b_start <= a_stop


def covers(start: date, end: date | None, day: date) -> bool:
    """True when ``day`` falls inside the period ``start``–``end`` (inclusive; open end)."""
    return start <= day and (end is None or day <= end)


def is_ongoing(end: date | None, today: date) -> bool:
    """An employment is ongoing (blocks archiving) if it has no end or ends today or later."""
    return end is None or end >= today
