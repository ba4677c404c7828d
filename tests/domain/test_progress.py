from __future__ import annotations

from datetime import date, timedelta

import pytest

from apk_desktop.domain.progress import (
    GOAL_1_TEXT,
    AreaProgress,
    Observation,
    Trend,
    area_progress,
    meets_goal,
    missing_assessment_reason,
    months_before,
    normalise,
    team_goal,
    validate_header,
    validate_level,
)

PERIOD = (date(2023, 4, 1), date(2026, 3, 31))
TODAY = date(2025, 6, 30)


def obs(aid: int, day: date, level: int, lo: int = 1, hi: int = 5) -> Observation:
    return Observation(aid, day, level, lo, hi)


def test_improved_when_latest_above_first_in_any_order() -> None:
    progress = area_progress(
        7, [obs(3, date(2024, 6, 1), 4), obs(1, date(2023, 5, 1), 2), obs(2, date(2024, 1, 1), 1)]
    )
    assert progress.first is not None and progress.first.assessment_id == 1
    assert progress.latest is not None and progress.latest.assessment_id == 3
    assert progress.trend is Trend.IMPROVED
    assert progress.improved
    assert progress.text() == "2 → 4"


def test_only_one_assessment_is_not_an_improvement() -> None:
    progress = area_progress(1, [obs(1, date(2023, 5, 1), 3)])
    assert progress.trend is Trend.SINGLE
    assert not progress.improved
    assert progress.text() == "3"


def test_never_assessed_area() -> None:
    progress = area_progress(1, [])
    assert progress.trend is Trend.NONE
    assert progress.text() == "–"


def test_later_lower_than_first_is_declined_even_if_a_middle_one_was_higher() -> None:
    progress = area_progress(
        1, [obs(1, date(2023, 5, 1), 3), obs(2, date(2024, 1, 1), 5), obs(3, date(2025, 1, 1), 2)]
    )
    assert progress.trend is Trend.DECLINED
    assert not progress.improved


def test_same_level_is_no_change() -> None:
    progress = area_progress(1, [obs(1, date(2023, 5, 1), 3), obs(2, date(2024, 1, 1), 3)])
    assert progress.trend is Trend.SAME


def test_same_day_ties_are_broken_by_record_order() -> None:
    progress = area_progress(1, [obs(9, date(2023, 5, 1), 4), obs(8, date(2023, 5, 1), 2)])
    assert progress.first is not None and progress.first.level == 2
    assert progress.improved


def test_scale_changed_compares_normalised_levels() -> None:
    # 3 on 1–5 is 0.5; 6 on 1–10 is 0.556 → improved; 5 on 1–10 is 0.444 → declined.
    up = area_progress(1, [obs(1, date(2023, 5, 1), 3), obs(2, date(2024, 5, 1), 6, 1, 10)])
    down = area_progress(1, [obs(1, date(2023, 5, 1), 3), obs(2, date(2024, 5, 1), 5, 1, 10)])
    same = area_progress(1, [obs(1, date(2023, 5, 1), 2, 0, 4), obs(2, date(2024, 5, 1), 3)])
    assert up.improved
    assert down.trend is Trend.DECLINED
    assert same.trend is Trend.SAME  # 2 of 0–4 and 3 of 1–5 are both the middle
    assert up.text() == "3 → 6 (1–10)"


def test_normalise_rejects_an_empty_scale() -> None:
    assert normalise(1, 1, 5) == 0.0
    assert normalise(5, 1, 5) == 1.0
    with pytest.raises(ValueError):
        normalise(1, 3, 3)


def _areas(*improved: bool) -> list[AreaProgress]:
    result = []
    for i, up in enumerate(improved):
        result.append(
            area_progress(
                i, [obs(1, date(2023, 5, 1), 2), obs(2, date(2024, 5, 1), 3 if up else 2)]
            )
        )
    return result


def test_an_assistant_meets_goal_with_two_improved_areas() -> None:
    assert not meets_goal(_areas(True, False, False, False, False))
    assert meets_goal(_areas(True, True, False, False, False))
    assert meets_goal(_areas(True, True, True, True, True))


def test_team_goal_counts_only_people_in_a_position() -> None:
    # A person replaced mid-project: the departed one (not current) does not count.
    members = [(True, True)] * 7 + [(True, False), (True, False), (False, False)]
    goal = team_goal(members, positions=9)
    assert (goal.counted, goal.meeting) == (9, 7)
    assert not goal.meets
    assert goal.text() == "7 z 9 asistentů splňuje cíl"
    assert team_goal([(True, True), (False, False)], 9).meets
    assert not team_goal([], 9).meets  # nobody in a position: not met


def test_level_must_be_on_the_scale() -> None:
    assert validate_level(3, 1, 5) is None
    assert validate_level(6, 1, 5) == "Úroveň 6 není na škále 1–5."
    assert validate_level(0, 1, 5) is not None


def test_header_validation_in_czech() -> None:
    errors = validate_header(
        assessed_on=date(2022, 1, 1),
        kind="x",
        assessor=" ",
        method="",
        period=PERIOD,
        today=TODAY,
    )
    assert set(errors) == {"assessed_on", "kind", "assessor", "method"}
    assert "období projektu" in errors["assessed_on"]
    ok = validate_header(
        assessed_on=date(2024, 1, 1),
        kind="entry",
        assessor="Mentor",
        method="test",
        period=PERIOD,
        today=TODAY,
    )
    assert ok == {}
    assert (
        "Zadejte datum"
        in validate_header(
            assessed_on=None, kind="entry", assessor="a", method="b", period=PERIOD, today=TODAY
        )["assessed_on"]
    )


def test_an_assessment_dated_after_today_is_refused() -> None:
    """A typo (20.12.2027 for 2026) must not count towards goal 1 as of today."""

    def check(day: date) -> dict[str, str]:
        return validate_header(
            assessed_on=day, kind="entry", assessor="M", method="t", period=PERIOD, today=TODAY
        )

    assert check(TODAY) == {}
    assert "v budoucnosti" in check(TODAY + timedelta(days=1))["assessed_on"]


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2024, 5, 31), 3) == date(2024, 2, 29)
    assert months_before(date(2024, 2, 15), 3) == date(2023, 11, 15)


def test_missing_assessment_reasons() -> None:
    today = date(2024, 6, 30)
    assert missing_assessment_reason(False, None, today) == "chybí vstupní hodnocení"
    assert missing_assessment_reason(True, date(2024, 3, 29), today) is not None
    assert missing_assessment_reason(True, date(2024, 3, 30), today) is None


def test_goal_text_is_verbatim() -> None:
    assert GOAL_1_TEXT == (
        "„Devět asistentů prevence kriminality prokáže zvýšení znalostí, vědomostí a kompetencí "
        "minimálně dvou z pěti vzdělávacích oblastí“"
    )
