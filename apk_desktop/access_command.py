"""Headless commands for the administrator of a PostgreSQL server database (city IT), run with
the URL of the tables' owner in ``--db``: ``migrate`` brings the schema to this version of the
app, ``grant-access`` / ``revoke-access`` / ``list-access`` say which mentor's login role works
on which project (``db.access``).

Exit codes: 0 done, 1 failed (Czech message on stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from apk_desktop.cli_exit import EXIT_OK, fail

if TYPE_CHECKING:  # importing the database layer when the app starts would slow it
    from apk_desktop.db.database import Database


def configure_migrate(_parser: argparse.ArgumentParser) -> None:
    """No options: the database is the one of ``--db``."""


def run_migrate(args: argparse.Namespace) -> int:
    from apk_desktop.db import access, migrate
    from apk_desktop.db.open import open_database
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url

    try:
        db = open_database(resolve_db_url(args.db))
    except AppError as exc:
        return fail(exc.message)
    try:
        roles: list[str] = []
        server = db.engine.dialect.name == "postgresql"
        if server and migrate.server_rights(db.engine) is migrate.ServerRights.MIGRATE:
            with db.engine.begin() as connection:
                roles = access.regrant_members(connection)
    except AppError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    print(f"Databáze {db.display_name} je aktuální (verze schématu {migrate.HEAD}).")
    if roles:
        print(f"Práva obnovena rolím: {', '.join(roles)}.")
    return EXIT_OK


def _role_and_project(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", metavar="ROLE", help="přihlašovací role mentora na serveru")
    parser.add_argument(
        "--project",
        metavar="ČÍSLO",
        type=int,
        help="číslo projektu (vypíše ho list-access); bez něj u grant-access jen práva "
        "zakládat vlastní projekty, u revoke-access všechny projekty a práva",
    )


def run_grant(args: argparse.Namespace) -> int:
    from apk_desktop.db import access

    def grant(db: Database) -> None:
        name = access.grant_access(db, args.role, args.project)
        if name is None:
            print(f"Role „{args.role}“ smí pracovat v aplikaci a zakládat vlastní projekty.")
        else:
            print(f"Role „{args.role}“ má přístup k projektu č. {args.project} „{name}“.")

    return _with_database(args, grant)


def run_revoke(args: argparse.Namespace) -> int:
    from apk_desktop.db import access

    def revoke(db: Database) -> None:
        which = "žádnému projektu" if args.project is None else f"projektu č. {args.project}"
        if access.revoke_access(db, args.role, args.project):
            print(f"Role „{args.role}“ už nemá přístup k {which}.")
        else:
            print(f"Role „{args.role}“ přístup k {which} neměla.")

    return _with_database(args, revoke)


def configure_list(_parser: argparse.ArgumentParser) -> None:
    """No options: every membership of the ``--db`` database."""


def run_list(args: argparse.Namespace) -> int:
    from apk_desktop.db import access

    def show(db: Database) -> None:
        memberships = access.list_access(db)
        if not memberships:
            print("Žádná role zatím nemá přístup k žádnému projektu (vlastník vidí všechny).")
        for m in memberships:
            print(f"{m.role_name}\tprojekt č. {m.project_id}\t{m.project_name}")

    return _with_database(args, show)


def _with_database(args: argparse.Namespace, work: Callable[[Database], None]) -> int:
    from apk_desktop.db.open import open_database
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url

    try:
        db = open_database(resolve_db_url(args.db))
    except AppError as exc:
        return fail(exc.message)
    try:
        work(db)
    except AppError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    return EXIT_OK


COMMANDS = {
    "migrate": (
        "aktualizovat schéma databáze na verzi této aplikace (správce serveru)",
        configure_migrate,
        run_migrate,
    ),
    "grant-access": (
        "přidělit roli mentora přístup k projektu (databáze na serveru)",
        _role_and_project,
        run_grant,
    ),
    "revoke-access": (
        "odebrat roli mentora přístup k projektu (databáze na serveru)",
        _role_and_project,
        run_revoke,
    ),
    "list-access": (
        "vypsat, které role mají přístup ke kterým projektům (databáze na serveru)",
        configure_list,
        run_list,
    ),
}
