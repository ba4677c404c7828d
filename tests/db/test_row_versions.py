"""Optimistic locking: two PCs (two ``Database`` objects on one database) open the same record;
the first save wins, the second is refused with StaleRecordError and writes nothing of itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from apk_desktop.db import migrate
from apk_desktop.db.database import Database, make_engine
from apk_desktop.db.models import Assistant
from apk_desktop.db.services import assessments, attendance, plans, roster, sessions
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.errors import ConflictError, StaleRecordError
from apk_desktop.domain.plans import GoalData
from apk_desktop.domain.project import ProjectData
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.sessions import Attendance, AttendanceEntry
from tests.db.records_helpers import ON, World, assessment_input, make_world


@pytest.fixture
def world(db: Database, project_id: int) -> World:
    return make_world(db, project_id)


@pytest.fixture
def other_pc(db: Database) -> Iterator[Database]:
    """A second app instance on the same database (another PC, another window)."""
    database = Database(db.url)
    yield database
    database.dispose()


# ---- the kinds of records a form edits ---------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """How a form opens a record (the version it shows), saves a value into it, and what
    is stored."""

    name: str
    seen: Callable[[Session, World], int]
    save: Callable[[Session, World, int, str], object]  # (world, seen version, value)
    stored: Callable[[Session, World], str]

    def __str__(self) -> str:
        return self.name


def _project_data(s: Session, w: World) -> ProjectData:
    info = project_service.get_project_info(s, w.project)
    return ProjectData(**{f: getattr(info, f) for f in ProjectData.__dataclass_fields__})


def _project_version(s: Session, w: World) -> int:
    return project_service.get_project_info(s, w.project).row_version


def _assistant(s: Session, w: World) -> roster.AssistantView:
    return roster.get_assistant(s, w.assistant, ON)


def _employment(s: Session, w: World) -> roster.EmploymentView:
    employment = _assistant(s, w).employment
    assert employment is not None
    return employment


def _goal(s: Session, w: World) -> plans.GoalView:
    return next(g for g in plans.get_plan(s, w.plan).goals if g.id == w.goal)


def _review(s: Session, w: World) -> plans.ReviewView:
    return next(r for r in plans.get_plan(s, w.plan).reviews if r.id == w.review)


def _participant_note(s: Session, w: World) -> str:
    view = sessions.get_session(s, w.session)
    return next(p.note for p in view.participants if p.assistant_id == w.assistant)


def _save_assessment(s: Session, w: World, seen: int, value: str) -> object:
    view = assessments.get_assessment(s, w.assessment)
    data = assessment_input(view.assistant_id, view.scale_id, dict(view.levels), value)
    return assessments.update_assessment(s, w.project, w.assessment, data, seen_version=seen)


KINDS = [
    Kind(
        "project settings",
        _project_version,
        lambda s, w, seen, value: project_service.update_project(
            s, w.project, replace(_project_data(s, w), mentor_name=value), seen_version=seen
        ),
        lambda s, w: project_service.get_project_info(s, w.project).mentor_name,
    ),
    Kind(
        "education area",
        _project_version,
        lambda s, w, seen, value: project_service.update_area_labels(
            s, w.project, {w.area: value}, seen_version=seen
        ),
        lambda s, w: project_service.get_project_info(s, w.project).area("COMM").label,
    ),
    Kind(
        "assistant",
        lambda s, w: _assistant(s, w).row_version,
        lambda s, w, seen, value: roster.update_assistant(
            s, w.assistant, PersonData("Jana", "Nováková", note=value), seen_version=seen
        ),
        lambda s, w: _assistant(s, w).note,
    ),
    Kind(
        "employment",
        lambda s, w: _employment(s, w).row_version,
        lambda s, w, seen, value: roster.update_employment(
            s, w.employment, date(2023, 4, 1), None, value, seen_version=seen
        ),
        lambda s, w: _employment(s, w).note,
    ),
    Kind(
        "plan",
        lambda s, w: plans.get_plan(s, w.plan).row_version,
        lambda s, w, seen, value: plans.update_plan(
            s, w.plan, replace(plans.get_plan(s, w.plan).data(), note=value), seen_version=seen
        ),
        lambda s, w: plans.get_plan(s, w.plan).note,
    ),
    Kind(
        "final evaluation",
        lambda s, w: plans.get_plan(s, w.plan).row_version,
        lambda s, w, seen, value: plans.set_final_evaluation(s, w.plan, value, seen_version=seen),
        lambda s, w: plans.get_plan(s, w.plan).final_evaluation,
    ),
    Kind(
        "goal",
        lambda s, w: _goal(s, w).row_version,
        lambda s, w, seen, value: plans.update_goal(
            s, w.goal, replace(_goal(s, w).data(), goals=value), seen_version=seen
        ),
        lambda s, w: _goal(s, w).goals,
    ),
    Kind(
        "review",
        lambda s, w: _review(s, w).row_version,
        lambda s, w, seen, value: plans.update_review(
            s, w.review, replace(_review(s, w).data(), note=value), seen_version=seen
        ),
        lambda s, w: _review(s, w).note,
    ),
    Kind(
        "assessment",
        lambda s, w: assessments.get_assessment(s, w.assessment).row_version,
        _save_assessment,
        lambda s, w: assessments.get_assessment(s, w.assessment).note,
    ),
    Kind(
        "session",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w, seen, value: sessions.update_session(
            s,
            w.session,
            replace(sessions.get_session(s, w.session).to_data(), topic=value),
            seen_version=seen,
        ),
        lambda s, w: sessions.get_session(s, w.session).topic,
    ),
    Kind(
        "attendance",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w, seen, value: attendance.record_attendance(
            s,
            w.session,
            [AttendanceEntry(w.assistant, Attendance.PRESENT, None, value)],
            seen_version=seen,
        ),
        _participant_note,
    ),
]


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_second_of_two_saves_is_refused_and_writes_nothing(
    db: Database, other_pc: Database, world: World, kind: Kind
) -> None:
    with db.unit_of_work() as s:
        first_seen = kind.seen(s, world)
    with other_pc.unit_of_work() as s:
        second_seen = kind.seen(s, world)
    assert first_seen == second_seen
    with db.unit_of_work() as s:
        kind.save(s, world, first_seen, "Uložil první počítač")
    stale = pytest.raises(StaleRecordError, match=r"^Záznam mezitím změnil někdo jiný\.$")
    with stale, other_pc.unit_of_work() as s:
        kind.save(s, world, second_seen, "Uložil druhý počítač")
    with other_pc.unit_of_work() as s:
        assert kind.stored(s, world) == "Uložil první počítač"
        fresh = kind.seen(s, world)
    assert fresh > first_seen
    with other_pc.unit_of_work() as s:  # loaded again, the second PC may save
        kind.save(s, world, fresh, "Uložil druhý počítač")
    with db.unit_of_work() as s:
        assert kind.stored(s, world) == "Uložil druhý počítač"


def test_a_stale_error_is_a_conflict_with_the_czech_message() -> None:
    error = StaleRecordError()
    assert isinstance(error, ConflictError)
    assert error.message == "Záznam mezitím změnil někdo jiný."


# ---- a change of a part is a change of the record ----------------------------------------------


@dataclass(frozen=True)
class Part:
    """A change of a record's part (made on the first PC) that a form of the whole record,
    opened before it on the second PC, must not overwrite."""

    name: str
    seen: Callable[[Session, World], int]
    change_part: Callable[[Session, World], object]
    save_whole: Callable[[Session, World, int], object]

    def __str__(self) -> str:
        return self.name


def _new_levels(s: Session, w: World) -> object:
    view = assessments.get_assessment(s, w.assessment)
    levels = {area: level + 1 for area, level in view.levels.items()}
    data = assessment_input(view.assistant_id, view.scale_id, levels, view.note)
    return assessments.update_assessment(s, w.project, w.assessment, data)


PARTS = [
    Part(
        "an area renamed, then the project's facts",
        _project_version,
        lambda s, w: project_service.update_area_labels(s, w.project, {w.area: "Komunikace"}),
        lambda s, w, seen: project_service.update_project(
            s, w.project, _project_data(s, w), seen_version=seen
        ),
    ),
    Part(
        "attendance recorded, then the session form",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w: attendance.record_attendance(
            s, w.session, [AttendanceEntry(w.assistant, Attendance.ABSENT)]
        ),
        lambda s, w, seen: sessions.update_session(
            s, w.session, sessions.get_session(s, w.session).to_data(), seen_version=seen
        ),
    ),
    Part(
        "only a participant's note, then the session form",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w: attendance.record_attendance(
            s, w.session, [AttendanceEntry(w.assistant, None, None, "přijde později")]
        ),
        lambda s, w, seen: sessions.update_session(
            s, w.session, sessions.get_session(s, w.session).to_data(), seen_version=seen
        ),
    ),
    Part(
        "a participant removed, then the attendance form",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w: sessions.update_session(
            s,
            w.session,
            replace(sessions.get_session(s, w.session).to_data(), participant_ids=(w.assistant,)),
        ),
        lambda s, w, seen: attendance.record_attendance(
            s, w.session, [AttendanceEntry(w.assistant, Attendance.PRESENT)], seen_version=seen
        ),
    ),
    Part(
        "levels changed, then the assessment form",
        lambda s, w: assessments.get_assessment(s, w.assessment).row_version,
        _new_levels,
        lambda s, w, seen: _save_assessment(s, w, seen, "poznámka"),
    ),
    Part(
        "a goal changed, then the plan signed",
        lambda s, w: plans.get_plan(s, w.plan).row_version,
        lambda s, w: plans.update_goal(s, w.goal, replace(_goal(s, w).data(), goals="Jiný cíl.")),
        lambda s, w, seen: plans.mark_signed(s, w.plan, date(2023, 5, 1), seen_version=seen),
    ),
    Part(
        "a goal added, then the plan's data",
        lambda s, w: plans.get_plan(s, w.plan).row_version,
        lambda s, w: plans.add_goal(s, w.plan, GoalData(w.area, "Naslouchá.")),
        lambda s, w, seen: plans.update_plan(
            s, w.plan, plans.get_plan(s, w.plan).data(), seen_version=seen
        ),
    ),
]


@pytest.mark.parametrize("part", PARTS, ids=str)
def test_a_change_of_a_part_counts_as_a_change_of_the_record(
    db: Database, other_pc: Database, world: World, part: Part
) -> None:
    with other_pc.unit_of_work() as s:
        seen = part.seen(s, world)
    with db.unit_of_work() as s:
        part.change_part(s, world)
    with pytest.raises(StaleRecordError), other_pc.unit_of_work() as s:
        part.save_whole(s, world, seen)


# ---- deletes, archives and other actions on a record changed meanwhile ---------------------------


@dataclass(frozen=True)
class Removal:
    """An action on a record picked in a list (delete, archive, end, replace, sign) after
    another PC changed the record: refused, the record stays as the other PC left it."""

    name: str
    seen: Callable[[Session, World], int]
    change: Callable[[Session, World], object]
    act: Callable[[Session, World, int], object]
    untouched: Callable[[Session, World], bool]

    def __str__(self) -> str:
        return self.name


def _loose(s: Session, w: World) -> Assistant:
    person = s.get(Assistant, w.loose)
    assert person is not None
    return person


REMOVALS = [
    Removal(
        "archive an assistant",
        lambda s, w: roster.get_assistant(s, w.loose, ON).row_version,
        lambda s, w: roster.update_assistant(s, w.loose, PersonData("Karel", "Volný", note="x")),
        lambda s, w, seen: roster.archive_assistant(s, w.loose, ON, seen_version=seen),
        lambda s, w: _loose(s, w).archived_at is None,
    ),
    Removal(
        "end an employment",
        lambda s, w: _employment(s, w).row_version,
        lambda s, w: roster.update_employment(s, w.employment, date(2023, 4, 1), None, "x"),
        lambda s, w, seen: roster.end_employment(
            s, w.employment, date(2024, 6, 30), seen_version=seen
        ),
        lambda s, w: _employment(s, w).end_date is None,
    ),
    Removal(
        "replace an assistant",
        lambda s, w: _employment(s, w).row_version,
        lambda s, w: roster.update_employment(s, w.employment, date(2023, 4, 1), None, "x"),
        lambda s, w, seen: roster.replace_assistant(
            s,
            w.position,
            date(2024, 6, 30),
            PersonData("Nová", "Asistentka"),
            date(2024, 7, 1),
            seen_employment=(w.employment, seen),
        ),
        lambda s, w: _employment(s, w).end_date is None,
    ),
    Removal(
        "delete an assessment",
        lambda s, w: assessments.get_assessment(s, w.assessment).row_version,
        lambda s, w: _save_assessment(
            s, w, assessments.get_assessment(s, w.assessment).row_version, "x"
        ),
        lambda s, w, seen: assessments.delete_assessment(s, w.assessment, seen_version=seen),
        lambda s, w: assessments.get_assessment(s, w.assessment).note == "x",
    ),
    Removal(
        "archive a session",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w: sessions.update_session(
            s, w.session, replace(sessions.get_session(s, w.session).to_data(), topic="x")
        ),
        lambda s, w, seen: sessions.archive_session(s, w.session, seen_version=seen),
        lambda s, w: not sessions.get_session(s, w.session).archived,
    ),
    Removal(
        "delete a session",
        lambda s, w: sessions.get_session(s, w.session).row_version,
        lambda s, w: sessions.update_session(
            s, w.session, replace(sessions.get_session(s, w.session).to_data(), topic="x")
        ),
        lambda s, w, seen: sessions.delete_session(s, w.session, seen_version=seen),
        lambda s, w: sessions.get_session(s, w.session).topic == "x",
    ),
    Removal(
        "remove a goal",
        lambda s, w: _goal(s, w).row_version,
        lambda s, w: plans.update_goal(s, w.goal, replace(_goal(s, w).data(), goals="x")),
        lambda s, w, seen: plans.remove_goal(s, w.goal, seen_version=seen),
        lambda s, w: _goal(s, w).goals == "x",
    ),
    Removal(
        "remove a review",
        lambda s, w: _review(s, w).row_version,
        lambda s, w: plans.update_review(s, w.review, replace(_review(s, w).data(), note="x")),
        lambda s, w, seen: plans.remove_review(s, w.review, seen_version=seen),
        lambda s, w: _review(s, w).note == "x",
    ),
    Removal(
        "delete a draft plan",
        lambda s, w: plans.get_plan(s, w.plan).row_version,
        lambda s, w: plans.set_final_evaluation(s, w.plan, "x"),
        lambda s, w, seen: plans.delete_draft(s, w.plan, seen_version=seen),
        lambda s, w: plans.get_plan(s, w.plan).final_evaluation == "x",
    ),
    Removal(
        "sign a plan",
        lambda s, w: plans.get_plan(s, w.plan).row_version,
        lambda s, w: plans.set_final_evaluation(s, w.plan, "x"),
        lambda s, w, seen: plans.mark_signed(s, w.plan, date(2023, 5, 1), seen_version=seen),
        lambda s, w: not plans.get_plan(s, w.plan).signed,
    ),
]


@pytest.mark.parametrize("removal", REMOVALS, ids=str)
def test_an_action_on_a_record_changed_meanwhile_is_refused(
    db: Database, other_pc: Database, world: World, removal: Removal
) -> None:
    with other_pc.unit_of_work() as s:
        seen = removal.seen(s, world)
    with db.unit_of_work() as s:
        removal.change(s, world)
    with pytest.raises(StaleRecordError), other_pc.unit_of_work() as s:
        removal.act(s, world, seen)
    with db.unit_of_work() as s:
        assert removal.untouched(s, world)
    with other_pc.unit_of_work() as s:
        removal.act(s, world, removal.seen(s, world))  # read again, it goes through
    with db.unit_of_work() as s:
        assert not _still(s, world, removal)


def _still(s: Session, w: World, removal: Removal) -> bool:
    try:
        return removal.untouched(s, w)
    except Exception:  # the record is gone
        return False


# ---- the version counter itself ----------------------------------------------------------------


def test_a_change_between_reading_and_writing_is_caught_by_the_update(
    db: Database, other_pc: Database, world: World
) -> None:
    """No form involved: the second PC reads the row, the first PC commits a change, then the
    second PC's UPDATE (… WHERE row_version = <read>) matches nothing."""
    with pytest.raises(StaleRecordError), other_pc.unit_of_work() as s:
        person = s.get(Assistant, world.assistant)
        assert person is not None
        with db.unit_of_work() as first:
            roster.update_assistant(first, world.assistant, PersonData("Jana", "První"))
        person.last_name = "Druhá"
        s.flush()
    with db.unit_of_work() as s:
        assert roster.get_assistant(s, world.assistant, ON).last_name == "První"


def test_a_stale_part_of_a_save_rolls_back_the_whole_save(
    db: Database, other_pc: Database, world: World
) -> None:
    """The assistant dialog saves the person and their employment in one unit of work: when
    the employment is stale, the person's new details are not stored either."""
    with other_pc.unit_of_work() as s:
        shown = _assistant(s, world)
        assert shown.employment is not None
    with db.unit_of_work() as s:
        roster.update_employment(s, world.employment, date(2023, 4, 1), None, "první")
    with pytest.raises(StaleRecordError), other_pc.unit_of_work() as s:
        roster.update_assistant(
            s,
            world.assistant,
            PersonData("Jana", "Přejmenovaná"),
            seen_version=shown.row_version,
        )
        roster.update_employment(
            s,
            world.employment,
            date(2023, 4, 1),
            None,
            "druhý",
            seen_version=shown.employment.row_version,
        )
    with db.unit_of_work() as s:
        assert _assistant(s, world).last_name == "Nováková"
        assert _employment(s, world).note == "první"


def test_every_edited_record_starts_at_version_one(db: Database, world: World) -> None:
    with db.unit_of_work() as s:
        assert roster.get_assistant(s, world.loose, ON).row_version == 1
        assert assessments.get_assessment(s, world.assessment).row_version == 1
        assert sessions.get_session(s, world.session).row_version == 1


# ---- the migration -----------------------------------------------------------------------------

VERSIONED = (
    "project",
    "assistant",
    "employment",
    "plan",
    "plan_goal",
    "plan_review",
    "assessment",
    "training_session",
)


def test_migration_0010_gives_existing_rows_version_1_and_downgrades(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'versions.sqlite3'}")
    try:
        migrate.upgrade(engine, "0009")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO project (id, name, registration_number, beneficiary, programme, "
                    "method, period_start, period_end, total_cost, eu_contribution, "
                    "national_sources, own_financing, mentor_name, position_count, logo_path, "
                    "is_current, is_demo) VALUES (1, 'P', 'R', 'B', '', '', '2023-04-01', "
                    "'2026-03-31', 0, 0, 0, 0, '', 9, '', 1, 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO assistant (id, project_id, first_name, last_name, phone, email, "
                    "note) VALUES (1, 1, 'Jana', 'Nováková', '', '', '')"
                )
            )
        migrate.upgrade(engine, "0010")
        with engine.connect() as connection:
            for table in ("project", "assistant"):
                version = connection.execute(text(f"SELECT row_version FROM {table}")).scalar()
                assert version == 1, table
        for table in VERSIONED:
            assert "row_version" in {c["name"] for c in inspect(engine).get_columns(table)}
        config = migrate._config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0009")
            connection.commit()
        for table in VERSIONED:
            assert "row_version" not in {c["name"] for c in inspect(engine).get_columns(table)}
        with engine.connect() as connection:
            names = connection.execute(select(text("last_name")).select_from(text("assistant")))
            assert names.scalars().all() == ["Nováková"]
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.HEAD
    finally:
        engine.dispose()
