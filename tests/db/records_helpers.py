"""One record of every kind a form edits, for the optimistic-locking tests (data and UI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apk_desktop.db.database import Database
from apk_desktop.db.services import assessments, plans, roster, sessions
from apk_desktop.domain.plans import GoalData, PlanData, ReviewData
from apk_desktop.domain.roster import PersonData
from tests.db.sessions_helpers import make_team, training

START, END = date(2023, 4, 1), date(2024, 3, 31)
ON = date(2024, 1, 10)


@dataclass(frozen=True)
class World:
    """One record of every kind a form edits (ids)."""

    project: int
    area: int
    assistant: int  # Jana, employed in position 1
    employment: int
    position: int
    loose: int  # Karel: no employment (may be archived)
    plan: int  # Jana's unsigned plan
    goal: int
    review: int
    assessment: int
    session: int  # a training of Jana and Petr, in the past


def make_world(db: Database, project_id: int) -> World:
    team = make_team(db, project_id)
    with db.unit_of_work() as s:
        jana = roster.get_assistant(s, team.jana, ON)
        assert jana.employment is not None
        loose = roster.create_assistant(s, project_id, PersonData("Karel", "Volný"))
        plan = plans.create_plan(s, team.jana, PlanData(START, END, mentor_name="M."))
        plan = plans.add_goal(s, plan.id, GoalData(team.areas["FIN"], "Rozpočet."))
        plan = plans.add_review(s, plan.id, ReviewData(date(2023, 10, 1)))
        scale = assessments.default_scale(s, project_id)
        assessment = assessments.create_assessment(
            s, project_id, assessment_input(team.jana, scale.id, {team.areas["FIN"]: 2})
        )
        session = sessions.create_session(s, project_id, training(team))
        return World(
            project=project_id,
            area=team.areas["COMM"],
            assistant=team.jana,
            employment=jana.employment.id,
            position=jana.employment.position_id,
            loose=loose.id,
            plan=plan.id,
            goal=plan.goals[0].id,
            review=plan.reviews[0].id,
            assessment=assessment.id,
            session=session.id,
        )


def assessment_input(
    assistant_id: int, scale_id: int, levels: dict[int, int], note: str = ""
) -> assessments.AssessmentInput:
    return assessments.AssessmentInput(
        assistant_id, ON, "interim", "Mentor M.", "pozorování", scale_id, levels, note
    )
