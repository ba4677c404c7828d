"""Benchmark: Projekt › Přepnout projekt… on the large database. Target: < 300 ms.

    QT_QPA_PLATFORM=offscreen uv run python benchmarks/project_switch.py \\
        [--sqlite /tmp/apk-large.sqlite3] [--postgres postgresql+psycopg://u:pw@localhost/db] \\
        [--runs 5]

Generate the database first with benchmarks/generate_large_db.py (its project: 1,000
assistants, 100,000 assessments, 20,000 sessions); a second, small project is added to it (once)
to switch to. Timed: from the switch to the window painted with the dashboard of the other
project (every screen built anew), both ways: to the small project and back to the large one.
Median of ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("APK_DESKTOP_DATA_DIR", tempfile.mkdtemp(prefix="apk-bench-"))

from PySide6.QtWidgets import QApplication

from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.db.seed import template_project
from apk_desktop.db.services.project import list_projects
from apk_desktop.db.services.setup import create_project
from apk_desktop.domain.setup import ProjectSetup
from apk_desktop.ui import project_switch
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow

TARGET_MS = 300
SMALL = replace(
    template_project(),
    name="Malý projekt (benchmark)",
    registration_number="CZ.03.02.01/00/22_999/0000002",
)


def _projects(db: Database) -> tuple[int, int]:
    """(the large project, a small one added beside it when there is none yet)."""
    with db.unit_of_work() as session:
        projects = list_projects(session)
        small = next((p.id for p in projects if p.name == SMALL.name), None)
        if small is None:
            small = create_project(session, ProjectSetup(SMALL), another=True).id
        large = next(p.id for p in projects if p.id != small)
    return large, small


def _switch(window: MainWindow, project_id: int) -> float:
    app = QApplication.instance()
    assert app is not None
    began = time.perf_counter()
    assert project_switch.switch(window, project_id)
    app.processEvents()
    window.stack.currentWidget().repaint()
    app.processEvents()
    return (time.perf_counter() - began) * 1000


def measure(db: Database, runs: int) -> tuple[float, float]:
    """(to the small project, back to the large one) in ms, medians of ``runs``."""
    large, small = _projects(db)
    window = MainWindow(AppContext(db=db, project_id=large))
    window.resize(1280, 720)
    window.show()
    QApplication.processEvents()
    there: list[float] = []
    back: list[float] = []
    for run in range(runs + 1):  # the first run warms imports and caches; not counted
        to_small, to_large = _switch(window, small), _switch(window, large)
        if run:
            there.append(to_small)
            back.append(to_large)
    window.close()
    return statistics.median(there), statistics.median(back)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", default="/tmp/apk-large.sqlite3")
    parser.add_argument("--postgres", default=os.environ.get("APK_BENCH_POSTGRES", ""))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    urls = {"SQLite": f"sqlite:///{args.sqlite}"}
    if args.postgres:
        urls["PostgreSQL"] = args.postgres
    worst = 0.0
    print(f"project_switch: median of {args.runs} runs, ms (target < {TARGET_MS} ms)")
    for name, url in urls.items():
        db = open_database(url)
        try:
            there, back = measure(db, args.runs)
        finally:
            db.dispose()
        worst = max(worst, there, back)
        print(f"  {name:<11} to the small project {there:6.0f}   back to the large {back:6.0f}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
