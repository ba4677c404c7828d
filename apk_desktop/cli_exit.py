"""What every headless command shares: its exit codes and how it reports an error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

EXIT_OK = 0
EXIT_FAILED = 1  # a Czech message on stderr says why


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print ``Chyba: message`` to stderr and return ``code`` (for ``return fail(...)``)."""
    print(f"Chyba: {message}", file=sys.stderr)
    return code


def add_project_option(parser: argparse.ArgumentParser) -> None:
    """``--project ID`` for a command that acts on one project of a database with several."""
    parser.add_argument(
        "--project",
        metavar="ČÍSLO",
        type=int,
        help="číslo projektu, když databáze obsahuje několik projektů "
        "(výchozí: ten, se kterým se na tomto počítači pracovalo naposledy)",
    )


def under_instance_lock(work: Callable[[], int], app_running: str) -> int:
    """Run ``work`` holding the app's single-instance lock (a command that must not run under
    a running app); ``app_running`` says why it refused when the app holds the lock."""
    from apk_desktop import instance_lock
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import data_dir

    try:
        lock = instance_lock.acquire(data_dir())
    except AppError as exc:
        return fail(exc.message)
    if lock is None:
        return fail(app_running)
    try:
        return work()
    finally:
        lock.release()
