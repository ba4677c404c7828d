"""Test seam for real kills: ``APK_DESKTOP_FAULT_PAUSE_AT=<name>`` makes the process stop itself
(SIGSTOP) when it reaches ``fault_point(name)``. A test waits for the stop
(``os.waitpid(pid, os.WUNTRACED)``) and then kills it with SIGKILL at exactly that point, with
no sleeps. Unset (always, outside tests), a point costs one environment lookup."""

from __future__ import annotations

import os
import signal

FAULT_ENV = "APK_DESKTOP_FAULT_PAUSE_AT"


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) == name and hasattr(signal, "SIGSTOP"):
        os.kill(os.getpid(), signal.SIGSTOP)
