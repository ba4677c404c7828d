"""Start-up of the whole app process vs a bare PySide6 window process, under one X server.

Both are started the same way, by the same interpreter, on the same Xvfb (started once here,
platform xcb): the bare one is ``python -c`` that shows a QMainWindow and marks when it is
exposed; the app is ``python -m apk_desktop`` with APK_DESKTOP_TRACE (its start-up marks) and
APK_DESKTOP_QUIT_WHEN_READY=1 (it closes itself once ready). Times run from just before the
spawn (``time.monotonic`` here; CLOCK_MONOTONIC is system-wide) to each mark:

- window visible: ``window-shown`` (the main window exposed);
- ready: ``ready`` (the dashboard filled with data; on a first start the first-run wizard shown).

A third process, "bare + ORM", is the bare window that then imports SQLAlchemy's ORM and the
app's models and marks ``ready``: the least any screen that reads through the ORM must load.

The app runs on an existing database (the demo data: a year of work) and on a first start (an
empty data folder: the migrations run and the wizard is shown). Peak memory is the child's
ru_maxrss from ``wait4`` (its VmHWM). Median of N runs; targets from issue 12.

    uv run python benchmarks/startup.py [runs]   (default 7; needs Xvfb)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

BARE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

def mark(event):
    with open(os.environ["APK_DESKTOP_TRACE"], "a", encoding="utf-8") as trace:
        trace.write(f"{event} {time.monotonic():.6f}\n")

class Exposed(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose and watched.isExposed():
            watched.removeEventFilter(self)
            mark("window-shown")
            if sys.argv[1:] == ["orm"]:  # what any dashboard read through the ORM must load
                import sqlalchemy.orm, apk_desktop.db.models
            mark("ready")
            app.quit()
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 720)
window.winId()
exposed = Exposed()
window.windowHandle().installEventFilter(exposed)
window.show()
sys.exit(app.exec())
"""

WINDOW_TARGET = 1.5  # window visible within 1.5x the bare window
READY_TARGET = 2.5  # dashboard filled (or the wizard shown) within 2.5x
RSS_TARGET_MB = 150


@dataclass(frozen=True)
class Run:
    window: float  # s from spawn to window-shown
    ready: float  # s from spawn to ready
    rss_mb: float  # peak resident memory
    bare: float  # the bare window's time in the same round: the ratio is taken per round


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display; its number is read from -displayfd once it accepts clients."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise SystemExit("Xvfb did not start")
    return server, f":{number}"


def run_once(command: list[str], env: dict[str, str], trace: Path, bare: float = 0.0) -> Run:
    trace.unlink(missing_ok=True)
    env = {**env, "APK_DESKTOP_TRACE": str(trace), "APK_DESKTOP_QUIT_WHEN_READY": "1"}
    started = time.monotonic()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=False
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.stderr is not None
    errors = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if child.returncode != 0:
        raise SystemExit(f"{command[-1]} exited with {child.returncode}:\n{errors}")
    marks: dict[str, float] = {}
    for line in trace.read_text(encoding="utf-8").splitlines():
        event, stamp = line.split()
        marks.setdefault(event, float(stamp) - started)
    return Run(marks["window-shown"], marks["ready"], usage.ru_maxrss / 1024, bare)


def main(runs: int = 7) -> None:
    if shutil.which("Xvfb") is None:
        raise SystemExit("Xvfb is needed (apt package xvfb)")
    server, display = start_xvfb()
    folder = Path(tempfile.mkdtemp(prefix="apk-startup-"))
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith("APK_DESKTOP_")}
        base.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
        base.pop("WAYLAND_DISPLAY", None)
        # Bytecode as an installed app has it, written by the warm-up round into a folder of
        # our own (the source tree stays clean), even where PYTHONDONTWRITEBYTECODE is set.
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        existing_data = folder / "existing"
        existing = {**base, "APK_DESKTOP_DATA_DIR": str(existing_data)}
        subprocess.run(
            [sys.executable, "-m", "apk_desktop", "init", "--demo"],
            env=existing,
            check=True,
            capture_output=True,
        )
        app = [sys.executable, "-m", "apk_desktop"]
        bare = [sys.executable, "-c", BARE]
        trace = folder / "trace.txt"
        results: dict[str, list[Run]] = {kind: [] for kind in LABELS}
        for i in range(runs + 1):  # the first round compiles the bytecode and is dropped
            first = {**base, "APK_DESKTOP_DATA_DIR": str(folder / f"first-{i}")}
            alone = run_once(bare, base, trace)
            round_ = {
                "bare": replace(alone, bare=alone.window),
                "orm": run_once([*bare, "orm"], base, trace, alone.window),
                "existing": run_once(app, existing, trace, alone.window),
                "first": run_once(app, first, trace, alone.window),
            }
            if i:
                for kind, result in round_.items():
                    results[kind].append(result)
        report(results, runs, display)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


LABELS = {
    "bare": "bare PySide6 QMainWindow",
    "orm": "bare + ORM (SQLAlchemy + models)",
    "existing": "APK Desktop, existing database",
    "first": "APK Desktop, first start (wizard)",
}


def report(results: dict[str, list[Run]], runs: int, display: str) -> None:
    """Medians; each ratio is the median of the per-round ratios to that round's bare window
    (the machine's load drifts less within a round than across the whole run)."""

    def median(kind: str, value: Callable[[Run], float]) -> float:
        return statistics.median(value(r) for r in results[kind])

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Start-up, whole processes under one Xvfb ({display}, xcb), median of {runs} runs")
    print(f"  ({os.cpu_count()} CPUs, load average {load}: other work on the machine shows here)")
    print(f"  {'':34} {'window':>8} {'ratio':>6} {'ready':>8} {'ratio':>6} {'peak RSS':>9}")
    for kind, label in LABELS.items():
        print(
            f"  {label:34} {median(kind, lambda r: r.window):7.3f}s "
            f"{median(kind, lambda r: r.window / r.bare):5.2f}x "
            f"{median(kind, lambda r: r.ready):7.3f}s "
            f"{median(kind, lambda r: r.ready / r.bare):5.2f}x "
            f"{median(kind, lambda r: r.rss_mb):6.0f} MB"
        )
    print(
        f"  targets: window <= {WINDOW_TARGET}x bare, ready <= {READY_TARGET}x bare, "
        f"peak RSS < {RSS_TARGET_MB} MB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
