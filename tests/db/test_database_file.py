"""The open app notices when its SQLite file is replaced or deleted under it (a restore by
another process) and stops writing, instead of saving into a file nobody will read again."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from apk_desktop.db.database import REPLACED, Database
from apk_desktop.db.open import open_database
from apk_desktop.domain.errors import StorageUnavailableError

pytestmark = pytest.mark.sqlite_only(reason="a SQLite file replaced under the open app")


def names(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in connection.execute("SELECT note FROM zz_notes ORDER BY id")]
    finally:
        connection.close()


def make_other(path: Path) -> None:
    other = sqlite3.connect(path)
    with other:
        other.execute("CREATE TABLE zz_notes (id INTEGER PRIMARY KEY, note TEXT)")
        other.execute("INSERT INTO zz_notes (note) VALUES ('z obnovené zálohy')")
    other.close()


def replace_like_a_restore(new: Path, path: Path) -> None:
    """What a restore by another process does: fold the WAL in, drop it, swap the file."""
    connection = sqlite3.connect(path, timeout=0)  # the app may be inside a transaction
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(new, path)


def save(db: Database, note: str) -> None:
    with db.unit_of_work() as session:
        session.execute(text("INSERT INTO zz_notes (note) VALUES (:n)"), {"n": note})


@pytest.fixture
def live(tmp_path: Path) -> Database:
    path = tmp_path / "live.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.unit_of_work() as session:
        session.execute(text("CREATE TABLE zz_notes (id INTEGER PRIMARY KEY, note TEXT)"))
    save(db, "před obnovou")
    return db


def test_a_file_replaced_under_the_app_stops_writes(live: Database, tmp_path: Path) -> None:
    path = Path(live.display_name)
    replacement = tmp_path / "restored.sqlite3"
    make_other(replacement)
    replace_like_a_restore(replacement, path)
    try:
        with pytest.raises(StorageUnavailableError) as caught:
            save(live, "ztracený zápis")
        assert caught.value.message == REPLACED
        assert names(path) == ["z obnovené zálohy"]  # nothing written into the new file …
        with pytest.raises(StorageUnavailableError):  # … and it stays so
            save(live, "další zápis")
    finally:
        live.dispose()
    reopened = open_database(f"sqlite:///{path}")  # a restart (or the GUI's own restore)
    try:
        save(reopened, "po restartu")
    finally:
        reopened.dispose()
    assert names(path) == ["z obnovené zálohy", "po restartu"]


def test_a_file_replaced_during_a_unit_of_work_is_not_committed(
    live: Database, tmp_path: Path
) -> None:
    path = Path(live.display_name)
    replacement = tmp_path / "restored.sqlite3"
    make_other(replacement)
    try:
        with pytest.raises(StorageUnavailableError), live.unit_of_work() as session:
            session.execute(text("INSERT INTO zz_notes (note) VALUES ('rozepsaný zápis')"))
            replace_like_a_restore(replacement, path)
    finally:
        live.dispose()
    assert names(path) == ["z obnovené zálohy"]


def test_a_deleted_file_stops_writes(live: Database) -> None:
    path = Path(live.display_name)
    try:
        path.unlink()
        with pytest.raises(StorageUnavailableError, match="nahrazen nebo smazán"):
            save(live, "do smazaného souboru")
    finally:
        live.dispose()
