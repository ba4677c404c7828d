"""``apk-desktop restore FILE --yes`` killed with SIGKILL at each step: the next start brings
back either the complete old data or the complete restored data, never a mix, and the app
opens. The process stops itself at a named point (``faults.pause_at``); the test waits for the
stop and kills it there, so the point is exact and no test sleeps."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from apk_desktop.backup import faults, restore, service
from apk_desktop.backup.atomic import is_partial_name
from apk_desktop.db.open import open_database
from tests.backup.conftest import Live, dump, read_scans
from tests.backup.test_restore import change_everything

if not hasattr(signal, "SIGSTOP"):
    pytest.skip("stopping a process needs POSIX signals", allow_module_level=True)

REPO = Path(__file__).parents[2]

Data = tuple[dict[str, list[tuple[object, ...]]], dict[str, bytes]]


def kill_at(point: str, argv: list[str], log: Path) -> None:
    """Run ``argv`` until it reaches ``point``, then SIGKILL it there."""
    env = {**os.environ, faults.PAUSE_ENV: point}
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, cwd=REPO, stdout=out, stderr=out)
    _pid, status = os.waitpid(process.pid, os.WUNTRACED)  # blocks until it stops or ends
    assert os.WIFSTOPPED(status), f"{point} never reached: {log.read_text(errors='replace')}"
    process.kill()
    assert process.wait() == -signal.SIGKILL


def restore_command(live: Live, archive_path: Path) -> list[str]:
    cli = ["--db", str(live.db_path), "restore", str(archive_path), "--yes"]
    return [sys.executable, "-m", "apk_desktop", *cli]


def data_of(live: Live) -> Data:
    return dump(live.db_path), read_scans(live.scans)


def age_leftovers(*folders: Path) -> None:
    """Temporary files of the killed process, as if the kill was a while ago."""
    for folder in folders:
        for entry in folder.iterdir():
            if is_partial_name(entry.name):
                os.utime(entry, (0, 0))


def partials(*folders: Path) -> list[str]:
    return [e.name for f in folders for e in f.iterdir() if is_partial_name(e.name)]


def next_start(live: Live) -> str | None:
    """What the app does when it starts: recover, then open the database."""
    folders = (live.db_path.parent, live.scans.parent, service.work_dir())
    age_leftovers(*folders)
    message = restore.recover_at_startup(live.url)
    assert not partials(*folders)
    assert not restore.journal_path().exists()
    database = open_database(live.url)
    try:
        with database.unit_of_work() as session:
            assert session.execute(text("SELECT count(*) FROM assistant")).scalar_one() > 0
    finally:
        database.dispose()
    return message


@pytest.fixture
def states(live: Live) -> tuple[Path, Data, Data]:
    """A backup (the restored data) and the different current data (the old data)."""
    result = service.create_backup(live.db_path, live.share)
    assert result.path is not None
    restored = data_of(live)
    change_everything(live)
    old = data_of(live)
    assert old != restored
    live.db.dispose()
    return result.path, old, restored


@pytest.mark.parametrize(
    "point",
    [
        "backup-archive-written",  # during the safety backup
        "restore-safety-backup-made",
        "restore-journal-written",
        "restore-database-swapped",
        "restore-scans-swapped",
    ],
)
def test_restore_killed(
    live: Live, tmp_path: Path, states: tuple[Path, Data, Data], point: str
) -> None:
    path, old, restored = states
    kill_at(point, restore_command(live, path), tmp_path / "restore.log")
    swapping = point in ("restore-database-swapped", "restore-scans-swapped")
    if swapping:
        assert data_of(live) != old  # half done when it died
    message = next_start(live)
    assert data_of(live) == old  # complete old data: the restore never finished
    if point.startswith("restore-") and point != "restore-safety-backup-made":
        assert message is not None and "vrácena" in message
    # and the same restore, run again, succeeds
    run = subprocess.run(restore_command(live, path), cwd=REPO, capture_output=True, check=False)
    assert run.returncode == 0, run.stderr.decode()
    assert data_of(live) == restored


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("restore-database-swapped", "rollback-database-restored"),
        ("restore-scans-swapped", "rollback-database-restored"),
        ("restore-scans-swapped", "rollback-scans-moved-aside"),
    ],
)
def test_rollback_killed(
    live: Live, tmp_path: Path, states: tuple[Path, Data, Data], first: str, second: str
) -> None:
    """Killed during the restore, then killed again while the next start rolls it back: the
    start after that still finishes the rollback."""
    path, old, _restored = states
    kill_at(first, restore_command(live, path), tmp_path / "restore.log")
    recover = [
        sys.executable,
        "-c",
        "import sys; from apk_desktop.backup.restore import recover_at_startup; "
        "recover_at_startup(sys.argv[1])",
        live.url,
    ]
    kill_at(second, recover, tmp_path / "recover.log")
    assert restore.journal_path().exists()
    next_start(live)
    assert data_of(live) == old


class Died(BaseException):
    """The process ends here: nothing after this point runs, no ``except Exception`` sees it."""


def die_at(monkeypatch: pytest.MonkeyPatch, point: str) -> None:
    def pause_at(name: str) -> None:
        if name == point:
            raise Died(name)

    monkeypatch.setattr(faults, "pause_at", pause_at)


@pytest.mark.parametrize(
    "point",
    [
        "restore-journal-written",
        "restore-database-swapped",
        "restore-scans-swapped",
    ],
)
def test_in_process_twin_of_the_kills(
    live: Live, states: tuple[Path, Data, Data], monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    """The same end states as the real kills above, reached in this process, so the mutation
    run (which only sees code run in the test process) checks the commit and the rollback."""
    path, old, restored = states
    with monkeypatch.context() as patched:
        die_at(patched, point)
        with pytest.raises(Died):
            restore.restore_backup(path, live.db_path)
    journal = restore.PreparedRestore(**json.loads(restore.journal_path().read_text()))
    assert journal.db_path == str(live.db_path) and Path(journal.safety_backup).is_file()
    assert next_start(live) == restore.ROLLED_BACK
    assert data_of(live) == old
    with monkeypatch.context() as patched:
        die_at(patched, "restore-scans-swapped")
        with pytest.raises(Died):
            restore.restore_backup(path, live.db_path)
        die_at(patched, "rollback-scans-moved-aside")
        with pytest.raises(Died):
            restore.recover_at_startup(live.url)
    assert next_start(live) == restore.ROLLED_BACK
    assert data_of(live) == old
    restore.restore_backup(path, live.db_path)
    assert data_of(live) == restored
    assert not restore.journal_path().exists()
