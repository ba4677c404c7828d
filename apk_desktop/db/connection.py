"""Trying a database server before the app works on it ("Vyzkoušet připojení"): can it be
reached, does it take the user's name and password, is the database UTF8, and is its schema the
one this app knows. Every answer is a Czech sentence for the mentor or for city IT.

The driver reports connection failures with libpq's English text and no SQLSTATE, so they are
told apart by that text; anything not recognised still gets a Czech message and the details."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from apk_desktop.db import migrate
from apk_desktop.db.database import CONNECT_TIMEOUT_S, make_engine, safe_url
from apk_desktop.domain.czech_text import plural
from apk_desktop.domain.errors import StorageUnavailableError

WRONG_LOGIN = (
    "Server odmítl přihlášení: nesprávné jméno uživatele nebo heslo. Zkontrolujte je "
    "(u hesla záleží na velkých a malých písmenech)."
)
_WRONG_LOGIN_SIGNS = ("password authentication failed", "no password supplied", "authentication")
_UNREACHABLE_SIGNS = (
    "connection refused",
    "failed to resolve host",
    "could not translate host name",
    "no route to host",
    "network is unreachable",
    "server closed the connection",
    "name or service not known",
)


def _server_of(url: str) -> str:
    from sqlalchemy import make_url

    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


def connect_error_message(exc: DBAPIError, url: str) -> str:
    """A Czech sentence for why connecting to the database at ``url`` failed."""
    from sqlalchemy import make_url

    said = str(exc.orig if exc.orig is not None else exc).lower()
    server = _server_of(url)
    if any(sign in said for sign in _WRONG_LOGIN_SIGNS):
        return WRONG_LOGIN
    if "does not exist" in said and "database" in said:
        return (
            f"Databáze „{make_url(url).database}“ na serveru {server} neexistuje. Zkontrolujte "
            "její název, nebo požádejte správce IT o její vytvoření."
        )
    if "timeout" in said:
        return (
            f"Server {server} neodpověděl do {CONNECT_TIMEOUT_S} s. Zkontrolujte adresu serveru "
            "a port, připojení k síti (VPN) a zda připojení nebrání firewall."
        )
    if any(sign in said for sign in _UNREACHABLE_SIGNS):
        return (
            f"Server {server} není dostupný. Zkontrolujte adresu serveru a port, připojení "
            "k síti (VPN) a zda databázový server běží."
        )
    return (
        f"K databázi „{safe_url(url)}“ se nepodařilo připojit. Zkontrolujte adresu serveru, "
        "port, název databáze a přihlašovací údaje."
    )


def encoding_problem(encoding: str | None, display: str) -> str | None:
    """Czech text (and the Czech order and search functions) need a UTF8 server database."""
    if encoding in (None, "UTF8"):
        return None
    return (
        f"Databáze „{display}“ má kódování {encoding}; aplikace potřebuje UTF8 (česká "
        "diakritika). Požádejte správce IT o databázi vytvořenou s ENCODING 'UTF8'."
    )


def revision_problem(revision: str | None) -> str | None:
    """Why the app cannot work on a database whose schema is at ``revision`` (None: fine,
    an empty database gets the tables on first open)."""
    if revision is None or revision == migrate.HEAD:
        return None
    if revision in migrate.known_revisions():
        return (
            f"Databáze má starší verzi schématu ({revision}; tato verze aplikace potřebuje "
            f"{migrate.HEAD}). Správce (vlastník databáze) ji musí nejdřív převést příkazem "
            "apk-desktop --db ADRESA_DATABÁZE migrate."
        )
    return (
        f"Databáze pochází z novější verze aplikace APK Desktop (schéma {revision}). "
        "Aktualizujte aplikaci APK Desktop na tomto počítači."
    )


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str  # Czech: what works, or what is wrong and what to do


def check_server(url: str) -> ConnectionCheck:
    """Connect to the database at ``url`` and read what the app needs to know; nothing is
    written. Never raises for a problem of the server: the answer says it."""
    try:
        engine = make_engine(url)
    except StorageUnavailableError as exc:
        return ConnectionCheck(False, exc.message)
    try:
        return _check(engine, url)
    except DBAPIError as exc:
        return ConnectionCheck(False, connect_error_message(exc, url))
    finally:
        engine.dispose()


def _check(engine: Engine, url: str) -> ConnectionCheck:
    from apk_desktop.db.models import Project

    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            encoding = connection.scalar(text("SELECT current_setting('server_encoding')"))
            problem = encoding_problem(encoding, safe_url(url))
            if problem:
                return ConnectionCheck(False, problem)
    revision = migrate.stored_revision(engine)
    problem = revision_problem(revision)
    if problem:
        return ConnectionCheck(False, problem)
    if revision is None:
        return ConnectionCheck(
            True, "Připojení funguje. Databáze je prázdná: aplikace v ní vytvoří tabulky."
        )
    with engine.connect() as connection:
        projects = int(connection.scalar(select(func.count()).select_from(Project)) or 0)
    held = (
        plural(projects, "projekt", "projekty", "projektů") if projects else "zatím žádný projekt"
    )
    return ConnectionCheck(True, f"Připojení funguje. V databázi je {held}.")
