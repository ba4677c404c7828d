"""A test-only seam for real kill -9 tests: with ``APK_DESKTOP_FAULT_PAUSE_AT=<point>`` in its
environment the process stops itself (SIGSTOP) when it reaches ``point``; the test waits for
that (``os.waitpid(pid, WUNTRACED)``) and kills it there. Unset, it costs one dict lookup."""

from __future__ import annotations

import os
import signal

PAUSE_ENV = "APK_DESKTOP_FAULT_PAUSE_AT"


def pause_at(point: str) -> None:
    if os.environ.get(PAUSE_ENV) == point and hasattr(signal, "SIGSTOP"):
        os.kill(os.getpid(), signal.SIGSTOP)
