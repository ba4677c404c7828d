"""The database chosen in the wizard or Nastavení is what the next start opens; ``--db`` and
APK_DESKTOP_DB still win; the start settings keep the choice, never a password."""

from __future__ import annotations

import json

import pytest

from apk_desktop import startup
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backends import TestDatabases

DOWN = startup.ServerChoice(host="127.0.0.1", port=1, database="apk", user="mentor")


def test_the_chosen_server_is_opened_unless_a_database_is_named(
    databases: TestDatabases,
) -> None:
    url = databases.seeded("named")
    startup.choose_database(DOWN)
    with pytest.raises(StorageUnavailableError, match=r"127\.0\.0\.1:1 není dostupný"):
        startup.open_at_start(url, named=False, password="heslo")
    opened = startup.open_at_start(url, named=True)  # --db / APK_DESKTOP_DB
    try:
        assert opened.project_id is not None and opened.db.url == url
    finally:
        opened.db.dispose()
    assert startup.needs_login(named=False) == DOWN and startup.needs_login(named=True) is None


def test_the_choice_survives_the_demo_and_is_stored_without_a_password() -> None:
    startup.choose_database(DOWN)
    startup.save(startup.StartSettings(demo=True, server=startup.load().server))
    startup.leave_demo()
    assert startup.load() == startup.StartSettings(demo=False, server=DOWN)
    document = json.loads(startup.settings_path().read_text(encoding="utf-8"))
    assert document["start"]["database"] == {
        "kind": "server",
        "host": "127.0.0.1",
        "database": "apk",
        "user": "mentor",
        "port": 1,
    }
    startup.choose_database(None)
    assert startup.load().server is None


def _server_json() -> dict[str, object]:
    return {"kind": "server", "host": "db", "database": "apk", "user": "mentor"}


def test_a_damaged_choice_falls_back_to_this_pc() -> None:
    startup.settings_path().write_text(
        json.dumps(
            {"version": 1, "start": {"demo": True, "database": {**_server_json(), "port": "pět"}}}
        ),
        encoding="utf-8",
    )
    assert startup.load() == startup.StartSettings(demo=True)  # the rest of it still holds
