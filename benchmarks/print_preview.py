"""How long printing keeps the GUI thread busy: the read in the GUI thread vs the PDF build that
runs off it (ui.print_actions.Printer), for the team progress summary and one IDP.

    uv run python benchmarks/print_preview.py [path-to-large-db]

Generate the large database with benchmarks/generate_large_db.py first (1,000 assistants).
Target: the GUI thread is busy < 200 ms per print; the build may take seconds (progress dialog).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("APK_DESKTOP_DATA_DIR", tempfile.mkdtemp(prefix="apk-bench-"))

from sqlalchemy import select

from apk_desktop.db.database import Database
from apk_desktop.db.models.plans import Plan
from apk_desktop.db.services.plans import idp_sheet_data
from apk_desktop.db.services.progress import TeamProgress, sheet_inputs, team_progress
from apk_desktop.db.services.setup import current_or_template
from apk_desktop.sheets.base import SheetHeader
from apk_desktop.sheets.idp import IdpSheetData

T = TypeVar("T")
TODAY = date(2025, 11, 1)
LARGE = Path("/tmp/apk-large.sqlite3")


def ms(fn: Callable[[], T]) -> tuple[float, T]:
    began = time.perf_counter()
    result = fn()
    return (time.perf_counter() - began) * 1000, result


def main(argv: list[str]) -> None:
    from apk_desktop.sheets.idp import build_idp_pdf
    from apk_desktop.sheets.progress import team_progress_pdf

    path = Path(argv[0]) if argv else LARGE
    if not path.exists():
        print(f"{path} missing: run benchmarks/generate_large_db.py first")
        return
    db = Database(f"sqlite:///{path}")
    with db.unit_of_work() as session:
        pid = current_or_template(session).id
        plan_id = session.scalar(select(Plan.id).limit(1))

    def read_team() -> tuple[SheetHeader, str, TeamProgress]:
        with db.unit_of_work() as session:
            header, legend = sheet_inputs(session, pid)
            return header, legend, team_progress(session, pid, TODAY, with_evidence=True)

    read_team()  # warm-up (imports, SQLite page cache)
    read_ms, data = ms(read_team)
    header, legend, team = data
    build_ms, pdf = ms(lambda: team_progress_pdf(header, team, legend))
    print(f"Team progress summary, {len(team.rows)} people, {len(pdf) / 1024:.0f} KiB:")
    print(f"  read in the GUI thread        {read_ms:8.1f} ms")
    print(f"  build off the GUI thread      {build_ms:8.1f} ms")
    if plan_id is None:
        print("(no development plan in this database: IDP not measured)")
    else:

        def read_plan() -> IdpSheetData:
            with db.unit_of_work() as session:
                return idp_sheet_data(session, plan_id)

        read_plan()
        read_ms, plan = ms(read_plan)
        build_ms, _ = ms(lambda: build_idp_pdf(plan))
        print("Development plan (IDP):")
        print(f"  read in the GUI thread        {read_ms:8.1f} ms")
        print(f"  build off the GUI thread      {build_ms:8.1f} ms")
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
