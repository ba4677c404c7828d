"""Two cities on one PostgreSQL server (for the row-level security tests): a database owned by
an ordinary role (no superuser), and two mentors' login roles, each having created and filled a
project of its own through the app's services, with a row in every table of the app.

Who owns a row is worked out here from the models' foreign keys (a row's first required
reference, up to a table with ``project_id``), independently of the policies under test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import Connection, Table, make_url, select
from sqlalchemy.sql import Select

from apk_desktop import printing
from apk_desktop.db import access
from apk_desktop.db.base import Base
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.open import open_database
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import sessions as session_service
from apk_desktop.domain.recurrence import Frequency, RecurrenceRule
from apk_desktop.domain.sessions import HourUnit, SessionData, SessionKind
from apk_desktop.domain.sheet_refs import SessionSheetRef
from tests.backends import PostgresServer

PASSWORD = "heslo"
TODAY = date(2025, 6, 1)
_NUMBERS = itertools.count(1)

Key = tuple[Any, ...]


@dataclass
class Cities:
    owner_url: str
    a_url: str  # mentor of city A
    b_url: str  # mentor of city B
    a_role: str
    b_role: str
    a_project: int
    b_project: int
    server: PostgresServer
    roles: list[str]

    def url_as(self, role: str) -> str:
        return make_url(self.owner_url).set(username=role).render_as_string(False)

    def new_role(self, name: str) -> str:
        """A login role dropped with the cities."""
        role = f"{make_url(self.owner_url).username}_{name}"
        self.server.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'")
        self.roles.append(role)
        return role


def owner_of(table: Table) -> Select[Any]:
    """(primary key …, project id) of every row of ``table``."""
    joined: Any = table
    current = table
    while current.name != "project" and "project_id" not in current.c:
        fk = next(
            fk
            for column in current.columns
            for fk in column.foreign_keys
            if fk.column.table is not current and not column.nullable
        )
        joined = joined.join(fk.column.table, fk.parent == fk.column)
        current = fk.column.table
    project = current.c.id if current.name == "project" else current.c.project_id
    return select(*table.primary_key.columns, project).select_from(joined)


def rows_by_project(connection: Connection, table: Table) -> dict[int, set[Key]]:
    found: dict[int, set[Key]] = {}
    for *key, project in connection.execute(owner_of(table)):
        found.setdefault(project, set()).add(tuple(key))
    return found


def visible_keys(connection: Connection, table: Table) -> set[Key]:
    return {tuple(row) for row in connection.execute(select(*table.primary_key.columns))}


def app_tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _fill(url: str) -> int:
    """As the mentor of ``url``: a project of its own (the demo year), a recurring series and a
    printed attendance sheet, so every table holds a row of it. Returns the project's id."""
    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            info = populate_demo(session, TODAY)
            mentor_series = SessionData(
                kind=SessionKind.MENTOR_TRAINING,
                date=None,
                time_from=time(19, 0),
                time_to=time(20, 0),
                hours=None,
                hour_unit=HourUnit.CLOCK,
                place="Městský úřad",
                lecturer="Mgr. Eva Horká",
                topic="Supervize mentora",
                area_ids=(info.areas[0].id,),
            )
            rule = RecurrenceRule(Frequency.MONTHLY, start=TODAY, until=date(2025, 8, 31))
            session_service.create_series(session, info.id, mentor_series, rule)
            printed = next(
                row.id
                for row in session_service.list_sessions(session, info.id)
                if row.kind is SessionKind.TRAINING and row.participant_count
            )
            project_service.update_project(
                session,
                info.id,
                _renamed(project_service.get_project_info(session, info.id), url),
            )
        document = printing.make_document(
            db, printing.job_for(SessionSheetRef("PL", printed), info.id)
        )
        printing.record_printed(db, info.id, document.layouts, document.pdf)
        return info.id
    finally:
        db.dispose()


def _renamed(info: project_service.ProjectInfo, url: str) -> Any:
    from dataclasses import replace

    from apk_desktop.domain.project import ProjectData

    data = ProjectData(**{name: getattr(info, name) for name in ProjectData.__dataclass_fields__})
    return replace(data, name=f"Projekt APK ({make_url(url).username})")


def two_cities(server: PostgresServer) -> Iterator[Cities]:
    prefix = f"{server.prefix}rls{next(_NUMBERS)}"
    owner, a_role, b_role = f"{prefix}", f"{prefix}_a", f"{prefix}_b"
    roles = [owner, a_role, b_role]
    for role in roles:
        server.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'")
    url = server.create("empty", f"OWNER \"{owner}\" ENCODING 'UTF8'")

    def as_role(role: str) -> str:
        return make_url(url).set(username=role, password=PASSWORD).render_as_string(False)

    try:
        owner_db = open_database(as_role(owner))  # the owner migrates
        try:
            for role in (a_role, b_role):  # privileges only: each creates its own project
                assert access.grant_access(owner_db, role, None) is None
        finally:
            owner_db.dispose()
        cities = Cities(
            as_role(owner),
            as_role(a_role),
            as_role(b_role),
            a_role,
            b_role,
            _fill(as_role(a_role)),
            _fill(as_role(b_role)),
            server,
            roles,
        )
        yield cities
    finally:
        server.drop(url)
        server.wait_for_drops()
        for role in reversed(roles):
            server.execute(f'DROP ROLE IF EXISTS "{role}"')
