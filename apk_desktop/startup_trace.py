"""Start-up marks for the start-up benchmark and the frozen-app smoke test.

With ``APK_DESKTOP_TRACE`` set to a file, the app appends one line per mark: the event and
``time.monotonic()`` (system-wide on Linux, so another process can compare it with its own
clock). With ``APK_DESKTOP_QUIT_WHEN_READY=1`` the app closes itself cleanly once it is ready.
Both unset (the user's case): nothing is written, nothing changes."""

from __future__ import annotations

import os
import time

TRACE_ENV = "APK_DESKTOP_TRACE"
QUIT_ENV = "APK_DESKTOP_QUIT_WHEN_READY"

WINDOW_SHOWN = "window-shown"  # the main window (or the first-run wizard) is on screen
READY = "ready"  # the dashboard shows its data (or the first-run wizard waits for the user)


def mark(event: str) -> None:
    path = os.environ.get(TRACE_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as trace:
        trace.write(f"{event} {time.monotonic():.6f}\n")


def quit_when_ready() -> bool:
    return os.environ.get(QUIT_ENV) == "1"
