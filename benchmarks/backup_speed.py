"""Backup speed: a 50 MB database plus 200 MB of scans, backed up (snapshot, archive, verify,
copy with fsync, rename) vs a plain file copy of the same bytes to the same folder.

Target (the issue): backup within 2x the plain copy, measured side by side in one run.
Run: ``uv run python benchmarks/backup_speed.py [FOLDER] [--rounds N]`` (FOLDER: where the
"share" is; default a temporary folder on the local disk).

Fairness: each round times, interleaved, (1) a plain copy (shutil.copyfile, i.e. sendfile; the
bytes may still be only in the page cache when it returns), (2) the same copy plus an fsync of
every file (the backup fsyncs its copy on the share, so this is the like-for-like baseline),
(3) the backup and (4) the backup with the database deflated (the measured choice of
archive.py). ``os.sync()`` runs before each timed step so no step pays for the previous step's
write-back; dropping the page cache needs root and is not done, so every read (sources, the
local archive read back for verification) comes from memory in all four. Medians are printed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
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


def timed(step: Callable[[], object]) -> float:
    os.sync()  # start from a clean write-back state (caches cannot be dropped without root)
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> None:
    args = sys.argv[1:]
    rounds = 5
    if "--rounds" in args:
        at = args.index("--rounds")
        rounds = max(3, int(args[at + 1]))
        del args[at : at + 2]
    base = Path(args[0]) if args else None
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp)
        os.environ["APK_DESKTOP_DATA_DIR"] = str(root / "data")
        from apk_desktop.backup.service import BackupResult, create_backup

        db = root / "apk-desktop.sqlite3"
        scans = root / "data" / "scans"
        make_database(db)
        make_scans(scans)
        total = db.stat().st_size + sum(p.stat().st_size for p in scans.rglob("*") if p.is_file())
        share = root / "share"
        share.mkdir()
        print(f"data: database {db.stat().st_size / 2**20:.1f} MB, total {total / 2**20:.1f} MB")
        print(f"{rounds} rounds; each: plain copy, copy + fsync, backup, backup (db deflated)")
        times: dict[str, list[float]] = {"plain": [], "fsync": [], "backup": [], "deflate": []}
        sizes: dict[str, int] = {}
        results: list[BackupResult] = []

        def backup(compress: bool) -> None:
            results.append(create_backup(db, share, scans_dir=scans, compress_database=compress))

        for round_ in range(rounds):
            plain, durable = share / f"plain-{round_}", share / f"durable-{round_}"
            times["plain"].append(timed(partial(plain_copy, db, scans, plain)))
            times["fsync"].append(timed(partial(plain_copy, db, scans, durable, durable=True)))
            for key, compress in (("backup", False), ("deflate", True)):
                times[key].append(timed(partial(backup, compress)))
                assert results[-1].path is not None
                sizes[key] = results[-1].size
            shutil.rmtree(plain)
            shutil.rmtree(durable)
            print(
                f"round {round_ + 1}: plain copy {times['plain'][-1]:.2f} s, "
                f"with fsync {times['fsync'][-1]:.2f} s, backup {times['backup'][-1]:.2f} s, "
                f"backup (db deflated) {times['deflate'][-1]:.2f} s"
            )
        median = {key: statistics.median(values) for key, values in times.items()}
        print(
            f"archive size: {sizes['backup'] / 2**20:.1f} MB stored, "
            f"{sizes['deflate'] / 2**20:.1f} MB with the database deflated"
        )
        print(
            f"median: plain copy {median['plain']:.2f} s, with fsync {median['fsync']:.2f} s, "
            f"backup {median['backup']:.2f} s, backup (db deflated) {median['deflate']:.2f} s"
        )
        for key, label in (("backup", "backup"), ("deflate", "backup (db deflated)")):
            vs_plain = median[key] / median["plain"]
            vs_fsync = median[key] / median["fsync"]
            print(
                f"{label}: {vs_plain:.2f}x the plain copy "
                f"(target <= 2.0x -> {'OK' if vs_plain <= 2.0 else 'SLOWER'}), "
                f"{vs_fsync:.2f}x the plain copy with fsync"
            )


if __name__ == "__main__":
    main()
