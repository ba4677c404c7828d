"""Backup fixtures: a live SQLite file with data and a scans folder, all under tmp_path."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Self

import pytest

from apk_desktop import paths
from apk_desktop.db.database import Database
from tests.backends import BACKEND
from tests.seeding import open_seeded


@dataclass
class Live:
    db: Database
    db_path: Path
    scans: Path
    share: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db_path}"


def add_rows(db_path: Path, count: int = 20, blob_size: int = 2000) -> None:
    """Rows in a model table and in an extra table (backups must cover every table)."""
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS zz_extra (id INTEGER PRIMARY KEY, body BLOB, note TEXT)"
        )
        for i in range(count):
            connection.execute(
                "INSERT INTO assistant (project_id, first_name, last_name, phone, email, note) "
                "VALUES (1, ?, ?, '', '', ?)",
                (f"Jméno{i}", f"Příjmení{i}", "poznámka ěščřžýáíé"),
            )
            connection.execute(
                "INSERT INTO zz_extra (body, note) VALUES (?, ?)", (os.urandom(blob_size), str(i))
            )
    connection.close()


def write_scans(scans: Path, count: int = 5, size: int = 50_000) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for i in range(count):
        relative = f"{2025 + i % 2}/akce-{i}/sken podpisů č.{i}.pdf"
        data = os.urandom(size + i)
        target = scans / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files[relative] = data
    return files


def read_scans(scans: Path) -> dict[str, bytes]:
    return {
        p.relative_to(scans).as_posix(): p.read_bytes() for p in scans.rglob("*") if p.is_file()
    }


def dump(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in storage order."""
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: connection.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables
        }
    finally:
        connection.close()


# On PostgreSQL the server backs itself up; its archives: test_server_archive.py.
SQLITE_FILE = "backups of the SQLite file (snapshot, incremental store, file swap on restore)"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """A live SQLite database file with data and a scans folder (every test using it is about
    the SQLite file, so it is skipped in the PostgreSQL run)."""
    if BACKEND != "sqlite":
        pytest.skip(f"sqlite_only: {SQLITE_FILE}")
    db_path = tmp_path / "live" / "apk-desktop.sqlite3"
    db_path.parent.mkdir()
    database = open_seeded(f"sqlite:///{db_path}")
    add_rows(db_path)
    scans = paths.scans_dir()
    write_scans(scans)
    share = tmp_path / "share"
    share.mkdir()
    yield Live(database, db_path, scans, share)
    database.dispose()


class WrappedFile:
    """A real file object behind a ``write`` that a subclass changes (a faulty share)."""

    def __init__(self, real: BinaryIO) -> None:
        self.real = real

    def write(self, data: bytes | memoryview) -> int:
        return self.real.write(data)

    def flush(self) -> None:
        self.real.flush()

    def fileno(self) -> int:
        return self.real.fileno()

    def close(self) -> None:
        self.real.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FailingFile(WrappedFile):
    """A file object that writes through until ``fail_after`` bytes, then raises ``code``."""

    def __init__(
        self, real: BinaryIO, fail_after: int, code: int, on_fail: Callable[[], None] | None = None
    ) -> None:
        super().__init__(real)
        self.fail_after = fail_after
        self.code = code
        self.written = 0
        self.on_fail = on_fail

    def write(self, data: bytes | memoryview) -> int:
        room = self.fail_after - self.written
        if len(data) > room:
            self.real.write(data[: max(room, 0)])
            self.written += max(room, 0)
            if self.on_fail is not None:
                self.on_fail()
            raise OSError(self.code, os.strerror(self.code))
        self.written += len(data)
        return self.real.write(data)


def failing_opener(
    fail_after: int, code: int = errno.ENOSPC, on_fail: Callable[[], None] | None = None
) -> Callable[[Path], BinaryIO]:
    def opener(path: Path) -> BinaryIO:
        return FailingFile(open(path, "xb"), fail_after, code, on_fail)  # type: ignore[return-value]

    return opener


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@contextlib.contextmanager
def small_disk(mount_point: Path, size: str) -> Iterator[Path]:
    """A real small filesystem (tmpfs) at ``mount_point``; skips where mounting is not allowed
    (not root, not Linux)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
