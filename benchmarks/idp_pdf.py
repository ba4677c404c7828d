"""Benchmark: building one IDP (plán individuálního rozvoje) PDF. Target: under 50 ms after the
first build (the first one also loads reportlab and the fonts).

Run: ``uv run python benchmarks/idp_pdf.py [repeats]``. Uses a throw-away database with the
sample assistants and plans in a temporary folder.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(repeats: int = 30) -> int:
    folder = Path(tempfile.mkdtemp(prefix="apk-bench-"))
    os.environ["APK_DESKTOP_DATA_DIR"] = str(folder)
    from apk_desktop.db.open import open_database
    from apk_desktop.db.sample import populate_sample
    from apk_desktop.db.services import plans
    from apk_desktop.db.services.setup import current_or_template

    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    with db.unit_of_work() as session:
        project_id = current_or_template(session).id
        populate_sample(session, project_id)
        plan_ids = plans.populate_sample_plans(session, project_id)

    from apk_desktop.sheets.idp import build_idp_pdf

    def one(plan_id: int) -> tuple[float, float, int]:
        t0 = time.perf_counter()
        with db.unit_of_work() as session:
            data = plans.idp_sheet_data(session, plan_id)
        t1 = time.perf_counter()
        pdf = build_idp_pdf(data)
        t2 = time.perf_counter()
        return (t1 - t0) * 1000, (t2 - t1) * 1000, len(pdf)

    read_ms, build_ms, size = one(plan_ids[0])
    print(f"first IDP: read {read_ms:.1f} ms, build {build_ms:.1f} ms ({size} bytes)")
    reads, builds = [], []
    for index in range(repeats):
        r, b, _ = one(plan_ids[index % len(plan_ids)])
        reads.append(r)
        builds.append(b)
    total = [r + b for r, b in zip(reads, builds, strict=True)]
    print(
        f"next {repeats} IDPs: build median {statistics.median(builds):.1f} ms, "
        f"max {max(builds):.1f} ms; with DB read median {statistics.median(total):.1f} ms, "
        f"max {max(total):.1f} ms (target < 50 ms)"
    )
    db.dispose()
    return 0 if statistics.median(total) < 50 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
