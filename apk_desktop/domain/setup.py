"""Rules for starting a new project (the first-run wizard and ``apk-desktop init``). No Qt, no SQL.

Assistants are typed or pasted one per line as "Jméno Příjmení" (the first word is the first
name, the rest the surname: "Jana Nováková Dvořáková"); a line with a comma is read as
"Příjmení, Jméno", the way many personnel lists are exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from apk_desktop.domain.czech_text import plural
from apk_desktop.domain.project import ProjectData, logo_suffix_error, validate_project
from apk_desktop.domain.roster import PersonData, validate_person

ASSISTANTS_FIELD = "assistants"


@dataclass(frozen=True)
class ProjectSetup:
    """Everything a new project starts with. ``logo`` is the EU logolink file to copy in."""

    project: ProjectData
    assistants: tuple[PersonData, ...] = ()
    logo: Path | None = None
    position_count: int = 9
    is_demo: bool = False


def parse_names(text: str) -> tuple[tuple[PersonData, ...], list[str]]:
    """The people in ``text`` (one per line, blank lines skipped) and a Czech message for every
    line that is not a first name and a surname."""
    people: list[PersonData] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.replace("\t", " ").split())
        if not line:
            continue
        if "," in line:
            last, _, first = (part.strip() for part in line.partition(","))
        else:
            first, _, last = line.partition(" ")
        person = PersonData(first_name=first, last_name=last).clean()
        errors = validate_person(person)
        if errors:
            problems.append(f"Řádek {number} („{line}“): {' '.join(errors.values())}")
            continue
        people.append(person)
    return tuple(people), problems


def validate_setup(setup: ProjectSetup) -> dict[str, str]:
    """Every rule at once: the project's facts (keys as in ``validate_project``), the team
    (``assistants``) and the logolink file (``logo``)."""
    errors = validate_project(setup.project)
    if len(setup.assistants) > setup.position_count:
        errors[ASSISTANTS_FIELD] = (
            f"Projekt má {plural(setup.position_count, 'pozici', 'pozice', 'pozic')} asistentů, "
            f"zadáno je {plural(len(setup.assistants), 'jméno', 'jména', 'jmen')}."
        )
    else:
        for person in setup.assistants:
            problem = validate_person(person)
            if problem:
                errors[ASSISTANTS_FIELD] = (
                    f"{person.first_name} {person.last_name}: {' '.join(problem.values())}"
                )
                break
    if setup.logo is not None:
        message = logo_suffix_error(setup.logo.name)
        if message:
            errors["logo"] = message
    return errors
