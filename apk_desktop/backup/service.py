"""Making backups. ``backup_now`` (the GUI and the command line) makes an incremental snapshot
in the backup folder (store.py: new scans and the database snapshot as objects, then the
manifest), prunes old backups and collects unused objects. ``create_backup`` writes one
self-contained .zip archive: exports and the safety backups made before a restore."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Protocol

from apk_desktop import __version__, paths
from apk_desktop.backup import archive, faults, projects, reader, state, store
from apk_desktop.backup.archive import Cancel, Manifest, Progress
from apk_desktop.backup.atomic import (
    ON_WINDOWS,
    Opener,
    cleanup_partials,
    copy_into_folder,
    exclusive_opener,
    remove_quietly,
)
from apk_desktop.backup.errors import (
    BackupError,
    is_sqlite_storage_error,
    sqlite_storage_error,
    storage_error,
)
from apk_desktop.backup.projects import ProjectFilter, ProjectRef
from apk_desktop.backup.retention import Dated, RetentionPolicy, to_delete
from apk_desktop.backup.settings import BackupSettings

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"^apk-zaloha-(\d{4}-\d{2}-\d{2}_\d{6})-n(\d{6,})\.zip$")
# Before each restore: a month of them, and the 3 newest however old (they may hold the only
# copy of data entered before a restore that turned out wrong).
SAFETY_POLICY = RetentionPolicy(keep_last=3, keep_weekly=0, keep_monthly=0, keep_days=30)
NOT_SQLITE = (
    "Průběžné zálohy do složky jsou jen pro databázi SQLite na tomto počítači. Databázi na "
    "serveru PostgreSQL zálohuje server (správce IT, např. pg_dump); aplikace z ní umí uložit "
    "archiv .zip (Exportovat archiv…)."
)


def local_now() -> datetime:
    return datetime.now().astimezone()


def backup_name(created_at: datetime, sequence: int) -> str:
    return f"apk-zaloha-{created_at:%Y-%m-%d_%H%M%S}-n{sequence:06d}.zip"


@dataclass(frozen=True)
class BackupEntry:
    path: Path
    created_at: datetime  # from the name (the PC's clock when it was made)
    sequence: int
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def is_snapshot(self) -> bool:
        return store.is_snapshot(self.path)


@dataclass(frozen=True)
class BackupResult:
    path: Path | None  # None: skipped, nothing changed since the last backup
    manifest: Manifest | None
    size: int  # bytes written to the folder
    fingerprint: str
    deleted: tuple[str, ...] = ()
    repaired: frozenset[str] = frozenset()  # damaged objects written again

    @property
    def skipped(self) -> bool:
        return self.path is None


def _local_folder(name: str) -> Path:
    path = paths.data_dir() / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # e.g. a read-only data folder
        raise storage_error(exc, str(path.parent)) from exc
    return path


def work_dir() -> Path:
    """Local folder for archives being built (cleaned up at start)."""
    return _local_folder("backup-work")


def safety_dir() -> Path:
    """Local folder for the safety backups made before each restore."""
    return _local_folder("zalohy-pred-obnovou")


def sqlite_path(db_url: str) -> Path:
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(NOT_SQLITE)
    return Path(url.database)


def _archives(folder: Path) -> list[tuple[Path, datetime, int]]:
    found = []
    for path in folder.iterdir():
        match = NAME_RE.match(path.name)
        if match and path.is_file():
            created = datetime.strptime(match.group(1), "%Y-%m-%d_%H%M%S")
            found.append((path, created, int(match.group(2))))
    return found


def list_backups(
    folder: Path, *, sizes: bool = True, project: ProjectFilter | None = None
) -> list[BackupEntry]:
    """The finished backups in ``folder`` of both kinds (incremental snapshots and .zip
    archives), newest first; temporary files are never listed. The size of a snapshot is the
    size of the data it holds (0 when its manifest cannot be read, or ``sizes`` is False).
    With ``project``: only that project's backups (and those whose manifest cannot be read,
    so a damaged backup is not hidden)."""
    entries: list[BackupEntry] = []
    try:
        for path, created, sequence in _archives(folder):
            if project is None or _belongs(project, archive.read_manifest, path):
                entries.append(BackupEntry(path, created, sequence, path.stat().st_size))
        for snapshot in store.list_snapshots(folder):
            manifest = None
            if sizes or project is not None:
                with contextlib.suppress(OSError, BackupError):
                    manifest = store.read_manifest(snapshot.path)
            if project is not None and manifest is not None and not project.matches(manifest):
                continue
            size = manifest.content_bytes if sizes and manifest is not None else 0
            entries.append(BackupEntry(snapshot.path, snapshot.created_at, snapshot.sequence, size))
    except OSError as exc:
        raise storage_error(exc, str(folder)) from exc
    return sorted(entries, key=lambda e: e.sequence, reverse=True)


def list_project_backups(folder: Path, db_url: str, project_id: int) -> list[BackupEntry]:
    """The backups of project ``project_id`` of the SQLite database at ``db_url`` in
    ``folder`` (old ones without a project count as its first project's)."""
    db_path = sqlite_path(db_url)
    found = projects.projects_in(db_path) if db_path.is_file() else None
    project = found.filter_for(project_id) if found else ProjectFilter(project_id, True)
    return list_backups(folder, project=project)


def _belongs(project: ProjectFilter, read: Callable[[Path], Manifest], path: Path) -> bool:
    try:
        return project.matches(read(path))
    except (OSError, BackupError):
        return True


def next_sequence(folder: Path) -> int:
    """One more than any backup of either kind in ``folder`` (names stay unique and ordered)."""
    sequences = [s for _p, _c, s in _archives(folder)]
    sequences += [s.sequence for s in store.list_snapshots(folder)]
    return max(sequences, default=0) + 1


def folder_problem(folder: str, *, windows: bool = ON_WINDOWS) -> str | None:
    """Why ``folder`` cannot be a backup folder (a Czech message), or None. A relative path
    would put the backups wherever the app happened to be started from."""
    if (PureWindowsPath if windows else PurePosixPath)(folder).is_absolute():
        return None
    if folder.startswith("\\\\") and not windows:
        return (
            f"Cesta „{folder}“ je síťová cesta Windows, kterou tento systém neumí otevřít. "
            "Připojte sdílenou složku (např. do /mnt/zalohy) a zadejte úplnou cestu k ní."
        )
    example = r"D:\Zalohy\APK nebo \\server\sdilene\apk" if windows else "/mnt/zalohy/apk"
    return (
        f"Cesta ke složce záloh „{folder}“ není úplná. Zadejte celou cestu (např. {example}), "
        "jinak by se zálohy uložily do nahodilé složky."
    )


def ensure_folder(folder: Path) -> None:
    """The backup folder exists (its parent, e.g. the share, must exist already)."""
    problem = folder_problem(str(folder))
    if problem is not None:
        raise BackupError(problem)
    try:
        with contextlib.suppress(FileExistsError):  # a file in its place: reported below
            folder.mkdir(exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(20, "není složka", str(folder))
    except OSError as exc:
        raise storage_error(exc, str(folder)) from exc


class BackupSource(Protocol):
    """Where the data of a backup come from: ``snapshot`` writes a SQLite snapshot of the
    database (or of one project's rows) into ``dest`` (a new file) and returns the scans to back
    up; ``project`` is then the project the snapshot holds (None: a whole database of several
    projects, or one without a project) and ``history`` the backups a new one of it joins
    (pruned together)."""

    project: ProjectRef | None
    history: ProjectFilter | None

    def snapshot(
        self, dest: Path, work: Path, include_scans: bool, progress: Progress | None
    ) -> list[archive.ScanFile]: ...

    def cleanup(self) -> None: ...


class SqliteSource:
    """A SQLite database file and the scans folder next to it: the project ``project_id`` (its
    rows and scans), or with None the whole database (a safety backup before a restore)."""

    def __init__(self, db_path: Path, scans_dir: Path, project_id: int | None = None) -> None:
        self.db_path = db_path
        self.scans_dir = scans_dir
        self.project_id = project_id
        self.project: ProjectRef | None = None
        self.history: ProjectFilter | None = None

    def snapshot(
        self, dest: Path, work: Path, include_scans: bool, progress: Progress | None
    ) -> list[archive.ScanFile]:
        scans_dir = self.scans_dir if include_scans else None
        if not self.db_path.is_file():
            raise BackupError(f"Databáze „{self.db_path}“ nebyla nalezena; není co zálohovat.")
        with _snapshot_faults(self.db_path, work):
            live = projects.projects_in(self.db_path)
        wanted = live.choose(self.project_id) if self.project_id is not None else None
        if wanted is None or len(live.projects) <= 1:
            # the whole file: a whole database, or the project's backup as it always was
            _take_snapshot(self.db_path, dest, work, progress)
            found = projects.projects_in(dest)
            if len(found.projects) <= 1 or wanted is None:
                if len(found.projects) == 1:
                    self.project = found.projects[0]
                    self.history = found.filter_for(self.project.id)
                return archive.list_scans(scans_dir)
            dest.unlink()  # a project was added meanwhile
        if progress:
            progress(0, 1, "Pořizuji snímek dat projektu…")
        _take_project_snapshot(self.db_path, dest, wanted.id, work)
        self.project = projects.projects_in(dest).choose(wanted.id)
        self.history = live.filter_for(wanted.id)
        return projects.scans_of(dest, archive.list_scans(scans_dir))

    def cleanup(self) -> None:
        pass


def create_backup(
    db_path: Path | BackupSource,
    folder: Path,
    *,
    include_scans: bool = True,
    scans_dir: Path | None = None,
    policy: RetentionPolicy | None = None,
    skip_if_fingerprint: str = "",
    opener: Opener = exclusive_opener,
    now: Callable[[], datetime] = local_now,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    compress_database: bool = False,
    prune_old: bool = True,
    name: str = "",
    project_id: int | None = None,
) -> BackupResult:
    """Make one verified .zip archive in ``folder``; never overwrites or leaves a partial file.
    With ``name`` (an export) the archive gets that name and nothing is pruned.

    The steps: a snapshot of the database (checked: integrity, its sha256), the archive written
    to a local temporary file (each member hashed as it is written), then the archive copied to
    the share under a temporary name while a second thread reads the local archive back and
    checks every member; only when both are done (copy fsynced, verification passed) is the
    copy renamed to its final name. ``db_path``: a SQLite file (its scans in ``scans_dir``) or
    another source (a server database: ``server.ServerSource``). ``project_id``: only that
    project's rows and scans (None: the whole database)."""
    ensure_folder(folder)
    cleanup_partials(folder)
    work = work_dir()
    cleanup_partials(work)
    source = (
        SqliteSource(db_path, scans_dir if scans_dir is not None else paths.scans_dir(), project_id)
        if isinstance(db_path, Path)
        else db_path
    )
    snapshot = archive.temp_name(work)
    local = archive.temp_name(work)
    try:
        snapshot_sha256, scans, fingerprint = _checked_snapshot(
            source, snapshot, work, include_scans, progress
        )
        if skip_if_fingerprint and fingerprint == skip_if_fingerprint:
            return BackupResult(None, None, 0, fingerprint)
        created_at = now()
        try:
            manifest = archive.write_archive(
                local,
                snapshot,
                scans,
                app_version=__version__,
                created_at=created_at,
                scans_included=include_scans,
                compress_database=compress_database,
                progress=progress,
                cancel=cancel,
                project=source.project,
            )
        except OSError as exc:
            raise storage_error(exc, str(work)) from exc
        snapshot.unlink(missing_ok=True)
        faults.pause_at("backup-archive-written")
        # Verify the local archive while it is being copied: the copy is published (renamed)
        # only after the verification passed, so an unverified backup never appears.
        verification = _Verification(local, work, cancel, snapshot_sha256)
        size = local.stat().st_size

        def name_for(attempt: int) -> str:
            if name:
                if attempt:
                    raise BackupError(f"Soubor „{folder / name}“ už existuje.")
                return name
            return backup_name(created_at, next_sequence(folder) + attempt)

        def copy_progress(done: int, total: int) -> None:
            if progress:
                progress(done, total, "Kopíruji zálohu do cílové složky…")

        try:
            final = copy_into_folder(
                local,
                folder,
                name_for,
                opener=opener,
                progress=copy_progress,
                cancel=cancel,
                before_publish=verification.result,
            )
        except OSError as exc:
            raise storage_error(exc, str(folder)) from exc
        finally:
            verification.stop()
        log.info("backup written: %s (%d bytes)", final, size)
        pruning = prune_old and not name
        deleted = (
            prune(folder, policy or RetentionPolicy(), final.name, now(), source.history)
            if pruning
            else []
        )
        return BackupResult(final, manifest, size, fingerprint, tuple(deleted))
    finally:
        remove_quietly(snapshot)  # quietly: on a read-only folder even this fails
        remove_quietly(local)
        source.cleanup()


def _checked_snapshot(
    source: BackupSource,
    snapshot: Path,
    work: Path,
    include_scans: bool,
    progress: Progress | None,
) -> tuple[str, list[archive.ScanFile], str]:
    """Snapshot the database into ``snapshot`` and check it: (its sha256, the scans to back
    up — none unless ``include_scans`` —, the fingerprint of both)."""
    scans = source.snapshot(snapshot, work, include_scans, progress)
    archive.check_integrity(snapshot, "Databáze aplikace")
    snapshot_sha256 = archive.sha256_file(snapshot)
    return snapshot_sha256, scans, archive.fingerprint(snapshot_sha256, scans)


def _take_snapshot(db_path: Path, snapshot: Path, work: Path, progress: Progress | None) -> None:
    if progress:
        progress(0, 1, "Pořizuji snímek databáze…")
    with _snapshot_faults(db_path, work):
        archive.snapshot_database(db_path, snapshot)


def _take_project_snapshot(db_path: Path, snapshot: Path, project_id: int, work: Path) -> None:
    with _snapshot_faults(db_path, work):
        projects.copy_project(db_path, snapshot, project_id)


@contextlib.contextmanager
def _snapshot_faults(db_path: Path, work: Path) -> Iterator[None]:
    """A full disk or a read-only folder while snapshotting: a Czech storage error."""
    try:
        yield
    except OSError as exc:
        raise storage_error(exc, str(work)) from exc
    except sqlite3.Error as exc:  # "database or disk is full", "unable to open …"
        if not is_sqlite_storage_error(exc):
            raise
        raise sqlite_storage_error(exc, str(_snapshot_fault_folder(db_path, work))) from exc


def _snapshot_fault_folder(db_path: Path, work: Path) -> Path:
    """The folder to blame: the work folder the snapshot is written to, unless only the
    database's folder is read-only (SQLite needs to write its -shm file there)."""
    if os.access(work, os.W_OK) and not os.access(db_path.parent, os.W_OK):
        return db_path.parent
    return work


class _Verification:
    """``archive.verify_archive`` on a worker thread; ``result()`` waits and re-raises."""

    def __init__(self, path: Path, work: Path, cancel: Cancel | None, snapshot_sha256: str) -> None:
        self._error: BaseException | None = None
        self._stopped = threading.Event()

        def stopped() -> bool:
            return self._stopped.is_set() or (cancel is not None and cancel())

        def run() -> None:
            try:
                archive.verify_archive(
                    path, work, cancel=stopped, checked_database_sha256=snapshot_sha256
                )
            except BaseException as exc:
                self._error = exc

        self._thread = threading.Thread(target=run, name="backup-verify", daemon=True)
        self._thread.start()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


def create_incremental(
    db_path: Path,
    folder: Path,
    *,
    include_scans: bool = True,
    scans_dir: Path | None = None,
    policy: RetentionPolicy | None = None,
    skip_if_fingerprint: str = "",
    damaged: frozenset[str] = frozenset(),
    opener: Opener = exclusive_opener,
    now: Callable[[], datetime] = local_now,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    project_id: int | None = None,
) -> BackupResult:
    """Make one verified incremental snapshot in ``folder`` (see store.py) of the project
    ``project_id`` (None: the whole database), then prune the project's old backups and remove
    the objects no remaining backup needs.

    The database snapshot is taken and checked locally (integrity, sha256); only objects the
    folder lacks (or ``damaged`` ones) are written, each read back before it is published;
    the manifest is published last."""
    ensure_folder(folder)
    cleanup_partials(folder)  # a killed archive copy (older versions, exports)
    work = work_dir()
    cleanup_partials(work)
    source = SqliteSource(
        db_path, scans_dir if scans_dir is not None else paths.scans_dir(), project_id
    )
    snapshot = archive.temp_name(work)
    try:
        snapshot_sha256, scans, fingerprint = _checked_snapshot(
            source, snapshot, work, include_scans, progress
        )
        if skip_if_fingerprint and fingerprint == skip_if_fingerprint:
            return BackupResult(None, None, 0, fingerprint)
        created_at = now()
        try:
            with store.running(folder) as marker:
                path, manifest, writer = store.write_snapshot(
                    folder,
                    snapshot,
                    snapshot_sha256,
                    scans,
                    app_version=__version__,
                    created_at=created_at,
                    scans_included=include_scans,
                    next_sequence=lambda: next_sequence(folder),
                    damaged=damaged,
                    opener=opener,
                    progress=progress,
                    cancel=cancel,
                    project=source.project,
                )
                log.info("snapshot written: %s (%d new bytes)", path, writer.written_bytes)
                deleted = prune(
                    folder,
                    policy or RetentionPolicy(),
                    path.name,
                    created_at,
                    source.history,
                )
                # objects become unused when a backup goes (or a killed one left some)
                removed = store.collect_garbage(folder, marker, objects=bool(deleted))
                log.info("pruned %d backups, removed %d unused objects", len(deleted), len(removed))
        except OSError as exc:
            raise storage_error(exc, str(folder)) from exc
        return BackupResult(
            path,
            manifest,
            writer.written_bytes,
            fingerprint,
            tuple(deleted),
            frozenset(writer.rewritten | (damaged & store.referenced_objects(manifest))),
        )
    finally:
        remove_quietly(snapshot)


def export_name(created_at: datetime) -> str:
    return f"apk-archiv-{created_at:%Y-%m-%d_%H%M%S}.zip"


def export_archive(
    db_url: str,
    target: Path,
    *,
    include_scans: bool = True,
    now: Callable[[], datetime] = local_now,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    project_id: int | None = None,
) -> BackupResult:
    """The data of the project ``project_id`` (None: the current project) as one verified .zip
    archive (a USB stick, handing data over): ``target`` is an existing folder (a dated name is
    chosen) or a new ``….zip`` file."""
    problem = folder_problem(str(target))
    if problem is not None:
        raise BackupError(problem)
    if target.is_dir():
        folder, name = target, export_name(now())
    elif target.suffix.lower() == ".zip" and target.parent.is_dir():
        folder, name = target.parent, target.name
    else:
        raise BackupError(
            f"Archiv nelze uložit do „{target}“: zadejte existující složku nebo nový soubor .zip."
        )
    if (folder / name).exists():
        raise BackupError(f"Soubor „{folder / name}“ už existuje. Zvolte jiný název.")
    from apk_desktop.backup.server import ServerSource, current_project_id, is_server_url

    if is_server_url(db_url):
        project = project_id if project_id is not None else current_project_id(db_url)
        return create_backup(
            ServerSource(db_url, project),
            folder,
            include_scans=include_scans,
            now=now,
            progress=progress,
            cancel=cancel,
            name=name,
        )
    db_path = sqlite_path(db_url)
    return create_backup(
        db_path,
        folder,
        include_scans=include_scans,
        now=now,
        progress=progress,
        cancel=cancel,
        name=name,
        project_id=_project_or_current(db_path, project_id),
    )


def _project_or_current(db_path: Path, project_id: int | None) -> int | None:
    """``project_id``, or the current project of the database (None when it has none)."""
    if project_id is not None or not db_path.is_file():
        return project_id
    current = projects.projects_in(db_path).choose(None)
    return current.id if current is not None else None


def prune(
    folder: Path,
    policy: RetentionPolicy,
    keep: str,
    moment: datetime,
    project: ProjectFilter | None = None,
) -> list[str]:
    """Delete the backups (of both kinds) the policy no longer keeps (never ``keep``, never
    the newest); with ``project`` only among that project's backups (each project in a shared
    folder keeps its own history). A snapshot's objects go later, in the garbage collection."""
    try:
        entries = list_backups(folder, sizes=False, project=project)
    except BackupError:
        return []
    checks = state.load().verifications
    failed = {e.name for e in entries if not _verified_ok(checks, e.name)}
    # While backups on the share fail their checks, the new one (read back only before its
    # copy) is not known good there yet: the newest earlier one that passed stays as well.
    unproven = (failed | {keep}) if failed else set()
    dated = [Dated(e.name, e.created_at, e.sequence, e.name not in unproven) for e in entries]
    doomed = set(to_delete(dated, policy, moment.replace(tzinfo=None)))  # names: wall time
    deleted: list[str] = []
    for entry in entries:
        if entry.name not in doomed or entry.name == keep:
            continue
        name = entry.name
        try:
            entry.path.unlink()
            deleted.append(name)
        except OSError:
            log.warning("could not delete old backup %s", name, exc_info=True)
    return deleted


def _verified_ok(checks: dict[str, state.Verification], name: str) -> bool:
    check = checks.get(name)
    return check is None or check.ok  # made and verified by this app, or never re-checked


def backup_now(
    db_url: str,
    settings: BackupSettings,
    *,
    folder: Path | None = None,
    force: bool = True,
    opener: Opener = exclusive_opener,
    now: Callable[[], datetime] = local_now,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    project_id: int | None = None,
) -> BackupResult:
    """Back up the project ``project_id`` (None: the current project) per ``settings`` (or into
    ``folder``) and record the outcome in the state file. With ``force=False`` nothing is written
    when the data did not change since the last backup."""
    project = project_id
    current = state.load(project_id=project)
    try:
        if folder is None:
            if not settings.is_configured:
                raise BackupError(
                    "Složka pro zálohy není nastavena. Nastavte ji na obrazovce Zálohy."
                )
            folder = Path(settings.folder)
        db_path = sqlite_path(db_url)
        if project is None:
            project = _project_or_current(db_path, None)
            current = state.load(project_id=project)
        result = create_incremental(
            db_path,
            folder,
            include_scans=settings.include_scans,
            policy=settings.policy,
            skip_if_fingerprint="" if force else current.last_fingerprint,
            damaged=frozenset(current.damaged_objects),
            opener=opener,
            now=now,
            progress=progress,
            cancel=cancel,
            project_id=project,
        )
    except BackupError as exc:
        _record(replace(current, last_error=exc.message, last_error_at=_iso(now())), project)
        raise
    except Exception as exc:
        _record(replace(current, last_error=str(exc), last_error_at=_iso(now())), project)
        raise
    moment = _iso(now())
    if result.skipped:
        unchanged = replace(current, last_unchanged_at=moment, last_error="", last_error_at="")
        _record(unchanged, project)
    else:
        assert result.path is not None
        updated = replace(
            current,
            last_success_at=moment,
            last_success_path=str(result.path),
            last_fingerprint=result.fingerprint,
            last_error="",
            last_error_at="",
        )
        updated = updated.with_damaged(repaired=set(result.repaired))
        verified = updated.with_verification(result.path.name, True, now(), "ověřeno při vytvoření")
        _record(verified, project)
    return result


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _record(new_state: state.BackupState, project_id: int | None = None) -> None:
    try:
        state.save(new_state, project_id=project_id)
    except OSError:
        log.exception("could not save the backup state")


def verify_backup(
    path: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    now: Callable[[], datetime] = local_now,
) -> Manifest:
    """Verify ``path`` (either kind) fully and remember the result for the list of backups;
    damaged objects are remembered so the next backup writes them again. A backup made by a
    newer version is intact but cannot be restored here: ``RestoreRefused``."""
    from apk_desktop.backup.restore import check_restorable

    try:
        manifest = reader.verify(path, work_dir(), progress=progress, cancel=cancel)
        check_restorable(manifest)
    except store.DamagedObjects as exc:
        found = state.load().with_damaged(found=exc.objects)
        _record(found.with_verification(path.name, False, now(), exc.message))
        raise
    except BackupError as exc:
        _record(state.load().with_verification(path.name, False, now(), exc.message))
        raise
    except OSError as exc:
        raise storage_error(exc, str(path.parent)) from exc
    _record(state.load().with_verification(path.name, True, now(), "v pořádku"))
    return manifest


def is_due(settings: BackupSettings, last_good: datetime | None, moment: datetime) -> bool:
    """A periodic backup is due: never made, older than the period, or the clock went back."""
    if last_good is None:
        return True
    age = moment - last_good
    return age >= timedelta(hours=settings.interval_hours) or age < timedelta(0)


def is_overdue(settings: BackupSettings, last_good: datetime | None, moment: datetime) -> bool:
    """Warn the user: the last good backup is older than the period allows (with slack)."""
    if last_good is None:
        return True
    return moment - last_good > timedelta(hours=settings.interval_hours) * 1.5 + timedelta(hours=1)
