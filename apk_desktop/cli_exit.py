"""What every headless command shares: its exit codes and how it reports an error."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_FAILED = 1  # a Czech message on stderr says why


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print ``Chyba: message`` to stderr and return ``code`` (for ``return fail(...)``)."""
    print(f"Chyba: {message}", file=sys.stderr)
    return code
