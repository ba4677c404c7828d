from __future__ import annotations

from datetime import date

from apk_desktop.domain.plans import (
    GoalData,
    PlanData,
    ReviewData,
    activities_text,
    decode_activities,
    encode_activities,
    next_period,
    sheet_id,
    validate_goal,
    validate_plan,
    validate_review,
    validate_signature,
)

P_START, P_END = date(2023, 4, 1), date(2026, 3, 31)


def test_plan_period_must_be_ordered_and_inside_the_project() -> None:
    ok = PlanData(date(2023, 4, 1), date(2024, 3, 31))
    assert validate_plan(ok, P_START, P_END) == {}
    assert "period_end" in validate_plan(
        PlanData(date(2024, 1, 1), date(2024, 1, 1)), P_START, P_END
    )
    missing = validate_plan(PlanData(None, None), P_START, P_END)
    assert missing == {
        "period_start": "Zadejte začátek období plánu.",
        "period_end": "Zadejte konec období plánu.",
    }
    outside = validate_plan(PlanData(date(2023, 1, 1), date(2026, 6, 30)), P_START, P_END)
    assert "období projektu (01.04.2023 – 31.03.2026)" in outside["period_start"]
    assert "období projektu" in outside["period_end"]


def test_goal_needs_area_text_and_deadline_in_the_plan() -> None:
    start, end = date(2023, 4, 1), date(2024, 3, 31)
    labels = {1: "Finanční gramotnost", 2: "Komunikační dovednosti"}
    good = GoalData(1, "Umí sestavit rozpočet.", ("training",), deadline=date(2024, 3, 1))
    assert validate_goal(good, start, end, [2], labels) == {}
    errors = validate_goal(GoalData(None, "  ".strip()), start, end)
    assert errors == {
        "area_id": "Vyberte vzdělávací oblast.",
        "goals": "Zadejte alespoň jeden cíl pro tuto oblast.",
    }
    duplicate = validate_goal(good, start, end, [1], labels)
    assert "Oblast „Finanční gramotnost“ už v plánu je" in duplicate["area_id"]
    late = GoalData(2, "Cíl", deadline=date(2024, 4, 1))
    assert validate_goal(late, start, end, [], labels)["deadline"].startswith(
        "Termín musí ležet v období plánu"
    )
    assert "activities" in validate_goal(GoalData(2, "Cíl", ("flying",)), start, end)
    assert "status" in validate_goal(GoalData(2, "Cíl", status="done?"), start, end)
    assert "area_id" in validate_goal(GoalData(9, "Cíl"), start, end, [], labels)


def test_review_and_signature_rules() -> None:
    start, end = date(2023, 4, 1), date(2024, 3, 31)
    assert validate_review(ReviewData(date(2023, 10, 1), None, "met"), start, end) == {}
    assert "review_date" in validate_review(ReviewData(None), start, end)
    assert "review_date" in validate_review(ReviewData(date(2022, 1, 1)), start, end)
    assert "status" in validate_review(ReviewData(date(2023, 10, 1), None, "x"), start, end)
    assert validate_signature(None, 2) == {"signed_on": "Zadejte datum podpisu."}
    assert "žádný cíl" in validate_signature(date(2023, 4, 8), 0)["signed_on"]
    assert validate_signature(date(2023, 4, 8), 1) == {}


def test_activities_round_trip_in_a_fixed_order() -> None:
    assert encode_activities(["practice", "training", "practice"]) == "training,practice"
    assert decode_activities("practice, training,unknown") == ("training", "practice")
    assert activities_text(("training", "self_study")) == "vzdělávání/školení, samostudium"


def test_next_period_follows_and_keeps_the_length() -> None:
    assert next_period(date(2023, 4, 1), date(2024, 3, 31), P_START, P_END) == (
        date(2024, 4, 1),
        date(2025, 3, 31),
    )
    assert next_period(date(2023, 4, 1), date(2023, 9, 30), P_START, P_END) == (
        date(2023, 10, 1),
        date(2024, 3, 31),
    )
    assert next_period(date(2025, 4, 1), date(2026, 3, 31), P_START, P_END) is None
    assert next_period(date(2025, 6, 1), date(2025, 12, 31), P_START, P_END) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    assert sheet_id(12, 2) == "IDP-12-v2"


def test_goal_texts_the_sheet_font_cannot_print_are_refused() -> None:
    start, end = date(2023, 4, 1), date(2024, 3, 31)
    goal = GoalData(1, "Umí řídit 🚓.", responsible="Mentor 👮")
    errors = validate_goal(goal, start, end, [], {1: "Finanční gramotnost"})
    assert set(errors) == {"goals", "responsible"}
    assert "„🚓“" in errors["goals"] and "„👮“" in errors["responsible"]
