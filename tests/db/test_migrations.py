"""Shared migration tests: upgrades keep data, the migrated schema matches the models, seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from apk_desktop.db import migrate
from apk_desktop.db.base import Base
from apk_desktop.db.database import Database, make_engine
from apk_desktop.db.models import EducationArea, KeyActivity, Position, Project
from apk_desktop.db.open import open_database
from tests.backends import TestDatabases

# Rows for every table that exists at revision 0001 (plain SQL: the models may have moved on).
ROWS_AT_0001 = {
    "project": """INSERT INTO project (id, name, registration_number, beneficiary, programme,
        method, period_start, period_end, total_cost, eu_contribution, national_sources,
        own_financing, mentor_name, position_count, logo_path, is_current)
        VALUES (1, 'P', 'CZ.03.02.01/00/22_018/0000388', 'město', '', '', '2023-04-01',
        '2026-03-31', 100, 80, 10, 10, '', 9, '', TRUE)""",
    "education_area": """INSERT INTO education_area (id, project_id, code, label, sort_order)
        VALUES (1, 1, 'FIN', 'Finanční gramotnost', 0)""",
    "key_activity": """INSERT INTO key_activity (id, project_id, code, label, description)
        VALUES (1, 1, 'KA01', 'Výběr', '')""",
    "position": "INSERT INTO position (id, project_id, number) VALUES (1, 1, 1)",
    "assistant": """INSERT INTO assistant (id, project_id, first_name, last_name, birth_date,
        phone, email, note, archived_at) VALUES (1, 1, 'Jana', 'Nováková', NULL, '', '', '',
        NULL)""",
    "employment": """INSERT INTO employment (id, assistant_id, position_id, start_date,
        end_date, note) VALUES (1, 1, 1, '2023-04-01', NULL, '')""",
}


def test_upgrade_from_0001_keeps_every_row(databases: TestDatabases) -> None:
    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as connection:
            for statement in ROWS_AT_0001.values():
                connection.execute(text(statement))
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            for table in ROWS_AT_0001:
                count = connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar()
                assert count == 1, table
            name = connection.execute(text("SELECT last_name FROM assistant")).scalar()
        assert name == "Nováková"
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)


def test_seed_creates_project_areas_activities_positions(db: Database) -> None:
    with db.unit_of_work() as session:

        def count(model: type[Project | EducationArea | KeyActivity | Position]) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        assert count(Project) == 1
        assert count(EducationArea) == 5
        assert count(KeyActivity) == 5
        assert count(Position) == 9
        numbers = session.scalars(select(Position.number).order_by(Position.number)).all()
    assert list(numbers) == list(range(1, 10))


# Rows of the plan tables added by revision 0002 (on top of ROWS_AT_0001).
ROWS_AT_0002 = {
    "plan": """INSERT INTO plan (id, assistant_id, root_id, previous_id, version, period_start,
        period_end, mentor_name, police_head_name, include_police_head, note, final_evaluation,
        signed_on, created_at) VALUES (1, 1, NULL, NULL, 1, '2023-04-01', '2024-03-31', 'M', '',
        FALSE, '', '', '2023-04-08', '2023-04-01 10:00:00.000000')""",
    "plan_goal": """INSERT INTO plan_goal (id, plan_id, area_id, goals, activities,
        activity_detail, responsible, deadline, success_measure, status) VALUES (1, 1, 1,
        'Umí sestavit rozpočet.', 'training,practice', '', 'M', '2024-03-01', '', 'planned')""",
    "plan_review": """INSERT INTO plan_review (id, plan_id, goal_id, review_date, status, note)
        VALUES (1, 1, 1, '2023-10-01', 'partly_met', 'Průběžně.')""",
}


def test_upgrade_from_0002_keeps_plan_rows(databases: TestDatabases) -> None:
    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine, "0002")
        with engine.begin() as connection:
            for statement in (*ROWS_AT_0001.values(), *ROWS_AT_0002.values()):
                connection.execute(text(statement))
        migrate.upgrade(engine)
        with engine.connect() as connection:
            for table in (*ROWS_AT_0001, *ROWS_AT_0002):
                count = connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar()
                assert count == 1, table
            goal = connection.execute(text("SELECT goals FROM plan_goal")).scalar()
        assert goal == "Umí sestavit rozpočet."
    finally:
        engine.dispose()


def test_sessions_migration_downgrades_and_upgrades_again(databases: TestDatabases) -> None:
    from alembic import command

    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine)
        config = migrate._config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
            connection.commit()
        tables = set(inspect(engine).get_table_names())
        assert not tables & {"training_session", "session_participant", "evidence_file"}
        migrate.upgrade(engine)
        assert "training_session" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_head_constant_matches_the_scripts() -> None:
    assert migrate.head_revision() == migrate.HEAD


def test_open_skips_alembic_on_an_up_to_date_database(
    databases: TestDatabases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.empty()
    open_database(url).dispose()

    def fail(*_args: object) -> None:
        raise AssertionError("alembic should not run")

    monkeypatch.setattr(migrate, "upgrade", fail)
    db = open_database(url)
    assert migrate.stored_revision(db.engine) == migrate.HEAD
    db.dispose()


REBUILD_REVISION = '''
"""A test-only revision that rebuilds the parent tables, as a future column change would."""
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("project", "assistant", "position"):
        with op.batch_alter_table(table, recreate="always"):
            pass


def downgrade() -> None:
    pass
'''


@pytest.mark.sqlite_only(reason="SQLite batch mode rebuilds tables, PostgreSQL alters them")
def test_table_rebuild_in_a_migration_keeps_child_rows(tmp_path: Path) -> None:
    """SQLite batch mode drops and re-creates a table; with foreign keys on, dropping
    ``project`` would cascade-delete every assistant. The migration environment switches them
    off around the rebuild (and on again afterwards)."""
    import shutil

    from alembic import command

    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_rebuild.py").write_text(
        REBUILD_REVISION.replace("{head}", migrate.HEAD), encoding="utf-8"
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'rebuild.sqlite3'}")
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as connection:
            for statement in ROWS_AT_0001.values():
                connection.execute(text(statement))
        config = migrate._config()
        config.set_main_option("script_location", str(scripts))
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                "9001"
            )
            for table in ROWS_AT_0001:
                count = connection.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar()
                assert count == 1, table
    finally:
        engine.dispose()


def test_every_revision_downgrades_to_nothing_and_upgrades_again(databases: TestDatabases) -> None:
    """All the way down and up on the backend of the run (batch mode on SQLite, plain ALTERs,
    server defaults and the SQL functions of 0009 on PostgreSQL)."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine)
        config = migrate._config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
            connection.commit()
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            if engine.dialect.name == "postgresql":  # the functions are back too
                assert connection.scalar(text("SELECT czech_fold('Řehoř')")) == "rehor"
    finally:
        engine.dispose()
