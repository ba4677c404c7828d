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
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from apk_desktop.backup import archive, reader
from apk_desktop.backup.archive import Cancel, Manifest, Progress, ScanFile
from apk_desktop.backup.atomic import partial_path, remove_quietly
from apk_desktop.backup.describe import TABLE_LABELS
from apk_desktop.backup.errors import BackupError, RestoreRefused
from apk_desktop.backup.evidence_paths import check_evidence_paths
from apk_desktop.backup.project_restore import (
    COLLISION,
    DAMAGED,
    archive_project,
    shares_database,
)
from apk_desktop.backup.projects import ProjectFilter, ProjectRef
from apk_desktop.backup.restore import check_restorable, migrate_snapshot
from apk_desktop.backup.service import (
    SAFETY_POLICY,
    create_backup,
    local_now,
    prune,
    safety_dir,
    work_dir,
)
from apk_desktop.db import project_scope, transfer
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


def current_project_id(db_url: str) -> int | None:
    """The current project of the server database (None when it holds none)."""
    from apk_desktop.db.seed import current_project

    engine = _engine(db_url)
    try:
        with Session(engine) as session:
            return current_project(session).id
    except LookupError:
        return None
    except DBAPIError as exc:
        raise _unreachable(exc, db_url) from exc
    finally:
        engine.dispose()


def _project_ref(connection: Connection, project_id: int) -> ProjectRef:
    from apk_desktop.db.models import Project

    row = connection.execute(
        select(Project.id, Project.name, Project.registration_number).where(
            Project.id == project_id
        )
    ).one_or_none()
    if row is None:
        raise BackupError(f"Projekt č. {project_id} v databázi není; není co zálohovat.")
    return ProjectRef(int(row[0]), str(row[1]), str(row[2]))


class ServerSource:
    """The data of a server database as a backup source: ``snapshot`` writes them (the rows and
    scans of the project ``project_id``; None: of the whole database) into a new SQLite file and
    the scans into a temporary folder under the work folder."""

    def __init__(self, db_url: str, project_id: int | None = None) -> None:
        self.db_url = db_url
        self.project_id = project_id
        self.project: ProjectRef | None = None
        self.history: ProjectFilter | None = None
        self._scans: Path | None = None

    def snapshot(
        self, dest: Path, work: Path, include_scans: bool, progress: Progress | None
    ) -> list[ScanFile]:
        from apk_desktop.db import migrate
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
                    rows = self._scope(connection)
                    with target.begin() as out:
                        transfer.copy_rows(
                            connection,
                            out,
                            transfer.app_tables(skip={SCAN_TABLE}),
                            progress=progress,
                            rows=rows,
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

    def _scope(self, connection: Connection) -> transfer.RowsOf | None:
        """The rows to copy (None: all): the project's, unless it is the only one. Sets
        ``project`` and ``history``."""
        ids = project_scope.project_ids(connection)
        wanted = self.project_id
        if wanted is None and len(ids) != 1:
            return None  # a whole database (of several projects, or of none)
        self.project = _project_ref(connection, wanted if wanted is not None else ids[0])
        self.history = ProjectFilter(self.project.id, self.project.id == ids[0])
        if len(ids) == 1:
            return None
        project_id = self.project.id
        return lambda table: project_scope.project_rows(table, project_id)

    def _write_scans(self, connection: Connection, work: Path) -> list[ScanFile]:
        """Every stored scan (of the project) as a file named by its relative path (as SQLite
        keeps them)."""
        from apk_desktop.db.models.sessions import EvidenceFile, ScanContent

        self._scans = partial_path(work)
        self._scans.mkdir()
        query = (
            select(EvidenceFile.relative_path, ScanContent.data)
            .join(ScanContent, ScanContent.evidence_id == EvidenceFile.id)
            .order_by(EvidenceFile.id)
        )
        if self.project is not None:
            evidence = project_scope.app_table("evidence_file")
            query = query.where(project_scope.owned_rows(evidence, self.project.id))
        rows = connection.execution_options(yield_per=20).execute(query)
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
            project = archive_project(manifest, db_tmp)
            counts = _replace_data(db_tmp, scans_tmp, db_url, progress, project)
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
    snapshot: Path,
    scans: Path,
    db_url: str,
    progress: Progress | None,
    project: ProjectRef | None = None,
) -> dict[str, int]:
    """Replace the server's data by the backup's; only the rows of ``project`` while the
    server holds other projects too (those stay as they are)."""
    from apk_desktop.db.database import make_engine

    tables = transfer.app_tables(skip={SCAN_TABLE})
    source = make_engine(f"sqlite:///{snapshot}")
    target = _engine(db_url)
    try:
        with source.connect() as read, target.begin() as write:
            _keep_old_scans(write)
            alone = not shares_database(project, project_scope.project_ids(write))
            if alone:
                transfer.delete_rows(write, transfer.app_tables())
            else:
                assert project is not None
                _check_same_project(write, project)
                project_scope.delete_project_rows(write, project.id)
            try:
                copied = transfer.copy_rows(read, write, tables, progress=progress)
            except IntegrityError as exc:
                assert project is not None  # into an empty database nothing collides
                raise _refusal(exc, project) from exc
            if alone:
                _store_scans(write, scans)
                found = transfer.count_rows(write, tables)
            else:
                assert project is not None
                _store_scans(write, scans, project.id)
                found = project_scope.count_project_rows(write, project.id)
                found = {t: n for t, n in found.items() if t in copied}
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


def _check_same_project(connection: Connection, project: ProjectRef) -> None:
    from apk_desktop.db.models import Project

    row = connection.execute(
        select(Project.name, Project.registration_number).where(Project.id == project.id)
    ).one_or_none()
    if row is not None and project.name != row[0] and project.registration_number != row[1]:
        raise RestoreRefused(
            COLLISION.format(name=project.name, what=f"projekt „{row[0]}“ má stejné číslo")
        )


def _refusal(exc: IntegrityError, project: ProjectRef) -> RestoreRefused:
    """A backup row took the key of a row of another project (or refers to a missing one)."""
    diag = getattr(exc.orig, "diag", None)
    table = str(getattr(diag, "table_name", "") or "")
    what = TABLE_LABELS.get(table, table) or "záznamy"
    sqlstate = getattr(exc.orig, "sqlstate", "")
    message = DAMAGED if sqlstate == "23503" else COLLISION  # foreign key / unique violation
    return RestoreRefused(message.format(name=project.name, what=what), str(exc.orig))


def _keep_old_scans(connection: Connection) -> None:
    """The current scans, by hash, for restored rows whose scan the backup does not hold."""
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE apk_old_scans ON COMMIT DROP AS "
            "SELECT e.sha256, c.data FROM scan_content c "
            "JOIN evidence_file e ON e.id = c.evidence_id"
        )
    )


def _store_scans(connection: Connection, scans: Path, project_id: int | None = None) -> None:
    """The restored scans into ``scan_content``: of every evidence row, or only of the
    project's (the other projects' keep theirs)."""
    from apk_desktop.db.models.sessions import EvidenceFile, ScanContent

    query = select(EvidenceFile.id, EvidenceFile.relative_path)
    if project_id is not None:
        query = query.where(
            project_scope.owned_rows(project_scope.app_table("evidence_file"), project_id)
        )
    rows = connection.execute(query).all()
    for evidence_id, relative in rows:
        with contextlib.suppress(FileNotFoundError):
            data = resolve_stored_path(scans, relative).read_bytes()
            connection.execute(insert(ScanContent), {"evidence_id": evidence_id, "data": data})
    connection.execute(
        text(
            "INSERT INTO scan_content (evidence_id, data) "
            "SELECT DISTINCT ON (e.id) e.id, o.data FROM evidence_file e "
            "JOIN apk_old_scans o ON o.sha256 = e.sha256 "
            "WHERE NOT EXISTS (SELECT 1 FROM scan_content c WHERE c.evidence_id = e.id) "
            "AND e.id = ANY(:restored)"
        ),
        {"restored": [int(r[0]) for r in rows]},
    )
