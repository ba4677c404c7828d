"""Start a project in an empty database: the first-run wizard and ``apk-desktop init``."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apk_desktop.db.models import Project
from apk_desktop.db.seed import add_project, template_project
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services.assessments import create_default_scale
from apk_desktop.domain.errors import ConflictError, collect
from apk_desktop.domain.project import clean_project
from apk_desktop.domain.setup import ProjectSetup, validate_setup

PROJECT_EXISTS = (
    "Databáze už obsahuje projekt „{name}“; stávající data zůstala beze změny. Další projekt "
    "založíte v aplikaci volbou Projekt › Nový projekt…"
)

REGISTRATION_TAKEN = "Toto registrační číslo už má projekt „{name}“ v této databázi."


def project_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Project)) or 0


def ensure_empty(session: Session) -> None:
    """ConflictError (nothing changed) when the database already holds a project."""
    existing = session.scalars(select(Project).order_by(Project.id)).first()
    if existing is not None:
        raise ConflictError(PROJECT_EXISTS.format(name=existing.name))


def create_project(
    session: Session, setup: ProjectSetup, *, another: bool = False
) -> project_service.ProjectInfo:
    """Validate everything, then create the project with its areas, key activities, positions,
    default assessment scale, the team (hired on the project's first day, positions 1, 2, …)
    and the logolink. All in the caller's one transaction: all of it is stored, or none.
    ``another``: a further project in a database that has some ("Nový projekt…"); else the
    database must be empty (first-run wizard, ``init``)."""
    if not another:
        ensure_empty(session)
    setup = replace(setup, project=clean_project(setup.project))
    errors = validate_setup(setup)
    if another and "registration_number" not in errors:
        errors.update(_registration_taken(session, setup.project.registration_number))
    collect(errors)
    project = add_project(
        session, setup.project, position_count=setup.position_count, is_demo=setup.is_demo
    )
    create_default_scale(session, project.id)
    positions = roster.list_positions(session, project.id, setup.project.period_start)
    for person, position in zip(setup.assistants, positions, strict=False):
        roster.hire(session, project.id, position.position_id, person, setup.project.period_start)
    if setup.logo is not None:
        return project_service.set_logo(session, project.id, setup.logo)
    return project_service.get_project_info(session, project.id)


def _registration_taken(session: Session, number: str) -> dict[str, str]:
    taken = session.scalar(
        select(Project.name).where(Project.registration_number == number).limit(1)
    )
    if taken is None:
        return {}
    return {"registration_number": REGISTRATION_TAKEN.format(name=taken)}


def create_template_project(session: Session) -> project_service.ProjectInfo:
    """The Projekt APK Sokolov as it ships (no team yet): ``init --template sokolov``."""
    return create_project(session, ProjectSetup(template_project()))


def current_or_template(session: Session) -> Project:
    """For scripts (benchmarks, screenshots): the current project; in an empty database the
    Projekt APK Sokolov template is created first."""
    from apk_desktop.db.seed import current_project

    if not project_count(session):
        create_template_project(session)
    return current_project(session)
