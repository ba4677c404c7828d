"""Speed of the progress and dashboard views and of the progress summary PDFs.

    uv run python benchmarks/progress_views.py [path-to-large-db]

Targets: views open in < 200 ms with 1,000 assistants and 100,000 assessments (generate the
database with benchmarks/generate_large_db.py first); the team progress summary PDF in
< 200 ms. Prints the median of several runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("APK_DESKTOP_DATA_DIR", tempfile.mkdtemp(prefix="apk-bench-"))

from PySide6.QtWidgets import QApplication

from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services.assessments import populate_sample_assessments
from apk_desktop.db.services.dashboard import dashboard
from apk_desktop.db.services.progress import (
    assistant_progress,
    sheet_inputs,
    team_progress,
)
from apk_desktop.db.services.setup import current_or_template
from apk_desktop.sheets.progress import assistant_progress_pdf, team_progress_pdf
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.dashboard import DashboardPage
from apk_desktop.ui.progress import ProgressView

TODAY = date(2025, 11, 1)
LARGE = Path("/tmp/apk-large.sqlite3")


def timed(label: str, fn: Callable[[], object], runs: int = 7) -> float:
    fn()  # warm-up (imports, fonts, SQLite page cache)
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    median = statistics.median(samples)
    print(f"  {label:<58} {median:8.1f} ms (min {min(samples):.1f})")
    return median


def bench(db: Database, title: str, pdf: bool) -> None:
    with db.unit_of_work() as session:
        pid = current_or_template(session).id
        first = team_progress(session, pid, TODAY).rows[0].person.assistant_id
    print(title)

    def in_session(fn: Callable[..., object]) -> Callable[[], object]:
        def run() -> object:
            with db.unit_of_work() as session:
                return fn(session)

        return run

    timed("service: team_progress", in_session(lambda s: team_progress(s, pid, TODAY)))
    timed("service: dashboard", in_session(lambda s: dashboard(s, pid, TODAY)))
    timed(
        "service: assistant_progress",
        in_session(lambda s: assistant_progress(s, pid, first, TODAY)),
    )
    ctx = AppContext(db=db, project_id=pid)

    def open_team_view() -> None:
        view = ProgressView(ctx, TODAY)
        view.resize(1200, 800)
        view.refresh()
        view.show()
        QApplication.processEvents()
        view.close()
        view.deleteLater()

    def open_person_view() -> None:
        view = ProgressView(ctx, TODAY)
        view.resize(1200, 800)
        view.load(first)  # what opening a person from the dashboard or the list does
        view.show()
        QApplication.processEvents()
        view.close()
        view.deleteLater()

    def open_dashboard() -> None:
        page = DashboardPage(ctx, TODAY)
        page.resize(1200, 800)
        page.refresh()
        page.show()
        QApplication.processEvents()
        page.close()
        page.deleteLater()

    timed("view: progress (team matrix), built + shown", open_team_view)
    timed("view: progress (one assistant, charts), built + shown", open_person_view)
    timed("view: dashboard, built + shown", open_dashboard)
    if pdf:

        def team_pdf() -> bytes:
            with db.unit_of_work() as session:
                header, legend = sheet_inputs(session, pid)
                data = team_progress(session, pid, TODAY, with_evidence=True)
            return team_progress_pdf(header, data, legend)

        def person_pdf() -> bytes:
            with db.unit_of_work() as session:
                header, legend = sheet_inputs(session, pid)
                data = assistant_progress(session, pid, first, TODAY)
            return assistant_progress_pdf(header, data, TODAY, legend)

        timed("PDF: team progress summary (query + build)", team_pdf)
        timed("PDF: one assistant's progress summary (query + build)", person_pdf)


def main(argv: list[str]) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app
    folder = Path(tempfile.mkdtemp(prefix="apk-bench-db-"))
    small = open_database(f"sqlite:///{folder / 'team.sqlite3'}")
    with small.unit_of_work() as session:
        pid = current_or_template(session).id
        populate_sample(session, pid)
        populate_sample_assessments(session, pid)
    bench(small, "Sample team (9 positions + 1 departed, 30 assessments):", pdf=True)
    small.dispose()
    large = Path(argv[0]) if argv else LARGE
    if not large.exists():
        print(f"{large} missing: run benchmarks/generate_large_db.py first")
        return
    db = Database(f"sqlite:///{large}")
    bench(db, f"Large database {large} (1,000 assistants, 100,000 assessments):", pdf=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
