"""Row-level security on the real server (migration 0012): connected with a mentor's own login
role, even raw SQL reaches no row of another city's project, in any table, and writes none;
the mentor's own project works as usual. Table-driven over the models: a table added later
without a policy fails here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, create_engine, select, text, tuple_, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from apk_desktop.__main__ import main
from apk_desktop.db import access, migrate
from apk_desktop.db.models import Assistant, ProjectMember
from apk_desktop.db.models.assessments import Assessment, AssessmentScale
from apk_desktop.db.models.sessions import (
    EvidenceFile,
    ScanContent,
    SessionParticipant,
    TrainingSession,
)
from apk_desktop.db.open import open_database
from apk_desktop.db.seed import template_project
from apk_desktop.db.services import assessments, roster
from apk_desktop.db.services.assessments import AssessmentInput
from apk_desktop.db.services.project import get_project_info
from apk_desktop.db.services.setup import create_project
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.setup import ProjectSetup
from tests.backends import PostgresServer
from tests.row_security import (
    Cities,
    app_tables,
    owner_of,
    rows_by_project,
    two_cities,
    visible_keys,
)

pytestmark = pytest.mark.postgres_only("row-level security is PostgreSQL's")

INSUFFICIENT_PRIVILEGE = "42501"  # also what a row-level security violation raises
TABLES = {t.name: t for t in app_tables()}


@pytest.fixture(scope="module")
def cities(pg_server: PostgresServer) -> Iterator[Cities]:
    yield from two_cities(pg_server)


@pytest.fixture(scope="module")
def engines(cities: Cities) -> Iterator[dict[str, Engine]]:
    made = {
        "owner": create_engine(cities.owner_url),
        "a": create_engine(cities.a_url),
        "b": create_engine(cities.b_url),
    }
    yield made
    for engine in made.values():
        engine.dispose()


def _owned(engines: dict[str, Engine], table: str) -> dict[int, set[tuple[object, ...]]]:
    with engines["owner"].connect() as connection:
        return rows_by_project(connection, TABLES[table])


@pytest.mark.parametrize("table", sorted(TABLES))
def test_a_mentor_sees_only_its_own_projects_rows(
    cities: Cities, engines: dict[str, Engine], table: str
) -> None:
    owned = _owned(engines, table)
    a_rows, b_rows = owned.get(cities.a_project, set()), owned.get(cities.b_project, set())
    assert a_rows and b_rows, "both projects need rows here, or the check proves nothing"
    with engines["b"].connect() as connection:
        seen_by_b = visible_keys(connection, TABLES[table])
    with engines["a"].connect() as connection:
        seen_by_a = visible_keys(connection, TABLES[table])
    assert not seen_by_b & a_rows
    assert seen_by_b == b_rows
    assert seen_by_a == a_rows


@pytest.mark.parametrize("table", sorted(TABLES))
def test_updates_and_deletes_of_another_projects_rows_touch_nothing(
    cities: Cities, engines: dict[str, Engine], table: str
) -> None:
    t = TABLES[table]
    a_rows = _owned(engines, table)[cities.a_project]
    key = tuple_(*t.primary_key.columns)
    column = next(iter(c for c in t.columns if not c.primary_key), t.primary_key.columns[0])
    statements = (
        update(t).where(key.in_(a_rows)).values({column.name: column}),
        t.delete().where(key.in_(a_rows)),
    )
    with engines["b"].connect() as connection:
        for statement in statements:
            with connection.begin_nested() if connection.in_transaction() else connection.begin():
                if table == ProjectMember.__tablename__:  # not even its own rows
                    with pytest.raises(DBAPIError) as denied:
                        connection.execute(statement)
                    assert denied.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE  # type: ignore[union-attr]
                    continue
                assert connection.execute(statement).rowcount == 0
    assert _owned(engines, table)[cities.a_project] == a_rows


def _one(connection: Connection, model: type, project_id: int) -> int:
    """The id of a row of ``model`` in project ``project_id`` (as the owner sees it)."""
    table = model.__table__  # type: ignore[attr-defined]
    for *key, project in connection.execute(owner_of(table)):
        if project == project_id:
            return int(key[0])
    raise AssertionError(f"no {table.name} in project {project_id}")


def _into_a(cities: Cities, engines: dict[str, Engine]) -> dict[str, object]:
    with engines["owner"].connect() as connection:
        a, b = cities.a_project, cities.b_project
        a_assistant = _one(connection, Assistant, a)
        return {
            "assistant": Assistant(project_id=a, first_name="Cizí", last_name="Asistent"),
            "assessment": Assessment(
                assistant_id=a_assistant,
                assessed_on=date(2025, 5, 1),
                kind="interim",
                assessor="B",
                method="pozorování",
                scale_id=_one(connection, AssessmentScale, b),
            ),
            "session_participant": SessionParticipant(
                session_id=_one(connection, TrainingSession, a),
                assistant_id=_one(connection, Assistant, b),
            ),
            "scan_content": ScanContent(
                evidence_id=_one(connection, EvidenceFile, a), data=b"%PDF-1.4 foreign"
            ),
            "project_member": ProjectMember(project_id=a, role_name=cities.b_role),
        }


@pytest.mark.parametrize(
    "row", ["assistant", "assessment", "session_participant", "scan_content", "project_member"]
)
def test_a_mentor_cannot_write_rows_into_another_project(
    cities: Cities, engines: dict[str, Engine], row: str
) -> None:
    with Session(engines["b"]) as session, pytest.raises(DBAPIError) as refused:
        session.add(_into_a(cities, engines)[row])
        session.flush()
    assert refused.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE  # type: ignore[union-attr]


def test_a_temporary_table_cannot_stand_in_for_the_memberships(
    cities: Cities, engines: dict[str, Engine]
) -> None:
    with engines["b"].connect() as connection:
        connection.execute(
            text("CREATE TEMP TABLE project_member (project_id int, role_name text)")
        )
        connection.execute(
            text("INSERT INTO pg_temp.project_member VALUES (:p, session_user)"),
            {"p": cities.a_project},
        )
        connection.execute(text("SET search_path = pg_temp, public"))
        seen = connection.scalars(text("SELECT id FROM public.project")).all()
        assistants = connection.scalar(
            text("SELECT count(*) FROM public.assistant WHERE project_id = :p"),
            {"p": cities.a_project},
        )
    assert seen == [cities.b_project] and assistants == 0


def test_set_role_does_not_change_what_a_connection_sees(
    cities: Cities, engines: dict[str, Engine]
) -> None:
    """The key is the role that logged in: a role B may act as does not see for it."""
    helper = cities.new_role("helper")
    cities.server.execute(f'GRANT "{helper}" TO "{cities.b_role}"')
    with engines["owner"].begin() as connection:
        access.grant_privileges(connection, helper)
        connection.execute(
            ProjectMember.__table__.insert().values(project_id=cities.a_project, role_name=helper)
        )
    try:
        with engines["b"].connect() as connection:
            connection.execute(text(f'SET ROLE "{helper}"'))
            seen = connection.scalars(text("SELECT id FROM project")).all()
            connection.execute(text("RESET ROLE"))
    finally:
        cities.server.execute(f'REVOKE "{helper}" FROM "{cities.b_role}"')
    assert seen == [cities.b_project]


def test_the_owner_sees_every_project(cities: Cities, engines: dict[str, Engine]) -> None:
    with engines["owner"].connect() as connection:
        seen = set(connection.scalars(text("SELECT id FROM project")))
    assert {cities.a_project, cities.b_project} <= seen


def test_a_mentor_works_on_its_own_project_with_the_app(
    cities: Cities, engines: dict[str, Engine]
) -> None:
    day = date(2025, 6, 2)
    db = open_database(cities.b_url)
    try:
        with db.unit_of_work() as session:
            created = roster.create_assistant(
                session, cities.b_project, PersonData("Nová", "Asistentka")
            )
            person = roster.active_assistants(session, cities.b_project, day)[0]
            roster.update_assistant(
                session, person.assistant_id, PersonData("Upravené", "Jméno"), seen_version=1
            )
            scale = assessments.default_scale(session, cities.b_project)
            areas = get_project_info(session, cities.b_project).areas
            made = assessments.create_assessment(
                session,
                cities.b_project,
                AssessmentInput(
                    assistant_id=person.assistant_id,
                    assessed_on=day,
                    kind="interim",
                    assessor="Mentor B",
                    method="pozorování",
                    scale_id=scale.id,
                    levels={area.id: 4 for area in areas},
                ),
            )
        with db.unit_of_work() as session:
            assert assessments.get_assessment(session, made.id).assistant_id == person.assistant_id
    finally:
        db.dispose()
    with engines["owner"].connect() as connection:  # stored, in B's project
        stored = connection.execute(
            select(Assistant.project_id, Assistant.first_name).where(
                Assistant.id.in_([created.id, person.assistant_id])
            )
        ).all()
    assert sorted(stored) == [(cities.b_project, "Nová"), (cities.b_project, "Upravené")]


def test_a_mentor_creates_a_project_and_becomes_its_member(
    cities: Cities, engines: dict[str, Engine]
) -> None:
    role = cities.new_role("novy")
    db = open_database(cities.owner_url)
    try:
        access.grant_access(db, role, None)
    finally:
        db.dispose()
    url = cities.url_as(role)
    mentor = open_database(url)
    try:
        with mentor.unit_of_work() as session:  # INSERT … RETURNING under row security
            info = create_project(session, ProjectSetup(template_project()))
        with mentor.unit_of_work() as session:
            names = session.scalars(select(ProjectMember.role_name)).all()
            projects = session.scalars(text("SELECT id FROM project")).all()
    finally:
        mentor.dispose()
    assert names == [role] and projects == [info.id]
    owner = open_database(cities.owner_url)
    try:
        assert (role, info.id) in {(m.role_name, m.project_id) for m in access.list_access(owner)}
    finally:
        owner.dispose()


def _cli(url: str, command: str, role: str, project: int) -> int:
    return main(["--db", url, command, role, "--project", str(project)])


def test_grant_and_revoke_access_to_a_project(cities: Cities) -> None:
    role = cities.new_role("zastup")
    owner = open_database(cities.owner_url)
    mentor_url = cities.url_as(role)
    try:
        assert _cli(cities.owner_url, "grant-access", role, cities.a_project) == 0
        engine = create_engine(mentor_url)
        try:
            with engine.connect() as connection:
                assert connection.scalars(text("SELECT id FROM project")).all() == [
                    cities.a_project
                ]
            assert _cli(cities.owner_url, "revoke-access", role, cities.a_project) == 0
            with engine.connect() as connection, pytest.raises(DBAPIError) as denied:
                connection.execute(text("SELECT id FROM project"))
            assert denied.value.orig.sqlstate == INSUFFICIENT_PRIVILEGE  # type: ignore[union-attr]
        finally:
            engine.dispose()
    finally:
        owner.dispose()


def test_only_the_owner_grants_access(cities: Cities, capsys: pytest.CaptureFixture[str]) -> None:
    code = _cli(cities.b_url, "grant-access", cities.b_role, cities.a_project)
    assert code == 1
    err = capsys.readouterr().err
    assert "přiděluje jen vlastník" in err and "Traceback" not in err


def test_a_migration_grants_again_to_every_member(
    cities: Cities, engines: dict[str, Engine]
) -> None:
    """A table added by a later migration reaches the mentors without a new grant-access."""
    with engines["owner"].begin() as connection:
        connection.execute(text(f'REVOKE ALL ON printed_cell FROM "{cities.b_role}"'))
    migrate.upgrade(engines["owner"])
    with engines["b"].connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM printed_cell")) > 0
