"""Command line: ``apk-desktop`` opens the app; sub-commands run headless tasks."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from apk_desktop import APP_NAME, __version__

# Sub-commands register here: name -> (configure parser, run(args) -> exit code).
Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def _register_builtin_commands() -> None:
    from apk_desktop.access_command import COMMANDS as ACCESS_COMMANDS
    from apk_desktop.backup.cli_commands import COMMANDS as BACKUP_COMMANDS
    from apk_desktop.import_scans_command import COMMANDS as IMPORT_SCANS_COMMANDS
    from apk_desktop.init_command import COMMANDS as INIT_COMMANDS
    from apk_desktop.print_command import COMMANDS as PRINT_COMMANDS

    COMMANDS.update(BACKUP_COMMANDS)
    COMMANDS.update(INIT_COMMANDS)
    COMMANDS.update(PRINT_COMMANDS)
    COMMANDS.update(IMPORT_SCANS_COMMANDS)
    COMMANDS.update(ACCESS_COMMANDS)


_register_builtin_commands()


# argparse's own English phrases, in the order they are tried; the rest of a message is kept.
_CZECH = (
    (r"the following arguments are required: ", "chybí povinný argument: "),
    (r"unrecognized arguments: ", "neznámé argumenty: "),
    (r"invalid choice: ", "neplatná volba: "),
    (r"expected one argument", "očekává jednu hodnotu"),
    (r"\(choose from ", "(vyberte z "),
)
_HEADINGS = (
    ("usage: ", "použití: "),
    ("positional arguments:", "argumenty:"),
    ("options:", "volby:"),
    ("show this help message and exit", "zobrazí tuto nápovědu a skončí"),
)


def _translate(text: str, pairs: Sequence[tuple[str, str]], regex: bool) -> str:
    for english, czech in pairs:
        text = re.sub(english, czech, text) if regex else text.replace(english, czech)
    return text


class CzechArgumentParser(argparse.ArgumentParser):
    """argparse speaking Czech in usage, help and errors (exit code 2), so Task Scheduler logs
    and cron mail read like the rest of the app."""

    def format_usage(self) -> str:
        return _translate(super().format_usage(), _HEADINGS, regex=False)

    def format_help(self) -> str:
        return _translate(super().format_help(), _HEADINGS, regex=False)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: chyba: {_translate(message, _CZECH, regex=True)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = CzechArgumentParser(
        prog="apk-desktop",
        description="APK Desktop – aplikace mentora asistentů prevence kriminality.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help="zobrazí verzi aplikace a skončí",
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
    _log_to_file()
    return run(args)


def _log_to_file() -> None:
    """Headless runs log to the app's log file. Log lines (and tracebacks) never mix with the
    Czech messages on stderr, not even when the data folder is full or read-only."""
    import logging

    from apk_desktop.logging_setup import configure_logging

    logging.raiseExceptions = False  # a log file that cannot be written is not an error
    try:
        configure_logging()
    except OSError:
        logging.getLogger().addHandler(logging.NullHandler())


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
