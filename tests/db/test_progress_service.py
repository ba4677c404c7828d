from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import assessments as svc
from apk_desktop.db.services.dashboard import dashboard
from apk_desktop.db.services.progress import (
    assessment_status,
    assistant_progress,
    project_areas,
    team_progress,
)
from apk_desktop.domain.progress import Trend

TODAY = date(2025, 6, 1)


def _record(
    session: Session,
    project_id: int,
    who: int,
    on: date,
    kind: str,
    levels: list[int],
    scale_id: int | None = None,
) -> int:
    areas = [a.id for a in project_areas(session, project_id)]
    scale = scale_id or svc.default_scale(session, project_id).id
    return svc.create_assessment(
        session,
        project_id,
        svc.AssessmentInput(
            who,
            on,
            kind,
            "Mentor Novák",
            "pozorování",
            scale,
            dict(zip(areas, levels, strict=False)),
        ),
    ).id


@pytest.fixture
def team(db: Database, project_id: int) -> list[int]:
    """Nine current people (index 3 is the departed predecessor, index 4 his successor)."""
    with db.unit_of_work() as session:
        people = populate_sample(session, project_id)
        for who in people:
            if who == people[4]:
                continue
            _record(session, project_id, who, date(2023, 4, 10), "entry", [2, 2, 2, 2, 2])
        # Predecessor improved everywhere before leaving; counts for nobody.
        _record(session, project_id, people[3], date(2023, 10, 1), "interim", [4, 4, 4, 4, 4])
        # Successor: entry and one interim with two improved areas.
        _record(session, project_id, people[4], date(2024, 1, 15), "entry", [1, 1, 1, 1, 1])
        _record(session, project_id, people[4], date(2025, 3, 1), "interim", [2, 2, 1, 1, 1])
        # 0–2 and 5–7: two areas up; 8: one up, one down; 9: only the entry.
        for who in people[:3] + people[5:8]:
            _record(session, project_id, who, date(2025, 3, 1), "interim", [3, 4, 2, 2, 2])
        _record(session, project_id, people[8], date(2025, 3, 1), "interim", [3, 1, 2, 2, 2])
    return people


def test_team_matrix_and_goal(db: Database, project_id: int, team: list[int]) -> None:
    with db.unit_of_work() as session:
        progress = team_progress(session, project_id, TODAY)
    names = [r.person.name for r in progress.rows]
    assert names[-1] == "Radek Marek"  # the departed person is shown last
    assert not progress.rows[-1].person.current
    by_id = {r.person.assistant_id: r for r in progress.rows}
    assert by_id[team[3]].meets  # shown with his own progress...
    assert by_id[team[4]].meets  # ...the successor is evaluated on his own assessments
    assert by_id[team[4]].areas[0].text() == "1 → 2"
    assert not by_id[team[9]].meets  # only the entry assessment
    assert by_id[team[9]].areas[0].trend is Trend.SINGLE
    assert by_id[team[8]].areas[1].trend is Trend.DECLINED
    assert (progress.goal.counted, progress.goal.meeting) == (9, 7)
    assert progress.goal.text() == "7 z 9 asistentů splňuje cíl"
    assert not progress.goal.meets


def test_team_evidence_lists_the_assessments_used(
    db: Database, project_id: int, team: list[int]
) -> None:
    with db.unit_of_work() as session:
        progress = team_progress(session, project_id, TODAY, with_evidence=True)
    assert len(progress.evidence) == 19  # 10 entries + 9 later ones
    assert {e.assessor for e in progress.evidence} == {"Mentor Novák"}


def test_one_assistant_history(db: Database, project_id: int, team: list[int]) -> None:
    with db.unit_of_work() as session:
        progress = assistant_progress(session, project_id, team[0], TODAY)
    assert progress.person.name == "Jana Nováková"
    assert progress.person.position_number == 1
    assert [h.kind for h in progress.history] == ["entry", "interim"]
    assert [p.trend for p in progress.progress] == [
        Trend.IMPROVED,
        Trend.IMPROVED,
        Trend.SAME,
        Trend.SAME,
        Trend.SAME,
    ]
    assert progress.improved == 2 and progress.meets


def test_changed_scale_is_compared_normalised(
    db: Database, project_id: int, team: list[int]
) -> None:
    with db.unit_of_work() as session:
        ten = svc.create_scale(session, project_id, "Škála 1–10", {i: str(i) for i in range(1, 11)})
        # Entry 2/5 = 0.25; on 1–10: 4 → 0.33 (up), 3 → 0.22 (down).
        _record(session, project_id, team[9], date(2025, 5, 1), "interim", [4, 3, 3, 3, 3], ten.id)
        progress = assistant_progress(session, project_id, team[9], TODAY)
        team_view = team_progress(session, project_id, TODAY)
    trends = [p.trend for p in progress.progress]
    assert trends == [
        Trend.IMPROVED,
        Trend.DECLINED,
        Trend.DECLINED,
        Trend.DECLINED,
        Trend.DECLINED,
    ]
    row = next(r for r in team_view.rows if r.person.assistant_id == team[9])
    assert [p.trend for p in row.areas] == trends
    assert row.areas[0].text() == "2 → 4 (1–10)"


def test_team_goal_is_met_when_everyone_current_meets_it(
    db: Database, project_id: int, team: list[int]
) -> None:
    with db.unit_of_work() as session:
        for who in (team[8], team[9]):
            _record(session, project_id, who, date(2025, 4, 1), "final", [3, 3, 3, 3, 3])
        progress = team_progress(session, project_id, TODAY)
    assert progress.goal.meets
    assert progress.goal.text() == "9 z 9 asistentů splňuje cíl"


def test_dashboard_lists_missing_assessments(
    db: Database, project_id: int, team: list[int]
) -> None:
    with db.unit_of_work() as session:
        board = dashboard(session, project_id, TODAY)
        status = assessment_status(session, project_id)
    assert status[team[0]].has_entry and status[team[0]].last_assessed_on == date(2025, 3, 1)
    texts = {i.assistant_id: i.text for i in board.missing_assessments}
    # Only the one with nothing since the entry in 2023 is missing (3 months before 01.06.2025).
    assert set(texts) == {team[9]}
    assert "bez hodnocení déle než 3 měsíce" in texts[team[9]]
    assert board.goal_text.startswith("„Devět asistentů prevence kriminality prokáže")
    with db.unit_of_work() as session:
        later = dashboard(session, project_id, date(2025, 7, 1))
    assert len(later.missing_assessments) == 9  # the departed person is not listed
