"""What a change of the project period would leave outside it (sessions, employments, plans,
goals, assessments): a shortened period must not strand existing records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from apk_desktop.db.models import Assistant, Employment, Position
from apk_desktop.db.models.assessments import Assessment
from apk_desktop.db.models.plans import Plan, PlanGoal
from apk_desktop.db.models.sessions import TrainingSession
from apk_desktop.domain.czech_format import format_date

SHOWN = 3  # items named per kind; the rest is counted


@dataclass(frozen=True)
class Outside:
    """Records of one kind outside a period: how many and the first few, described."""

    label: str  # e.g. "setkání"
    count: int
    examples: tuple[str, ...]

    def text(self) -> str:
        more = (
            f" a další ({self.count - len(self.examples)})"
            if self.count > len(self.examples)
            else ""
        )
        return f"{self.label}: {self.count} ({'; '.join(self.examples)}{more})"


def records_outside(session: Session, project_id: int, start: date, end: date) -> list[Outside]:
    """Every kind of record of the project that would lie (partly) outside ``start``–``end``."""
    found: list[Outside] = []

    def add(label: str, rows: list[str], count: int) -> None:
        if count:
            found.append(Outside(label, count, tuple(rows[:SHOWN])))

    sessions = session.execute(
        select(TrainingSession.date, TrainingSession.topic)
        .where(
            TrainingSession.project_id == project_id,
            or_(TrainingSession.date < start, TrainingSession.date > end),
        )
        .order_by(TrainingSession.date, TrainingSession.id)
    ).all()
    add("setkání", [f"{format_date(r.date)} {r.topic}" for r in sessions], len(sessions))

    employments = session.execute(
        select(
            Assistant.first_name, Assistant.last_name, Employment.start_date, Employment.end_date
        )
        .join(Employment, Employment.assistant_id == Assistant.id)
        .join(Position, Employment.position_id == Position.id)
        .where(
            Position.project_id == project_id,
            or_(
                Employment.start_date < start,
                Employment.start_date > end,
                Employment.end_date > end,
            ),
        )
        .order_by(Employment.start_date, Employment.id)
    ).all()
    add(
        "pracovní poměry",
        [
            f"{r.first_name} {r.last_name} {format_date(r.start_date)} – "
            f"{format_date(r.end_date) or 'dosud'}"
            for r in employments
        ],
        len(employments),
    )

    plans = session.execute(
        select(Assistant.first_name, Assistant.last_name, Plan.period_start, Plan.period_end)
        .join(Plan, Plan.assistant_id == Assistant.id)
        .where(
            Assistant.project_id == project_id,
            or_(Plan.period_start < start, Plan.period_end > end),
        )
        .order_by(Plan.period_start, Plan.id)
    ).all()
    add(
        "plány",
        [
            f"{r.first_name} {r.last_name} {format_date(r.period_start)} – "
            f"{format_date(r.period_end)}"
            for r in plans
        ],
        len(plans),
    )

    goals = session.execute(
        select(Assistant.first_name, Assistant.last_name, PlanGoal.deadline)
        .join(Plan, Plan.assistant_id == Assistant.id)
        .join(PlanGoal, PlanGoal.plan_id == Plan.id)
        .where(
            Assistant.project_id == project_id,
            or_(PlanGoal.deadline < start, PlanGoal.deadline > end),
        )
        .order_by(PlanGoal.deadline, PlanGoal.id)
    ).all()
    add(
        "termíny cílů",
        [f"{r.first_name} {r.last_name} {format_date(r.deadline)}" for r in goals],
        len(goals),
    )

    assessments = session.execute(
        select(Assistant.first_name, Assistant.last_name, Assessment.assessed_on)
        .join(Assessment, Assessment.assistant_id == Assistant.id)
        .where(
            Assistant.project_id == project_id,
            or_(Assessment.assessed_on < start, Assessment.assessed_on > end),
        )
        .order_by(Assessment.assessed_on, Assessment.id)
    ).all()
    add(
        "hodnocení",
        [f"{r.first_name} {r.last_name} {format_date(r.assessed_on)}" for r in assessments],
        len(assessments),
    )
    return found


def period_errors(session: Session, project_id: int, start: date, end: date) -> dict[str, str]:
    """A Czech message (field ``period_end``) listing what the period would leave out."""
    outside = records_outside(session, project_id, start, end)
    if not outside:
        return {}
    listed = " ".join(f"{item.text()}." for item in outside)
    return {
        "period_end": (
            f"Období {format_date(start)} – {format_date(end)} nelze uložit: mimo něj by zůstaly "
            f"záznamy. {listed} Upravte nejdříve tyto záznamy, nebo období nezkracujte."
        )
    }
