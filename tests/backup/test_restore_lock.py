"""A restore from the command line never swaps the database under a running app: it takes the
app's single-instance lock, held here by the real app running in another process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from apk_desktop.backup import service
from apk_desktop.backup.cli_commands import EXIT_FAILED, EXIT_OK
from apk_desktop.backup.faults import PAUSE_ENV
from apk_desktop.backup.restore import journal_path
from tests.backup.conftest import Live, add_rows, dump

ROOT = Path(__file__).parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apk_desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def running_app(live: Live) -> Iterator[subprocess.Popen[bytes]]:
    """The real app (offscreen), stopped with its window shown: it holds its lock."""
    process = subprocess.Popen(
        [sys.executable, "-m", "apk_desktop", "--db", str(live.db_path)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", PAUSE_ENV: "gui-shown"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _pid, status = os.waitpid(process.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status)
        yield process
    finally:
        process.kill()
        process.wait()


def test_restore_refused_while_the_app_runs(
    live: Live, running_app: subprocess.Popen[bytes]
) -> None:
    made = service.create_backup(live.db_path, live.share)
    assert made.path is not None
    add_rows(live.db_path, count=3)  # entered in the app after the backup
    before = dump(live.db_path)
    done = cli("--db", str(live.db_path), "restore", str(made.path), "--yes")
    assert done.returncode == EXIT_FAILED
    assert "Aplikace APK Desktop je spuštěná" in done.stderr
    assert "obnovu spusťte znovu" in done.stderr
    assert "Traceback" not in done.stderr
    assert dump(live.db_path) == before  # nothing restored …
    safety = service.safety_dir()
    assert not list(safety.iterdir())  # … not even a safety backup written
    assert not journal_path().exists()

    running_app.kill()  # the app crashes: the OS frees its lock
    assert running_app.wait() == -signal.SIGKILL
    live.db.dispose()
    done = cli("--db", str(live.db_path), "restore", str(made.path), "--yes")
    assert done.returncode == EXIT_OK, done.stderr
    assert dump(live.db_path) != before


def test_move_refused_while_the_app_runs(
    live: Live, running_app: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    target = tmp_path / "moved.sqlite3"
    done = cli("--db", str(live.db_path), "move", "--to", str(target))
    assert done.returncode == EXIT_FAILED
    assert "Aplikace APK Desktop je spuštěná" in done.stderr
    assert "přesun spusťte znovu" in done.stderr
    assert not target.exists()
