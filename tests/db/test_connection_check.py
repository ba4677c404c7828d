""" "Vyzkoušet připojení": every way a server can fail gets its own Czech sentence, and a schema
from another version of the app is never worked on."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import make_url, text

from apk_desktop.db import database, migrate
from apk_desktop.db.connection import WRONG_LOGIN, check_server
from apk_desktop.db.database import make_engine
from apk_desktop.db.open import open_database
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backends import PostgresServer, TestDatabases


def _set_revision(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_an_empty_and_a_filled_database_are_fine(databases: TestDatabases) -> None:
    empty = check_server(databases.empty("empty"))
    assert empty.ok and "prázdná" in empty.message
    seeded = check_server(databases.seeded("seeded"))
    assert seeded.ok and "1 projekt" in seeded.message


def test_an_older_schema_is_for_the_administrator_to_migrate(databases: TestDatabases) -> None:
    url = databases.empty("old")
    engine = make_engine(url)
    migrate.upgrade(engine, "0009")
    engine.dispose()
    check = check_server(url)
    assert not check.ok and "starší verzi schématu (0009" in check.message
    assert "správce" in check.message.lower()


def test_a_newer_schema_is_refused_and_never_touched(databases: TestDatabases) -> None:
    url = databases.seeded("newer")
    _set_revision(url, "9999")
    check = check_server(url)
    assert not check.ok and "novější verze" in check.message and "Aktualizujte" in check.message
    with pytest.raises(StorageUnavailableError, match="novější verze"):
        open_database(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "9999"
    engine.dispose()


def test_a_server_that_is_down_is_called_unreachable() -> None:
    check = check_server("postgresql+psycopg://mentor:heslo@127.0.0.1:1/apk")
    assert not check.ok and "127.0.0.1:1 není dostupný" in check.message


@pytest.mark.timeout(30)
def test_a_server_that_does_not_answer_is_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "CONNECT_TIMEOUT_S", 1)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        port = silent.getsockname()[1]
        check = check_server(f"postgresql+psycopg://mentor:heslo@127.0.0.1:{port}/apk")
    finally:
        silent.close()
    assert not check.ok and "neodpověděl" in check.message


@pytest.mark.postgres_only(reason="a password asked by a real server")
def test_a_wrong_password_and_a_missing_database_say_so(pg_server: PostgresServer) -> None:
    url = make_url(pg_server.url_of("postgres"))
    wrong = url.set(password="spatne-heslo").render_as_string(hide_password=False)
    assert check_server(wrong).message == WRONG_LOGIN
    with pytest.raises(StorageUnavailableError, match="nesprávné jméno uživatele nebo heslo"):
        open_database(wrong)
    missing = url.set(database="neni_tu").render_as_string(hide_password=False)
    assert "„neni_tu“ na serveru" in check_server(missing).message


@pytest.mark.postgres_only(reason="the encoding of a PostgreSQL database")
def test_a_database_not_in_utf8_is_named(pg_server: PostgresServer) -> None:
    url = pg_server.create("empty", "ENCODING 'LATIN2' LOCALE 'C'")
    try:
        check = check_server(url)
    finally:
        pg_server.drop(url)
    assert not check.ok and "kódování LATIN2" in check.message
