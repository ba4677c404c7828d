"""A real ``kill -9`` of ``apk-desktop backup`` at named points of an incremental backup
(the process stops itself there via APK_DESKTOP_FAULT_PAUSE_AT; the test then kills it):
the data stay intact, every listed backup verifies, and the next backup works and cleans up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from apk_desktop.backup import reader, service, settings, store
from apk_desktop.backup.atomic import is_partial_name
from apk_desktop.backup.faults import PAUSE_ENV
from apk_desktop.backup.settings import BackupSettings
from tests.backup.conftest import Live, dump
from tests.backup.test_store import change_a_row, objects

ROOT = Path(__file__).parents[2]
KEEP_ONE = BackupSettings(keep_last=1, keep_daily=0, keep_weekly=0, keep_monthly=0)


def kill_at(live: Live, point: str) -> None:
    """Run a backup in a subprocess, wait until it stops itself at ``point``, kill -9 it."""
    command = ["-m", "apk_desktop", "--db", str(live.db_path), "backup", "--to", str(live.share)]
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env={**os.environ, PAUSE_ENV: point},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _pid, status = os.waitpid(process.pid, os.WUNTRACED)
    stopped = os.WIFSTOPPED(status)
    process.kill()  # SIGKILL, also for a stopped process
    process.wait()
    assert process.stderr is not None
    err = process.stderr.read().decode()
    process.stderr.close()
    assert stopped, f"the backup never reached {point}: {err}"
    assert process.returncode == -signal.SIGKILL


def partials(share: Path) -> list[Path]:
    return [p for p in share.rglob("*") if is_partial_name(p.name)]


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
@pytest.mark.parametrize(
    ("point", "published"),
    [
        ("object-written", False),  # a new object fsynced under its temporary name
        ("object-published", False),  # an object in place, no manifest yet
        ("manifest-written", False),  # every object in place, the manifest not yet published
        ("gc-deleted", True),  # the old backup pruned, its unused objects half removed
    ],
)
def test_killed_backup_leaves_a_restorable_store(live: Live, point: str, published: bool) -> None:
    settings.save(KEEP_ONE)
    first = service.backup_now(live.url, BackupSettings(folder=str(live.share)))
    assert first.path is not None
    change_a_row(live)
    next(p for p in sorted(live.scans.rglob("*")) if p.is_file()).unlink()  # GC will have work
    (live.scans / "nový sken.pdf").write_bytes(os.urandom(600_000))
    rows = dump(live.db_path)

    kill_at(live, point)

    assert dump(live.db_path) == rows  # the data are intact
    listed = service.list_backups(live.share)
    assert len(listed) == 1
    if published:
        assert listed[0].path != first.path  # the new one; the first was pruned before the kill
    else:
        assert [e.path for e in listed] == [first.path]
    for entry in listed:  # nothing unverified is ever listed
        reader.verify(entry.path, service.work_dir())
    for path in partials(live.share):  # recognisable; the kill was a while ago
        os.utime(path, (0, 0))

    again = service.backup_now(live.url, BackupSettings(folder=str(live.share), keep_last=1))
    assert again.path is not None
    assert not partials(live.share)
    assert not list(store.snapshots_dir(live.share).glob(store.RUNNING_PREFIX + "*"))
    needed: set[str] = set()
    for entry in service.list_backups(live.share):
        needed |= store.referenced_objects(reader.verify(entry.path, service.work_dir()))
    assert objects(live.share) == needed  # the half-done collection was finished


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX signals")
def test_a_second_backup_into_the_same_folder_keeps_the_objects_of_a_running_one(
    live: Live,
) -> None:
    """A scheduled ``apk-desktop backup`` and the app's own backup at the same time: the one
    that finishes first must not collect the objects the other has written but not yet listed
    in its manifest (the running marker)."""
    settings.save(KEEP_ONE)
    service.backup_now(live.url, BackupSettings(folder=str(live.share)))
    change_a_row(live, "stav pro naplánovanou zálohu")
    command = ["-m", "apk_desktop", "--db", str(live.db_path), "backup", "--to", str(live.share)]
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env={**os.environ, PAUSE_ENV: "object-published"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _pid, status = os.waitpid(process.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status)  # its database snapshot is in objects, no manifest yet
    change_a_row(live, "stav pro zálohu z aplikace")
    own = BackupSettings(folder=str(live.share), keep_last=1, keep_daily=0, keep_monthly=0)
    other = service.backup_now(live.url, own)
    assert other.deleted  # it pruned the first backup, so it collected what it could
    while True:  # let the scheduled backup run on to its end
        os.kill(process.pid, signal.SIGCONT)
        _pid, status = os.waitpid(process.pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            break
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert process.stdout is not None and process.stderr is not None
    made = Path(process.stdout.read().decode().strip().splitlines()[-1])
    process.stdout.close()
    process.stderr.close()
    process.returncode = 0  # reaped above
    reader.verify(made, service.work_dir())  # every object it needs is there
