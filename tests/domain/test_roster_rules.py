from __future__ import annotations

from datetime import date

import pytest

from apk_desktop.domain.roster import (
    PersonData,
    covers,
    is_ongoing,
    overlaps,
    validate_period,
    validate_person,
    validate_phone,
)

TODAY = date(2025, 6, 1)


def test_a_complete_person_passes() -> None:
    person = PersonData("Jana", "Nováková", date(1985, 3, 14), "+420 777 123 456", "j@n.cz")
    assert validate_person(person, TODAY) == {}


def test_empty_names_are_reported_per_field() -> None:
    errors = validate_person(PersonData("  ", ""), TODAY)
    assert errors == {"first_name": "Zadejte jméno.", "last_name": "Zadejte příjmení."}


@pytest.mark.parametrize("email", ["jana", "jana@", "jana@email", "ja na@email.cz"])
def test_bad_email(email: str) -> None:
    errors = validate_person(PersonData("Jana", "Nová", email=email), TODAY)
    assert "není platná e-mailová adresa" in errors["email"]


@pytest.mark.parametrize(
    "phone", ["", "777123456", "+420 777 123 456", "777-123-456", "(+420) 777/123.456"]
)
def test_phone_is_lenient(phone: str) -> None:
    assert validate_phone(phone) is None


@pytest.mark.parametrize("phone", ["12345", "777 abc 456", "1" * 16])
def test_phone_rejects_nonsense(phone: str) -> None:
    message = validate_phone(phone)
    assert message is not None and "telefonní číslo" in message


def test_birth_date_in_future_is_refused() -> None:
    errors = validate_person(PersonData("Jana", "Nová", birth_date=date(2030, 1, 1)), TODAY)
    assert errors["birth_date"] == "Datum narození musí být v minulosti."


def test_period_end_before_start() -> None:
    assert validate_period(date(2024, 1, 2), date(2024, 1, 1)) == {
        "end_date": "Konec pracovního poměru nesmí být před jeho začátkem."
    }
    assert validate_period(date(2024, 1, 1), date(2024, 1, 1)) == {}
    assert validate_period(None, None) == {"start_date": "Zadejte datum nástupu."}


def test_overlaps_with_open_ends() -> None:
    assert overlaps(date(2024, 1, 1), None, date(2025, 1, 1), None)
    assert overlaps(date(2024, 1, 1), date(2024, 1, 31), date(2024, 1, 31), None)
    assert not overlaps(date(2024, 1, 1), date(2024, 1, 30), date(2024, 1, 31), None)
    assert not overlaps(date(2024, 2, 1), None, date(2024, 1, 1), date(2024, 1, 31))


def test_covers_and_ongoing() -> None:
    assert covers(date(2024, 1, 1), None, date(2030, 1, 1))
    assert not covers(date(2024, 1, 1), date(2024, 6, 30), date(2024, 7, 1))
    assert is_ongoing(None, TODAY)
    assert is_ongoing(TODAY, TODAY)
    assert not is_ongoing(date(2025, 5, 31), TODAY)


def test_clean_strips_and_collapses() -> None:
    person = PersonData(" Jana ", " Nová ", None, " 777  123 456 ", " j@n.cz ", " x ").clean()
    assert (person.first_name, person.last_name, person.phone, person.email, person.note) == (
        "Jana",
        "Nová",
        "777 123 456",
        "j@n.cz",
        "x",
    )


def test_czech_alphabetical_order() -> None:
    from apk_desktop.domain.czech_text import czech_sort_key

    names = ["Dvořák", "Černý", "Cibulka", "Horák", "Chalupa", "Šimek", "Svoboda", "Ábel", "Adam"]
    assert sorted(names, key=czech_sort_key) == [
        "Ábel",
        "Adam",
        "Cibulka",
        "Černý",
        "Dvořák",
        "Horák",
        "Chalupa",
        "Svoboda",
        "Šimek",
    ]
