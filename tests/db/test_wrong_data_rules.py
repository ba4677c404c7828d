"""Rules that used to let wrong data through: an assessment dated in the future, a project
period shortened past existing records, a hire after the project's end."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import assessments as svc
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services.progress import project_areas
from apk_desktop.db.services.sessions import create_session
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.project import ProjectData
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.sessions import SessionData, SessionKind


def _facts(db: Database, project_id: int) -> ProjectData:
    with db.unit_of_work() as session:
        info = project_service.get_project_info(session, project_id)
    return ProjectData(**{name: getattr(info, name) for name in ProjectData.__dataclass_fields__})


def _set_period(db: Database, project_id: int, start: date, end: date) -> None:
    facts = replace(_facts(db, project_id), period_start=start, period_end=end)
    with db.unit_of_work() as session:
        project_service.update_project(session, project_id, facts)


def test_assessment_dated_after_today_is_refused(db: Database, project_id: int) -> None:
    today = date.today()
    _set_period(db, project_id, date(2023, 4, 1), today + timedelta(days=700))
    with db.unit_of_work() as session:
        person = populate_sample(session, project_id)[0]
        scale = svc.default_scale(session, project_id)
        area = project_areas(session, project_id)[0].id
    future = svc.AssessmentInput(
        person, today + timedelta(days=10), "entry", "Mentor", "test", scale.id, {area: 2}, ""
    )
    with db.unit_of_work() as session, pytest.raises(ValidationError) as caught:
        svc.create_assessment(session, project_id, future)
    assert "v budoucnosti" in caught.value.field_errors["assessed_on"]
    header = svc.TeamHeader(today + timedelta(days=10), "entry", "Mentor", "test", scale.id)
    with db.unit_of_work() as session, pytest.raises(ValidationError) as caught:
        svc.save_team_assessment(session, project_id, header, {person: {area: 2}})
    assert "v budoucnosti" in caught.value.field_errors["assessed_on"]
    with db.unit_of_work() as session:
        assert svc.count_assessments(session, project_id) == 0
        svc.create_assessment(session, project_id, replace(future, assessed_on=today))


def test_period_cannot_be_shortened_past_existing_records(db: Database, project_id: int) -> None:
    with db.unit_of_work() as session:
        people = populate_sample(session, project_id)
        area = project_areas(session, project_id)[0].id
        for day in (date(2025, 11, 3), date(2025, 12, 1), date(2026, 1, 5), date(2026, 2, 2)):
            create_session(
                session,
                project_id,
                SessionData(
                    SessionKind.MENTORING_GROUP,
                    day,
                    time(9),
                    time(10),
                    place="Služebna",
                    topic=f"Porada {day.month}",
                    area_ids=(area,),
                    participant_ids=(people[0],),
                ),
            )
    with pytest.raises(ValidationError) as caught:
        _set_period(db, project_id, date(2023, 4, 1), date(2025, 10, 31))
    message = caught.value.field_errors["period_end"]
    assert (
        "setkání: 4 (03.11.2025 Porada 11; 01.12.2025 Porada 12; 05.01.2026 Porada 1 a další (1))"
        in message
    )
    assert "pracovní poměry" not in message  # every sample employment is still open-ended
    assert _facts(db, project_id).period_end == date(2026, 3, 31)  # nothing stored
    _set_period(db, project_id, date(2023, 4, 1), date(2026, 6, 30))  # longer is fine


def test_hire_after_the_project_end_is_refused(db: Database, project_id: int) -> None:
    with db.unit_of_work() as session:
        position = roster.list_positions(session, project_id, date(2024, 1, 1))[0]
    person = PersonData("Jana", "Nováková")
    with db.unit_of_work() as session, pytest.raises(ValidationError) as caught:
        roster.hire(session, project_id, position.position_id, person, date(2026, 4, 1))
    assert "po konci projektu (31.03.2026)" in caught.value.field_errors["start_date"]
    with db.unit_of_work() as session:
        assert roster.list_assistants(session, project_id, date(2026, 3, 31)) == []
        roster.hire(session, project_id, position.position_id, person, date(2026, 3, 31))
