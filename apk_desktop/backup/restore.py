"""Restoring a backup safely.

Either kind of backup (an incremental snapshot or a .zip archive; see reader.py).

1. ``prepare_restore``: verify the backup fully, refuse one from a newer app version, extract
   the database to a temporary file next to the live one and migrate it, extract the scans to
   a temporary folder, and last save the current data as a safety backup. Nothing live has
   changed yet; a failure here leaves no new safety backup.
2. ``commit_restore`` (the engine must be disposed first): write a journal, swap the database
   with ``os.replace`` and the scans folder with two renames, delete the journal, prune the
   old safety backups.
If the commit fails, or the process dies during it, ``rollback`` (run at once, or at the next
start by ``recover_at_startup``) brings the old data back from the safety backup.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from apk_desktop import __version__, paths
from apk_desktop.backup import archive, faults, reader
from apk_desktop.backup.archive import Cancel, Manifest, Progress
from apk_desktop.backup.atomic import (
    cleanup_partials,
    fsync_folder,
    partial_path,
    remove_quietly,
    write_bytes_atomic,
)
from apk_desktop.backup.errors import (
    BackupError,
    RestoreRefused,
    is_sqlite_storage_error,
    sqlite_storage_error,
    storage_error,
)
from apk_desktop.backup.evidence_paths import check_evidence_paths
from apk_desktop.backup.project_restore import (
    archive_project,
    keep_other_scans,
    merge_project,
    shares_database,
)
from apk_desktop.backup.projects import manifest_project, projects_in
from apk_desktop.backup.service import (
    SAFETY_POLICY,
    create_backup,
    local_now,
    prune,
    safety_dir,
    work_dir,
)

log = logging.getLogger(__name__)
JOURNAL_FILE = "restore-journal.json"
ROLLED_BACK = (
    "Obnova ze zálohy byla přerušena. Původní data byla vrácena ze zálohy pořízené před "
    "obnovou; nic se neztratilo."
)


@dataclass(frozen=True)
class PreparedRestore:
    archive: str
    db_path: str
    db_tmp: str
    scans_dir: str
    scans_tmp: str  # "" when the backup holds no scans (the current scans stay)
    scans_old: str
    safety_backup: str  # "" when there was no database to save
    manifest: dict[str, object]


def journal_path() -> Path:
    return paths.data_dir() / JOURNAL_FILE


def check_restorable(manifest: Manifest) -> None:
    """Refuse a backup whose schema this app does not know (made by a newer version)."""
    from apk_desktop.db import migrate

    revision = manifest.schema_revision
    if revision is not None and revision not in migrate.known_revisions():
        raise RestoreRefused(
            f"Záloha pochází z novější verze aplikace APK Desktop ({manifest.app_version}), "
            f"tato verze ({__version__}) ji neumí obnovit. Nejdříve aplikaci aktualizujte. "
            "Vaše současná data zůstala beze změny."
        )


def migrate_snapshot(path: Path) -> None:
    """Bring a database file extracted from a backup to the newest schema."""
    from apk_desktop.db import migrate
    from apk_desktop.db.database import make_engine

    engine = make_engine(f"sqlite:///{path}")
    try:
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA journal_mode=DELETE")
        finally:
            connection.close()
    except (DBAPIError, sqlite3.Error) as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        if isinstance(cause, sqlite3.Error) and is_sqlite_storage_error(cause):
            raise sqlite_storage_error(cause, str(path.parent)) from exc
        raise BackupError(
            "Databázi ze zálohy se nepodařilo převést na tuto verzi aplikace. "
            "Vaše současná data zůstala beze změny.",
            str(cause),
        ) from exc


def _live_projects(db_path: Path) -> list[int]:
    """The ids of the projects in the live database (none when there is none)."""
    return [p.id for p in projects_in(db_path).projects] if db_path.is_file() else []


def _ensure_room(manifest: Manifest, db_path: Path, scans_dir: Path) -> None:
    """Room for the extracted database and scans (summed per disk), checked before anything
    is written: a zip bomb or a full disk is refused before the safety backup is made. A
    project restored next to other projects needs a copy of the live database as well."""
    merged = 0
    live = _live_projects(db_path)
    named = manifest_project(manifest)
    if len(live) > 1 or (named is not None and shares_database(named, live)):
        merged = db_path.stat().st_size + manifest.database_bytes
    needs = [(db_path.parent, manifest.database_bytes + merged)]
    if manifest.scans_included:
        needs.append((scans_dir.parent, manifest.content_bytes - manifest.database_bytes))
    per_disk: dict[int, tuple[Path, int]] = {}
    for folder, amount in needs:
        device = folder.stat().st_dev
        first, total = per_disk.get(device, (folder, 0))
        per_disk[device] = (first, total + amount)
    for folder, amount in per_disk.values():
        archive.ensure_free_space(folder, amount)


def prepare_restore(
    archive_path: Path,
    db_path: Path,
    *,
    scans_dir: Path | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> PreparedRestore:
    scans_dir = scans_dir if scans_dir is not None else paths.scans_dir()
    manifest = reader.verify(archive_path, work_dir(), progress=progress, cancel=cancel)
    check_restorable(manifest)
    _ensure_room(manifest, db_path, scans_dir)
    db_tmp = partial_path(db_path.parent)
    scans_tmp = partial_path(scans_dir.parent) if manifest.scans_included else None
    safety = ""
    try:
        reader.extract_database(archive_path, db_tmp)
        if progress:
            progress(0, 1, "Převádím databázi na novou verzi…")
        migrate_snapshot(db_tmp)
        archive.check_integrity(db_tmp, "Obnovená databáze")
        check_evidence_paths(db_tmp)
        if scans_tmp is not None:
            scans_tmp.mkdir()
            reader.extract_scans(archive_path, scans_tmp, progress=progress, cancel=cancel)
        _merge_with_other_projects(manifest, db_path, db_tmp, scans_dir, scans_tmp, progress)
        # The safety backup comes last, so a restore that fails before it leaves none behind;
        # older ones are pruned only once the restore is done (commit_restore).
        if db_path.exists():
            if progress:
                progress(0, 1, "Ukládám současná data do zálohy před obnovou…")
            result = create_backup(
                db_path, safety_dir(), scans_dir=scans_dir, cancel=cancel, prune_old=False
            )
            safety = str(result.path)
            faults.pause_at("restore-safety-backup-made")
    except BaseException:
        remove_quietly(db_tmp)
        if scans_tmp is not None:
            archive.remove_tree_quietly(scans_tmp)
        raise
    return PreparedRestore(
        archive=str(archive_path),
        db_path=str(db_path),
        db_tmp=str(db_tmp),
        scans_dir=str(scans_dir),
        scans_tmp=str(scans_tmp or ""),
        scans_old=str(partial_path(scans_dir.parent)),
        safety_backup=safety,
        manifest=manifest.data,
    )


def _merge_with_other_projects(
    manifest: Manifest,
    db_path: Path,
    db_tmp: Path,
    scans_dir: Path,
    scans_tmp: Path | None,
    progress: Progress | None,
) -> None:
    """When the live database holds other projects besides the backup's, make ``db_tmp`` (and
    ``scans_tmp``) the live data with only the backup's project replaced."""
    project = archive_project(manifest, db_tmp)
    if not shares_database(project, _live_projects(db_path)):
        return
    assert project is not None
    if progress:
        progress(0, 1, f"Obnovuji projekt „{project.name}“ vedle ostatních projektů…")
    merged = partial_path(db_path.parent)
    try:
        merge_project(db_path, db_tmp, merged, project)
        archive.check_integrity(merged, "Obnovená databáze")
        os.replace(merged, db_tmp)
    finally:
        remove_quietly(merged)
    if scans_tmp is not None:
        keep_other_scans(db_tmp, project, scans_dir, scans_tmp)


def abort_restore(prepared: PreparedRestore) -> None:
    """Throw away a prepared restore that will not be committed, with its safety backup: the
    data were not touched, and it must not push older safety backups out."""
    _remove_temporaries(prepared)
    if prepared.safety_backup:
        remove_quietly(Path(prepared.safety_backup))


def _remove_temporaries(prepared: PreparedRestore) -> None:
    remove_quietly(Path(prepared.db_tmp))
    if prepared.scans_tmp:
        archive.remove_tree_quietly(Path(prepared.scans_tmp))


def _drop_wal(db_path: Path) -> None:
    """Fold the WAL into the database and remove it, so no stale WAL meets the new file."""
    if db_path.exists():
        with contextlib.suppress(sqlite3.Error):
            connection = sqlite3.connect(db_path)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
    for suffix in ("-wal", "-shm", "-journal"):
        remove_quietly(Path(f"{db_path}{suffix}"))


def _swap_database(prepared: PreparedRestore) -> None:
    db_path = Path(prepared.db_path)
    _drop_wal(db_path)
    os.replace(prepared.db_tmp, db_path)
    fsync_folder(db_path.parent)


def _swap_scans(prepared: PreparedRestore) -> None:
    if not prepared.scans_tmp:
        return
    scans = Path(prepared.scans_dir)
    if scans.exists():
        os.rename(scans, prepared.scans_old)
    os.rename(prepared.scans_tmp, scans)
    fsync_folder(scans.parent)


def commit_restore(prepared: PreparedRestore) -> None:
    """Swap the restored data in. On failure the old data come back and BackupError is raised."""
    write_bytes_atomic(journal_path(), json.dumps(asdict(prepared)).encode("utf-8"))
    faults.pause_at("restore-journal-written")
    try:
        _swap_database(prepared)
        faults.pause_at("restore-database-swapped")
        _swap_scans(prepared)
        faults.pause_at("restore-scans-swapped")
    except Exception as exc:
        log.exception("restore commit failed; rolling back")
        rollback(prepared)
        if isinstance(exc, OSError):
            raise BackupError(ROLLED_BACK, str(exc)) from exc
        raise
    remove_quietly(journal_path())
    archive.remove_tree_quietly(Path(prepared.scans_old))
    log.info("restored %s", prepared.archive)
    if prepared.safety_backup:
        safety = Path(prepared.safety_backup)
        prune(safety.parent, SAFETY_POLICY, safety.name, local_now())


def rollback(prepared: PreparedRestore) -> None:
    """Bring back the data as they were before the restore began."""
    db_path = Path(prepared.db_path)
    if not Path(prepared.db_tmp).exists():  # the database was swapped already
        _drop_wal(db_path)
        if prepared.safety_backup:
            back = partial_path(db_path.parent)
            try:
                reader.extract_database(Path(prepared.safety_backup), back)
                os.replace(back, db_path)
            finally:
                remove_quietly(back)
            faults.pause_at("rollback-database-restored")
        else:
            remove_quietly(db_path)  # there was no database before
    scans = Path(prepared.scans_dir)
    old = Path(prepared.scans_old)
    if old.exists():
        if scans.exists():
            doomed = partial_path(scans.parent)
            os.rename(scans, doomed)
            faults.pause_at("rollback-scans-moved-aside")
            archive.remove_tree_quietly(doomed)
        os.rename(old, scans)
    _remove_temporaries(prepared)
    remove_quietly(journal_path())


def recover_at_startup(db_url: str | None = None) -> str | None:
    """Finish what a killed backup or restore left: roll back an interrupted restore (returns
    the Czech message to show), remove stale temporary files."""
    message = None
    journal = journal_path()
    if journal.exists():
        try:
            prepared = PreparedRestore(**json.loads(journal.read_text(encoding="utf-8")))
            rollback(prepared)
            message = ROLLED_BACK
        except (OSError, ValueError, TypeError, BackupError):
            log.exception("could not roll back an interrupted restore")
            message = (
                "Předchozí obnova ze zálohy byla přerušena a nepodařilo se ji vrátit. "
                f"Data před obnovou jsou ve složce „{safety_dir()}“."
            )
    cleanup_partials(work_dir())
    if journal.exists():  # not rolled back: its temporary files wait for the next attempt
        return message
    cleanup_partials(paths.data_dir())
    if db_url:
        with contextlib.suppress(BackupError):
            from apk_desktop.backup.service import sqlite_path

            cleanup_partials(sqlite_path(db_url).parent)
    return message


@dataclass(frozen=True)
class RestoreOutcome:
    manifest: Manifest
    safety_backup: str


def restore_backup(
    archive_path: Path,
    db_path: Path,
    *,
    scans_dir: Path | None = None,
    before_swap: Callable[[], None] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> RestoreOutcome:
    """Prepare and commit in one go (the command line); ``before_swap`` closes the database."""
    try:
        prepared = prepare_restore(
            archive_path, db_path, scans_dir=scans_dir, progress=progress, cancel=cancel
        )
    except OSError as exc:
        where = Path(exc.filename).parent if exc.filename else db_path.parent
        raise storage_error(exc, str(where)) from exc
    try:
        if before_swap is not None:
            before_swap()
    except BaseException:
        abort_restore(prepared)
        raise
    commit_restore(prepared)
    return RestoreOutcome(Manifest(prepared.manifest), prepared.safety_backup)
