"""A data folder that really fills up or really is read-only, under the real command line:
a Czech message, exit code 1 and no traceback, whether the OS or SQLite hits the fault."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from apk_desktop.backup import service
from apk_desktop.backup.atomic import is_partial_name
from apk_desktop.backup.cli_commands import EXIT_FAILED
from tests.backup.conftest import add_rows, dump, leftovers
from tests.seeding import open_seeded

pytestmark = pytest.mark.sqlite_only(reason="the SQLite file on a full or read-only disk")
ROOT = Path(__file__).parents[2]
Mount = Callable[[Path, str], Path]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@pytest.fixture
def tmpfs() -> Iterator[Mount]:
    """Mount a real tmpfs of the given size; skipped where mounting is not allowed."""
    if os.name != "posix" or shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mounted: list[Path] = []

    def mount(where: Path, size: str) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        if _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)).returncode:
            pytest.skip("cannot mount a tmpfs here")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        _run("umount", str(where))


def read_only(folder: Path) -> None:
    if _run("mount", "-o", "remount,ro", str(folder)).returncode:
        pytest.skip("cannot remount the tmpfs read-only")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apk_desktop", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def assert_czech_failure(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == EXIT_FAILED, done.stderr
    assert done.stderr.startswith("Chyba: ")
    assert expected in done.stderr, done.stderr
    assert "zůstala beze změny" in done.stderr


@pytest.fixture
def data_on_tmpfs(
    tmpfs: Mount, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str, int], Path]:
    """The app's data folder (database, work folder) on a tmpfs of ``size`` holding a
    database with about ``rows`` × 2 kB of data; returns the database path."""

    def make(size: str, rows: int) -> Path:
        data = tmpfs(tmp_path / "data-mount", size)
        monkeypatch.setenv("APK_DESKTOP_DATA_DIR", str(data))
        db_path = data / "apk-desktop.sqlite3"
        db = open_seeded(f"sqlite:///{db_path}")
        db.dispose()
        add_rows(db_path, count=rows)
        return db_path

    return make


def test_disk_full_during_the_snapshot(
    data_on_tmpfs: Callable[[str, int], Path], tmp_path: Path
) -> None:
    """SQLite itself reports the full disk ("database or disk is full") while it copies the
    database into the work folder."""
    db_path = data_on_tmpfs("2m", 600)  # ~1.3 MB of database: no room for its snapshot
    share = tmp_path / "share"
    share.mkdir()
    before = dump(db_path)
    done = cli("--db", str(db_path), "backup", "--to", str(share))
    assert_czech_failure(done, "není dost místa")
    assert str(db_path.parent) in done.stderr  # names the folder that filled
    assert dump(db_path) == before
    assert not [n for n in leftovers(service.work_dir()) if is_partial_name(n)]
    assert leftovers(share) == []


def test_disk_full_during_a_restore(
    data_on_tmpfs: Callable[[str, int], Path], tmp_path: Path
) -> None:
    """Room for the restored copy next to the database, none for the safety backup."""
    earlier = tmp_path / "earlier.sqlite3"  # the backup is made on another, roomy disk
    open_seeded(f"sqlite:///{earlier}").dispose()
    add_rows(earlier, count=600)
    share = tmp_path / "share"
    share.mkdir()
    made = service.create_backup(earlier, share, include_scans=False)
    assert made.path is not None
    db_path = data_on_tmpfs("3m", 600)
    before = dump(db_path)
    done = cli("--db", str(db_path), "restore", str(made.path), "--yes")
    assert_czech_failure(done, "není dost místa")
    assert dump(db_path) == before
    assert not [n for n in leftovers(db_path.parent) if is_partial_name(n)]
    assert service.list_backups(service.safety_dir()) == []


@pytest.mark.parametrize("used_before", [True, False], ids=["used-before", "never-backed-up"])
def test_read_only_data_folder_during_a_backup(
    data_on_tmpfs: Callable[[str, int], Path], tmp_path: Path, used_before: bool
) -> None:
    db_path = data_on_tmpfs("8m", 50)
    share = tmp_path / "share"
    share.mkdir()
    if used_before:  # the work folder exists already
        service.create_backup(db_path, share)
    before = dump(db_path)
    names_before = leftovers(share)
    read_only(db_path.parent)
    done = cli("--db", str(db_path), "backup", "--to", str(share))
    assert_czech_failure(done, "nemáte oprávnění")
    assert dump(db_path) == before
    assert leftovers(share) == names_before


def test_read_only_data_folder_during_a_restore(
    data_on_tmpfs: Callable[[str, int], Path], tmp_path: Path
) -> None:
    db_path = data_on_tmpfs("8m", 50)
    share = tmp_path / "share"
    share.mkdir()
    made = service.create_backup(db_path, share)
    assert made.path is not None
    before = dump(db_path)
    read_only(db_path.parent)
    done = cli("--db", str(db_path), "restore", str(made.path), "--yes")
    assert_czech_failure(done, "nemáte oprávnění")
    assert dump(db_path) == before
