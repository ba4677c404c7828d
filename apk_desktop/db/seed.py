"""First-run data: the project facts, the five education areas and the key activities."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apk_desktop.db.models import EducationArea, KeyActivity, Position, Project
from apk_desktop.paths import resources_dir


def load_seed() -> dict[str, Any]:
    with (resources_dir() / "seed" / "project.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def seed_if_empty(session: Session) -> bool:
    """Create the default project with its areas, activities and positions. True if seeded."""
    if session.scalar(select(func.count()).select_from(Project)):
        return False
    data = load_seed()
    project = Project(
        name=data["name"],
        registration_number=data["registration_number"],
        beneficiary=data["beneficiary"],
        programme=data["programme"],
        method=data["method"],
        period_start=date.fromisoformat(data["period_start"]),
        period_end=date.fromisoformat(data["period_end"]),
        total_cost=Decimal(data["total_cost"]),
        eu_contribution=Decimal(data["eu_contribution"]),
        national_sources=Decimal(data["national_sources"]),
        own_financing=Decimal(data["own_financing"]),
        mentor_name=data["mentor_name"],
        position_count=data["position_count"],
        is_current=True,
    )
    session.add(project)
    session.flush()
    for order, area in enumerate(data["areas"]):
        session.add(
            EducationArea(
                project_id=project.id, code=area["code"], label=area["label"], sort_order=order
            )
        )
    for activity in data["key_activities"]:
        session.add(
            KeyActivity(project_id=project.id, code=activity["code"], label=activity["label"])
        )
    for number in range(1, project.position_count + 1):
        session.add(Position(project_id=project.id, number=number))
    return True


def current_project(session: Session) -> Project:
    project = session.scalar(select(Project).where(Project.is_current.is_(True)))
    if project is None:
        project = session.scalars(select(Project).order_by(Project.id)).first()
    if project is None:
        raise LookupError("no project in the database")
    return project
