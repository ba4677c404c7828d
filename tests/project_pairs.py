"""Two projects in one database for the backup tests, each with its own data (the demo
project's assistants, plans, assessments, sessions and signed scans, for two different periods),
and a fingerprint of one project's rows for "left exactly as it was" checks."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import Connection, update

from apk_desktop.db import project_scope
from apk_desktop.db.database import Database
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.models import Project
from apk_desktop.db.services import setup

NAMES = {1: ("APK Sokolov", "CZ.03/A/0001"), 2: ("APK Cheb", "CZ.03/B/0002")}


def add_project(db: Database, monkeypatch: pytest.MonkeyPatch, today: date, key: int) -> int:
    """One more demo project (the wizard refuses a second one: allowed here), named by
    ``NAMES[key]``; returns its id."""
    with monkeypatch.context() as patch:
        patch.setattr(setup, "ensure_empty", lambda _session: None)
        with db.unit_of_work() as session:
            project_id = populate_demo(session, today).id
            name, number = NAMES[key]
            session.execute(
                update(Project)
                .where(Project.id == project_id)
                .values(name=name, registration_number=number, is_demo=False)
            )
    return project_id


def two_projects(db: Database, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Projects A (current) and B, with different data (B's sessions end earlier)."""
    a = add_project(db, monkeypatch, date(2025, 6, 1), 1)
    b = add_project(db, monkeypatch, date(2024, 11, 1), 2)
    with db.unit_of_work() as session:
        session.execute(update(Project).values(is_current=Project.id == a))
    return a, b


def fingerprint(connection: Connection, project_id: int) -> dict[str, tuple[int, str]]:
    """Per table: the project's rows (count, sha256 of every value in key order)."""
    found = {}
    for table in project_scope.app_tables():
        rows = connection.execute(project_scope.project_rows(table, project_id)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
        found[table.name] = (len(rows), digest)
    return found


def db_fingerprint(db: Database, project_id: int) -> dict[str, tuple[int, str]]:
    with db.engine.connect() as connection:
        return fingerprint(connection, project_id)
