"""Smoke test of the real app: start it, wait for the main window to show, quit cleanly.

Run by .ci/run under Xvfb with the xcb platform: ``xvfb-run uv run python benchmarks/smoke.py``,
on a data folder that holds a project (``apk-desktop init --template sokolov``); an empty one
opens the first-run wizard instead, which this script does not answer.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from apk_desktop.__main__ import main


def _quit_when_shown() -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    windows = [w for w in app.topLevelWidgets() if w.isVisible() and w.windowTitle()]
    if not windows:
        QTimer.singleShot(100, _quit_when_shown)
        return
    print(f"smoke: window shown: {windows[0].windowTitle()!r} on {app.platformName()}")
    windows[0].close()


def _give_up() -> None:
    print("smoke: no main window within 60 s", file=sys.stderr, flush=True)
    os._exit(1)  # sys.exit inside a Qt slot would not end the event loop


if __name__ == "__main__":
    QApplication(sys.argv)  # run_gui reuses it; the timers need it to exist
    QTimer.singleShot(200, _quit_when_shown)
    QTimer.singleShot(60_000, _give_up)
    code = main([])
    print(f"smoke: exit code {code}")
    sys.exit(code)
