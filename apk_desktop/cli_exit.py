"""What every headless command shares: its exit codes and how it reports an error."""

from __future__ import annotations

import argparse
import sys

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
