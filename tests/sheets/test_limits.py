"""Every sheet lays out every free-text field at its maximum length (domain/limits.py): the data
go in through the services (which enforce the limits), come out through the sheet mappers and
are printed; the whole text of each field is found in the PDF."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from apk_desktop.db.database import Database
from apk_desktop.db.services import assessments as assessment_service
from apk_desktop.db.services import plans as plan_service
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.progress import assistant_progress, sheet_inputs, team_progress
from apk_desktop.db.services.sessions_print import session_sheets
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.limits import LIMITS, max_length
from apk_desktop.domain.plans import GoalData, PlanData, ReviewData
from apk_desktop.domain.project import ProjectData
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.sessions import (
    SessionData,
    SessionKind,
    SupervisionForm,
    SupervisorType,
)
from apk_desktop.sheets.idp import build_idp_pdf
from apk_desktop.sheets.progress import assistant_progress_pdf, team_progress_pdf
from apk_desktop.sheets.session_sheets import build_document

START, END = date(2023, 4, 1), date(2024, 3, 31)
TODAY = date(2024, 3, 31)
WORDS = ("žluťoučký", "kůň", "úpěl", "ďábelské", "ódy", "na", "náměstí")
KEYS = sorted(LIMITS)


def at_max(key: str, *, lines: bool = False, variant: int = 0) -> str:
    """A text of exactly the maximum length of ``key``: words numbered per field and variant,
    so each can be found in the PDF in its place. ``lines`` makes many short lines (the tallest
    a text can get)."""
    limit = max_length(key)
    code = KEYS.index(key) * 10 + variant
    words = []
    length = -1
    for number in range(limit):
        word = f"{WORDS[number % len(WORDS)]}{code:03d}{number:04d}"
        if length + 1 + len(word) > limit:
            break
        words.append(word)
        length += 1 + len(word)
    text = ("\n" if lines else " ").join(words)
    return text + "x" * (limit - len(text))


def assert_printed(text: str, printed: str, where: str) -> None:
    """Every word of ``text`` is in ``printed``, in order (page headers may come between)."""
    position = 0
    for word in text.split():
        found = printed.find(word, position)
        assert found >= 0, f"{where}: „{word}“ of „{text[:30]}…“ is not printed"
        position = found + len(word)


def pdf_text(pdf: bytes) -> str:
    return "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def _people(session: Session, project_id: int) -> list[int]:
    ids = []
    for number in (1, 2):
        position = roster.list_positions(session, project_id, START)[number - 1]
        person = PersonData(
            at_max("person.first_name", variant=number),
            at_max("person.last_name", variant=number),
            note=at_max("person.note"),
        )
        note = at_max("employment.note")
        ids.append(
            roster.hire(session, project_id, position.position_id, person, START, note=note).id
        )
    return ids


def _setup(db: Database, project_id: int, lines: bool) -> dict[str, object]:
    """Every field at its maximum, stored through the services; returns ids and texts."""
    with db.unit_of_work() as session:
        info = project_service.get_project_info(session, project_id)
        data = ProjectData(
            **{name: getattr(info, name) for name in ProjectData.__dataclass_fields__}
        )
        project_service.update_project(
            session,
            project_id,
            replace(
                data,
                name=at_max("project.name"),
                beneficiary=at_max("project.beneficiary"),
                programme=at_max("project.programme"),
                method=at_max("project.method"),
                mentor_name=at_max("project.mentor_name"),
            ),
        )
        areas = [a.id for a in info.areas]
        project_service.update_area_labels(
            session,
            project_id,
            {a: at_max("area.label", variant=i) for i, a in enumerate(areas)},
        )
        people = _people(session, project_id)
        common = dict(
            date=date(2023, 6, 7),
            time_from=time(9),
            time_to=time(12),
            hours=Decimal(4),
            place=at_max("session.place"),
            lecturer=at_max("session.lecturer"),
            topic=at_max("session.topic"),
            area_ids=tuple(areas),
            participant_ids=tuple(people),
        )
        training = session_service.create_session(
            session,
            project_id,
            SessionData(kind=SessionKind.TRAINING, **common),  # type: ignore[arg-type]
        ).id
        supervision = session_service.create_session(
            session,
            project_id,
            SessionData(
                kind=SessionKind.ASSISTANT_SUPERVISION,
                supervision_form=SupervisionForm.SKUPINOVA,
                supervisor_type=SupervisorType.EXTERNI,
                conclusions=at_max("session.conclusions", lines=lines),
                agreed_steps=at_max("session.agreed_steps", lines=lines),
                private_note=at_max("session.private_note", lines=lines),
                **{**common, "date": date(2023, 6, 8)},  # type: ignore[arg-type]
            ),
        ).id
        plan = plan_service.create_plan(
            session,
            people[0],
            PlanData(
                START,
                END,
                mentor_name=at_max("plan.mentor_name"),
                police_head_name=at_max("plan.police_head_name"),
                include_police_head=True,
                note=at_max("plan.note", lines=lines),
            ),
        ).id
        for area in areas:
            plan_service.add_goal(
                session,
                plan,
                GoalData(
                    area,
                    at_max("goal.goals", lines=lines),
                    ("training", "practice"),
                    at_max("goal.activity_detail", lines=lines),
                    at_max("goal.responsible"),
                    date(2024, 3, 1),
                    at_max("goal.success_measure", lines=lines),
                ),
            )
        for day in (date(2023, 10, 1), date(2024, 1, 10)):
            plan_service.add_review(
                session, plan, ReviewData(day, None, "planned", at_max("review.note", lines=lines))
            )
        plan_service.set_final_evaluation(
            session, plan, at_max("plan.final_evaluation", lines=lines)
        )
        scale = assessment_service.default_scale(session, project_id).id
        for person in people:
            for day, kind, level in (
                (date(2023, 4, 12), "entry", 2),
                (date(2024, 3, 1), "final", 4),
            ):
                assessment_service.create_assessment(
                    session,
                    project_id,
                    assessment_service.AssessmentInput(
                        person,
                        day,
                        kind,
                        at_max("assessment.assessor"),
                        at_max("assessment.method"),
                        scale,
                        dict.fromkeys(areas, level),
                        note=at_max("assessment.note", lines=lines),
                    ),
                )
    return {"people": people, "training": training, "supervision": supervision, "plan": plan}


@pytest.mark.parametrize("lines", [False, True], ids=["long lines", "many lines"])
def test_every_sheet_prints_every_field_at_its_maximum(
    db: Database, project_id: int, lines: bool
) -> None:
    ids = _setup(db, project_id, lines)
    people = ids["people"]
    assert isinstance(people, list)
    with db.unit_of_work() as session:
        training = session_sheets(session, ids["training"])  # type: ignore[arg-type]
        record = session_sheets(session, ids["supervision"], include_private_note=True)  # type: ignore[arg-type]
        idp = plan_service.idp_sheet_data(session, ids["plan"])  # type: ignore[arg-type]
        header, legend = sheet_inputs(session, project_id)
        one = assistant_progress(session, project_id, people[0], TODAY)
        team = team_progress(session, project_id, TODAY, with_evidence=True)

    names = [
        f"{at_max('person.first_name', variant=n)} {at_max('person.last_name', variant=n)}"
        for n in (1, 2)
    ]
    areas = [at_max("area.label", variant=i) for i in range(5)]
    session_texts = [at_max(f"session.{f}") for f in ("place", "lecturer", "topic")]
    sheets = {
        "attendance": (build_document(training).pdf, [*session_texts, *names, *areas]),
        "record": (
            build_document(record).pdf,
            [
                *session_texts,
                *names,
                *areas,
                *(
                    at_max(f"session.{f}", lines=lines)
                    for f in ("conclusions", "agreed_steps", "private_note")
                ),
            ],
        ),
        "idp": (
            build_idp_pdf(idp),
            [
                names[0],
                *areas,
                at_max("plan.mentor_name"),
                at_max("plan.police_head_name"),
                *(
                    at_max(k, lines=lines)
                    for k in (
                        "plan.note",
                        "plan.final_evaluation",
                        "goal.goals",
                        "goal.activity_detail",
                        "goal.success_measure",
                        "review.note",
                    )
                ),
                at_max("goal.responsible"),
            ],
        ),
        "assistant progress": (
            assistant_progress_pdf(header, one, TODAY, legend),
            [names[0], *areas, at_max("assessment.assessor"), at_max("assessment.method")],
        ),
        "team progress": (
            team_progress_pdf(header, team, legend),
            [*names, at_max("assessment.assessor"), at_max("assessment.method")],
        ),
    }
    for name, (pdf, texts) in sheets.items():
        printed = pdf_text(pdf)
        # the header prints the whole project name and beneficiary (they wrap, then shrink)
        assert_printed(at_max("project.name"), printed, name)
        assert_printed(at_max("project.beneficiary"), printed, name)
        for text in texts:
            assert_printed(text, printed, name)


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_every_limit_is_documented_in_the_readme(key: str) -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{key}`" in readme


def test_the_services_refuse_a_topic_over_its_maximum(db: Database, project_id: int) -> None:
    with db.unit_of_work() as session:
        people = _people(session, project_id)
    data = SessionData(
        kind=SessionKind.TRAINING,
        date=date(2023, 6, 7),
        time_from=time(9),
        time_to=time(12),
        hours=Decimal(4),
        place="Služebna",
        lecturer="Lektor",
        topic="x" * 100_000,
        area_ids=(),
        participant_ids=tuple(people),
    )
    with pytest.raises(ValidationError) as caught, db.unit_of_work() as session:
        session_service.create_session(session, project_id, data)
    assert caught.value.field_errors["topic"] == (
        "Text může mít nejvýše 500 znaků (nyní 100000). Zkraťte ho prosím."
    )
