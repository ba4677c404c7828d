"""A mentor's role cannot migrate a server database: when the schema is behind this version of
the app (or not there at all, or the role has no access yet) start-up and the commands say in
Czech whom to ask and what to run, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import make_url

from apk_desktop.__main__ import main
from apk_desktop.db import access, migrate
from apk_desktop.db.database import make_engine
from apk_desktop.db.open import open_database
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backends import PostgresServer

pytestmark = pytest.mark.postgres_only("server roles are PostgreSQL's")

PASSWORD = "heslo"


@dataclass
class Server:
    owner_url: str
    mentor_url: str
    mentor: str


@pytest.fixture
def server(pg_server: PostgresServer) -> Iterator[Server]:
    owner, mentor = f"{pg_server.prefix}spravce", f"{pg_server.prefix}mentorka"
    for role in (owner, mentor):
        pg_server.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PASSWORD}'")
    url = pg_server.create("empty", f"OWNER \"{owner}\" ENCODING 'UTF8'")

    def as_role(role: str) -> str:
        return make_url(url).set(username=role, password=PASSWORD).render_as_string(False)

    try:
        yield Server(as_role(owner), as_role(mentor), mentor)
    finally:
        pg_server.drop(url)
        pg_server.wait_for_drops()
        for role in (mentor, owner):
            pg_server.execute(f'DROP ROLE IF EXISTS "{role}"')


def _at_0011_with_access(server: Server) -> None:
    """The server as an older version of the app left it: schema 0011, the mentor granted."""
    engine = make_engine(server.owner_url)
    try:
        migrate.upgrade(engine, "0011")
        with engine.begin() as connection:
            access.grant_privileges(connection, server.mentor)
    finally:
        engine.dispose()


def _revision(server: Server) -> str | None:
    engine = make_engine(server.owner_url)
    try:
        return migrate.stored_revision(engine)
    finally:
        engine.dispose()


def test_a_schema_behind_the_app_is_for_the_administrator(server: Server) -> None:
    _at_0011_with_access(server)
    with pytest.raises(StorageUnavailableError) as raised:
        open_database(server.mentor_url)
    message = raised.value.message
    assert message.startswith("Databázi na serveru musí nejdřív aktualizovat správce")
    assert "0011" in message and migrate.HEAD in message
    assert "apk-desktop --db postgresql+psycopg://vlastnik@" in message and "migrate" in message
    assert _revision(server) == "0011"


def test_a_failed_migration_by_a_mentor_says_the_same(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the rights check be wrong, the server's "permission denied" is still explained."""
    _at_0011_with_access(server)
    monkeypatch.setattr(migrate, "server_rights", lambda _engine: migrate.ServerRights.MIGRATE)
    with pytest.raises(StorageUnavailableError) as raised:
        open_database(server.mentor_url)
    assert raised.value.message.startswith("Databázi na serveru musí nejdřív aktualizovat správce")
    assert _revision(server) == "0011"


def test_commands_tell_the_mentor_too_and_the_owner_migrates(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    _at_0011_with_access(server)
    assert main(["--db", server.mentor_url, "init", "--template", "sokolov"]) == 1
    err = capsys.readouterr().err
    assert "musí nejdřív aktualizovat správce" in err and "Traceback" not in err
    assert main(["--db", server.owner_url, "migrate"]) == 0
    assert f"verze schématu {migrate.HEAD}" in capsys.readouterr().out
    assert main(["--db", server.mentor_url, "init", "--template", "sokolov"]) == 0
    capsys.readouterr()
    assert main(["--db", server.mentor_url, "migrate"]) == 0  # up to date: nothing to do
    assert "Práva obnovena" not in capsys.readouterr().out  # only the owner grants


def test_a_new_database_is_prepared_by_the_administrator(server: Server) -> None:
    with pytest.raises(StorageUnavailableError) as raised:
        open_database(server.mentor_url)
    assert "musí nejdřív připravit správce" in raised.value.message
    assert _revision(server) is None


def test_a_role_without_access_is_told_to_ask_for_it(server: Server) -> None:
    open_database(server.owner_url).dispose()
    with pytest.raises(StorageUnavailableError) as raised:
        open_database(server.mentor_url)
    assert f"grant-access {server.mentor} --project" in raised.value.message
