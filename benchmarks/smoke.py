"""Smoke test of the real app: start it, wait for the main window to show, quit cleanly.

Run by .ci/run under Xvfb with the xcb platform: ``xvfb-run uv run python benchmarks/smoke.py``.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    QApplication(sys.argv)  # run_gui reuses it; the timers need it to exist
    QTimer.singleShot(200, _quit_when_shown)
    QTimer.singleShot(60_000, lambda: sys.exit("smoke: no window within 60 s"))
    code = main([])
    print(f"smoke: exit code {code}")
    sys.exit(code)
