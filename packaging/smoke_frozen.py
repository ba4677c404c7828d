"""Smoke test of the frozen app (packaging/apk-desktop.spec), run by .ci/run under Xvfb:

    xvfb-run -a uv run python packaging/smoke_frozen.py dist/apk-desktop/apk-desktop

1. The window on an empty per-user data folder (found by platformdirs, as on a user's PC):
   it runs the migrations, shows the first-run wizard and quits cleanly (start-up trace).
2. The command line on a fresh data folder: ``--version``, ``init --demo``, ``print`` an
   attendance sheet to PDF (its Czech text is checked), ``import-scans`` reads that PDF back
   (pypdfium2, zxing-cpp), ``backup``, and ``verify`` with its Czech output in a latin-1 locale
   (as in a Windows code page).
3. The window on that folder: the main window shows the demo project and quits cleanly.
4. No warning in the app's logs (e.g. Czech Qt translations not found); the bundle holds the
   files whose absence the app would pass over in silence and the Qt modules of screens not
   opened here; nothing was written into the bundle.

Any failed step ends the script with exit code 1 and says which step failed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from apk_desktop import __version__, guide
from apk_desktop.db.migrate import HEAD
from apk_desktop.startup_trace import QUIT_ENV, READY, TRACE_ENV, WINDOW_SHOWN

STEP_TIMEOUT = 120  # seconds; a cold first start of the frozen app takes a few
APP_DIR = "APK Desktop"  # platformdirs' folder name (paths.base_data_dir)
DB_FILE = "apk-desktop.sqlite3"

# Files the app can run without, falling back quietly (slower, English or unhyphenated), and
# the lazily imported Qt modules of screens the smoke steps do not open (print preview, charts).
EXPECTED_IN_BUNDLE = (
    "PySide6/Qt/translations/qtbase_cs.qm",
    "pyphen/dictionaries/hyph_cs_CZ.dic",
    "holidays/locale/cs/LC_MESSAGES/CZ.mo",
    "_rl_accel*",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "apk_desktop/_resources/fonts/DejaVuSans.ttf",
    "apk_desktop/db/migrations/versions/0001_*.py",
    "PySide6/QtPdf.*",
    "PySide6/QtPdfWidgets.*",
    "PySide6/QtCharts.*",
    "PySide6/QtPrintSupport.*",
)

FIRST_SESSION_WITH_PARTICIPANT = """
    SELECT s.id, a.first_name || ' ' || a.last_name
    FROM training_session s
    JOIN session_participant p ON p.session_id = s.id
    JOIN assistant a ON a.id = p.assistant_id
    WHERE s.kind = 'training'
    ORDER BY s.id, p.id
    LIMIT 1
"""


class SmokeError(Exception):
    pass


@dataclass(frozen=True)
class Run:
    stdout: str
    seconds: float


class Frozen:
    def __init__(self, executable: Path, scratch: Path) -> None:
        self.executable = executable
        self.scratch = scratch

    def run(self, step: str, args: Sequence[str], env: Mapping[str, str]) -> Run:
        print(f"smoke-frozen: {step}", flush=True)
        started = time.monotonic()
        try:
            done = subprocess.run(
                [str(self.executable), *args],
                env=dict(env),
                capture_output=True,
                encoding="utf-8",
                errors="replace",  # a failure in a legacy locale shows too
                timeout=STEP_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:  # e.g. an error dialog nobody answers
            raise SmokeError(
                f"{step}: no end within {STEP_TIMEOUT} s\n"
                f"--- stdout\n{_text(exc.stdout)}\n--- stderr\n{_text(exc.stderr)}"
            ) from exc
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise SmokeError(
                f"{step}: exit code {done.returncode}\n"
                f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            )
        return Run(done.stdout, seconds)

    def window(self, step: str, env: dict[str, str]) -> float:
        """Start the window, wait until it quits by itself once ready; seconds to the window."""
        trace = self.scratch / f"trace-{len(list(self.scratch.glob('trace-*')))}.txt"
        env = env | {TRACE_ENV: str(trace), QUIT_ENV: "1", "QT_QPA_PLATFORM": "xcb"}
        started = time.monotonic()  # CLOCK_MONOTONIC, the clock the app writes to the trace
        self.run(step, [], env)
        marks = dict(line.split() for line in trace.read_text(encoding="utf-8").splitlines())
        for event in (WINDOW_SHOWN, READY):
            if event not in marks:
                raise SmokeError(f"{step}: the app never marked {event!r} (trace: {marks})")
        return float(marks[WINDOW_SHOWN]) - started


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def base_env(home: Path) -> dict[str, str]:
    """The CI's environment with the user's folders moved into ``home``: nothing the app
    writes lands in the real ones."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("APK_DESKTOP_", "XDG_", "QT_"))
    }
    return env | {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }


def legacy_locale(folder: Path) -> dict[str, str]:
    """Environment for a locale whose code page lacks Czech letters, as cp1252 on Windows."""
    name = "en_US.ISO-8859-1"
    folder.mkdir()
    made = subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(folder / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode not in (0, 1):  # 1: made, with warnings
        raise SmokeError(f"localedef failed (is the package 'locales' installed?):\n{made.stderr}")
    return {"LOCPATH": str(folder), "LC_ALL": name}


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*")}


def check_bundle(bundle: Path) -> None:
    internal = bundle / "_internal"
    missing = [pattern for pattern in EXPECTED_IN_BUNDLE if not any(internal.glob(pattern))]
    if missing:
        raise SmokeError(f"bundle: missing {missing}")
    bundled_guide = internal / "apk_desktop" / "_guide"  # paths.guide_dir() in the frozen app
    problems = guide.problems(bundled_guide)
    if problems:
        raise SmokeError(f"bundle: the user guide in {bundled_guide}: {problems[:5]}")


def check_revision(db: Path, step: str) -> None:
    if not db.is_file():
        raise SmokeError(f"{step}: no database at {db}")
    with sqlite3.connect(db) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision != (HEAD,):
        raise SmokeError(f"{step}: database at revision {revision}, expected {HEAD}")


def check_logs(data_dir: Path) -> None:
    for log in (data_dir / "logs").glob("*.log*"):
        bad = [
            line
            for line in log.read_text(encoding="utf-8").splitlines()
            if " WARNING " in line or " ERROR " in line or " CRITICAL " in line
        ]
        if bad:
            raise SmokeError(f"log {log} has warnings:\n" + "\n".join(bad))


def smoke(executable: Path, scratch: Path) -> list[str]:
    bundle = executable.parent
    frozen = Frozen(executable, scratch)
    before = snapshot(bundle)
    check_bundle(bundle)
    report = []

    # 1. The window on an empty data folder, found by platformdirs as on a user's PC.
    home = scratch / "home"
    env = base_env(home)
    seconds = frozen.window("first start on an empty data folder (first-run wizard)", env)
    user_data = home / ".local" / "share" / APP_DIR
    check_revision(user_data / DB_FILE, "first start")
    check_logs(user_data)
    report.append(f"first start: wizard on screen {seconds:.2f} s after launch")

    # 2. The command line on a fresh data folder.
    data = scratch / "data"
    env = base_env(scratch / "home2") | {"APK_DESKTOP_DATA_DIR": str(data)}
    run = frozen.run("--version", ["--version"], env)
    if __version__ not in run.stdout:
        raise SmokeError(f"--version: {run.stdout!r} does not name version {__version__}")
    run = frozen.run("init --demo", ["init", "--demo"], env)
    report.append(f"init --demo: {run.seconds:.2f} s")
    check_revision(data / DB_FILE, "init --demo")
    with sqlite3.connect(data / DB_FILE) as connection:
        session_id, name = connection.execute(FIRST_SESSION_WITH_PARTICIPANT).fetchone()
    sheet = f"PL-{session_id}"
    pdf = scratch / f"{sheet}.pdf"
    run = frozen.run(f"print {sheet}", ["print", sheet, "--out", str(pdf)], env)
    report.append(f"print {sheet}: {run.seconds:.2f} s")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for expected in ("Prezenční listina", name):
        if expected not in text:
            raise SmokeError(f"print {sheet}: {expected!r} not in the PDF's text:\n{text}")

    run = frozen.run(
        "import-scans (read the sheet back)", ["import-scans", "--json", str(pdf)], env
    )
    found = [s["sheet_id"] for s in json.loads(run.stdout)["sheets"]]
    if found != [sheet]:
        raise SmokeError(f"import-scans: read {found}, expected [{sheet!r}]")

    latin1 = legacy_locale(scratch / "locale")
    backups = scratch / "backups"
    frozen.run("backup", ["backup", "--to", str(backups)], env)
    snapshots = sorted((backups / "snapshots").glob("*.json"))
    if len(snapshots) != 1:
        raise SmokeError(f"backup: expected one snapshot, found {snapshots}")
    frozen.run("verify (output in a latin-1 locale)", ["verify", str(snapshots[0])], env | latin1)

    # 3. The window on the demo project: the main window.
    seconds = frozen.window("start on the demo project (main window)", env)
    check_logs(data)
    report.append(f"start on the demo project: main window on screen {seconds:.2f} s after launch")

    after = snapshot(bundle)
    if after != before:
        changed = sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k))
        raise SmokeError(f"the app wrote into its bundle: {changed[:10]}")
    return report


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: smoke_frozen.py dist/apk-desktop/apk-desktop", file=sys.stderr)
        return 2
    executable = Path(argv[0]).resolve()
    with tempfile.TemporaryDirectory(prefix="apk-frozen-smoke-") as scratch:
        try:
            report = smoke(executable, Path(scratch))
        except SmokeError as exc:
            print(f"smoke-frozen: FAILED: {exc}", file=sys.stderr)
            return 1
    for line in report:
        print(f"smoke-frozen: {line}")
    print("smoke-frozen: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
