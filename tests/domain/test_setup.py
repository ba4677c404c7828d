from __future__ import annotations

from apk_desktop.db.seed import template_project
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.setup import ProjectSetup, parse_names, validate_setup


def test_pasted_names_one_per_line() -> None:
    people, problems = parse_names(
        "Jana Nováková\n\n  Petr\tSvoboda \nDvořáková, Lucie\nJan Nepomuk Novák Dvořák\nKarel\n"
    )
    assert [(p.first_name, p.last_name) for p in people] == [
        ("Jana", "Nováková"),
        ("Petr", "Svoboda"),
        ("Lucie", "Dvořáková"),
        ("Jan", "Nepomuk Novák Dvořák"),
    ]
    assert problems == ["Řádek 6 („Karel“): Zadejte příjmení."]


def test_more_people_than_positions_is_refused() -> None:
    ten = tuple(PersonData(f"Jméno{i}", "Příjmení") for i in range(10))
    errors = validate_setup(ProjectSetup(template_project(), ten))
    assert errors == {"assistants": "Projekt má 9 pozic asistentů, zadáno je 10 jmen."}
    assert validate_setup(ProjectSetup(template_project(), ten[:9])) == {}


def test_too_many_people_message_uses_czech_plural() -> None:
    three = tuple(PersonData(f"Jméno{i}", "Příjmení") for i in range(3))
    errors = validate_setup(ProjectSetup(template_project(), three, position_count=2))
    assert errors == {"assistants": "Projekt má 2 pozice asistentů, zadáno je 3 jména."}
