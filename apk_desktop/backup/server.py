"""Archives of a server database (PostgreSQL).

The live data on a server are kept safe by the server's own backups, which city IT runs. The app
adds the single-file archive in the same format as a backup of SQLite: a SQLite snapshot of the
data (copied from the server inside one REPEATABLE READ transaction, i.e. one consistent
picture) plus the scans as files. Such an archive, like any backup of the app, can be restored
into SQLite or into a server database; ``restore_into_server`` replaces the server's data in one
transaction, so a failure leaves them as they were.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, make_url, select, text
from sqlalchemy.exc import DBAPIError

from apk_desktop.backup import archive, reader
from apk_desktop.backup.archive import Cancel, Manifest, Progress, ScanFile
from apk_desktop.backup.atomic import partial_path, remove_quietly
from apk_desktop.backup.errors import BackupError
from apk_desktop.backup.evidence_paths import check_evidence_paths
from apk_desktop.backup.restore import check_restorable, migrate_snapshot
from apk_desktop.backup.service import (
    SAFETY_POLICY,
    create_backup,
    local_now,
    prune,
    safety_dir,
    work_dir,
)
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.domain.stored_paths import resolve_stored_path

log = logging.getLogger(__name__)
SCAN_TABLE = "scan_content"
UNCHANGED = "Data na serveru zůstala beze změny."


def is_server_url(db_url: str) -> bool:
    return make_url(db_url).get_backend_name() != "sqlite"


def _engine(db_url: str) -> Engine:
    from apk_desktop.db.database import make_engine

    return make_engine(db_url)


def _unreachable(exc: DBAPIError, db_url: str) -> StorageUnavailableError:
    from apk_desktop.db.database import safe_url

    return StorageUnavailableError(
        f"Databázi na serveru „{safe_url(db_url)}“ se nepodařilo přečíst. Zkontrolujte, zda je "
        "server dostupný.",
        details=str(exc),
    )


class ServerSource:
    """The data of a server database as a backup source: ``snapshot`` writes them into a new
    SQLite file and the scans into a temporary folder under the work folder."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self._scans: Path | None = None

    def snapshot(
        self, dest: Path, work: Path, include_scans: bool, progress: Progress | None
    ) -> list[ScanFile]:
        from apk_desktop.db import migrate, transfer
        from apk_desktop.db.database import make_engine

        source = _engine(self.db_url)
        target = make_engine(f"sqlite:///{dest}")
        try:
            with source.connect() as connection:
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    connection.execute(text("SET TRANSACTION READ ONLY"))
                    revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
                    if revision not in migrate.known_revisions():
                        raise BackupError(
                            "Databáze na serveru pochází z novější verze aplikace APK Desktop; "
                            "tato verze z ní archiv nevytvoří. Aktualizujte aplikaci."
                        )
                    migrate.upgrade(target, revision)
                    with target.begin() as out:
                        transfer.copy_rows(
                            connection,
                            out,
                            transfer.app_tables(skip={SCAN_TABLE}),
                            progress=progress,
                        )
                    scans = self._write_scans(connection, work) if include_scans else []
        except DBAPIError as exc:
            raise _unreachable(exc, self.db_url) from exc
        finally:
            target.dispose()
            source.dispose()
        single = sqlite3.connect(dest)  # a self-contained file, as a snapshot of SQLite is
        try:
            single.execute("PRAGMA journal_mode=DELETE")
        finally:
            single.close()
        return scans

    def _write_scans(self, connection: Connection, work: Path) -> list[ScanFile]:
        """Every stored scan as a file named by its relative path (as SQLite keeps them)."""
        from apk_desktop.db.models.sessions import EvidenceFile, ScanContent

        self._scans = partial_path(work)
        self._scans.mkdir()
        rows = connection.execution_options(yield_per=20).execute(
            select(EvidenceFile.relative_path, ScanContent.data)
            .join(ScanContent, ScanContent.evidence_id == EvidenceFile.id)
            .order_by(EvidenceFile.id)
        )
        for relative, data in rows:
            target = resolve_stored_path(self._scans, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return archive.list_scans(self._scans)

    def cleanup(self) -> None:
        if self._scans is not None:
            archive.remove_tree_quietly(self._scans)
            self._scans = None


@dataclass(frozen=True)
class ServerRestore:
    manifest: Manifest
    safety_backup: str
    counts: dict[str, int]  # rows restored per table


def restore_into_server(
    archive_path: Path,
    db_url: str,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ServerRestore:
    """Replace the data of the server database at ``db_url`` with the backup's: verify the
    backup, save the current data as a safety archive, then in one transaction delete every
    row, copy the backup's rows and scans in, and check the row counts."""
    work = work_dir()
    manifest = reader.verify(archive_path, work, progress=progress, cancel=cancel)
    check_restorable(manifest)
    db_tmp = partial_path(work)
    scans_tmp = partial_path(work)
    try:
        reader.extract_database(archive_path, db_tmp)
        migrate_snapshot(db_tmp)
        archive.check_integrity(db_tmp, "Obnovená databáze")
        check_evidence_paths(db_tmp)
        if manifest.scans_included:
            scans_tmp.mkdir()
            reader.extract_scans(archive_path, scans_tmp, progress=progress, cancel=cancel)
        if progress:
            progress(0, 1, "Ukládám současná data do zálohy před obnovou…")
        safety = create_backup(ServerSource(db_url), safety_dir(), cancel=cancel, prune_old=False)
        assert safety.path is not None
        if progress:
            progress(0, 1, "Obnovuji data na serveru…")
        try:
            counts = _replace_data(db_tmp, scans_tmp, db_url, progress)
        except BaseException:  # the data did not change: their copy must not push older out
            remove_quietly(safety.path)
            raise
    finally:
        remove_quietly(db_tmp)
        archive.remove_tree_quietly(scans_tmp)
    prune(safety.path.parent, SAFETY_POLICY, safety.path.name, local_now())
    log.info("restored %s into the server database", archive_path)
    return ServerRestore(manifest, str(safety.path), counts)


def _replace_data(
    snapshot: Path, scans: Path, db_url: str, progress: Progress | None
) -> dict[str, int]:
    from apk_desktop.db import transfer
    from apk_desktop.db.database import make_engine

    tables = transfer.app_tables(skip={SCAN_TABLE})
    source = make_engine(f"sqlite:///{snapshot}")
    target = _engine(db_url)
    try:
        with source.connect() as read, target.begin() as write:
            _keep_old_scans(write)
            transfer.delete_rows(write, transfer.app_tables())
            copied = transfer.copy_rows(read, write, tables, progress=progress)
            _store_scans(write, scans)
            found = transfer.count_rows(write, tables)
            if found != copied:
                raise BackupError(
                    "Po obnově nesouhlasí počty záznamů se zálohou; obnova byla vrácena. "
                    + UNCHANGED,
                    f"copied {copied}, found {found}",
                )
            return copied
    except DBAPIError as exc:
        raise BackupError(
            "Zálohu se nepodařilo obnovit do databáze na serveru. " + UNCHANGED, str(exc)
        ) from exc
    finally:
        source.dispose()
        target.dispose()


def _keep_old_scans(connection: Connection) -> None:
    """The current scans, by hash, for restored rows whose scan the backup does not hold."""
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE apk_old_scans ON COMMIT DROP AS "
            "SELECT e.sha256, c.data FROM scan_content c "
            "JOIN evidence_file e ON e.id = c.evidence_id"
        )
    )


def _store_scans(connection: Connection, scans: Path) -> None:
    from apk_desktop.db.models.sessions import EvidenceFile, ScanContent

    rows = connection.execute(select(EvidenceFile.id, EvidenceFile.relative_path)).all()
    for evidence_id, relative in rows:
        with contextlib.suppress(FileNotFoundError):
            data = resolve_stored_path(scans, relative).read_bytes()
            connection.execute(insert(ScanContent), {"evidence_id": evidence_id, "data": data})
    connection.execute(
        text(
            "INSERT INTO scan_content (evidence_id, data) "
            "SELECT DISTINCT ON (e.id) e.id, o.data FROM evidence_file e "
            "JOIN apk_old_scans o ON o.sha256 = e.sha256 "
            "WHERE NOT EXISTS (SELECT 1 FROM scan_content c WHERE c.evidence_id = e.id)"
        )
    )
