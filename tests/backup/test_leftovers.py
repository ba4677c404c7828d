"""Target folder and leftovers: a relative backup path is refused before anything is created,
and the temporary files of a backup killed with kill -9 are removed at the next start at once,
not only after they aged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.backup import atomic, service
from apk_desktop.backup.atomic import cleanup_partials, is_partial_name
from apk_desktop.backup.cli_commands import EXIT_USAGE
from apk_desktop.backup.errors import BackupError
from apk_desktop.backup.faults import PAUSE_ENV
from apk_desktop.backup.restore import recover_at_startup
from apk_desktop.backup.settings import BackupSettings
from tests.backup.conftest import Live, leftovers

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("target", ["zalohy", "zalohy/apk", r"\\server\sdilene\apk", "C:zalohy"])
def test_a_relative_backup_folder_is_refused(
    live: Live,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
) -> None:
    here = tmp_path / "current-directory"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["--db", str(live.db_path), "backup", "--to", target]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("Chyba: ") and target in err
    assert "není úplná" in err or "síťová cesta Windows" in err
    with pytest.raises(BackupError, match=r"není úplná|síťová cesta Windows"):
        service.backup_now(live.url, BackupSettings(folder=target))  # e.g. an old settings file
    assert leftovers(here) == []  # no folder made where the app happened to start


def partials(folder: Path) -> list[Path]:
    return [folder / n for n in leftovers(folder) if is_partial_name(n)]


def test_leftovers_of_a_killed_backup_go_at_the_next_start(live: Live) -> None:
    env = {**os.environ, PAUSE_ENV: "backup-copied"}  # stop when the copy on the share is full
    command = ["-m", "apk_desktop", "--db", str(live.db_path), "backup", "--to", str(live.share)]
    process = subprocess.Popen(
        [sys.executable, *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, status = os.waitpid(process.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status)
    on_share, in_work = partials(live.share), partials(service.work_dir())
    assert on_share and in_work  # the full copy and the local archive, written just now
    assert all(time.time() - p.stat().st_mtime < atomic.STALE_AFTER_SECONDS for p in on_share)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert service.list_backups(live.share) == []  # never taken for a backup

    recover_at_startup(live.url)  # the next start: the dead process's work files go at once
    assert partials(service.work_dir()) == []
    made = service.backup_now(live.url, BackupSettings(folder=str(live.share)))
    assert made.path is not None  # the next backup clears the share at once
    assert leftovers(live.share) == [made.path.name]


def test_only_leftovers_of_dead_processes_go_young(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(finished.stdout)  # exited and reaped: no such process any more
    host = atomic.partial_path(tmp_path).name.split("-")[2]
    uid = "0123456789abcdef0123456789abcdef"
    other_host = "f" * 8 if host != "f" * 8 else "0" * 8
    names = {
        "dead": f".apk-partial-{host}-{dead_pid}-{uid}.tmp",
        "alive": f".apk-partial-{host}-{os.getpid()}-{uid}.tmp",
        "other-host": f".apk-partial-{other_host}-{dead_pid}-{uid}.tmp",
        "old-style": f".apk-partial-{uid}.tmp",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"partial")
    (tmp_path / f"{names['dead']}-dir").mkdir()  # not one of ours
    removed = cleanup_partials(tmp_path)
    assert [p.name for p in removed] == [names["dead"]]
    for name in ("alive", "other-host", "old-style"):  # these still wait until they are stale
        os.utime(tmp_path / names[name], (0, 0))
    assert sorted(p.name for p in cleanup_partials(tmp_path)) == sorted(
        names[n] for n in ("alive", "other-host", "old-style")
    )
    assert leftovers(tmp_path) == [f"{names['dead']}-dir"]
