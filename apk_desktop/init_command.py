"""Headless ``init``: start a project in an empty database without the window (city IT,
scripts). ``--template sokolov`` stores the Projekt APK Sokolov, ``--demo`` the sample year.

Exit codes: 0 done, 1 failed (Czech message on stderr; e.g. the database already holds a
project, which is never touched), 2 wrong usage.
"""

from __future__ import annotations

import argparse

from apk_desktop.cli_exit import EXIT_OK, fail

TEMPLATES = ("sokolov",)


def configure_init(parser: argparse.ArgumentParser) -> None:
    way = parser.add_mutually_exclusive_group(required=True)
    way.add_argument(
        "--template",
        choices=TEMPLATES,
        help="založit projekt podle vzoru (sokolov: Projekt APK Sokolov, k úpravě v Nastavení)",
    )
    way.add_argument(
        "--demo",
        action="store_true",
        help="naplnit databázi ukázkovými daty (rok práce, označeno UKÁZKA)",
    )


def run_init(args: argparse.Namespace) -> int:
    from apk_desktop.db.open import open_database
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url

    try:
        db = open_database(resolve_db_url(args.db))
    except AppError as exc:
        return fail(exc.message)
    try:
        with db.unit_of_work() as session:
            if args.demo:
                from apk_desktop.db.demo import populate_demo

                info = populate_demo(session)
            else:
                from apk_desktop.db.services.setup import create_template_project

                info = create_template_project(session)
    except AppError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    what = "Ukázková data založena" if args.demo else "Projekt založen"
    print(f"{what}: „{info.name}“ v databázi {db.display_name}.")
    if not args.demo:
        print("Údaje projektu zkontrolujte a upravte v aplikaci v Nastavení.")
    return EXIT_OK


COMMANDS = {"init": ("založit projekt v prázdné databázi", configure_init, run_init)}
