"""Benchmark: "Vyzkoušet na ukázkových datech" – creating the demo database (a year of plans,
assessments, sessions with attendance and PDF scans). It runs off the GUI thread behind a
progress dialog; target: under 10 s on an office PC.

Run: ``uv run python benchmarks/demo_data.py [repeats]`` (throw-away data folders).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time


def main(repeats: int = 3) -> int:
    from apk_desktop import startup
    from apk_desktop.db.services.sessions import count_sessions

    times: list[float] = []
    for _ in range(repeats):
        os.environ["APK_DESKTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="apk-bench-")
        started = time.perf_counter()
        db, project_id = startup.open_demo()
        times.append(time.perf_counter() - started)
        with db.unit_of_work() as session:
            sessions = count_sessions(session, project_id)
        db.dispose()
        startup.leave_demo()
    print(
        f"demo database ({sessions} sessions): median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s (target < 10 s)"
    )
    return 0 if max(times) < 10 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
