"""The start-up trace that the benchmark and the frozen-app smoke test read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apk_desktop import startup_trace


def _start_app(data: Path, trace: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "APK_DESKTOP_DATA_DIR": str(data),
        "QT_QPA_PLATFORM": "offscreen",
        startup_trace.TRACE_ENV: str(trace),
        startup_trace.QUIT_ENV: "1",
    }
    env.pop("APK_DESKTOP_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "apk_desktop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def _events(trace: Path) -> list[str]:
    return [line.split()[0] for line in trace.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("first_start", [True, False], ids=["first-run wizard", "main window"])
def test_the_app_marks_its_start_and_quits_cleanly_when_asked(
    tmp_path: Path, first_start: bool
) -> None:
    data = tmp_path / "data"
    if not first_start:
        init = [sys.executable, "-m", "apk_desktop", "init", "--template", "sokolov"]
        env = {**os.environ, "APK_DESKTOP_DATA_DIR": str(data)}
        subprocess.run(init, env=env, check=True, capture_output=True)
    trace = tmp_path / "trace.txt"
    run = _start_app(data, trace)
    assert run.returncode == 0, run.stderr
    assert _events(trace) == [startup_trace.WINDOW_SHOWN, startup_trace.READY]
    assert (data / "apk-desktop.sqlite3").is_file()  # migrated on the way


def test_without_the_variable_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(startup_trace.TRACE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    startup_trace.mark(startup_trace.READY)
    assert list(tmp_path.iterdir()) == []
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv(startup_trace.TRACE_ENV, str(trace))
    startup_trace.mark(startup_trace.READY)
    startup_trace.mark(startup_trace.READY)
    assert _events(trace) == [startup_trace.READY, startup_trace.READY]
