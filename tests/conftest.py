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
from apk_desktop.db.database import Database
from apk_desktop.db.seed import current_project
from tests.seeding import open_seeded

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


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database in tmp_path holding the Sokolov template project."""
    database = open_seeded(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def project_id(db: Database) -> int:
    with db.unit_of_work() as session:
        return current_project(session).id
