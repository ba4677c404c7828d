"""The Přehled screen: goal 1, plans due for review, missing assessments, thin plans.

Each item says which record it is about (``assistant_id`` and/or ``plan_id``) so the screen can
open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from apk_desktop.db.services.progress import assessment_status, team_progress
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.progress import GOAL_1_TEXT, missing_assessment_reason
from apk_desktop.domain.progress_report import TeamProgress

REVIEW_DAYS = 14
MIN_PLAN_AREAS = 2


@dataclass(frozen=True)
class DashboardItem:
    """One line of the dashboard and the record it opens."""

    kind: str  # "plan_review", "missing_assessment", "plan_areas"
    text: str
    assistant_id: int | None = None
    plan_id: int | None = None
    due: date | None = None


@dataclass(frozen=True)
class Dashboard:
    goal_text: str
    team: TeamProgress
    plans_due: tuple[DashboardItem, ...]
    missing_assessments: tuple[DashboardItem, ...]
    thin_plans: tuple[DashboardItem, ...]
    today: date


def _plan_items(session: Session, project_id: int, today: date) -> tuple[list[DashboardItem], ...]:
    """Plans due for review and people whose plan has goals in fewer than two areas."""
    from apk_desktop.db.services import plans as plan_service

    due = [
        DashboardItem(
            "plan_review",
            f"{d.assistant_name}: revize plánu {format_date(d.review_date)}"
            + (" (po termínu)" if d.overdue else "")
            + f" – {d.subject}",
            assistant_id=d.assistant_id,
            plan_id=d.plan_id,
            due=d.review_date,
        )
        for d in plan_service.plans_due_for_review(session, project_id, today, days=REVIEW_DAYS)
    ]
    thin = []
    for t in plan_service.assistants_with_too_few_plan_areas(
        session, project_id, today, minimum=MIN_PLAN_AREAS
    ):
        if t.plan_id is None:
            why = "nemá platný plán rozvoje"
        else:
            why = f"plán má cíle jen v {t.area_count} z požadovaných {MIN_PLAN_AREAS} oblastí"
        thin.append(
            DashboardItem("plan_areas", f"{t.assistant_name}: {why}", t.assistant_id, t.plan_id)
        )
    return due, thin


def dashboard(session: Session, project_id: int, today: date) -> Dashboard:
    team = team_progress(session, project_id, today)
    status = assessment_status(session, project_id)
    missing = []
    for row in team.rows:
        person = row.person
        if not person.current:
            continue
        st = status[person.assistant_id]
        reason = missing_assessment_reason(st.has_entry, st.last_assessed_on, today)
        if reason:
            last = f", poslední {format_date(st.last_assessed_on)}" if st.last_assessed_on else ""
            missing.append(
                DashboardItem(
                    "missing_assessment",
                    f"{person.name} (pozice {person.position_number}): {reason}{last}",
                    assistant_id=person.assistant_id,
                )
            )
    due, thin = _plan_items(session, project_id, today)
    return Dashboard(
        goal_text=GOAL_1_TEXT,
        team=team,
        plans_due=tuple(due),
        missing_assessments=tuple(missing),
        thin_plans=tuple(thin),
        today=today,
    )
