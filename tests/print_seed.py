"""A database with something of every printable kind: the sample team with plans and
assessments, a training, a supervision with a private note, a group mentoring and the mentor's
own training (only the mentor signs, ``MENTOR``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.seed import current_project
from apk_desktop.db.services import plans, roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.assessments import populate_sample_assessments
from apk_desktop.db.services.plans import populate_sample_plans
from apk_desktop.db.services.project import get_project_info
from apk_desktop.domain.sessions import SessionData, SessionKind, SupervisionForm

PRIVATE = "Důvěrné: osobní potíže"
DAY = date(2025, 3, 20)
MENTOR = "Mgr. Alena Vedoucí"


@dataclass(frozen=True)
class Printables:
    project_id: int
    people: dict[str, int]  # assistant id by last name (current on DAY)
    training: int
    supervision: int
    mentoring: int
    mentor_training: int
    plan_id: int
    plan_version: int


def seed_printables(db: Database) -> Printables:
    with db.unit_of_work() as session:
        project = current_project(session)
        project.mentor_name = MENTOR
        project_id = project.id
        populate_sample(session, project_id)
        populate_sample_plans(session, project_id)
        populate_sample_assessments(session, project_id)
        team = roster.active_assistants(session, project_id, DAY)
        ids = tuple(p.assistant_id for p in team)
        people = {p.last_name: p.id for p in roster.list_assistants(session, project_id, DAY)}
        area = get_project_info(session, project_id).area("COMM").id

        def create(kind: SessionKind, start: int, **fields: object) -> int:
            data = SessionData(
                kind=kind,
                date=DAY,
                time_from=time(start),
                time_to=time(start + 1),
                place="MěÚ Sokolov",
                area_ids=(area,),
                **fields,  # type: ignore[arg-type]
            )
            return session_service.create_session(session, project_id, data).id

        training = create(
            SessionKind.TRAINING,
            8,
            lecturer="Mgr. Petr Dvořák",
            topic="Komunikace s klientem",
            participant_ids=ids,
        )
        supervision = create(
            SessionKind.ASSISTANT_SUPERVISION,
            10,
            lecturer="PhDr. Karel Dohled",
            topic="Zátěž v SVL",
            participant_ids=ids[:3],
            supervision_form=SupervisionForm.SKUPINOVA,
            conclusions="Sdílení zkušeností z terénu.",
            private_note=PRIVATE,
        )
        mentoring = create(
            SessionKind.MENTORING_GROUP, 12, topic="Dluhová poradna", participant_ids=ids[:2]
        )
        mentor_training = create(
            SessionKind.MENTOR_TRAINING, 14, lecturer="Mgr. Jan Školitel", topic="Vedení týmu"
        )
        plan = plans.list_plans(session, people["Nováková"])[0]
    return Printables(
        project_id,
        people,
        training,
        supervision,
        mentoring,
        mentor_training,
        plan.id,
        plan.version,
    )
