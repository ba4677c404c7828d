"""The app started with a mentor's own server login (row-level security, migration 0012) opens
that mentor's project and fills its screens; another city's project on the same server stays
out of sight."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select

from apk_desktop.app import build_main_window
from apk_desktop.db.models import Assistant
from apk_desktop.ui.dashboard import DashboardPage
from apk_desktop.ui.roster import RosterPage
from tests.backends import PostgresServer
from tests.row_security import Cities, two_cities

pytestmark = pytest.mark.postgres_only("row-level security is PostgreSQL's")


@pytest.fixture(scope="module")
def cities(pg_server: PostgresServer) -> Iterator[Cities]:
    yield from two_cities(pg_server)


def _assistants(url: str, project_id: int) -> set[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = select(Assistant.id).where(Assistant.project_id == project_id)
            return set(connection.scalars(query))
    finally:
        engine.dispose()


def _shown(page: RosterPage) -> set[int]:
    rows = (page.model.row_at(i) for i in range(page.model.rowCount()))
    return {row.assistant.id for row in rows if row.assistant is not None}


def test_the_mentor_of_b_opens_project_b_with_its_data(qtbot: QtBot, cities: Cities) -> None:
    window = build_main_window(cities.b_url, named=True)
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.ctx.project_id == cities.b_project
        window.resize(1280, 720)
        window.show()
        dashboard = window.show_page("dashboard")
        assert isinstance(dashboard, DashboardPage)
        qtbot.waitUntil(lambda: "asistent" in dashboard.goal_status.text())
        assert dashboard.not_meeting.count() > 0
        if shot := os.environ.get("APK_TEST_SCREENSHOT"):
            window.grab().save(shot)
        roster = window.show_page("assistants")
        assert isinstance(roster, RosterPage)
        a_people = _assistants(cities.owner_url, cities.a_project)
        b_people = _assistants(cities.owner_url, cities.b_project)
        assert a_people and b_people
        qtbot.waitUntil(lambda: len(_shown(roster)) >= 9)  # the demo's team in its positions
        assert _shown(roster) <= b_people
    finally:
        window.ctx.db.dispose()
