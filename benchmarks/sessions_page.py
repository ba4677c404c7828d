"""Benchmark: opening the "Vzdělávání a supervize" page with 20 000 sessions. Target: < 200 ms.

Measures in one run, on the database of benchmarks/sessions_list.py (its generator):
- the service's first page of the session list (newest first), with the total count;
- the same for the "Chybějící podepsané listiny" tab;
- the real page open: a fresh main window (not timed) shows the page through its page factory
  (``MainWindow.show_page("sessions")``), the events are processed until the first rows are in
  the model and painted;
- the missing-evidence tab switch, a click on the "Téma" header (sort in SQL) and scrolling one
  page further (``fetchMore``).
Each number is the median of several runs.

Run: ``QT_QPA_PLATFORM=offscreen uv run python benchmarks/sessions_page.py [sessions] [runs]``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time as clock
from collections.abc import Callable

from sessions_list import generate

TARGET_MS = 200


def _median_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = clock.perf_counter()
        action()
        timings.append((clock.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main(count: int = 20_000, runs: int = 7) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    db, pid, _folder = generate(count)

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from apk_desktop.db.services import evidence as evidence_service
    from apk_desktop.db.services import sessions as session_service
    from apk_desktop.ui.context import AppContext
    from apk_desktop.ui.main_window import MainWindow
    from apk_desktop.ui.sessions import SessionsPage

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    results: dict[str, float] = {}

    def first_page() -> None:
        with db.unit_of_work() as session:
            page = session_service.session_page(session, pid, limit=200, with_total=True)
            assert len(page.rows) == 200 and page.total == count

    def missing_first_page() -> None:
        with db.unit_of_work() as session:
            page = evidence_service.missing_evidence_page(session, pid, limit=200)
            assert page.rows and page.total

    first_page()  # warm the OS file cache
    results["service first page (200 rows + count)"] = _median_ms(first_page, runs)
    results["service missing-evidence first page"] = _median_ms(missing_first_page, runs)

    opened: list[float] = []
    tab_switch: list[float] = []
    header_sort: list[float] = []
    scroll: list[float] = []
    shown = 0
    for _ in range(runs):
        window = MainWindow(AppContext(db=db, project_id=pid))
        window.show()
        app.processEvents()
        started = clock.perf_counter()
        page = window.show_page("sessions")
        assert isinstance(page, SessionsPage)
        while page.model.rowCount() == 0:
            app.processEvents()
        app.processEvents()  # paint
        opened.append((clock.perf_counter() - started) * 1000)
        shown = page.model.rowCount()

        started = clock.perf_counter()
        page.tabs.setCurrentWidget(page.missing_table)
        app.processEvents()
        tab_switch.append((clock.perf_counter() - started) * 1000)
        page.tabs.setCurrentWidget(page.table)
        app.processEvents()

        started = clock.perf_counter()
        page.table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.AscendingOrder)
        app.processEvents()
        header_sort.append((clock.perf_counter() - started) * 1000)

        started = clock.perf_counter()
        before = page.model.rowCount()
        page.table.scrollToBottom()
        app.processEvents()
        if page.model.rowCount() == before and page.model.canFetchMore():
            page.model.fetchMore()
        scroll.append((clock.perf_counter() - started) * 1000)
        window.close()
        window.deleteLater()
        app.processEvents()
    results[f"page open via main window ({shown} rows shown)"] = statistics.median(opened)
    results["switch to missing-evidence tab"] = statistics.median(tab_switch)
    results["click 'Téma' header (SQL sort, first page)"] = statistics.median(header_sort)
    results["scroll to the bottom (fetchMore one page)"] = statistics.median(scroll)
    db.dispose()
    print(f"sessions_page: {count} sessions, median of {runs} runs (target < {TARGET_MS} ms):")
    for label, value in results.items():
        print(f"  {label:<48} {value:7.1f} ms")
    worst = max(statistics.median(opened), results["service first page (200 rows + count)"])
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 20_000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 7,
        )
    )
