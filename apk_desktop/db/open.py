"""Open a database ready for use: migrated to the newest schema. A new database holds no
project: the first-run wizard or ``apk-desktop init`` creates one (``services.setup``)."""

from __future__ import annotations

from sqlalchemy import URL, make_url, text
from sqlalchemy.exc import DBAPIError

from apk_desktop.db import migrate
from apk_desktop.db.database import Database
from apk_desktop.db.services.assessments import ensure_default_scales
from apk_desktop.domain.errors import StorageUnavailableError


def open_database(url: str) -> Database:
    db = Database(url)
    try:  # a missing file folder, a server that is down, a wrong password: say so in Czech
        with db.engine.connect():
            pass
    except DBAPIError as exc:
        db.dispose()
        raise StorageUnavailableError(
            f"Databázi „{db.display_name}“ se nepodařilo otevřít. Zkontrolujte cestu k souboru "
            "(u serveru jeho dostupnost a přihlašovací údaje) a oprávnění.",
            details=str(exc),
        ) from exc
    _check_server_encoding(db)
    _migrate(db)
    with db.unit_of_work() as session:
        ensure_default_scales(session)
    return db


def _check_server_encoding(db: Database) -> None:
    """Czech text (and the Czech order and search functions) need a UTF8 server database."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect() as connection:
        encoding = connection.scalar(text("SELECT current_setting('server_encoding')"))
    if encoding != "UTF8":
        db.dispose()
        raise StorageUnavailableError(
            f"Databáze „{db.display_name}“ má kódování {encoding}; aplikace potřebuje UTF8 "
            "(česká diakritika). Požádejte správce IT o databázi vytvořenou s ENCODING 'UTF8'."
        )


INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for "permission denied"


def _migrate(db: Database) -> None:
    """Bring the schema to the newest revision. On a server, only the owner of the tables may
    (city IT); a mentor's role is told whom to ask, never shown a traceback."""
    revision = migrate.stored_revision(db.engine)
    if revision == migrate.HEAD:
        return
    if db.engine.dialect.name == "postgresql":
        rights = migrate.server_rights(db.engine)
        if rights is not migrate.ServerRights.MIGRATE:
            db.dispose()
            raise _admin_needed(db, revision, rights)
    try:
        migrate.upgrade(db.engine)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        db.dispose()
        raise _admin_needed(db, revision, migrate.ServerRights.USE) from exc


def _admin_needed(
    db: Database, revision: str | None, rights: migrate.ServerRights
) -> StorageUnavailableError:
    url = make_url(db.url)
    role = url.username or "?"
    owner_url = URL.create(
        url.drivername, username="vlastnik", host=url.host, port=url.port, database=url.database
    ).render_as_string()
    if rights is migrate.ServerRights.NOT_SET_UP:
        return StorageUnavailableError(
            f"Databáze „{db.display_name}“ ještě není připravená a role „{role}“ ji připravit "
            "nemůže. Databázi na serveru musí nejdřív připravit správce (vlastník databáze) "
            f"příkazem: apk-desktop --db {owner_url} migrate"
        )
    if rights is migrate.ServerRights.NO_ACCESS:
        return StorageUnavailableError(
            f"Role „{role}“ zatím nemá přístup k databázi „{db.display_name}“. Správce ho "
            f"přidělí příkazem: apk-desktop --db {owner_url} grant-access {role} "
            "--project ČÍSLO_PROJEKTU"
        )
    return StorageUnavailableError(
        f"Databázi na serveru musí nejdřív aktualizovat správce: má verzi schématu "
        f"{revision or 'žádnou'}, tato verze aplikace potřebuje {migrate.HEAD}. Role "
        f"„{role}“ to udělat nemůže; správce (vlastník databáze) spustí příkaz: "
        f"apk-desktop --db {owner_url} migrate"
    )
