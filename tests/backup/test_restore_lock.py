"""A restore from the command line never swaps the database under a running app: it takes the
app's single-instance lock, held here by a real second process the way the GUI holds it."""

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
from apk_desktop.backup.restore import journal_path
from tests.backup.conftest import Live, add_rows, dump

ROOT = Path(__file__).parents[2]

# What run_gui does first, then it runs until the window closes (here: until stdin closes).
RUNNING_APP = """
import sys
from apk_desktop import instance_lock
from apk_desktop.paths import data_dir

lock = instance_lock.acquire(data_dir())
print("running" if lock else "refused", flush=True)
sys.stdin.read()
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apk_desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def running_app(live: Live) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNING_APP],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stdin is not None
    try:
        assert process.stdout.readline() == "running\n"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()


def test_restore_refused_while_the_app_runs(live: Live, running_app: subprocess.Popen[str]) -> None:
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

    os.kill(running_app.pid, signal.SIGKILL)  # the app crashes: the OS frees its lock
    running_app.wait()
    live.db.dispose()
    done = cli("--db", str(live.db_path), "restore", str(made.path), "--yes")
    assert done.returncode == EXIT_OK, done.stderr
    assert dump(live.db_path) != before
