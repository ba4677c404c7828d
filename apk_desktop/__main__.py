"""Entry point of the ``apk-desktop`` console script."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from apk_desktop import cli


def main(argv: Sequence[str] | None = None) -> int:
    args = cli.parse(argv)
    if args.command:
        return cli.run_command(args)
    from apk_desktop.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
