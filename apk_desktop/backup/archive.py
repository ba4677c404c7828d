"""One self-describing backup archive (a zip): a consistent SQLite snapshot, the attached scans
and ``manifest.json`` (app version, schema revision, row counts per table, sha256 per member).

Scans are stored (PDF/JPEG are compressed already). The database is stored too unless the
caller asks for deflate: measured on a 50 MB database (half text, half blobs) level-1 deflate
costs ~0.5 s of CPU to save ~29 MB, which pays off only on a share slower than ~60 MB/s
(see benchmarks/backup_speed.py, which measures both). Restore reads either.

The snapshot is taken with SQLite's online backup API in one step, i.e. inside one read
transaction: a consistent picture even while the app writes (WAL lets the writer carry on
meanwhile). Every member's sha256 is computed in the same pass that writes it into the archive.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from apk_desktop.backup.atomic import is_partial_name, partial_path
from apk_desktop.backup.errors import BackupCancelled, BackupError, VerificationError, storage_error
from apk_desktop.domain.errors import StorageUnavailableError

FORMAT = "apk-desktop-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DB_MEMBER = "database/apk-desktop.sqlite3"
SCANS_PREFIX = "scans/"
CHUNK_SIZE = 256 * 1024  # measured: bigger chunks fall out of the CPU cache before the write
DB_COMPRESSLEVEL = 1  # when the database is deflated: the fastest level
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # ~150 bytes a member: room for 400,000 scans
FREE_SPACE_MARGIN = 16 * 1024 * 1024  # plus 5 %: the disk must not end up completely full

Progress = Callable[[int, int, str], None]  # done, total, what (Czech)
Cancel = Callable[[], bool]

DAMAGED = "Záloha „{name}“ je poškozená nebo neúplná a nelze ji použít"


class HasJson(Protocol):
    def as_json(self) -> dict[str, Any]: ...


def project_entry(project: HasJson | None) -> dict[str, Any]:
    """The manifest's ``project`` entry (none for a whole database)."""
    return {"project": project.as_json()} if project is not None else {}


def progress_counter(progress: Progress | None, total: int, text: str) -> Callable[[int], None]:
    """``report(amount)``: adds up the bytes done and tells ``progress`` (if any)."""
    done = 0

    def report(amount: int) -> None:
        nonlocal done
        done += amount
        if progress is not None:
            progress(done, total, text)

    return report


@dataclass(frozen=True)
class ScanFile:
    relative: str  # posix path under the scans folder
    path: Path
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Manifest:
    data: dict[str, Any]

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.data["created_at"])

    @property
    def app_version(self) -> str:
        return str(self.data["app_version"])

    @property
    def schema_revision(self) -> str | None:
        value = self.data.get("schema_revision")
        return str(value) if value is not None else None

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.data["counts"].items()}

    @property
    def scans_included(self) -> bool:
        return bool(self.data["scans_included"])

    @property
    def members(self) -> dict[str, dict[str, Any]]:
        members: dict[str, dict[str, Any]] = self.data["members"]
        return members

    @property
    def scan_count(self) -> int:
        return sum(1 for name in self.members if name.startswith(SCANS_PREFIX))

    @property
    def content_bytes(self) -> int:
        return sum(int(m["size"]) for m in self.members.values())

    @property
    def database_bytes(self) -> int:
        return int(self.members[DB_MEMBER]["size"])

    @classmethod
    def parse(
        cls, raw: bytes, name: str, *, kind: str = FORMAT, version: int = FORMAT_VERSION
    ) -> Manifest:
        """Validate a manifest of ``kind`` (a zip archive's, or an incremental snapshot's)."""
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != kind:
                raise VerificationError(f"Soubor „{name}“ není záloha aplikace APK Desktop.")
            if int(data["format_version"]) > version:
                raise VerificationError(
                    f"Záloha „{name}“ má novější formát, než tato verze aplikace umí přečíst. "
                    "Aktualizujte APK Desktop."
                )
            manifest = cls(data)
            manifest.created_at  # noqa: B018 — validates the fields
            manifest.counts  # noqa: B018
            for member, info in manifest.members.items():
                if not _safe_member(member):
                    raise VerificationError(DAMAGED.format(name=name) + " (neplatný název).")
                int(info["size"])
                str(info["sha256"])
            if DB_MEMBER not in manifest.members:
                raise VerificationError(DAMAGED.format(name=name) + " (chybí databáze).")
            return manifest
        except VerificationError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise VerificationError(DAMAGED.format(name=name) + " (vadný popis zálohy).") from exc


def _safe_member(name: str) -> bool:
    if name == DB_MEMBER:
        return True
    if not name.startswith(SCANS_PREFIX) or "\\" in name or ":" in name:
        return False
    parts = PurePosixPath(name).parts
    return len(parts) >= 2 and all(p not in ("", ".", "..") for p in parts)


# --- the database -------------------------------------------------------------------------


def snapshot_database(db_path: Path, dest: Path) -> None:
    """Copy the live database into ``dest`` with the online backup API (never a file copy)."""
    if not db_path.is_file():
        raise BackupError(f"Databáze „{db_path}“ nebyla nalezena; není co zálohovat.")
    source = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(dest)
        try:
            # ``dest`` is a private temporary file: no journal and no fsyncs while it is filled
            # (a crash just leaves a partial file that the next start removes).
            target.execute("PRAGMA synchronous=OFF")
            target.execute("PRAGMA journal_mode=OFF")
            source.backup(target)  # pages=-1: one step, one read transaction, one snapshot
            target.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
            target.commit()
        finally:
            target.close()
    finally:
        source.close()


def check_integrity(path: Path, label: str) -> None:
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise VerificationError(f"{label}: databázi nelze otevřít ({exc}).") from exc
    if [r[0] for r in rows] != ["ok"]:
        raise VerificationError(f"{label}: kontrola integrity databáze selhala.")


def database_facts(path: Path) -> tuple[str | None, dict[str, int]]:
    """(alembic revision, rows per table) of a database file; every table, whatever its owner."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            if table == "alembic_version":
                continue
            quoted = '"' + table.replace('"', '""') + '"'
            counts[table] = int(connection.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
        return revision, counts
    finally:
        connection.close()


# --- the scans ----------------------------------------------------------------------------


def list_scans(scans_dir: Path | None) -> list[ScanFile]:
    """Every regular file under the scans folder (sorted), skipping our temporary files."""
    if scans_dir is None or not scans_dir.is_dir():
        return []
    found: list[ScanFile] = []
    for root, dirs, files in os.walk(scans_dir):
        dirs[:] = sorted(d for d in dirs if not is_partial_name(d))
        for name in sorted(files):
            path = Path(root) / name
            if is_partial_name(name) or path.is_symlink() or not path.is_file():
                continue
            stat = path.stat()
            relative = path.relative_to(scans_dir).as_posix()
            found.append(ScanFile(relative, path, stat.st_size, stat.st_mtime_ns))
    return found


def sha256_file(path: Path) -> str:
    with path.open("rb", buffering=0) as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def fingerprint(snapshot_sha256: str, scans: list[ScanFile]) -> str:
    """Identifies the backed-up content: equal fingerprints, nothing to back up again."""
    digest = hashlib.sha256(snapshot_sha256.encode())
    for scan in scans:
        digest.update(f"\0{scan.relative}\0{scan.size}\0{scan.mtime_ns}".encode())
    return digest.hexdigest()


# --- writing ------------------------------------------------------------------------------


def _zip_time(path: Path) -> tuple[int, int, int, int, int, int]:
    moment = datetime.fromtimestamp(max(path.stat().st_mtime, 315_532_800))  # >= 1980
    moment = min(moment, datetime(2107, 12, 31))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise BackupCancelled()


def _add_member(
    archive: zipfile.ZipFile,
    name: str,
    source: Path,
    compress: int,
    hasher: ThreadPoolExecutor,
    buffers: list[bytearray],
    report: Callable[[int], None],
    cancel: Cancel | None,
) -> dict[str, Any]:
    """Copy ``source`` into the archive, hashing each chunk on its way (one read per file).

    The sha256 of a chunk runs on ``hasher`` (one thread; hashlib releases the GIL) while this
    thread writes the same chunk (zipfile adds its CRC): a ring of buffers, each reused only
    after its hash is done."""
    info = zipfile.ZipInfo(name, _zip_time(source))
    info.compress_type = compress
    if compress == zipfile.ZIP_DEFLATED:
        info._compresslevel = DB_COMPRESSLEVEL  # type: ignore[attr-defined]
    size = source.stat().st_size
    digest = hashlib.sha256()
    written = 0
    pending: deque[Future[None]] = deque()
    with (
        source.open("rb", buffering=0) as src,
        archive.open(info, "w", force_zip64=size > 2**31) as dst,
    ):
        for index in itertools.count():
            buffer = buffers[index % len(buffers)]
            while len(pending) >= len(buffers) - 1:  # this buffer's previous hash is done
                pending.popleft().result()
            read = src.readinto(buffer)
            if not read:
                break
            _check_cancel(cancel)
            chunk = memoryview(buffer)[:read]
            pending.append(hasher.submit(digest.update, chunk))
            dst.write(chunk)
            written += read
            report(read)
        while pending:
            pending.popleft().result()
    return {"size": written, "sha256": digest.hexdigest()}


def write_archive(
    out: Path,
    snapshot: Path,
    scans: list[ScanFile],
    *,
    app_version: str,
    created_at: datetime,
    scans_included: bool,
    compress_database: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    project: HasJson | None = None,
) -> Manifest:
    """Write the archive to ``out`` (a new local temporary file); ``project``: the project the
    snapshot holds (backup.projects.ProjectRef), named in the manifest.

    No fsync: the file is only read back (verification, the copy to the share) and deleted;
    the copy on the share is the one made durable."""
    revision, counts = database_facts(snapshot)
    total = snapshot.stat().st_size + sum(s.size for s in scans)
    report = progress_counter(progress, total, "Ukládám data do zálohy…")

    members: dict[str, dict[str, Any]] = {}
    buffers = [bytearray(CHUNK_SIZE) for _ in range(3)]
    db_compress = zipfile.ZIP_DEFLATED if compress_database else zipfile.ZIP_STORED
    with (
        ThreadPoolExecutor(1, thread_name_prefix="backup-hash") as hasher,
        open(out, "xb") as fh,
        zipfile.ZipFile(fh, "w", allowZip64=True) as archive,
    ):
        members[DB_MEMBER] = _add_member(
            archive, DB_MEMBER, snapshot, db_compress, hasher, buffers, report, cancel
        )
        for scan in scans:
            name = SCANS_PREFIX + scan.relative
            members[name] = _add_member(
                archive, name, scan.path, zipfile.ZIP_STORED, hasher, buffers, report, cancel
            )
        manifest = Manifest(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": app_version,
                "created_at": created_at.isoformat(timespec="seconds"),
                "database_engine": "sqlite",
                "schema_revision": revision,
                "counts": counts,
                "scans_included": scans_included,
                "members": members,
                **project_entry(project),
            }
        )
        archive.writestr(
            MANIFEST_NAME,
            json.dumps(manifest.data, ensure_ascii=False, indent=1),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return manifest


# --- reading and verifying ----------------------------------------------------------------


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except OSError as exc:
        raise storage_error(exc, str(path.parent)) from exc
    except Exception as exc:
        raise VerificationError(DAMAGED.format(name=path.name) + ".", str(exc)) from exc


def _manifest_of(archive: zipfile.ZipFile, name: str) -> Manifest:
    try:
        info = archive.getinfo(MANIFEST_NAME)
    except KeyError as exc:
        raise VerificationError(f"Soubor „{name}“ není záloha aplikace APK Desktop.") from exc
    if info.file_size > MAX_MANIFEST_BYTES:
        raise VerificationError(DAMAGED.format(name=name) + " (vadný popis zálohy).")
    return Manifest.parse(archive.read(info), name)


def read_manifest(path: Path) -> Manifest:
    """The manifest only (quick; no checksums): what the user sees before a restore."""
    with _open_zip(path) as archive:
        try:
            return _manifest_of(archive, path.name)
        except VerificationError:
            raise
        except Exception as exc:
            raise VerificationError(DAMAGED.format(name=path.name) + ".", str(exc)) from exc


def ensure_free_space(folder: Path, needed: int) -> None:
    """Refuse before writing ``needed`` bytes into ``folder`` when its disk lacks the room
    (with a margin): a clear message instead of a disk filled up halfway."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise storage_error(exc, str(folder)) from exc
    if free < needed + needed // 20 + FREE_SPACE_MARGIN:
        full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        raise storage_error(full, str(folder))


@contextlib.contextmanager
def _writing_into(folder: Path) -> Iterator[None]:
    """A failed local write (the disk filled up) names the folder it was writing into."""
    try:
        yield
    except OSError as exc:
        raise storage_error(exc, str(folder)) from exc


def _copy_member(
    archive: zipfile.ZipFile,
    name: str,
    expected: dict[str, Any],
    dest: Path | None,
    report: Callable[[int], None],
    cancel: Cancel | None,
    archive_name: str,
    *,
    durable: bool = True,
) -> None:
    """Stream a member (to ``dest`` if given, fsynced if ``durable``), checking its size and
    sha256 (zipfile checks the CRC as well). Neither reads nor writes more than the manifest
    promises: a zip bomb stops at its declared size."""
    size = int(expected["size"])
    too_big = DAMAGED.format(name=archive_name) + f" (nesouhlasí velikost: {name})."
    if archive.getinfo(name).file_size != size:
        raise VerificationError(too_big)
    digest = hashlib.sha256()
    left = size
    out = None
    folder = dest.parent if dest is not None else Path()
    try:
        if dest is not None:
            with _writing_into(folder):
                out = open(dest, "xb")  # noqa: SIM115
        with archive.open(name) as src:
            while chunk := src.read(min(CHUNK_SIZE, left + 1)):
                if len(chunk) > left:
                    raise VerificationError(too_big)
                _check_cancel(cancel)
                digest.update(chunk)
                left -= len(chunk)
                if out is not None:
                    with _writing_into(folder):
                        out.write(chunk)
                report(len(chunk))
        if out is not None and durable:
            with _writing_into(folder):
                out.flush()
                os.fsync(out.fileno())
    finally:
        if out is not None:
            out.close()
    if left or digest.hexdigest() != expected["sha256"]:
        raise VerificationError(
            DAMAGED.format(name=archive_name) + f" (kontrolní součet nesouhlasí: {name})."
        )


def _guarded(path: Path, work: Callable[[zipfile.ZipFile], Manifest]) -> Manifest:
    with _open_zip(path) as archive:
        try:
            return work(archive)
        except (BackupError, StorageUnavailableError, OSError):
            raise
        except Exception as exc:
            raise VerificationError(DAMAGED.format(name=path.name) + ".", str(exc)) from exc


def temp_name(folder: Path) -> Path:
    return partial_path(folder)


def verify_archive(
    path: Path,
    work_dir: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    checked_database_sha256: str = "",
) -> Manifest:
    """Full check: every member's size and sha256, nothing extra, and the database opens,
    passes ``PRAGMA integrity_check`` and has the row counts the manifest promises.

    ``checked_database_sha256``: the sha256 (from a read of its own) of a database file that
    already passed the integrity check and gave the manifest its counts: the snapshot a new
    backup was made from. The archive's database must then hash to exactly that, which proves
    the same of it without extracting and checking it a second time. Every byte of the archive
    is still read back from the file and checked."""

    def work(archive: zipfile.ZipFile) -> Manifest:
        manifest = _manifest_of(archive, path.name)
        present = set(archive.namelist())
        expected = set(manifest.members) | {MANIFEST_NAME}
        if present != expected or len(present) != len(archive.infolist()):
            raise VerificationError(DAMAGED.format(name=path.name) + " (nesouhlasí obsah).")
        total = manifest.content_bytes
        report = progress_counter(progress, total, "Ověřuji zálohu…")

        if checked_database_sha256:
            if manifest.members[DB_MEMBER]["sha256"] != checked_database_sha256:
                raise VerificationError(
                    DAMAGED.format(name=path.name) + " (databáze neodpovídá snímku)."
                )
            for name, info in manifest.members.items():
                _copy_member(archive, name, info, None, report, cancel, path.name)
            return manifest
        ensure_free_space(work_dir, manifest.database_bytes)
        db_copy = temp_name(work_dir)
        try:
            _copy_member(
                archive,
                DB_MEMBER,
                manifest.members[DB_MEMBER],
                db_copy,
                report,
                cancel,
                path.name,
                durable=False,  # a throw-away copy, only read by the checks below
            )
            for name, info in manifest.members.items():
                if name != DB_MEMBER:
                    _copy_member(archive, name, info, None, report, cancel, path.name)
            check_integrity(db_copy, f"Záloha „{path.name}“")
            revision, counts = database_facts(db_copy)
        finally:
            db_copy.unlink(missing_ok=True)
        if revision != manifest.schema_revision or counts != manifest.counts:
            raise VerificationError(
                DAMAGED.format(name=path.name) + " (počty záznamů nesouhlasí s popisem)."
            )
        return manifest

    return _guarded(path, work)


def extract_database(path: Path, dest: Path) -> Manifest:
    """Extract the checked database into ``dest`` (a new file)."""

    def work(archive: zipfile.ZipFile) -> Manifest:
        manifest = _manifest_of(archive, path.name)
        ensure_free_space(dest.parent, manifest.database_bytes)
        _copy_member(
            archive,
            DB_MEMBER,
            manifest.members[DB_MEMBER],
            dest,
            lambda _n: None,
            None,
            path.name,
        )
        return manifest

    return _guarded(path, work)


def extract_scans(
    path: Path,
    dest_dir: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Manifest:
    """Extract every scan into ``dest_dir`` (new, empty), checking each checksum."""

    def work(archive: zipfile.ZipFile) -> Manifest:
        manifest = _manifest_of(archive, path.name)
        names = [n for n in manifest.members if n.startswith(SCANS_PREFIX)]
        total = sum(int(manifest.members[n]["size"]) for n in names)
        ensure_free_space(dest_dir, total)
        report = progress_counter(progress, total, "Obnovuji skeny…")

        for name in names:
            target = dest_dir.joinpath(*PurePosixPath(name).parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy_member(archive, name, manifest.members[name], target, report, cancel, path.name)
        return manifest

    return _guarded(path, work)


def remove_tree_quietly(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
