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


def test_each_content_change_on_a_signed_plan_creates_one_new_version(
    db: Database, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.add_review(session, plan_id, ReviewData(date(2023, 10, 1), None, "planned"))
        signed = plans.mark_signed(session, plan_id, date(2023, 4, 8))
        goal = signed.goals[0]
        v2 = plans.update_goal(session, goal.id, replace(goal.data(), goals="Jiný cíl."))
        assert v2.version == 2 and "Jiný cíl." in {g.goals for g in v2.goals}
        assert v2.reviews[0].status == "planned"
        plans.mark_signed(session, v2.id, date(2023, 10, 2))
        v3 = plans.remove_goal(session, v2.goals[0].id)
        assert v3.version == 3 and len(v3.goals) == 1
        plans.mark_signed(session, v3.id, date(2023, 10, 3))
        v4 = plans.add_goal(session, v3.id, GoalData(areas["DIG"], "Používá e-mail."))
        assert v4.version == 4 and len(v4.goals) == 2
        plans.mark_signed(session, v4.id, date(2023, 10, 4))
        v5 = plans.update_plan(session, v4.id, PlanData(START, date(2024, 3, 30)))
        assert v5.version == 5 and v5.summary.period_end == date(2024, 3, 30)
        total = session.scalar(select(func.count()).select_from(Plan))
        signed_goals = plans.get_plan(session, plan_id).goals
    assert total == 5
    assert len(signed_goals) == 2


def test_reviews_and_final_evaluation_are_recorded_on_the_signed_newest_version(
    db: Database, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    signed_on = date(2023, 4, 8)
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        plans.mark_signed(session, plan_id, signed_on)
    with db.unit_of_work() as session:
        added = plans.add_review(
            session, plan_id, ReviewData(date(2023, 10, 1), None, "planned", "Půlroční")
        )
    review = added.reviews[0]
    fin_goal = next(g for g in added.goals if g.area_code == "FIN")
    with db.unit_of_work() as session:
        updated = plans.update_review(
            session, review.id, ReviewData(date(2023, 10, 2), fin_goal.id, "met", "Hotovo")
        )
    with db.unit_of_work() as session:
        second = plans.add_review(session, plan_id, ReviewData(date(2023, 12, 1), None, "met"))
        removed = plans.remove_review(session, second.reviews[-1].id)
    with db.unit_of_work() as session:
        final = plans.set_final_evaluation(session, plan_id, "Cíle splnil.")
        cleared = plans.set_final_evaluation(session, plan_id, "Cíle splnil částečně.")
    for detail in (added, updated, second, removed, final, cleared):
        assert (detail.id, detail.version) == (plan_id, 1)
        assert detail.signed and detail.summary.signed_on == signed_on
        assert detail.editable
    assert updated.reviews[0].id == review.id
    assert (updated.reviews[0].status, updated.reviews[0].subject) == ("met", "Finanční gramotnost")
    assert len(second.reviews) == 2 and len(removed.reviews) == 1
    assert cleared.final_evaluation == "Cíle splnil částečně."
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 1
        stored = plans.get_plan(session, plan_id)
        sheet = plans.idp_sheet_data(session, plan_id)
    assert stored.signed and stored.final_evaluation == "Cíle splnil částečně."
    assert [r.note for r in stored.reviews] == ["Hotovo"]
    assert sheet.signed_on == signed_on and sheet.final_evaluation == "Cíle splnil částečně."
    assert sheet.sheet_id == f"IDP-{plan_id}-v1"


def test_reviews_and_final_evaluation_of_a_superseded_version_are_refused(
    db: Database, setup: tuple[int, dict[str, int]]
) -> None:
    assistant_id, areas = setup
    with db.unit_of_work() as session:
        plan_id = _plan_with_two_goals(session, assistant_id, areas)
        old_review = plans.add_review(
            session, plan_id, ReviewData(date(2023, 10, 1), None, "planned")
        ).reviews[0]
        signed = plans.mark_signed(session, plan_id, date(2023, 4, 8))
        goal = signed.goals[0]
        v2 = plans.update_goal(session, goal.id, replace(goal.data(), goals="Jiný cíl."))
    assert v2.version == 2
    refused = [
        lambda s: plans.add_review(s, plan_id, ReviewData(date(2023, 11, 1), None, "met")),
        lambda s: plans.update_review(s, old_review.id, ReviewData(date(2023, 10, 1), None, "met")),
        lambda s: plans.remove_review(s, old_review.id),
        lambda s: plans.set_final_evaluation(s, plan_id, "Splnil."),
    ]
    for action in refused:
        with pytest.raises(ConflictError, match="nahrazena novější"), db.unit_of_work() as s:
            action(s)
    with db.unit_of_work() as session:
        old = plans.get_plan(session, plan_id)
        assert [(r.id, r.status) for r in old.reviews] == [(old_review.id, "planned")]
        assert old.final_evaluation == "" and old.signed
        # the newest version (unsigned here) takes them, without another version
        again = plans.set_final_evaluation(session, v2.id, "Splnil.")
        assert (again.id, again.version) == (v2.id, 2) and again.final_evaluation == "Splnil."
        assert session.scalar(select(func.count()).select_from(Plan)) == 2


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
        v2 = plans.update_plan(session, plan_id, PlanData(START, END, note="Text"))
        assert v2.version == 2
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
