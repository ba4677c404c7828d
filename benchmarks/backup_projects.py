"""Backing up one project out of two in the large database: time and size of its archive and of
its incremental backup, against the archive of the whole database (what every backup was before
backups were kept per project), and the restore of that project next to the other one.

Both projects are the large generator's (benchmarks/generate_large_db.py: 1,000 assistants,
100,000 assessments, 20,000 sessions each), so one project is half of the database.
Run: ``uv run python benchmarks/backup_projects.py [--rounds N] [--assistants N …]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def two_large_projects(path: Path, sizes: dict[str, int]) -> tuple[int, int]:
    """The large database twice over: project A, then B (each as big as the generator's)."""
    import generate_large_db
    from sqlalchemy import update

    from apk_desktop.db.models import Project
    from apk_desktop.db.open import open_database
    from apk_desktop.db.services import setup

    generate_large_db.generate(str(path), **sizes)
    db = open_database(f"sqlite:///{path}")
    real_empty, real_fresh = setup.ensure_empty, generate_large_db._fresh_url
    setup.ensure_empty = lambda _session: None  # type: ignore[assignment]  # a 2nd project
    generate_large_db._fresh_url = lambda target: f"sqlite:///{target}"  # type: ignore[assignment]
    try:
        with db.unit_of_work() as session:
            b = setup.create_template_project(session).id
            session.execute(update(Project).values(is_current=Project.id == b))
        generate_large_db.generate(str(path), seed=8, **sizes)
        with db.unit_of_work() as session:
            session.execute(update(Project).values(is_current=Project.id == 1))
    finally:
        setup.ensure_empty = real_empty  # type: ignore[assignment]
        generate_large_db._fresh_url = real_fresh  # type: ignore[assignment]
        db.dispose()
    return 1, b


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    os.sync()
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--assistants", type=int, default=1000)
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20_000)
    args = parser.parse_args(argv)
    sizes = {k: getattr(args, k) for k in ("assistants", "assessments", "sessions")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["APK_DESKTOP_DATA_DIR"] = str(root / "data")
        from apk_desktop.backup.restore import restore_backup
        from apk_desktop.backup.service import create_backup, create_incremental

        db = root / "apk-desktop.sqlite3"
        began = time.perf_counter()
        a, _b = two_large_projects(db, sizes)
        print(
            f"two projects generated in {time.perf_counter() - began:.0f} s; database "
            f"{db.stat().st_size / 2**20:.1f} MB"
        )
        times: dict[str, list[float]] = {"whole": [], "project": [], "incremental": []}
        sizes_mb: dict[str, float] = {}
        for round_ in range(args.rounds):
            share = root / f"share-{round_}"
            share.mkdir()
            for key, project_id in (("whole", None), ("project", a)):
                spent, made = timed(
                    lambda p=project_id, s=share: create_backup(
                        db, s, project_id=p, name=f"{p}.zip"
                    )
                )
                times[key].append(spent)
                sizes_mb[key] = made.size / 2**20
            store = root / f"store-{round_}"
            spent, made = timed(lambda s=store: create_incremental(db, s, project_id=a))
            times["incremental"].append(spent)
            sizes_mb["incremental"] = made.size / 2**20
            print(
                f"round {round_ + 1}: whole database {times['whole'][-1]:.2f} s, project A "
                f"{times['project'][-1]:.2f} s, incremental (project A) "
                f"{times['incremental'][-1]:.2f} s"
            )
        median = {k: statistics.median(v) for k, v in times.items()}
        print(
            f"median: archive of the whole database {median['whole']:.2f} s "
            f"({sizes_mb['whole']:.1f} MB); archive of project A {median['project']:.2f} s "
            f"({sizes_mb['project']:.1f} MB); incremental backup of project A "
            f"{median['incremental']:.2f} s ({sizes_mb['incremental']:.1f} MB written)"
        )
        archive = root / "share-0" / f"{a}.zip"
        spent, _ = timed(lambda: restore_backup(archive, db))
        print(f"restore of project A next to B: {spent:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
