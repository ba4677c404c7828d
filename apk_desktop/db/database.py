"""Engine set-up and the unit of work: one session per user action, committed as a whole."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from apk_desktop.domain.czech_text import czech_sort_key, fold
from apk_desktop.domain.errors import StaleRecordError, StorageUnavailableError

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
    # Czech order and accent-free search in SQL: ORDER BY czech_key(x), czech_fold(x) LIKE …
    # (a key function, not a collation: one Python call per row instead of one per comparison)
    dbapi_connection.create_function("czech_key", 1, _or_null(czech_sort_key), deterministic=True)
    dbapi_connection.create_function("czech_fold", 1, _or_null(fold), deterministic=True)


def _or_null(function: Callable[[str], str]) -> Callable[[str | None], str | None]:
    return lambda text: None if text is None else function(text)


_PASSWORD = re.compile(r"^([^:/]*://[^:/@]*:).*@")


def safe_url(url: str) -> str:
    """``url`` fit for a message or the log: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not a valid URL: hide whatever stands for a password
        return _PASSWORD.sub(r"\1***@", url)


DB_OPTION_HINT = (
    "Zadejte cestu k souboru SQLite, nebo URL databáze, např. "
    "postgresql+psycopg://uživatel@server/apk."
)


CONNECT_TIMEOUT_S = 10


def _server_options(url: str) -> dict[str, Any]:
    """For a server database: a pooled connection the server or a firewall dropped meanwhile
    (a restart, an idle night) is noticed and replaced before use, instead of failing the
    next save; and a server that does not answer is reported after CONNECT_TIMEOUT_S, not
    after the system's TCP timeout of minutes (unless the URL sets its own)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return {}  # create_engine says what is wrong
    if parsed.get_backend_name() != "postgresql":
        return {}
    options: dict[str, Any] = {"pool_pre_ping": True}
    if "connect_timeout" not in parsed.query:
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    return options


def make_engine(url: str) -> Engine:
    """The engine for ``url``; a bad URL or a missing driver is a Czech StorageUnavailableError."""
    try:
        engine = create_engine(url, future=True, **_server_options(url))
    except NoSuchModuleError as exc:  # an unknown dialect or driver name
        raise StorageUnavailableError(
            f"Databázi „{safe_url(url)}“ nelze otevřít: tento typ databáze aplikace nezná. "
            + DB_OPTION_HINT,
            details=str(exc),
        ) from exc
    except (ArgumentError, ValueError) as exc:  # e.g. a port that is not a number
        raise StorageUnavailableError(
            f"Adresa databáze „{safe_url(url)}“ není platná. " + DB_OPTION_HINT, details=str(exc)
        ) from exc
    except ImportError as exc:  # the dialect is known, its Python driver is not installed
        driver = exc.name or "?"
        install = ' (např. uv pip install "psycopg[binary]")' if driver == "psycopg" else ""
        raise StorageUnavailableError(
            f"Databázi „{safe_url(url)}“ nelze otevřít: není nainstalovaný ovladač „{driver}“. "
            f"Požádejte správce IT o jeho instalaci{install}, nebo spusťte aplikaci bez volby "
            "--db s vestavěnou databází SQLite.",
            details=f"{type(exc).__name__}: {exc}",
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


REPLACED = (
    "Soubor databáze byl mezitím nahrazen nebo smazán (např. obnovou ze zálohy z příkazové "
    "řádky). Aplikace přestala zapisovat, aby nic neztratila; zavřete ji a spusťte znovu."
)

FileIdentity = tuple[int, int]  # (st_dev, st_ino)


def _identity(path: str) -> FileIdentity | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class Database:
    """The open database: an engine plus a session factory.

    For a SQLite file the identity of the file first opened is remembered and checked before
    every unit of work and before its commit: if the file was replaced or deleted meanwhile
    (a restore by another process), pooled connections would keep writing into the old,
    unlinked file and every save would be lost without a word."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._file = self._sqlite_file()
        self._file_identity: FileIdentity | None = None
        if self._file is not None:
            event.listen(self.engine, "connect", self._remember_identity)

    def _sqlite_file(self) -> str | None:
        if not self.is_sqlite:
            return None
        database = self.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return database

    def _remember_identity(self, _dbapi_connection: Any, _record: Any) -> None:
        if self._file is not None and self._file_identity is None:
            self._file_identity = _identity(self._file)

    def check_file(self) -> None:
        """Raise StorageUnavailableError if the database file is no longer the one opened."""
        if self._file is None or self._file_identity is None:
            return
        if _identity(self._file) != self._file_identity:
            log.error("database file %s was replaced or deleted under the app", self._file)
            raise StorageUnavailableError(REPLACED, details=self._file)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_name(self) -> str:
        """What the status bar shows: a file path, or the URL without its password."""
        if self.is_sqlite:
            return self.engine.url.database or ":memory:"
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        self.check_file()
        session = self._sessions()
        try:
            yield session
            self.check_file()
            session.commit()
        except OperationalError as exc:
            session.rollback()
            log.exception("database operation failed")
            raise StorageUnavailableError(
                "Databázi se nepodařilo zapsat ani přečíst. Zkontrolujte, zda je dostupná.",
                details=str(exc),
            ) from exc
        except StaleDataError as exc:  # a versioned row changed since this unit of work read it
            session.rollback()
            log.info("stale record: %s", exc)
            raise StaleRecordError from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
