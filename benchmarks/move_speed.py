"""How long ``apk-desktop move`` takes for the large database, both ways:

    APK_DESKTOP_DATA_DIR=$(mktemp -d) uv run python benchmarks/move_speed.py \
        /tmp/apk-large.sqlite3 postgresql+psycopg://apk_bench:apk_bench@localhost/apk_move

The SQLite file (from generate_large_db.py) is copied and given a small scan file (4 KB) for
every scan row it records; the PostgreSQL database must exist and be empty (it is emptied
afterwards). Prints the seconds of SQLite → PostgreSQL and of PostgreSQL → a new SQLite file.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from apk_desktop.db.database import make_engine
from apk_desktop.db.move import move_data

SCAN_BYTES = 4096


def _with_scans(source: Path, folder: Path) -> Path:
    copy = folder / "source.sqlite3"
    shutil.copyfile(source, copy)
    connection = sqlite3.connect(copy)
    rows = connection.execute("SELECT id, relative_path FROM evidence_file").fetchall()
    for evidence_id, relative in rows:
        data = (f"%PDF-1.4 scan {evidence_id} ".encode() * SCAN_BYTES)[:SCAN_BYTES]
        path = folder / "scans" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        connection.execute(
            "UPDATE evidence_file SET sha256 = ?, size = ? WHERE id = ?",
            (hashlib.sha256(data).hexdigest(), len(data), evidence_id),
        )
    connection.commit()
    connection.close()
    return copy


def _empty(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main(sqlite_path: str, server_url: str) -> None:
    with tempfile.TemporaryDirectory(prefix="apk-move-") as name:
        folder = Path(name)
        source = _with_scans(Path(sqlite_path), folder)
        _empty(server_url)
        started = time.perf_counter()
        there = move_data(
            f"sqlite:///{source}",
            server_url,
            source_scans=folder / "scans",
            target_scans=folder / "unused",
        )
        to_server = time.perf_counter() - started
        started = time.perf_counter()
        back = move_data(
            server_url,
            f"sqlite:///{folder / 'back.sqlite3'}",
            source_scans=folder / "unused",
            target_scans=folder / "back-scans",
        )
        to_local = time.perf_counter() - started
        _empty(server_url)
    rows = sum(t.source for t in there.tables)
    print(f"{rows} rows, {len(there.scans)} scans of {SCAN_BYTES} B")
    print(f"checks: {'ok' if there.ok and back.ok else 'MISMATCH'}")
    print(f"SQLite -> PostgreSQL: {to_server:.1f} s")
    print(f"PostgreSQL -> SQLite: {to_local:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
