"""Move an office's data from one database into another, SQLite ↔ PostgreSQL: every row, and
the signed scans (files in the data folder on SQLite, ``scan_content`` rows on a server).

The source is only read (one consistent snapshot, read-only). The target must be empty; it is
migrated to the app's schema, then filled in one transaction: rows per table and scans are
checked against the source (row counts, and the SHA-256 of every scan on both sides against
the one recorded when it was imported) before that transaction commits. Any error or mismatch
rolls it back and removes the scan files written, so the target is left empty and a retry works.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, inspect, make_url, select, text
from sqlalchemy.exc import DBAPIError

from apk_desktop.backup.atomic import exclusive_opener, fsync_folder, partial_path, remove_quietly
from apk_desktop.db import migrate, transfer
from apk_desktop.db.connection import connect_error_message, encoding_problem, revision_problem
from apk_desktop.db.database import make_engine, safe_url
from apk_desktop.db.models.sessions import EvidenceFile, ScanContent
from apk_desktop.domain.errors import AppError
from apk_desktop.domain.stored_paths import InvalidStoredPathError, resolve_stored_path
from apk_desktop.files import open_regular

SCAN_TABLE = ScanContent.__tablename__
SOURCE_UNCHANGED = "Zdrojová databáze se nezměnila."
TARGET_EMPTY = "Cílová databáze zůstala prázdná, přesun lze zopakovat."
Progress = Callable[[int, int, str], None]  # done, total, what (Czech)
SCAN_BATCH_BYTES = 16 * 1024 * 1024  # scans inserted into a server per statement, at most
Cancel = Callable[[], bool]


class MoveError(AppError):
    """The move did not happen (the target is left empty); ``report`` when the copy was checked
    and did not match the source."""

    def __init__(self, message: str, details: str = "", report: MoveReport | None = None) -> None:
        super().__init__(message, details)
        self.report = report


class MoveCancelled(MoveError):
    def __init__(self) -> None:
        super().__init__(f"Přesun byl zrušen. {SOURCE_UNCHANGED} {TARGET_EMPTY}")


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


@dataclass(frozen=True)
class ScanCheck:
    """One scan: the SHA-256 recorded at its import, and of its bytes in each database (None
    when they are missing there)."""

    name: str
    recorded: str
    source: str | None
    target: str | None

    @property
    def ok(self) -> bool:
        return self.source == self.target == self.recorded


@dataclass(frozen=True)
class MoveReport:
    tables: tuple[TableCount, ...]
    scans: tuple[ScanCheck, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables) and all(s.ok for s in self.scans)

    @property
    def scans_matching(self) -> int:
        return sum(s.ok for s in self.scans)

    def problems(self) -> list[str]:
        """Czech lines naming each table and scan that does not match."""
        lines = [
            f"tabulka {t.table}: ve zdroji {t.source}, v cíli {t.target} řádků"
            for t in self.tables
            if not t.ok
        ]
        for scan in self.scans:
            if scan.ok:
                continue
            if scan.source is None:
                why = "ve zdroji chybí"
            elif scan.source != scan.recorded:
                why = "ve zdroji je poškozený (SHA-256 nesouhlasí se zaznamenaným)"
            else:
                why = "v cíli nesouhlasí se zdrojem"
            lines.append(f"sken {scan.name}: {why}")
        return lines

    def table_text(self) -> str:
        """The comparison as a plain-text table (the command line prints it)."""
        width = max([len("Tabulka"), *(len(t.table) for t in self.tables)])
        rows = [f"{'Tabulka':<{width}}  {'Zdroj':>9}  {'Cíl':>9}"]
        for t in self.tables:
            mark = "" if t.ok else "  ≠"
            rows.append(f"{t.table:<{width}}  {t.source:>9}  {t.target:>9}{mark}")
        rows.append(self.scans_line())
        return "\n".join(rows)

    def scans_line(self) -> str:
        return f"Skeny shodné (SHA-256 na obou stranách): {self.scans_matching} z {len(self.scans)}"


def describe_target(url: str) -> str:
    """The target for a message: a file path, or the URL without its password."""
    parsed = make_url(url)
    return parsed.database or "" if parsed.get_backend_name() == "sqlite" else safe_url(url)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _same_database(source_url: str, target_url: str) -> bool:
    a, b = make_url(source_url), make_url(target_url)
    if a.get_backend_name() == "sqlite" and b.get_backend_name() == "sqlite":
        return (
            bool(a.database)
            and Path(a.database or "").resolve() == Path(b.database or "").resolve()
        )
    return (a.host, a.port or 5432, a.database) == (b.host, b.port or 5432, b.database)


def move_data(
    source_url: str,
    target_url: str,
    *,
    source_scans: Path,
    target_scans: Path,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> MoveReport:
    """Copy everything from ``source_url`` into the empty database at ``target_url`` and check
    it. ``source_scans`` / ``target_scans``: the scans folder of a SQLite source / target.
    MoveError (Czech) when the target holds data, on any failure, or when the check finds a
    difference (``report`` then says where); the target is then left empty."""
    if _same_database(source_url, target_url):
        raise MoveError("Zdroj a cíl přesunu jsou stejná databáze.")
    source = make_engine(source_url)
    target = make_engine(target_url)
    written: list[Path] = []
    moved = False
    try:
        _check_source(source, source_url)
        _prepare_target(target, target_url)
        with _snapshot(source) as read, target.begin() as write:
            report = _copy(read, write, source_scans, target_scans, written, progress, cancel)
            if not report.ok:
                raise MoveError(
                    "Data v cílové databázi nesouhlasí se zdrojem, přesun byl vrácen. "
                    f"{SOURCE_UNCHANGED} {TARGET_EMPTY}",
                    "\n".join(report.problems()),
                    report,
                )
        moved = True
        return report
    except DBAPIError as exc:
        raise MoveError(
            "Přesun se nepodařil: spojení s databází se přerušilo, nebo databáze odmítla zápis. "
            f"{SOURCE_UNCHANGED} {TARGET_EMPTY}",
            details=str(exc),
        ) from exc
    except OSError as exc:
        raise MoveError(
            f"Přesun se nepodařil: skeny se nepodařilo zapsat do složky {target_scans} "
            f"({exc.strerror or exc}). {SOURCE_UNCHANGED} {TARGET_EMPTY}",
            details=str(exc),
        ) from exc
    finally:
        if not moved:
            for path in written:
                remove_quietly(path)
        source.dispose()
        target.dispose()


def _check_source(engine: Engine, url: str) -> None:
    try:
        revision = migrate.stored_revision(engine)
    except DBAPIError as exc:
        raise MoveError(
            "Zdrojovou databázi se nepodařilo otevřít. " + connect_error_message(exc, url)
        ) from exc
    if revision is None:
        raise MoveError(
            f"Zdrojová databáze „{describe_target(url)}“ je prázdná; není co přesunout."
        )
    if revision != migrate.HEAD:
        raise MoveError(
            (revision_problem(revision) or "")
            + " Otevřete ji nejdřív v této verzi aplikace a přesun spusťte znovu."
        )


def _prepare_target(engine: Engine, url: str) -> None:
    """Refuse a target holding data (nothing written then); migrate an empty one."""
    ours = {t.name for t in transfer.app_tables()}
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            encoding = connection.scalar(text("SELECT current_setting('server_encoding')"))
            problem = encoding_problem(encoding, safe_url(url))
            if problem:
                raise MoveError(problem)
        present = set(inspect(connection).get_table_names())
        counts = transfer.count_rows(
            connection, [t for t in transfer.app_tables() if t.name in present]
        )
    held = sorted(name for name, count in counts.items() if count)
    held += sorted(present - ours - {"alembic_version"})  # another application's tables
    if held:
        raise MoveError(
            f"Cílová databáze „{describe_target(url)}“ už obsahuje data (tabulky "
            f"{', '.join(held[:6])}). Přesun do ní nic nezapíše; zvolte prázdnou databázi. "
            + SOURCE_UNCHANGED
        )
    revision = migrate.stored_revision(engine)
    if revision is not None and revision not in migrate.known_revisions():
        raise MoveError(revision_problem(revision) or "")
    migrate.upgrade_if_needed(engine)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection seeing one consistent state of the source."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")  # the driver would not begin for reads
            yield connection
            return
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            yield connection


def _copy(
    read: Connection,
    write: Connection,
    source_scans: Path,
    target_scans: Path,
    written: list[Path],
    progress: Progress | None,
    cancel: Cancel | None,
) -> MoveReport:
    def step(done: int, total: int, what: str) -> None:
        if cancel is not None and cancel():
            raise MoveCancelled()
        if progress is not None:
            progress(done, total, what)

    tables = transfer.app_tables(skip={SCAN_TABLE})
    copied = transfer.copy_rows(read, write, tables, progress=step)
    scans = _copy_scans(read, write, source_scans, target_scans, written, step)
    found = transfer.count_rows(write, tables)
    counts = tuple(TableCount(t.name, copied[t.name], found[t.name]) for t in tables)
    return MoveReport(counts, scans)


def _source_scans(read: Connection, folder: Path) -> Generator[tuple[int, str, str, bytes | None]]:
    """(evidence id, relative path, recorded sha256, the bytes or None) of every scan."""
    columns = (EvidenceFile.id, EvidenceFile.relative_path, EvidenceFile.sha256)
    if read.dialect.name != "sqlite":
        with read.execution_options(yield_per=20).execute(
            select(*columns, ScanContent.data)
            .outerjoin(ScanContent, ScanContent.evidence_id == EvidenceFile.id)
            .order_by(EvidenceFile.id)
        ) as rows:
            for evidence_id, relative, sha256, content in rows:
                yield evidence_id, relative, sha256, content
        return
    for evidence_id, relative, sha256 in read.execute(select(*columns).order_by(EvidenceFile.id)):
        yield evidence_id, relative, sha256, _read_file(folder, relative)


def _read_file(folder: Path, relative: str) -> bytes | None:
    try:
        with open_regular(resolve_stored_path(folder, relative)) as fh:
            return fh.read()
    except (OSError, InvalidStoredPathError):
        return None


def _copy_scans(
    read: Connection,
    write: Connection,
    source_scans: Path,
    target_scans: Path,
    written: list[Path],
    step: Progress,
) -> tuple[ScanCheck, ...]:
    total = int(read.scalar(select(func.count()).select_from(EvidenceFile)) or 0)
    into_files = write.dialect.name == "sqlite"
    checks: list[tuple[int, str, str, str | None]] = []
    batch: list[dict[str, object]] = []  # rows for scan_content, inserted a batch at a time
    batch_bytes = 0
    with closing(_source_scans(read, source_scans)) as scans:  # the cursor closed on errors
        for done, (evidence_id, relative, recorded, data) in enumerate(scans, start=1):
            digest = None if data is None else hashlib.sha256(data).hexdigest()
            checks.append((evidence_id, relative, recorded, digest))
            if data is not None and into_files:
                _write_scan(target_scans, relative, data, written)
            elif data is not None:
                batch.append({"evidence_id": evidence_id, "data": data})
                batch_bytes += len(data)
                if batch_bytes > SCAN_BATCH_BYTES:
                    write.execute(insert(ScanContent), batch)
                    batch, batch_bytes = [], 0
            step(done, total, f"Kopíruji skeny… ({done} z {total})")
    if batch:
        write.execute(insert(ScanContent), batch)
    if into_files:
        _make_durable(written)
        stored = _file_digests(target_scans, [(i, r) for i, r, _, _ in checks])
    else:
        stored = _database_digests(write)
    return tuple(
        ScanCheck(relative, recorded, digest, stored.get(evidence_id))
        for evidence_id, relative, recorded, digest in checks
    )


def _write_scan(folder: Path, relative: str, data: bytes, written: list[Path]) -> None:
    """The scan as today's SQLite layout keeps it; an identical file already there is kept."""
    try:
        path = resolve_stored_path(folder, relative)
    except InvalidStoredPathError:
        return  # reported: its target digest stays missing
    if path.is_file() and _file_digest(path) == hashlib.sha256(data).hexdigest():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists()
    partial = partial_path(path.parent)
    try:  # made durable all at once before the rows commit: one fsync per file took minutes
        with exclusive_opener(partial) as fh:
            fh.write(data)
        os.replace(partial, path)
    finally:
        remove_quietly(partial)
    if not existed:
        written.append(path)


def _make_durable(paths: list[Path]) -> None:
    """The scans written are on the disk before the rows naming them commit."""
    if hasattr(os, "sync"):  # POSIX: one call for everything written
        os.sync()
        return
    for path in paths:  # Windows: FlushFileBuffers per file (os.fsync)
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())
    for folder in {path.parent for path in paths}:
        fsync_folder(folder)


def _file_digest(path: Path) -> str | None:
    try:
        with open_regular(path) as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def _file_digests(folder: Path, scans: list[tuple[int, str]]) -> dict[int, str | None]:
    digests: dict[int, str | None] = {}
    for evidence_id, relative in scans:
        try:
            digests[evidence_id] = _file_digest(resolve_stored_path(folder, relative))
        except InvalidStoredPathError:
            digests[evidence_id] = None
    return digests


def _database_digests(write: Connection) -> dict[int, str | None]:
    """Computed by the server: the bytes are not fetched back."""
    rows = write.execute(
        select(ScanContent.evidence_id, func.encode(func.sha256(ScanContent.data), "hex"))
    )
    return {evidence_id: digest for evidence_id, digest in rows}
