"""``apk-desktop move --to CÍL``: move the data (rows and signed scans) of the database given by
``--db`` (or the default one) into an empty SQLite file or PostgreSQL database, then print the
comparison: rows per table in the source and the target, and the scans whose SHA-256 match.

Exit codes: 0 moved and checked, 1 failed (Czech message on stderr; the target is left empty),
3 the copy did not match the source (the table shows where; the target is left empty)."""

from __future__ import annotations

import argparse

from apk_desktop.cli_exit import EXIT_OK, fail, under_instance_lock

EXIT_MISMATCH = 3
APP_RUNNING = (
    "Aplikace APK Desktop je spuštěná. Zavřete ji, aby se během přesunu nic neměnilo, "
    "a přesun spusťte znovu. Data se nezměnila."
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        metavar="CESTA_NEBO_URL",
        required=True,
        help="prázdná cílová databáze: soubor SQLite (skeny pak do složky dat aplikace) "
        "nebo URL databáze na serveru (postgresql+psycopg://uživatel:heslo@server/apk)",
    )


def run(args: argparse.Namespace) -> int:
    """Under the app's single-instance lock: nothing changes the source meanwhile."""
    return under_instance_lock(lambda: _move(args), APP_RUNNING)


def _move(args: argparse.Namespace) -> int:
    from apk_desktop.db.move import MoveError, describe_target, move_data
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url, scans_dir

    try:
        source, target = resolve_db_url(args.db), resolve_db_url(args.to)
        print(f"Přesouvám data z „{describe_target(source)}“ do „{describe_target(target)}“…")
        report = move_data(source, target, source_scans=scans_dir(), target_scans=scans_dir())
    except MoveError as exc:
        if exc.report is not None:
            print(exc.report.table_text())
            return fail(f"{exc.message}\n" + "\n".join(exc.report.problems()), EXIT_MISMATCH)
        return fail(exc.message)
    except AppError as exc:
        return fail(exc.message)
    print(report.table_text())
    print("Data byla přesunuta a zkontrolována; zdrojová databáze zůstala beze změny.")
    return EXIT_OK


COMMANDS = {
    "move": ("přesunout data do jiné (prázdné) databáze, SQLite ↔ PostgreSQL", configure, run),
}
