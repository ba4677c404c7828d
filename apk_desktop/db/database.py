"""Engine set-up and the unit of work: one session per user action, committed as a whole."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from apk_desktop.domain.errors import StorageUnavailableError

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def safe_url(url: str) -> str:
    """``url`` fit for a message or the log: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


DB_OPTION_HINT = (
    "Zadejte cestu k souboru SQLite, nebo URL databáze, např. "
    "postgresql+psycopg://uživatel@server/apk."
)


def make_engine(url: str) -> Engine:
    """The engine for ``url``; a bad URL or a missing driver is a Czech StorageUnavailableError."""
    try:
        engine = create_engine(url, future=True)
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


class Database:
    """The open database: an engine plus a session factory."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

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
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            log.exception("database operation failed")
            raise StorageUnavailableError(
                "Databázi se nepodařilo zapsat ani přečíst. Zkontrolujte, zda je dostupná.",
                details=str(exc),
            ) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
