"""The Sokolov project as a template (its facts, the five education areas and the key
activities every APK project shares) and the lookup of the current project."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from apk_desktop.db.models import EducationArea, KeyActivity, Position, Project
from apk_desktop.domain.project import ProjectData
from apk_desktop.paths import resources_dir


def load_seed() -> dict[str, Any]:
    with (resources_dir() / "seed" / "project.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def template_project() -> ProjectData:
    """The facts of the Projekt APK Sokolov, offered as a template to review."""
    data = load_seed()
    return ProjectData(
        name=data["name"],
        registration_number=data["registration_number"],
        beneficiary=data["beneficiary"],
        programme=data["programme"],
        method=data["method"],
        mentor_name=data["mentor_name"],
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        total_cost=Decimal(data["total_cost"]),
        eu_contribution=Decimal(data["eu_contribution"]),
        national_sources=Decimal(data["national_sources"]),
        own_financing=Decimal(data["own_financing"]),
    )


def add_project(
    session: Session, facts: ProjectData, *, position_count: int = 9, is_demo: bool = False
) -> Project:
    """A new current project with the method's areas and key activities and vacant positions.
    No validation: callers validate first (``services.setup.create_project``)."""
    data = load_seed()
    values = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in vars(facts).items()
    }
    project = Project(**values, position_count=position_count, is_current=True, is_demo=is_demo)
    session.add(project)
    session.flush()
    for order, area in enumerate(data["areas"]):
        session.add(
            EducationArea(
                project_id=project.id,
                code=area["code"],
                short_label=area["short_label"],
                label=area["label"],
                sort_order=order,
            )
        )
    for activity in data["key_activities"]:
        session.add(
            KeyActivity(project_id=project.id, code=activity["code"], label=activity["label"])
        )
    for number in range(1, position_count + 1):
        session.add(Position(project_id=project.id, number=number))
    session.flush()
    return project


def current_project(session: Session) -> Project:
    project = session.scalar(select(Project).where(Project.is_current.is_(True)))
    if project is None:
        project = session.scalars(select(Project).order_by(Project.id)).first()
    if project is None:
        raise LookupError("no project in the database")
    return project
