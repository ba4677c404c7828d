"""Benchmark: every main screen of the real main window on the large database, SQLite and
PostgreSQL side by side. Target: each screen < 200 ms.

    QT_QPA_PLATFORM=offscreen uv run python benchmarks/screens_large.py \\
        [--sqlite /tmp/apk-large.sqlite3] [--postgres postgresql+psycopg://u:pw@localhost/db] \\
        [--postgres-mentor postgresql+psycopg://mentor@localhost/db] [--runs 5]

Generate both databases first with benchmarks/generate_large_db.py (1,000 assistants, 100,000
assessments, 20,000 sessions). For each backend and screen: a fresh main window at 1280x720
(not timed), a mouse click on the screen's navigation item, then the events are processed until
the page is shown with its data and painted ("first open": the page is built and loaded);
then a click elsewhere and back ("again": the page only refreshes). Median of ``--runs``.

``--postgres-mentor`` opens the same server database as a mentor's login role, whose rows pass
the row-level security policies (migration 0012; grant it first with ``apk-desktop --db OWNER
grant-access ROLE --project 1``); the owner of the tables (``--postgres``) bypasses them.
``--sqlite ""`` leaves SQLite out.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("APK_DESKTOP_DATA_DIR", tempfile.mkdtemp(prefix="apk-bench-"))

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.db.services.setup import current_or_template
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pages import PAGES

TARGET_MS = 200
KEYS = [spec.key for spec in PAGES]


def _click(window: MainWindow, key: str) -> float:
    """Milliseconds from a click on the navigation item to the page painted with its data."""
    app = QApplication.instance()
    assert app is not None
    item = window.nav.item(KEYS.index(key))
    where = window.nav.visualItemRect(item).center()
    began = time.perf_counter()
    QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=where)
    app.processEvents()
    window.stack.currentWidget().repaint()
    app.processEvents()
    elapsed = (time.perf_counter() - began) * 1000
    assert window.stack.currentWidget() is window.page(key)
    return elapsed


def measure(db: Database, runs: int) -> dict[str, tuple[float, float]]:
    """key → (first open, again) in ms, medians of ``runs``."""
    with db.unit_of_work() as session:
        pid = current_or_template(session).id
    first: dict[str, list[float]] = {key: [] for key in KEYS}
    again: dict[str, list[float]] = {key: [] for key in KEYS}
    for run in range(runs + 1):  # the first run warms imports and caches; not counted
        for key in KEYS:
            window = MainWindow(AppContext(db=db, project_id=pid))
            window.resize(1280, 720)
            window.show()
            other = "settings" if key != "settings" else "backups"
            _click(window, other)
            opened = _click(window, key)
            _click(window, other)
            repeated = _click(window, key)
            if run:
                first[key].append(opened)
                again[key].append(repeated)
            window.close()
            window.deleteLater()
            QApplication.processEvents()
    return {key: (statistics.median(first[key]), statistics.median(again[key])) for key in KEYS}


def _row(label: str, values: list[float]) -> str:
    cells = "".join(f"{v:13.0f}{'*' if v >= TARGET_MS else ' '}" for v in values)
    return f"  {label:<12}{cells}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", default="/tmp/apk-large.sqlite3")
    parser.add_argument("--postgres", default=os.environ.get("APK_BENCH_POSTGRES", ""))
    parser.add_argument("--postgres-mentor", default="")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    backends: dict[str, Callable[[], Database]] = {}
    if args.sqlite:
        backends["SQLite"] = lambda: open_database(f"sqlite:///{args.sqlite}")
    if args.postgres:
        backends["PostgreSQL"] = lambda: open_database(args.postgres)
    if args.postgres_mentor:
        backends["PG RLS"] = lambda: open_database(args.postgres_mentor)
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for name, opener in backends.items():
        db = opener()
        try:
            results[name] = measure(db, args.runs)
        finally:
            db.dispose()
    names = list(results)
    header = "".join(f"{n[:6] + ' 1st':>14}{n[:6] + ' again':>14}" for n in names)
    print(f"screens_large: median of {args.runs} runs, ms (* = over {TARGET_MS} ms)")
    print(f"  {'screen':<12}{header}")
    worst = 0.0
    for key in KEYS:
        values = [v for n in names for v in results[n][key]]
        worst = max(worst, *values)
        print(_row(key, values))
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
