"""Shared fixtures: every test gets its own data folder and database under tmp_path."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from platformdirs import user_data_path

from apk_desktop import paths
from apk_desktop.db.database import Database, safe_url
from apk_desktop.db.open import open_database
from apk_desktop.db.seed import current_project
from tests import backends
from tests.backends import BACKEND, PostgresServer, SqliteTemplates, TestDatabases

# Headless unless told otherwise, on the smallest screen the app is made for: 1366×768 less the
# taskbar, or 1920×1080 at 150 % — 1280×720 logical pixels.
SCREEN_CONFIG = Path(__file__).with_name("screen-1280x720.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN_CONFIG}"

# The user's real data folder, looked up before anything is redirected: the session fails if a
# test wrote into it. Everything that slips past the per-test isolation below (a test that
# undoes its monkeypatch, a helper thread outliving its test) lands in a throw-away folder.
REAL_DATA_DIR = user_data_path("APK Desktop", appauthor=False, roaming=False)
_SESSION_FOLDER = Path(tempfile.mkdtemp(prefix="apk-desktop-tests-"))
os.environ["APK_DESKTOP_DATA_DIR"] = str(_SESSION_FOLDER / "data")
os.environ["XDG_DATA_HOME"] = str(_SESSION_FOLDER / "xdg-data")


def _snapshot(folder: Path) -> dict[str, int]:
    if not folder.is_dir():
        return {}
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


_REAL_BEFORE = _snapshot(REAL_DATA_DIR)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_SESSION_FOLDER, ignore_errors=True)
    if _snapshot(REAL_DATA_DIR) != _REAL_BEFORE:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nFAILED: a test wrote into the user's real data folder {REAL_DATA_DIR}")


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Data, settings and logs of the app under test go to tmp_path, never to the user's."""
    data = tmp_path / "data"
    monkeypatch.setenv("APK_DESKTOP_DATA_DIR", str(data))
    monkeypatch.delenv("APK_DESKTOP_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield data
    paths.use_data_dir(None)  # a test that opened the demo


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    """Handlers, level and flags that a test (e.g. a command run in-process) set on the root
    logger are undone after it."""
    root = logging.getLogger()
    handlers, level, raise_exceptions = list(root.handlers), root.level, logging.raiseExceptions
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.raiseExceptions = raise_exceptions


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked for the other backend are skipped, with the marker's reason."""
    other = "postgres_only" if BACKEND == "sqlite" else "sqlite_only"
    for item in items:
        marker = item.get_closest_marker(other)
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else other)
            item.add_marker(pytest.mark.skip(reason=f"{other}: {reason}"))


def pytest_report_header(config: pytest.Config) -> str:
    url = backends.server_url()
    return f"database backend: {BACKEND}" + (f" ({safe_url(url)})" if url else "")


@pytest.fixture(scope="session")
def _sqlite_templates() -> Iterator[SqliteTemplates]:
    templates = SqliteTemplates()
    yield templates
    templates.close()


@pytest.fixture(scope="session")
def _pg_server() -> Iterator[PostgresServer | None]:
    url = backends.server_url()
    if url is None:
        yield None
        return
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_server(_pg_server: PostgresServer | None) -> PostgresServer:
    """The PostgreSQL server of this run (tests that need one are skipped without it)."""
    if _pg_server is None:
        pytest.skip(f"no PostgreSQL server ({backends.PG_ENV} is not set)")
    return _pg_server


@pytest.fixture(scope="session")
def pg_server_url(pg_server: PostgresServer) -> str:
    """The URL of the server's maintenance database, with the right to create databases and
    roles (``APK_TEST_POSTGRES``)."""
    return pg_server.url_of(pg_server.url.database or "postgres")


@pytest.fixture
def databases(
    tmp_path: Path, _pg_server: PostgresServer | None, _sqlite_templates: SqliteTemplates
) -> Iterator[TestDatabases]:
    """Fresh databases on this run's backend (as many as the test asks for), gone after it."""
    made = TestDatabases(BACKEND, tmp_path, _pg_server, _sqlite_templates)
    yield made
    made.close()


@pytest.fixture
def db_url(databases: TestDatabases) -> str:
    """The URL of a fresh migrated database holding the Sokolov template project."""
    return databases.seeded()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh migrated database holding the Sokolov template project, opened."""
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def project_id(db: Database) -> int:
    with db.unit_of_work() as session:
        return current_project(session).id
