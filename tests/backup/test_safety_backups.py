"""The safety backup made before each restore: kept for at least 30 days and at least the 3
newest, and a restore that fails before the swap leaves none behind (so failures never push
good ones out)."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from apk_desktop.backup import archive, restore, service
from apk_desktop.backup.errors import BackupCancelled, BackupError
from apk_desktop.backup.retention import RetentionPolicy
from apk_desktop.db import migrate
from apk_desktop.db.database import make_engine
from apk_desktop.domain.errors import AppError
from tests.backup.conftest import Live, add_rows, dump, read_scans

KEEP_ALL = RetentionPolicy(keep_last=1000, keep_weekly=0, keep_monthly=0)


def names(folder: Path) -> list[str]:
    return [e.name for e in service.list_backups(folder)]


def test_four_restores_in_a_row_keep_the_first_safety_backup(live: Live) -> None:
    made = service.create_backup(live.db_path, live.share)
    assert made.path is not None
    add_rows(live.db_path, count=7)  # entered before the first restore: only its safety has it
    entered = dump(live.db_path)
    live.db.dispose()
    safeties = [restore.restore_backup(made.path, live.db_path).safety_backup for _ in range(4)]
    assert sorted(names(service.safety_dir())) == sorted(Path(s).name for s in safeties)
    first = Path(safeties[0])
    extracted = first.parent / "first.sqlite3"
    archive.extract_database(first, extracted)
    assert dump(extracted) == entered


@pytest.fixture
def old_safeties(live: Live) -> list[str]:
    """Three good safety backups from two months ago."""
    moment = service.local_now() - timedelta(days=60)
    for _ in range(3):
        service.create_backup(
            live.db_path, service.safety_dir(), policy=KEEP_ALL, now=lambda: moment
        )
    return names(service.safety_dir())


def _cancel_during_scans(live: Live, path: Path) -> None:
    stage = {"scans": False}

    def progress(_done: int, _total: int, text: str) -> None:
        stage["scans"] = stage["scans"] or text == "Obnovuji skeny…"

    restore.restore_backup(path, live.db_path, progress=progress, cancel=lambda: stage["scans"])


def _migration_fails(live: Live, path: Path) -> None:
    """A backup of an older version whose database the migration cannot upgrade."""
    here = Path(tempfile.mkdtemp(dir=path.parent))
    old = here / "old.sqlite3"
    engine = make_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    connection = sqlite3.connect(old)
    with connection:
        connection.execute("CREATE TABLE plan (id INTEGER PRIMARY KEY)")  # 0002 creates it
    connection.close()
    made = service.create_backup(old, here, include_scans=False)
    assert made.path is not None
    restore.restore_backup(made.path, live.db_path)


def _closing_the_app_fails(live: Live, path: Path) -> None:
    def before_swap() -> None:
        raise BackupError("Databázi se nepodařilo zavřít.")

    restore.restore_backup(path, live.db_path, before_swap=before_swap)


def _damaged(live: Live, path: Path) -> None:
    damaged = path.parent / "damaged.zip"
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    damaged.write_bytes(bytes(data))
    restore.restore_backup(damaged, live.db_path)


def _newer_version(live: Live, path: Path) -> None:
    newer = path.parent / "newer.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(newer, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == archive.MANIFEST_NAME:
                manifest = json.loads(body)
                manifest["schema_revision"] = "0099"
                body = json.dumps(manifest).encode()
            target.writestr(name, body)
    restore.restore_backup(newer, live.db_path)


@pytest.mark.parametrize(
    "fail",
    [_cancel_during_scans, _migration_fails, _closing_the_app_fails, _damaged, _newer_version],
    ids=["cancelled", "migration", "before-swap", "damaged", "newer"],
)
def test_a_failed_restore_leaves_no_safety_backup(
    live: Live, old_safeties: list[str], fail: Callable[[Live, Path], None]
) -> None:
    made = service.create_backup(live.db_path, live.share)
    assert made.path is not None
    add_rows(live.db_path, count=2)
    rows, scans = dump(live.db_path), read_scans(live.scans)
    for _ in range(2):
        with pytest.raises((AppError, BackupCancelled)):
            fail(live, made.path)
        assert dump(live.db_path) == rows and read_scans(live.scans) == scans
        assert names(service.safety_dir()) == old_safeties  # none added, none pushed out
    live.db.dispose()
    done = restore.restore_backup(made.path, live.db_path)  # then one that works
    # … and prunes: the 3 newest stay, the oldest goes (older than 30 days)
    assert names(service.safety_dir()) == [Path(done.safety_backup).name, *old_safeties[:2]]
