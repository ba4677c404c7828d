"""The database backend the tests run on, chosen in one place.

Without ``APK_TEST_POSTGRES`` every test database is a SQLite file under the test's tmp_path.
With it (the URL of a maintenance database on a PostgreSQL server, with the right to create
databases, e.g. ``postgresql+psycopg://apk@localhost/postgres``) every test database is a fresh
PostgreSQL database: the schema is migrated once per session into a template database, each test
gets ``CREATE DATABASE … TEMPLATE`` of it (~0.1 s) and the database is dropped after the test
(in a background thread, so the drop overlaps the next test).

SQLite gets the same treatment: a migrated (and a seeded) template file per session, copied for
each test.

Tests that need the server itself (roles, grants, several connections as different users) take
the ``pg_server`` fixture (skipped without a server): ``create(kind, options)`` a database of
their own, ``execute(sql)`` as the superuser, ``disconnect(url)``, ``drop(url)``. Name roles and
databases with ``pg_server.prefix``: whatever a killed run left behind is dropped at the next.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

PG_ENV = "APK_TEST_POSTGRES"
DB_PREFIX = "apktest_"


def server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


BACKEND = "postgresql" if server_url() else "sqlite"


def _migrate(url: str, *, seeded: bool) -> None:
    from apk_desktop.db.open import open_database
    from tests.seeding import seed_template

    db = open_database(url)
    try:
        if seeded:
            seed_template(db)
    finally:
        db.dispose()


class PostgresServer:
    """Test databases on one server: created from per-session templates, dropped afterwards."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import make_url

        self.url = make_url(url)
        self.prefix = f"{DB_PREFIX}{os.getpid()}_"
        self._names = itertools.count(1)
        self._templates: dict[str, str] = {}
        self._lock = threading.Lock()
        self._admin = self._connect()
        self._dropper = ThreadPoolExecutor(1, thread_name_prefix="pg-test-drop")
        self._drops: list[Future[None]] = []
        self._drop_connection: Any = None
        self.drop_stale()

    def _connect(self) -> Any:
        import psycopg

        args = self.url.translate_connect_args(username="user", database="dbname")
        return psycopg.connect(autocommit=True, **args)

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_stale(self) -> None:
        """Drop the test databases and roles (named with ``prefix``) of earlier runs that were
        killed (their process is gone)."""
        for kind, catalog, column in (
            ("DATABASE", "pg_database", "datname"),
            ("ROLE", "pg_roles", "rolname"),
        ):
            rows = self._admin.execute(
                f"SELECT {column} FROM {catalog} WHERE {column} LIKE %s", (DB_PREFIX + "%",)
            ).fetchall()
            for (name,) in rows:
                pid = name[len(DB_PREFIX) :].split("_", 1)[0]
                if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                    force = " WITH (FORCE)" if kind == "DATABASE" else ""
                    self._admin.execute(f'DROP {kind} IF EXISTS "{name}"{force}')

    def create(self, kind: str = "empty", options: str = "") -> str:
        """A new database (``empty``, ``migrated`` or ``seeded``; ``options`` of CREATE
        DATABASE for an empty one, e.g. another encoding); returns its URL. The caller drops
        it (TestDatabases does)."""
        template = "template0" if kind == "empty" else self._template(kind)
        name = f"{self.prefix}{next(self._names)}"
        with self._lock:
            # FILE_COPY: measured 3× faster than the default WAL_LOG for a small template
            self._admin.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY {options}'
            )
        return self.url_of(name)

    def _template(self, kind: str) -> str:
        if kind not in self._templates:
            name = f"{self.prefix}tpl_{kind}"
            with self._lock:
                self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                self._admin.execute(
                    f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"
                )
            _migrate(self.url_of(name), seeded=kind == "seeded")
            self._templates[kind] = name
        return self._templates[kind]

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Run ``sql`` as the superuser on the maintenance database (roles, grants …)."""
        with self._lock:
            cursor = self._admin.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def disconnect(self, url: str) -> None:
        """End every connection to the database at ``url`` (as a server restart would)."""
        from sqlalchemy import make_url

        with self._lock:
            self._admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (make_url(url).database,),
            )

    def drop(self, url: str) -> None:
        """Drop the database at ``url`` soon (connections still open are ended)."""
        from sqlalchemy import make_url

        name = make_url(url).database
        assert name and name.startswith(self.prefix)
        self._drops.append(self._dropper.submit(self._drop_now, name))

    def wait_for_drops(self) -> None:
        for future in self._drops:
            future.result()
        self._drops.clear()

    def _drop_now(self, name: str) -> None:
        if self._drop_connection is None:
            self._drop_connection = self._connect()
        self._drop_connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.wait_for_drops()
        self._dropper.shutdown(wait=True)
        for name in self._templates.values():
            self._admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self._drop_connection is not None:
            self._drop_connection.close()
        self._admin.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SqliteTemplates:
    """Migrated (and seeded) SQLite files made once per session, copied for each test."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="apk-test-templates-"))
        self._files: dict[str, Path] = {}

    def copy(self, kind: str, target: Path) -> str:
        if kind not in self._files:
            path = self.folder / f"{kind}.sqlite3"
            _migrate(f"sqlite:///{path}", seeded=kind == "seeded")
            self._files[kind] = path
        shutil.copyfile(self._files[kind], target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class TestDatabases:
    """Fresh databases for one test on the chosen backend; all of them go after the test.

    ``empty()`` holds nothing, ``migrated()`` the newest schema, ``seeded()`` also the Sokolov
    template project. On SQLite ``name`` names the file (``<name>.sqlite3`` in tmp_path)."""

    __test__ = False  # not a test class for pytest

    def __init__(
        self, backend: str, folder: Path, server: PostgresServer | None, sqlite: SqliteTemplates
    ) -> None:
        self.backend = backend
        self._folder = folder
        self._server = server
        self._sqlite = sqlite
        self._made: list[str] = []
        self.cleanups: list[Callable[[], None]] = []

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    def _make(self, kind: str, name: str) -> str:
        if self._server is not None:
            url = self._server.create(kind)
        else:
            path = self._folder / f"{name}.sqlite3"
            if path.exists():
                raise FileExistsError(path)
            url = f"sqlite:///{path}" if kind == "empty" else self._sqlite.copy(kind, path)
        self._made.append(url)
        return url

    def empty(self, name: str = "test") -> str:
        return self._make("empty", name)

    def migrated(self, name: str = "test") -> str:
        return self._make("migrated", name)

    def seeded(self, name: str = "test") -> str:
        return self._make("seeded", name)

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()
        if self._server is not None:
            for url in self._made:
                self._server.drop(url)


def db_name(url: str) -> str:
    """What identifies the database of ``url`` in the app's status bar: the SQLite file's
    name, or the PostgreSQL database's name."""
    from sqlalchemy import make_url

    return Path(make_url(url).database or "").name
