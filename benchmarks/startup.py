"""Start-up time of the main window vs a bare PySide6 QMainWindow, and the app's peak memory.

Each run is a fresh ``python -c`` child (imports included) that creates a QApplication, builds
the window, shows it and processes events until it is exposed, then prints the elapsed seconds
and its peak RSS. The app is measured on an existing database (an ordinary start) and on a new
one (first start: migrations and the seed included).

    uv run python benchmarks/startup.py [repetitions]   (default 5; QT_QPA_PLATFORM is honoured)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
if sys.argv[1] == "app":
    from apk_desktop.app import build_main_window
    from apk_desktop.db.open import open_database
    from apk_desktop.db.services.setup import current_or_template
    db = open_database(sys.argv[2])
    with db.unit_of_work() as session:
        current_or_template(session)
    db.dispose()
    window = build_main_window(sys.argv[2])
else:
    window = QMainWindow()
    window.resize(1280, 800)
window.show()
while not window.windowHandle() or not window.windowHandle().isExposed():
    app.processEvents()
app.processEvents()
elapsed = time.perf_counter() - t0
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "rss_mb": rss_kb / 1024}))
"""


def _run(kind: str, folder: str, db_name: str) -> dict[str, float]:
    env = dict(os.environ, APK_DESKTOP_DATA_DIR=os.path.join(folder, "data"))
    if "DISPLAY" not in env:  # no screen: measure offscreen rather than abort
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    url = f"sqlite:///{os.path.join(folder, db_name)}"
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, "bare" if kind == "bare" else "app", url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main(repetitions: int = 5) -> None:
    kinds = ("bare", "app", "app-new")
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory() as folder:
        _run("app", folder, "existing.sqlite3")  # creates it; also warms the OS file cache
        for i in range(repetitions):
            runs["bare"].append(_run("bare", folder, "unused.sqlite3"))
            runs["app"].append(_run("app", folder, "existing.sqlite3"))
            runs["app-new"].append(_run("app-new", folder, f"new-{i}.sqlite3"))
    seconds = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    rss = {k: statistics.median(r["rss_mb"] for r in v) for k, v in runs.items()}
    default = "default" if "DISPLAY" in os.environ else "offscreen"
    platform = os.environ.get("QT_QPA_PLATFORM", default)
    print(f"start-up to a shown main window, median of {repetitions} (platform {platform}):")
    labels = {
        "bare": "bare QMainWindow         ",
        "app": "APK Desktop, existing DB ",
        "app-new": "APK Desktop, new DB      ",
    }
    for kind in kinds:
        print(f"  {labels[kind]}: {seconds[kind]:.3f} s   peak RSS {rss[kind]:.0f} MB")
    print(
        f"  ratio app/bare (existing DB): {seconds['app'] / seconds['bare']:.1f}x time, "
        f"{rss['app'] / rss['bare']:.2f}x memory"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
