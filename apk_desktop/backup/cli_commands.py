"""Headless ``backup``, ``restore``, ``verify`` and ``export-archive`` commands (for Task
Scheduler or cron). ``backup`` prints the path of the backup it made on its last line; ``verify``
and ``restore`` accept that path (a snapshot manifest) or a .zip archive.

Exit codes: 0 done, 1 failed (Czech message on stderr), 2 wrong usage, 3 verification failed.
Everything heavy is imported inside the handlers, so ``apk-desktop`` starts quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from apk_desktop.cli_exit import (
    EXIT_FAILED,
    EXIT_OK,
    add_project_option,
    fail,
    under_instance_lock,
)

EXIT_USAGE = 2
EXIT_VERIFY_FAILED = 3

BACKUP_FILE_HELP = "záloha: soubor snapshots/apk-zaloha-….json ve složce záloh, nebo archiv .zip"

Configure = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace], int]


def _error_code(exc: Exception) -> int:
    from apk_desktop.backup.errors import VerificationError

    return EXIT_VERIFY_FAILED if isinstance(exc, VerificationError) else EXIT_FAILED


def configure_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to", metavar="SLOŽKA", help="cílová složka (výchozí: složka nastavená v aplikaci)"
    )
    parser.add_argument(
        "--if-changed",
        action="store_true",
        help="zálohovat jen tehdy, když se data od poslední zálohy změnila",
    )
    add_project_option(parser)


def _project(url: str, requested: int | None) -> int | None:
    """The project the command backs up (``startup.project_for_command``: never a guess)."""
    from apk_desktop.db.open import open_database
    from apk_desktop.startup import project_for_command

    db = open_database(url)
    try:
        return project_for_command(db, requested)
    finally:
        db.dispose()


def run_backup(args: argparse.Namespace) -> int:
    from apk_desktop.backup import settings
    from apk_desktop.backup.describe import format_size
    from apk_desktop.backup.service import backup_now, folder_problem
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url

    problem = folder_problem(args.to) if args.to else None
    if problem is not None:
        return fail(problem, EXIT_USAGE)
    try:
        url = resolve_db_url(args.db)
        result = backup_now(
            url,
            settings.load(),
            folder=Path(args.to) if args.to else None,
            force=not args.if_changed,
            project_id=_project(url, args.project),
        )
    except AppError as exc:
        return fail(exc.message, _error_code(exc))
    if result.path is None:
        print("Data se od poslední zálohy nezměnila; nová záloha není potřeba.")
    else:
        for name in result.deleted:
            print(f"Smazána starší záloha podle pravidel uchovávání: {name}")
        print(f"Záloha vytvořena a ověřena (nově zapsáno {format_size(result.size)}):")
        print(result.path)
    return EXIT_OK


def configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        metavar="CÍL",
        required=True,
        help="existující složka (např. flash disk) nebo nový soubor .zip",
    )
    add_project_option(parser)


def run_export(args: argparse.Namespace) -> int:
    from apk_desktop.backup import settings
    from apk_desktop.backup.describe import format_size
    from apk_desktop.backup.service import export_archive
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url

    try:
        url = resolve_db_url(args.db)
        result = export_archive(
            url,
            Path(args.to),
            include_scans=settings.load().include_scans,
            project_id=_project(url, args.project),
        )
    except AppError as exc:
        return fail(exc.message, _error_code(exc))
    print(f"Archiv vytvořen a ověřen ({format_size(result.size)}):")
    print(result.path)
    return EXIT_OK


APP_RUNNING = (
    "Aplikace APK Desktop je spuštěná (nebo právě běží jiná obnova). Obnova by jí vyměnila "
    "databázi pod rukama a vše, co by v ní pak uložila, by se ztratilo. Zavřete ji a obnovu "
    "spusťte znovu. Data se nezměnila."
)


def configure_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="SOUBOR", help=BACKUP_FILE_HELP)
    parser.add_argument("--yes", action="store_true", help="neptat se na potvrzení")


def _confirmed() -> bool:
    try:
        answer = input(
            "Obnovit data z této zálohy? Současná data se nejdřív uloží do zálohy před obnovou. "
            "[a/N] "
        )
    except EOFError:
        return False
    return answer.strip().lower() in {"a", "ano", "y", "yes"}


def run_restore(args: argparse.Namespace) -> int:
    """Restore while holding the app's single-instance lock: never under a running app."""
    return under_instance_lock(lambda: _restore(args), APP_RUNNING)


def _restore(args: argparse.Namespace) -> int:
    from apk_desktop.backup.describe import describe_manifest
    from apk_desktop.backup.reader import read_manifest
    from apk_desktop.backup.restore import restore_backup
    from apk_desktop.backup.server import is_server_url
    from apk_desktop.backup.service import sqlite_path
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url

    path = Path(args.path)
    if not path.is_file():
        return fail(f"Soubor zálohy „{path}“ neexistuje nebo není dostupný.")
    try:
        url = resolve_db_url(args.db)
        server = is_server_url(url)
        db_path = None if server else sqlite_path(url)
        manifest = read_manifest(path)
        print(f"Záloha: {path}")
        print(describe_manifest(manifest))
        if not args.yes and not _confirmed():
            print("Obnova zrušena, data se nezměnila.", file=sys.stderr)
            return EXIT_FAILED
        if db_path is None:
            safety = _restore_into_server(path, url)
        else:
            safety = restore_backup(path, db_path).safety_backup
    except AppError as exc:
        return fail(exc.message, _error_code(exc))
    print("Data byla obnovena ze zálohy.")
    if safety:
        print(f"Původní data jsou uložena v záloze před obnovou: {safety}")
    return EXIT_OK


def _restore_into_server(path: Path, url: str) -> str:
    """Open (migrate) the server database first: its schema must be the app's."""
    from apk_desktop.backup.server import restore_into_server
    from apk_desktop.db.open import open_database

    open_database(url).dispose()
    return restore_into_server(path, url).safety_backup


def configure_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="SOUBOR", help=BACKUP_FILE_HELP)


def run_verify(args: argparse.Namespace) -> int:
    from apk_desktop.backup.describe import describe_manifest
    from apk_desktop.backup.service import verify_backup
    from apk_desktop.domain.errors import AppError

    path = Path(args.path)
    if not path.is_file():
        return fail(f"Soubor zálohy „{path}“ neexistuje nebo není dostupný.")
    try:
        manifest = verify_backup(path)
    except AppError as exc:
        return fail(exc.message, _error_code(exc))
    print(f"Záloha je v pořádku: {path}")
    print(describe_manifest(manifest))
    return EXIT_OK


COMMANDS: dict[str, tuple[str, Configure, Handler]] = {
    "backup": ("vytvořit a ověřit zálohu dat", configure_backup, run_backup),
    "restore": ("obnovit data ze zálohy", configure_restore, run_restore),
    "verify": ("ověřit soubor zálohy", configure_verify, run_verify),
    "export-archive": (
        "uložit současná data do jednoho archivu .zip (flash disk, předání dat)",
        configure_export,
        run_export,
    ),
}
