"""Command line: ``apk-desktop`` opens the app; sub-commands run headless tasks."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

# Sub-commands register here: name -> (configure parser, run(args) -> exit code).
Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def _register_builtin_commands() -> None:
    from apk_desktop.backup.cli_commands import COMMANDS as BACKUP_COMMANDS

    COMMANDS.update(BACKUP_COMMANDS)


_register_builtin_commands()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apk-desktop",
        description="APK Desktop – aplikace mentora asistentů prevence kriminality.",
    )
    parser.add_argument(
        "--db",
        metavar="CESTA_NEBO_URL",
        help="soubor databáze SQLite nebo URL databáze (např. postgresql+psycopg://…); "
        "výchozí: proměnná APK_DESKTOP_DB nebo složka dat aplikace",
    )
    sub = parser.add_subparsers(dest="command", metavar="PŘÍKAZ")
    for name, (help_text, configure, _run) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text))
    return parser


def run_command(args: argparse.Namespace) -> int:
    _help, _configure, run = COMMANDS[args.command]
    return run(args)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
