"""Backup speed: a 50 MB database plus 200 MB of scans, backed up (snapshot, archive, verify,
copy with fsync, rename) vs a plain file copy of the same bytes to the same folder.

Target: backup within 2x the plain copy. Run: ``uv run python benchmarks/backup_speed.py [FOLDER]``
(FOLDER: where the "share" is; default a temporary folder on the local disk).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

DB_MB = 50
SCANS_MB = 200
SCAN_FILE_MB = 4


def make_database(path: Path) -> None:
    """Rows like the app's: text with some repetition plus random blobs (about half each)."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT, blob BLOB)")
    words = [
        "asistent",
        "prevence",
        "kriminality",
        "mentoring",
        "supervize",
        "vzdělávání",
        "oblast",
    ]
    rows = []
    size = 0
    i = 0
    while size < DB_MB * 1024 * 1024:
        text = " ".join(words[(i + k) % len(words)] for k in range(60)) + f" {i}"
        blob = os.urandom(600)
        rows.append((text, blob))
        size += len(text.encode()) + len(blob) + 40
        i += 1
    connection.executemany("INSERT INTO note (body, blob) VALUES (?, ?)", rows)
    connection.commit()
    connection.close()


def make_scans(folder: Path) -> None:
    for i in range(SCANS_MB // SCAN_FILE_MB):
        target = folder / f"{2025 + i % 2}" / f"sken-{i:03d}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(os.urandom(SCAN_FILE_MB * 1024 * 1024))


def plain_copy(db: Path, scans: Path, dest: Path, *, durable: bool = False) -> None:
    """shutil.copyfile of every file; ``durable`` adds the fsync a safe copy needs."""
    dest.mkdir()
    pairs = [(db, dest / db.name)]
    pairs += [(p, dest / p.relative_to(scans)) for p in scans.rglob("*") if p.is_file()]
    for source, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if durable:
            with open(target, "rb+") as fh:
                os.fsync(fh.fileno())


def main() -> None:
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp)
        os.environ["APK_DESKTOP_DATA_DIR"] = str(root / "data")
        from apk_desktop.backup.service import create_backup

        db = root / "apk-desktop.sqlite3"
        scans = root / "data" / "scans"
        make_database(db)
        make_scans(scans)
        total = db.stat().st_size + sum(p.stat().st_size for p in scans.rglob("*") if p.is_file())
        share = root / "share"
        share.mkdir()
        print(f"data: database {db.stat().st_size / 2**20:.1f} MB, total {total / 2**20:.1f} MB")
        copies: list[float] = []
        durable: list[float] = []
        backups: list[float] = []
        for round_ in range(2):
            start = time.perf_counter()
            plain_copy(db, scans, share / f"plain-{round_}")
            copies.append(time.perf_counter() - start)
            start = time.perf_counter()
            plain_copy(db, scans, share / f"durable-{round_}", durable=True)
            durable.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = create_backup(db, share, scans_dir=scans)
            backups.append(time.perf_counter() - start)
            assert result.path is not None
            print(
                f"round {round_ + 1}: plain copy {copies[-1]:.2f} s, "
                f"with fsync {durable[-1]:.2f} s, "
                f"backup {backups[-1]:.2f} s "
                f"(archive {result.size / 2**20:.1f} MB), ratio {backups[-1] / copies[-1]:.2f}x"
            )
        print(f"vs plain copy with fsync: {min(backups) / min(durable):.2f}x")
        ratio = min(backups) / min(copies)
        print(
            f"best: plain copy {min(copies):.2f} s, backup {min(backups):.2f} s, "
            f"ratio {ratio:.2f}x (target <= 2.0x) -> {'OK' if ratio <= 2.0 else 'SLOWER'}"
        )


if __name__ == "__main__":
    main()
