from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from apk_desktop.db.database import Database
from apk_desktop.db.models import Assistant, Employment
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import roster
from apk_desktop.domain.errors import ConflictError, ValidationError
from apk_desktop.domain.roster import PersonData
from tests.statements import counted

START = date(2023, 4, 1)
JANA = PersonData("Jana", "Nováková", date(1985, 3, 14), "+420 777 123 456", "jana@email.cz")
PETR = PersonData("Petr", "Svoboda")


def _position_id(db: Database, project_id: int, number: int) -> int:
    with db.unit_of_work() as s:
        return next(
            p.position_id for p in roster.list_positions(s, project_id, START) if p.number == number
        )


def _count(db: Database, model: type[Assistant] | type[Employment]) -> int:
    with db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_nine_vacant_positions_after_seed(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        rows = roster.list_positions(s, project_id, START)
    assert [r.number for r in rows] == list(range(1, 10))
    assert all(r.vacant for r in rows)


def test_hire_and_read_back(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 3)
    with db.unit_of_work() as s:
        view = roster.hire(s, project_id, pos, JANA, START)
    with db.unit_of_work() as s:
        assert roster.employment_on(s, view.id, date(2024, 1, 1))
        assert not roster.employment_on(s, view.id, date(2023, 3, 31))
        active = roster.active_assistants(s, project_id, date(2024, 1, 1))
        rows = roster.list_positions(s, project_id, date(2024, 1, 1))
    assert [(a.full_name, a.position_number) for a in active] == [("Jana Nováková", 3)]
    assert rows[2].assistant_name == "Jana Nováková" and not rows[2].vacant


def test_two_people_in_one_position_are_refused(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 1)
    with db.unit_of_work() as s:
        roster.hire(s, project_id, pos, JANA, START)
    taken = r"Pozici č\. 1 v té době zastává Jana Nováková"
    with pytest.raises(ConflictError, match=taken), db.unit_of_work() as s:
        roster.hire(s, project_id, pos, PETR, date(2024, 1, 1))
    assert _count(db, Assistant) == 1  # nothing half-saved


def test_invalid_person_stores_nothing(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 1)
    with pytest.raises(ValidationError) as info, db.unit_of_work() as s:
        roster.hire(s, project_id, pos, PersonData("", "X", email="bad"), START, date(2023, 1, 1))
    assert set(info.value.field_errors) == {"first_name", "email", "end_date"}
    assert _count(db, Assistant) == 0


def test_end_replace_and_history(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 4)
    with db.unit_of_work() as s:
        old = roster.hire(s, project_id, pos, JANA, START)
    with db.unit_of_work() as s:
        new = roster.replace_assistant(s, pos, date(2024, 1, 31), PETR, date(2024, 2, 1))
    with db.unit_of_work() as s:
        history = roster.employment_history(s, position_id=pos)
        assert not roster.employment_on(s, old.id, date(2024, 2, 1))
        assert roster.employment_on(s, new.id, date(2024, 2, 1))
        person_history = roster.employment_history(s, assistant_id=old.id)
    assert [(h.assistant_name, h.start_date, h.end_date) for h in history] == [
        ("Jana Nováková", START, date(2024, 1, 31)),
        ("Petr Svoboda", date(2024, 2, 1), None),
    ]
    assert len(person_history) == 1
    with db.unit_of_work() as s:
        ended = roster.end_employment(s, history[1].id, date(2024, 12, 31))
    assert ended.end_date == date(2024, 12, 31)
    with db.unit_of_work() as s:
        assert roster.list_positions(s, project_id, date(2025, 1, 1))[3].vacant


def test_replace_needs_new_start_after_old_end(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 4)
    with db.unit_of_work() as s:
        roster.hire(s, project_id, pos, JANA, START)
    with pytest.raises(ValidationError) as info, db.unit_of_work() as s:
        roster.replace_assistant(s, pos, date(2024, 1, 31), PETR, date(2024, 1, 31))
    assert "start_date" in info.value.field_errors
    with pytest.raises(ConflictError, match="neobsazená"), db.unit_of_work() as s:
        roster.replace_assistant(s, pos, date(2023, 1, 1), PETR, date(2023, 1, 2))
    assert _count(db, Employment) == 1


def test_end_before_start_is_refused(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 2)
    with db.unit_of_work() as s:
        view = roster.hire(s, project_id, pos, JANA, START)
    assert view.employment is not None
    with pytest.raises(ValidationError) as info, db.unit_of_work() as s:
        roster.end_employment(s, view.employment.id, date(2023, 3, 1))
    assert "před jeho začátkem" in info.value.field_errors["end_date"]


def test_one_person_cannot_hold_two_positions(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        view = roster.hire(s, project_id, _position_id(db, project_id, 1), JANA, START)
    with pytest.raises(ConflictError, match="zaměstnán"), db.unit_of_work() as s:
        roster.add_employment(s, view.id, _position_id(db, project_id, 2), date(2024, 1, 1))


def test_archive_only_without_running_employment(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 5)
    with db.unit_of_work() as s:
        view = roster.hire(s, project_id, pos, JANA, START)
    assert view.employment is not None
    with pytest.raises(ConflictError, match="platný pracovní poměr"), db.unit_of_work() as s:
        roster.archive_assistant(s, view.id, date(2024, 1, 1))
    with db.unit_of_work() as s:
        roster.end_employment(s, view.employment.id, date(2024, 1, 31))
        roster.archive_assistant(s, view.id, date(2024, 2, 1))
    with db.unit_of_work() as s:
        visible = roster.list_assistants(s, project_id, date(2024, 2, 1))
        everyone = roster.list_assistants(s, project_id, date(2024, 2, 1), include_archived=True)
        rows = roster.roster_rows(s, project_id, date(2024, 2, 1), include_archived=True)
    assert visible == [] and [p.archived for p in everyone] == [True]
    assert rows[-1].assistant is not None and rows[-1].status == "Archivován(a)"
    with db.unit_of_work() as s:
        roster.unarchive_assistant(s, view.id)
        assert len(roster.list_assistants(s, project_id, date(2024, 2, 1))) == 1


def test_update_assistant_and_employment(db: Database, project_id: int) -> None:
    pos = _position_id(db, project_id, 6)
    with db.unit_of_work() as s:
        view = roster.hire(s, project_id, pos, JANA, START)
    assert view.employment is not None
    with db.unit_of_work() as s:
        roster.update_assistant(s, view.id, PersonData("Jana", "Dvořáková", phone="603221874"))
        roster.update_employment(s, view.employment.id, date(2023, 5, 1), None, "zkrácený úvazek")
    with db.unit_of_work() as s:
        again = roster.get_assistant(s, view.id, date(2024, 1, 1))
    assert (again.last_name, again.phone, again.birth_date) == ("Dvořáková", "603221874", None)
    assert again.employment is not None
    assert (again.employment.start_date, again.employment.note) == (
        date(2023, 5, 1),
        "zkrácený úvazek",
    )


def test_sample_fills_every_position(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        ids = populate_sample(s, project_id)
    with db.unit_of_work() as s:
        active = roster.active_assistants(s, project_id, date(2025, 1, 1))
        history = roster.employment_history(s, position_id=active[3].position_id)
    assert len(ids) == 10
    assert [a.position_number for a in active] == list(range(1, 10))
    assert len(history) == 2


def test_roster_lists_people_in_a_fixed_number_of_queries(db: Database, project_id: int) -> None:
    """No query per person or per employment (1,000 people: benchmarks/screens_large.py)."""
    with db.unit_of_work() as s:
        populate_sample(s, project_id)
    with db.unit_of_work() as s:
        s.connection()  # the transaction's own statements stay outside the count
        with counted(db.engine) as people_queries:
            people = roster.list_assistants(s, project_id, date(2025, 1, 1), include_archived=True)
        with counted(db.engine) as roster_queries:
            rows = roster.roster_rows(s, project_id, date(2025, 1, 1))
    assert len(people) == 10 and people[0].employment is not None
    assert [r.position_number for r in rows] == [*range(1, 10), None]
    assert len(people_queries) == 1
    assert len(roster_queries) == 2
