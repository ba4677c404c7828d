from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apk_desktop.db.database import Database
from apk_desktop.db.models.plans import Plan, PlanGoal, PlanReview
from apk_desktop.db.services import assessments, plans, roster
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services.assessments import AssessmentInput
from apk_desktop.domain.errors import ConflictError, ValidationError
from apk_desktop.domain.plans import GoalData, PlanData, ReviewData
from apk_desktop.domain.roster import PersonData

START, END = date(2023, 4, 1), date(2024, 3, 31)


def _hire(session: Session, project_id: int, number: int, first: str, last: str) -> int:
    position = roster.list_positions(session, project_id, START)[number - 1]
    return roster.hire(session, project_id, position.position_id, PersonData(first, last), START).id


def _areas(session: Session, project_id: int) -> dict[str, int]:
    return {a.code: a.id for a in project_service.get_project_info(session, project_id).areas}


@pytest.fixture
def setup(db: Database, project_id: int) -> tuple[int, dict[str, int]]:
    with db.unit_of_work() as session:
        return _hire(session, project_id, 1, "Jana", "Nováková"), _areas(session, project_id)


def _plan_with_two_goals(session: Session, assistant_id: int, areas: dict[str, int]) -> int:
    plan = plans.create_plan(session, assistant_id, PlanData(START, END, mentor_name="Mentor M."))
    plans.add_goal(
        session,
        plan.id,
        GoalData(
            areas["FIN"],
            "Umí sestavit rozpočet domácnosti.",
            ("training", "practice"),
            "Kurz 8 h",
            "Mentor M.",
            date(2024, 3, 1),
            "Modelová situace",
            "in_progress",
        ),
    )
    plans.add_goal(session, plan.id, GoalData(areas["COMM"], "Zvládá konflikt bez eskalace."))
    return plan.id


def test_signed_plan_stays_unchanged_and_edits_make_a_new_version(
    db: Database, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.add_review(session, plan_id, ReviewData(date(2023, 10, 1), None, "planned"))
        signed = plans.mark_signed(session, plan_id, date(2023, 4, 8))
    assert signed.signed and signed.summary.signed_on == date(2023, 4, 8)
    fin_goal = next(g for g in signed.goals if g.area_code == "FIN")

    with db.unit_of_work() as session:
        changed = plans.update_goal(
            session, fin_goal.id, replace(fin_goal.data(), goals="Nový text cíle.")
        )
    assert changed.id != plan_id and changed.version == 2 and not changed.signed
    assert changed.summary.lineage_id == plan_id
    assert {g.goals for g in changed.goals} == {"Nový text cíle.", "Zvládá konflikt bez eskalace."}
    assert len(changed.reviews) == 1

    with db.unit_of_work() as session:
        old = plans.get_plan(session, plan_id)
        versions = plans.list_plans(session, assistant_id)
        # the new version is the one to change further (no third version for an unsigned one)
        again = plans.set_final_evaluation(session, changed.id, "Splnil.")
    assert old.signed and not old.editable
    assert "Umí sestavit rozpočet domácnosti." in {g.goals for g in old.goals}
    assert [(v.version, v.signed) for v in versions] == [(2, False), (1, True)]
    assert again.id == changed.id and again.final_evaluation == "Splnil."

    with db.unit_of_work() as session, pytest.raises(ConflictError, match="nahrazena novější"):
        plans.add_goal(session, plan_id, GoalData(areas["DIG"], "Cíl"))
    with db.unit_of_work() as session, pytest.raises(ConflictError):
        plans.mark_signed(session, plan_id, date(2023, 5, 1))


def test_each_kind_of_change_on_a_signed_plan_creates_one_new_version(
    db: Database, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.add_review(session, plan_id, ReviewData(date(2023, 10, 1), None, "planned"))
        plans.mark_signed(session, plan_id, date(2023, 4, 8))
        review = plans.get_plan(session, plan_id).reviews[0]
        v2 = plans.update_review(
            session, review.id, ReviewData(date(2023, 10, 2), None, "met", "Hotovo")
        )
        assert v2.version == 2 and v2.reviews[0].status == "met"
        plans.mark_signed(session, v2.id, date(2023, 10, 2))
        goal = v2.goals[0]
        v3 = plans.remove_goal(session, goal.id)
        assert v3.version == 3 and len(v3.goals) == 1
        plans.mark_signed(session, v3.id, date(2023, 10, 3))
        v4 = plans.remove_review(session, v3.reviews[0].id)
        assert v4.version == 4 and v4.reviews == ()
        plans.mark_signed(session, v4.id, date(2023, 10, 4))
        v5 = plans.update_plan(session, v4.id, PlanData(START, date(2024, 3, 30)))
        assert v5.version == 5 and v5.summary.period_end == date(2024, 3, 30)
        total = session.scalar(select(func.count()).select_from(Plan))
        signed_goals = plans.get_plan(session, plan_id).goals
    assert total == 5
    assert len(signed_goals) == 2


def test_validation_refuses_and_saves_nothing(
    db: Database, project_id: int, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
    cases = [
        (
            lambda s: plans.create_plan(s, assistant_id, PlanData(date(2023, 10, 1), END)),
            "period_start",
            "překrývá",
        ),
        (
            lambda s: plans.create_plan(
                s, assistant_id, PlanData(date(2024, 4, 1), date(2024, 3, 1))
            ),
            "period_end",
            "Konec období musí být až po jeho začátku.",
        ),
        (
            lambda s: plans.create_plan(
                s, assistant_id, PlanData(date(2025, 4, 1), date(2026, 6, 30))
            ),
            "period_end",
            "období projektu",
        ),
        (
            lambda s: plans.add_goal(s, plan_id, GoalData(areas["FIN"], "Znovu")),
            "area_id",
            "už v plánu je",
        ),
        (
            lambda s: plans.add_goal(s, plan_id, GoalData(areas["MED"], "")),
            "goals",
            "Zadejte alespoň jeden cíl",
        ),
        (
            lambda s: plans.add_goal(
                s, plan_id, GoalData(areas["MED"], "Cíl", deadline=date(2024, 5, 1))
            ),
            "deadline",
            "Termín musí ležet v období plánu",
        ),
        (
            lambda s: plans.update_plan(s, plan_id, PlanData(START, date(2024, 2, 1))),
            "period_end",
            "Termín cíle",
        ),
        (lambda s: plans.mark_signed(s, plan_id, None), "signed_on", "datum podpisu"),
    ]
    for action, field, text in cases:
        with pytest.raises(ValidationError) as caught, db.unit_of_work() as session:
            action(session)
        assert text in caught.value.field_errors[field], field
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 1
        assert session.scalar(select(func.count()).select_from(PlanGoal)) == 2
    # versions of the same plan may share the period; another assistant may too
    with db.unit_of_work() as session:
        other = _hire(session, project_id, 2, "Petr", "Svoboda")
        assert plans.create_plan(session, other, PlanData(START, END)).version == 1


def test_copy_as_new_plan_resets_statuses_and_moves_deadlines(
    db: Database, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.add_review(session, plan_id, ReviewData(date(2023, 10, 1), None, "met"))
        plans.mark_signed(session, plan_id, date(2023, 4, 8))
        period = plans.suggested_period(session, assistant_id, date(2023, 5, 1))
        assert period == (date(2024, 4, 1), date(2025, 3, 31))
        copy = plans.copy_as_new_plan(session, plan_id, PlanData(*period))
        assert copy.version == 1 and copy.summary.lineage_id == copy.id
        assert {g.status for g in copy.goals} == {"planned"}
        fin = next(g for g in copy.goals if g.area_code == "FIN")
        assert fin.deadline == date(2025, 3, 1)
        assert copy.reviews == ()
        assert plans.active_plan(session, assistant_id, date(2024, 6, 1)).id == copy.id  # type: ignore[union-attr]
        assert plans.active_plan(session, assistant_id, date(2023, 6, 1)).id == plan_id  # type: ignore[union-attr]
        assert plans.active_plan(session, assistant_id, date(2026, 1, 1)) is None


def test_delete_draft_only_unsigned_newest(db: Database, setup: tuple[int, dict[str, int]]) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.mark_signed(session, plan_id, date(2023, 4, 8))
        with pytest.raises(ConflictError):
            plans.delete_draft(session, plan_id)
        v2 = plans.set_final_evaluation(session, plan_id, "Text")
        assert plans.delete_draft(session, v2.id) == plan_id
        assert session.scalar(select(func.count()).select_from(PlanReview)) == 0
        assert [p.id for p in plans.list_plans(session, assistant_id)] == [plan_id]


def test_dashboard_checks(db: Database, project_id: int, setup: tuple[int, dict[str, int]]) -> None:
    assistant_id, areas = setup
    today = date(2023, 9, 25)
    with db.unit_of_work() as session:
        other = _hire(session, project_id, 2, "Petr", "Svoboda")
        _hire(session, project_id, 3, "Lucie", "Dvořáková")  # no plan at all
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.add_review(session, plan_id, ReviewData(date(2023, 10, 1), None, "planned"))
        plans.add_review(session, plan_id, ReviewData(date(2023, 9, 1), None, "met"))
        small = plans.create_plan(session, other, PlanData(START, END))
        plans.add_goal(session, small.id, GoalData(areas["DIG"], "Používá e-mail."))
        plans.add_review(session, small.id, ReviewData(date(2023, 9, 20), None, "planned"))
        plans.add_review(session, small.id, ReviewData(date(2023, 12, 1), None, "planned"))
    with db.unit_of_work() as session:
        due = plans.plans_due_for_review(session, project_id, today)
        few = plans.assistants_with_too_few_plan_areas(session, project_id, today)
    assert [(d.assistant_name, d.review_date, d.overdue) for d in due] == [
        ("Petr Svoboda", date(2023, 9, 20), True),
        ("Jana Nováková", date(2023, 10, 1), False),
    ]
    assert due[1].plan_id == plan_id and due[1].subject == "Celý plán"
    assert [(f.assistant_name, f.plan_id, f.area_count) for f in few] == [
        ("Petr Svoboda", small.id, 1),
        ("Lucie Dvořáková", None, 0),
    ]


def test_reviews_due_only_for_people_employed_today(
    db: Database, project_id: int, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    today = date(2023, 9, 25)
    with db.unit_of_work() as session:
        position = roster.list_positions(session, project_id, START)[1]
        left = roster.hire(
            session,
            project_id,
            position.position_id,
            PersonData("Radek", "Marek"),
            START,
            end=date(2023, 8, 31),
        ).id
        for person in (assistant_id, left):
            plan = plans.create_plan(session, person, PlanData(START, END))
            plans.add_goal(session, plan.id, GoalData(areas["DIG"], "Používá e-mail."))
            plans.add_review(session, plan.id, ReviewData(date(2023, 9, 30), None, "planned"))
    with db.unit_of_work() as session:
        due = plans.plans_due_for_review(session, project_id, today)
    assert [d.assistant_name for d in due] == ["Jana Nováková"]


def test_idp_sheet_data_maps_everything(
    db: Database, project_id: int, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plain = plans.idp_sheet_data(session, plan_id)
        scale = assessments.default_scale(session, project_id)
        assessments.create_assessment(
            session,
            project_id,
            AssessmentInput(
                assistant_id,
                date(2023, 4, 3),
                "entry",
                "Mentor M.",
                "vstupní test",
                scale.id,
                {areas["FIN"]: 2},
            ),
        )
        data = plans.idp_sheet_data(session, plan_id)
    assert data.sheet_id == f"IDP-{plan_id}-v1"
    assert data.assistant_name == "Jana Nováková" and data.position_number == 1
    assert data.mentor_name == "Mentor M."
    fin_level = next(g.entry_level for g in data.goals if g.area_label == "Finanční gramotnost")
    assert data.show_entry_levels and fin_level.startswith("2 – ")
    assert {g.entry_level for g in data.goals} == {fin_level, ""}
    assert not plain.show_entry_levels
    fin = next(g for g in data.goals if g.area_label == "Finanční gramotnost")
    assert fin.activities == "vzdělávání/školení, praxe" and fin.status == "probíhá"
    assert data.header.registration_number == "CZ.03.02.01/00/22_018/0000388"


def test_sample_plans(db: Database, project_id: int) -> None:
    from apk_desktop.db.sample import populate_sample

    with db.unit_of_work() as session:
        populate_sample(session, project_id)
        ids = plans.populate_sample_plans(session, project_id)
        assert len(ids) == 18
        first = plans.get_plan(session, ids[0])
        assert first.signed and len(first.goals) == 3
