"""A server database: its password never reaches the status bar, a message or the log; a
dropped connection is replaced unnoticed; a server that does not answer is given up on soon."""

from __future__ import annotations

from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.db.database import Database
from tests.backends import PostgresServer

PASSWORD = "Tajne-heslo9"


def test_the_status_bar_name_hides_the_password() -> None:
    db = Database(f"postgresql+psycopg://mentor:{PASSWORD}@db.mesto.cz:5433/apk")
    try:
        assert db.display_name == "postgresql+psycopg://mentor:***@db.mesto.cz:5433/apk"
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (f"postgresql+psycopg://mentor:{PASSWORD}@127.0.0.1:1/apk", "se nepodařilo otevřít"),
        (f"postgresql+psycopg://mentor:{PASSWORD}@server:port/apk", "není platná"),
        (f"postgresql+psycopg://mentor:{PASSWORD}@127.0.0.1/apk?bogus=1", "nepodařilo otevřít"),
        (f"foo://mentor:{PASSWORD}@server/apk", "typ databáze aplikace nezná"),
    ],
    ids=["server-down", "bad-port", "bad-option", "unknown-kind"],
)
def test_a_failed_open_never_shows_or_logs_the_password(
    url: str, said: str, isolated_folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", url, "init", "--template", "sokolov"]) == 1
    err = capsys.readouterr().err
    assert said in err and "***" in err
    log = (isolated_folders / "logs" / "apk-desktop.log").read_text(encoding="utf-8")
    assert PASSWORD not in err + log


@pytest.mark.postgres_only(reason="connections to a PostgreSQL server")
def test_connections_the_server_dropped_are_replaced_before_use(
    db: Database, pg_server: PostgresServer
) -> None:
    from sqlalchemy import select

    from apk_desktop.db.models import Project

    with db.unit_of_work() as session:
        name = session.scalar(select(Project.name))
    pg_server.disconnect(db.url)  # the server restarts, or a firewall forgets the connection
    with db.unit_of_work() as session:  # a pooled connection is dead: replaced, not an error
        assert session.scalar(select(Project.name)) == name


@pytest.mark.timeout(30)
def test_a_server_that_does_not_answer_is_given_up_on_soon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket
    import time

    from apk_desktop.db import database
    from apk_desktop.db.open import open_database
    from apk_desktop.domain.errors import StorageUnavailableError

    monkeypatch.setattr(database, "CONNECT_TIMEOUT_S", 1)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts the connection, never answers
    port = silent.getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises(StorageUnavailableError, match="se nepodařilo otevřít"):
            open_database(f"postgresql+psycopg://mentor@127.0.0.1:{port}/apk")
    finally:
        silent.close()
    assert time.monotonic() - started < 10


@pytest.mark.postgres_only(reason="the encoding of a PostgreSQL database")
def test_a_server_database_not_in_utf8_is_refused_in_czech(pg_server: PostgresServer) -> None:
    from apk_desktop.db.open import open_database
    from apk_desktop.domain.errors import StorageUnavailableError

    url = pg_server.create("empty", "ENCODING 'LATIN2' LOCALE 'C'")
    try:
        with pytest.raises(StorageUnavailableError, match=r"kódování LATIN2.*UTF8"):
            open_database(url)
    finally:
        pg_server.drop(url)
