"""A database with two projects, each with its own team, plans, assessments, sessions with
attendance and signed scans, and printed sheets: for the tests that nothing of one project shows
in the other's screens, prints and exports."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from apk_desktop.db.database import Database
from apk_desktop.db.demo import _add_sessions, demo_period
from apk_desktop.db.seed import template_project
from apk_desktop.db.services.assessments import populate_sample_assessments
from apk_desktop.db.services.plans import populate_sample_plans
from apk_desktop.db.services.project import get_project_info
from apk_desktop.db.services.setup import create_project
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.setup import ProjectSetup

TODAY = date.today()


@dataclass(frozen=True)
class TestProject:
    __test__ = False  # not a test class

    id: int
    name: str
    registration_number: str
    people: tuple[str, ...]  # the assistants' full names, as screens show them


FIRST_NAMES = {
    "A": ("Alois", "Adéla", "Arnošt"),
    "B": ("Bedřich", "Blanka", "Boris"),
}
LAST_NAMES = {
    "A": ("Ambrož", "Andělová", "Adámek"),
    "B": ("Bureš", "Bílková", "Brabec"),
}


def _project(db: Database, key: str, *, another: bool) -> TestProject:
    start, end = demo_period(TODAY)
    facts = replace(
        template_project(),
        name=f"Asistenti prevence kriminality {'Alfov' if key == 'A' else 'Betlémov'}",
        registration_number=f"CZ.03.02.01/00/22_{'101' if key == 'A' else '202'}/0000001",
        beneficiary=f"město {'Alfov' if key == 'A' else 'Betlémov'}",
        mentor_name=f"Mentor {'Alfov' if key == 'A' else 'Betlémov'}",
        period_start=start,
        period_end=end,
    )
    people = tuple(
        PersonData(first, last)
        for first, last in zip(FIRST_NAMES[key], LAST_NAMES[key], strict=True)
    )
    with db.unit_of_work() as session:
        info = create_project(session, ProjectSetup(facts, people), another=another)
        populate_sample_plans(session, info.id)
        populate_sample_assessments(session, info.id, until=TODAY - timedelta(days=14))
        sessions_until = min(TODAY, start + timedelta(days=120))
        with tempfile.TemporaryDirectory(prefix="apk-two-projects-") as folder:
            _add_sessions(session, get_project_info(session, info.id), sessions_until, Path(folder))
    _print_first_sheet(db, info.id)
    names = tuple(f"{p.first_name} {p.last_name}" for p in people)
    return TestProject(info.id, facts.name, facts.registration_number, names)


def add_two_projects(db: Database) -> tuple[TestProject, TestProject]:
    """Projects A (Alfov) and B (Betlémov) in the empty database ``db``."""
    return _project(db, "A", another=False), _project(db, "B", another=True)


def marks_of(project: TestProject) -> tuple[str, ...]:
    """Texts only ``project`` has: its assistants' surnames, its name and registration number."""
    surnames = tuple(name.split()[-1] for name in project.people)
    return (*surnames, project.name, project.registration_number)


def _print_first_sheet(db: Database, project_id: int) -> None:
    """The project's first attendance sheet printed (its layout recorded), as the print page
    does."""
    from apk_desktop import printing
    from apk_desktop.db.services.sessions import SessionFilter, list_sessions
    from apk_desktop.domain.sessions import SessionKind

    with db.unit_of_work() as session:
        rows = list_sessions(session, project_id, SessionFilter(kinds=(SessionKind.TRAINING,)))
    document = printing.make_document(db, printing.session_sheet(rows[0].id))
    printing.record_printed(db, project_id, document.layouts, document.pdf)
