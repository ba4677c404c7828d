"""The paged session list: keyset pages in SQL order, filters in SQL, counts and positions."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import TrainingSession
from apk_desktop.db.services import evidence as evidence_service
from apk_desktop.db.services import sessions as service
from apk_desktop.db.services.sessions import SessionFilter, SessionRow, SessionSort
from apk_desktop.domain.sessions import SessionKind, SupervisionForm, sheet_id
from tests.db.sessions_helpers import Team, make_team, training

KINDS = list(SessionKind)


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    return make_team(db, project_id)


@pytest.fixture
def made(db: Database, project_id: int, team: Team) -> list[int]:
    """20 sessions: equal dates and times (ties), every kind, mixed-case topics, hours,
    participants and scan counts; plus one archived session (not listed)."""
    ids = []
    with db.unit_of_work() as session:
        for i in range(20):
            kind = KINDS[i % len(KINDS)] if i < 16 else KINDS[4 + i % 2]  # ties: the mentor's
            people: tuple[int, ...] = (team.jana, team.petr) if i % 3 else (team.jana,)
            if kind is SessionKind.MENTORING_INDIVIDUAL:
                people = (team.petr,)
            if not kind.for_assistants:
                people = ()
            start = time(8) if i >= 16 else time(8 + i // 4)  # the last four tie with no. 0
            data = training(
                team,
                kind=kind,
                date=date(2024, 3, 4 + (0 if i >= 16 else i % 4)),
                time_from=start,
                time_to=time(start.hour + 1),
                hours=Decimal("1.25") if i % 2 else Decimal(1),
                topic=("alfa", "Beta", "gama", "Delta")[i % 4] + f" {i % 5}",
                participant_ids=people,
                area_ids=(
                    (team.areas["FIN"],),
                    (team.areas["COMM"],),
                    (team.areas["DIG"], team.areas["MED"]),
                )[i % 3]
                if kind.for_assistants
                else (),
                supervision_form=SupervisionForm.SKUPINOVA if kind.is_supervision else None,
            )
            ids.append(service.create_session(session, project_id, data).id)
        for number, session_id in enumerate(ids):  # scans: a summary column, as services keep it
            session.execute(
                update(TrainingSession)
                .where(TrainingSession.id == session_id)
                .values(evidence_count=number % 3)
            )
        archived = service.create_session(
            session, project_id, training(team, date=date(2024, 3, 20))
        )
        service.archive_session(session, archived.id)
    return ids


def _all_pages(db: Database, project_id: int, size: int, **kw: Any) -> list[SessionRow]:
    rows: list[SessionRow] = []
    after = None
    with db.unit_of_work() as session:
        while True:
            page = service.session_page(session, project_id, after=after, limit=size, **kw)
            assert len(page.rows) <= size
            if not page.rows:
                assert page.after is None
                return rows
            rows.extend(page.rows)
            after = page.after


def _oracle(rows: list[SessionRow], sort: SessionSort) -> list[int]:
    """The documented order of each sort key, computed in Python (ascending)."""

    def when(r: SessionRow) -> tuple[date, time]:
        return (r.date, r.time_from)

    keys: dict[SessionSort, Any] = {
        SessionSort.DATE: lambda r: (*when(r), r.id),
        SessionSort.TIME: lambda r: (r.time_from, r.date, r.id),
        SessionSort.KIND: lambda r: (r.kind_label, *when(r), r.id),
        SessionSort.ACTIVITY: lambda r: (r.activity_code, *when(r), r.id),
        SessionSort.TOPIC: lambda r: (r.topic.lower(), r.id),
        SessionSort.HOURS: lambda r: (r.hours, r.id),
        SessionSort.PARTICIPANTS: lambda r: (r.participant_count, r.id),
        SessionSort.ATTENDANCE: lambda r: (r.attendance_recorded, r.id),
        SessionSort.EVIDENCE: lambda r: (r.evidence_count, r.id),
        SessionSort.SHEET: lambda r: r.id,
    }
    return [r.id for r in sorted(rows, key=keys[sort])]


@pytest.mark.parametrize("sort", list(SessionSort))
@pytest.mark.parametrize("descending", [True, False])
def test_pages_follow_the_sql_order_without_gaps_or_repeats(
    db: Database, project_id: int, made: list[int], sort: SessionSort, descending: bool
) -> None:
    whole = _all_pages(db, project_id, 1000, sort=sort, descending=descending)
    assert sorted(r.id for r in whole) == sorted(made)  # the archived one is left out
    paged = _all_pages(db, project_id, 4, sort=sort, descending=descending)
    assert [r.id for r in paged] == [r.id for r in whole]
    if sort is not SessionSort.AREAS:  # areas: by their ids' text, no Python oracle
        expected = _oracle(whole, sort)
        assert [r.id for r in whole] == (expected[::-1] if descending else expected)
    with db.unit_of_work() as session:
        for number, row in enumerate(whole):
            assert (
                service.session_position(
                    session, project_id, row.id, sort=sort, descending=descending
                )
                == number
            )


def test_default_page_is_the_list_order_with_total(
    db: Database, project_id: int, made: list[int]
) -> None:
    with db.unit_of_work() as session:
        full = service.list_sessions(session, project_id)
        first = service.session_page(session, project_id, limit=5, with_total=True)
        assert first.total == len(made) == service.count_sessions(session, project_id)
        assert [r.id for r in first.rows] == [r.id for r in full[:5]]
        assert service.session_page(session, project_id, limit=5).total is None
        with pytest.raises(ValueError):
            service.session_page(session, project_id, sort=SessionSort.TOPIC, after=first.after)


def test_filters_apply_in_sql_to_pages_counts_and_positions(
    db: Database, project_id: int, team: Team, made: list[int]
) -> None:
    cases = [
        SessionFilter(kinds=(SessionKind.TRAINING, SessionKind.MENTORING_GROUP)),
        SessionFilter(date_from=date(2024, 3, 5), date_to=date(2024, 3, 6)),
        SessionFilter(text="BETA"),
        SessionFilter(evidence="missing"),
        SessionFilter(evidence="complete", assistant_id=team.jana),
        SessionFilter(area_id=team.areas["DIG"]),
        SessionFilter(include_archived=True),
    ]
    with db.unit_of_work() as session:
        everything = service.list_sessions(
            session, project_id, SessionFilter(include_archived=True)
        )
    for f in cases:
        paged = _all_pages(db, project_id, 3, filters=f, sort=SessionSort.TOPIC, descending=False)
        with db.unit_of_work() as session:
            expected = service.list_sessions(session, project_id, f)
            assert service.count_sessions(session, project_id, f) == len(expected) == len(paged)
            missing = made[0] if made[0] not in {r.id for r in expected} else None
            if missing is not None:
                assert service.session_position(session, project_id, missing, f) is None
        assert sorted(r.id for r in paged) == sorted(r.id for r in expected)
        assert 0 < len(expected) < len(everything) or f.include_archived
        by_id = {r.id: r for r in everything}
        for row in paged:
            source = by_id[row.id]
            if f.kinds:
                assert source.kind in f.kinds
            if f.text:
                assert "beta" in source.topic.lower()
            if f.evidence == "missing":
                assert source.evidence_count == 0


def test_a_printed_sheet_id_finds_its_session(
    db: Database, project_id: int, made: list[int]
) -> None:
    with db.unit_of_work() as session:
        rows = {r.id: r for r in service.list_sessions(session, project_id)}
        for session_id in made[:6]:
            row = rows[session_id]
            view = service.get_session(session, session_id)
            assert row.sheet_id == view.sheet_id == sheet_id(row.kind, session_id)
            found = service.session_page(
                session, project_id, SessionFilter(text=row.sheet_id.lower())
            )
            assert [r.id for r in found.rows] == [session_id]
            other = "SUP" if not row.sheet_id.startswith("SUP") else "PL"
            wrong = service.session_page(
                session, project_id, SessionFilter(text=f"{other}-{session_id}")
            )
            assert len(wrong.rows) == 0


def test_missing_evidence_page_ends_by_now_oldest_first(
    db: Database, project_id: int, made: list[int]
) -> None:
    now = datetime(2024, 3, 6, 10, 0)  # sessions of 06.03. ending by 10:00 are past
    with db.unit_of_work() as session:
        listed = evidence_service.missing_evidence(session, project_id, now=now)
        first = evidence_service.missing_evidence_page(session, project_id, now=now, limit=2)
        rest = evidence_service.missing_evidence_page(
            session, project_id, now=now, after=first.after, limit=100
        )
        assert evidence_service.evidence_overview(session, project_id, today=date(2024, 3, 6))
    assert first.total == len(listed) > 2 and rest.total is None
    assert [r.id for r in [*first.rows, *rest.rows]] == [r.id for r in listed]
    assert all(r.evidence_count == 0 for r in listed)
    assert all(datetime.combine(r.date, r.time_to) <= now for r in listed)
    assert [(r.date, r.time_from, r.id) for r in listed] == sorted(
        (r.date, r.time_from, r.id) for r in listed
    )
    on_the_day = [r for r in listed if r.date == now.date()]
    assert on_the_day and all(r.time_to <= now.time() for r in on_the_day)
