"""Incremental backups: a content-addressed store in the backup folder (e.g. on the city share).

    objects/ab/ab12…   every scan stored once, named by the sha256 of its bytes; the database
                       snapshots (zstd-compressed) are objects too
    snapshots/apk-zaloha-2026-05-01_120000-n000042.json   one backup = one manifest
    apk-zaloha-….zip   single-file archives of older versions (still listed and restorable)

The database snapshot is an object like the scans: one write path (temporary name, fsync,
read-back check, publish without overwriting) and one garbage collection for everything.
zstd level 1 halves a typical database at ~1 GB/s of one core, cheaper than sending the other
half over a 50–100 MB/s share (zlib level 1 did the same at ~100 MB/s: 0.5 s of CPU for a
50 MB database, most of a small backup's time; see benchmarks/backup_incremental.py).

Reading, verifying and restoring a snapshot: store_read.py.

Order of writes: objects first, each published only after its read-back matched; the manifest
last. A kill at any moment leaves finished manifests whose objects are all present, plus
objects no manifest needs (a later garbage collection removes them) and recognisable partial
files (``.apk-partial-….tmp``, removed by the next backup).

The manifest has the shape of an archive's ``manifest.json`` (``archive.Manifest``: members
``database/…`` and ``scans/…`` with size and sha256), plus ``database_object``: the stored
(compressed) database. So describing, checking paths and refusing newer schemas are shared.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

from apk_desktop.backup import archive, faults
from apk_desktop.backup.archive import (
    CHUNK_SIZE,
    DAMAGED,
    DB_MEMBER,
    SCANS_PREFIX,
    Cancel,
    Manifest,
    Progress,
    ScanFile,
)
from apk_desktop.backup.atomic import (
    Opener,
    cleanup_partials,
    exclusive_opener,
    fsync_folder,
    owner_dead,
    owner_tag,
    partial_path,
    publish,
    remove_quietly,
)
from apk_desktop.backup.errors import BackupCancelled, VerificationError

log = logging.getLogger(__name__)

OBJECTS_DIR = "objects"
SNAPSHOTS_DIR = "snapshots"
SNAPSHOT_FORMAT = "apk-desktop-snapshot"
SNAPSHOT_VERSION = 1
SNAPSHOT_RE = re.compile(r"^apk-zaloha-(\d{4}-\d{2}-\d{2}_\d{6})-n(\d{6,})\.json$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
DB_COMPRESSION = "zstd"
DB_COMPRESSLEVEL = 1
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # ~300,000 scans; a bigger file is not ours
RUNNING_PREFIX = ".apk-running-"
RUNNING_STALE_SECONDS = 6 * 3600  # a backup marker older than this belongs to a dead process


class DamagedObjects(VerificationError):
    """Objects of a snapshot are missing or do not match their hash (``objects``: their names)."""

    def __init__(self, message: str, objects: tuple[str, ...]) -> None:
        super().__init__(message)
        self.objects = objects


def objects_dir(folder: Path) -> Path:
    return folder / OBJECTS_DIR


def snapshots_dir(folder: Path) -> Path:
    return folder / SNAPSHOTS_DIR


def object_path(folder: Path, sha256: str) -> Path:
    return objects_dir(folder) / sha256[:2] / sha256


def is_snapshot(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def snapshot_name(created_at: datetime, sequence: int) -> str:
    return f"apk-zaloha-{created_at:%Y-%m-%d_%H%M%S}-n{sequence:06d}.json"


# --- manifests ----------------------------------------------------------------------------


def parse_manifest(raw: bytes, name: str) -> Manifest:
    manifest = Manifest.parse(raw, name, kind=SNAPSHOT_FORMAT, version=SNAPSHOT_VERSION)
    bad = VerificationError(DAMAGED.format(name=name) + " (vadný popis zálohy).")
    try:
        stored = manifest.data["database_object"]
        names = [str(stored["sha256"]), *(str(m["sha256"]) for m in manifest.members.values())]
        int(stored["size"])
        if stored["compression"] != DB_COMPRESSION:
            raise bad
    except (KeyError, TypeError, ValueError) as exc:
        raise bad from exc
    if not all(_SHA_RE.match(n) for n in names):  # object names become paths: hex only
        raise bad
    return manifest


def read_manifest(path: Path) -> Manifest:
    with path.open("rb") as fh:
        raw = fh.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise VerificationError(DAMAGED.format(name=path.name) + " (příliš velký popis zálohy).")
    return parse_manifest(raw, path.name)


def database_object(manifest: Manifest) -> tuple[str, int]:
    stored = manifest.data["database_object"]
    return str(stored["sha256"]), int(stored["size"])


def referenced_objects(manifest: Manifest) -> set[str]:
    names = {str(m["sha256"]) for n, m in manifest.members.items() if n != DB_MEMBER}
    names.add(database_object(manifest)[0])
    return names


@dataclass(frozen=True)
class SnapshotFile:
    path: Path
    created_at: datetime
    sequence: int


def list_snapshots(folder: Path) -> list[SnapshotFile]:
    """Finished snapshot manifests (newest first); a missing ``snapshots`` folder is empty."""
    found: list[SnapshotFile] = []
    try:
        entries = list(snapshots_dir(folder).iterdir())
    except FileNotFoundError:
        return []
    for path in entries:
        match = SNAPSHOT_RE.match(path.name)
        if match and path.is_file():
            created = datetime.strptime(match.group(1), "%Y-%m-%d_%H%M%S")
            found.append(SnapshotFile(path, created, int(match.group(2))))
    return sorted(found, key=lambda s: s.sequence, reverse=True)


def known_hashes(folder: Path) -> dict[str, tuple[int, int, str]]:
    """relative path -> (size, mtime_ns, sha256) from the newest readable manifest, so an
    unchanged scan is not read again (scans never change once attached)."""
    for snapshot in list_snapshots(folder):
        try:
            manifest = read_manifest(snapshot.path)
        except (OSError, VerificationError):
            continue
        known: dict[str, tuple[int, int, str]] = {}
        for name, member in manifest.members.items():
            if name.startswith(SCANS_PREFIX) and "mtime_ns" in member:
                relative = name[len(SCANS_PREFIX) :]
                known[relative] = (int(member["size"]), int(member["mtime_ns"]), member["sha256"])
        return known
    return {}


# --- writing objects ----------------------------------------------------------------------


def check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise BackupCancelled()


def _drop_cache(fd: int) -> None:
    """Ask the OS to forget the pages just written, so the read-back comes from the storage
    (the share) and not from this PC's memory. Where unsupported, the read-back still checks
    what the file system returns."""
    if hasattr(os, "posix_fadvise"):
        with contextlib.suppress(OSError):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def hash_file(path: Path, limit: int) -> tuple[str, int]:
    """sha256 and size of ``path``, reading at most ``limit + 1`` bytes."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb", buffering=0) as fh:
        while size <= limit and (chunk := fh.read(min(CHUNK_SIZE, limit + 1 - size))):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class ObjectWriter:
    """Puts objects into ``folder``: skip the ones present (size matches, not known damaged),
    write the others under a temporary name and fsync them; then, on a second thread while
    the next object is being written, read each back, compare its hash and publish it.
    ``finish()`` waits for every object to be published (before the manifest may name them)
    and raises the first failure; a writer must be finished (``with`` does it)."""

    MAX_PENDING = 4  # temporary files waiting for their read-back at most

    def __init__(
        self,
        folder: Path,
        *,
        damaged: frozenset[str] = frozenset(),
        opener: Opener = exclusive_opener,
        cancel: Cancel | None = None,
        report: Callable[[int], None] = lambda _n: None,
    ) -> None:
        self.folder = folder
        self.damaged = damaged
        self.opener = opener
        self.cancel = cancel
        self.report = report
        self.written_bytes = 0
        self.rewritten: set[str] = set()
        self._checker = ThreadPoolExecutor(1, thread_name_prefix="backup-read-back")
        self._pending: deque[Future[None]] = deque()
        objects_dir(folder).mkdir(exist_ok=True)

    def __enter__(self) -> ObjectWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.finish()
        except BaseException:
            if exc[0] is None:
                raise  # otherwise the first failure is the one to report

    def present(self, sha256: str, size: int) -> bool:
        if sha256 in self.damaged:
            return False
        try:
            return object_path(self.folder, sha256).stat().st_size == size
        except OSError:
            return False

    def put_file(self, source: Path, sha256: str | None, size: int) -> str:
        """Store ``source`` (``sha256``: its hash if known); returns the hash actually stored.
        An unknown file is hashed while it is copied (one read); if the folder has it already,
        the copy is dropped."""
        if sha256 is not None and self.present(sha256, size):
            self.report(size)
            return sha256

        def fill(out: BinaryIO, digest: Any) -> None:
            with source.open("rb", buffering=0) as src:
                while chunk := src.read(CHUNK_SIZE):
                    check_cancel(self.cancel)
                    digest.update(chunk)
                    out.write(chunk)
                    self.report(len(chunk))

        return self._put(fill)[0]

    def put_compressed(self, source: Path) -> tuple[str, int]:
        """Store ``source`` zstd-compressed; returns (object name, stored size)."""

        def fill(out: BinaryIO, digest: Any) -> None:
            packer = zstandard.ZstdCompressor(level=DB_COMPRESSLEVEL).compressobj()
            with source.open("rb", buffering=0) as src:
                while chunk := src.read(CHUNK_SIZE):
                    check_cancel(self.cancel)
                    packed = packer.compress(chunk)
                    digest.update(packed)
                    out.write(packed)
                    self.report(len(chunk))
            packed = packer.flush()
            digest.update(packed)
            out.write(packed)

        return self._put(fill)

    def finish(self) -> None:
        """Wait for every read-back and publication; raise the first failure."""
        try:
            while self._pending:
                self._pending.popleft().result()
        finally:
            for future in self._pending:  # after a failure: let the others end, quietly
                with contextlib.suppress(BaseException):
                    future.result()
            self._pending.clear()
            self._checker.shutdown()

    def _put(self, fill: Callable[[BinaryIO, Any], None]) -> tuple[str, int]:
        partial = partial_path(objects_dir(self.folder))
        digest = hashlib.sha256()
        handed_over = False
        try:
            with self.opener(partial) as out:
                fill(out, digest)
                out.flush()
                os.fsync(out.fileno())
                _drop_cache(out.fileno())
            sha256 = digest.hexdigest()
            size = partial.stat().st_size
            faults.pause_at("object-written")
            if self.present(sha256, size):  # the same bytes were there already
                return sha256, size
            while len(self._pending) >= self.MAX_PENDING:
                self._pending.popleft().result()
            self._pending.append(self._checker.submit(self._check_and_publish, partial, sha256))
            handed_over = True
            return sha256, size
        finally:
            if not handed_over:
                remove_quietly(partial)

    def _check_and_publish(self, partial: Path, sha256: str) -> None:
        """Read the fsynced temporary file back, then give it its name (on the checker)."""
        try:
            size = partial.stat().st_size
            if hash_file(partial, size) != (sha256, size):
                raise OSError(5, "kopie na disku neodpovídá zapsaným datům")  # EIO
            final = object_path(self.folder, sha256)
            final.parent.mkdir(exist_ok=True)
            try:
                publish(partial, final)
            except FileExistsError:
                # a damaged copy (recorded by verify) or one of the wrong size: the checked
                # new copy replaces it; the content is the same by definition of the name
                os.replace(partial, final)
                fsync_folder(final.parent)
                self.rewritten.add(sha256)
            self.written_bytes += size
            faults.pause_at("object-published")
        finally:
            remove_quietly(partial)


# --- writing a snapshot -------------------------------------------------------------------


def write_snapshot(
    folder: Path,
    snapshot: Path,
    snapshot_sha256: str,
    scans: list[ScanFile],
    *,
    app_version: str,
    created_at: datetime,
    scans_included: bool,
    next_sequence: Callable[[], int],
    damaged: frozenset[str] = frozenset(),
    opener: Opener = exclusive_opener,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    project: archive.HasJson | None = None,
) -> tuple[Path, Manifest, ObjectWriter]:
    """Store the (checked) database ``snapshot`` (sha256 ``snapshot_sha256``) and ``scans``,
    then publish the manifest.

    Returns the manifest path, the manifest and the writer (what it wrote, what it repaired)."""
    revision, counts = archive.database_facts(snapshot)
    snapshot_size = snapshot.stat().st_size
    known = known_hashes(folder)
    total = snapshot_size + sum(s.size for s in scans)
    report = archive.progress_counter(progress, total, "Ukládám data do zálohy…")

    members: dict[str, dict[str, Any]] = {
        DB_MEMBER: {"size": snapshot_size, "sha256": snapshot_sha256}
    }
    with ObjectWriter(
        folder, damaged=damaged, opener=opener, cancel=cancel, report=report
    ) as writer:
        stored_sha256, stored_size = writer.put_compressed(snapshot)
        for scan in scans:
            check_cancel(cancel)
            cached = known.get(scan.relative)
            if cached is not None and cached[:2] == (scan.size, scan.mtime_ns):
                expected: str | None = cached[2]
            elif known:  # a store in use: the scan may be there (e.g. after a restore), and a
                expected = archive.sha256_file(scan.path)  # local read beats a copy to the share
            else:  # a new store: hash while copying
                expected = None
            stored = writer.put_file(scan.path, expected, scan.size)
            members[SCANS_PREFIX + scan.relative] = {
                "size": scan.size,
                "sha256": stored,
                "mtime_ns": scan.mtime_ns,
            }
    # every object is published and checked now: the manifest may name them
    manifest = Manifest(
        {
            "format": SNAPSHOT_FORMAT,
            "format_version": SNAPSHOT_VERSION,
            "app_version": app_version,
            "created_at": created_at.isoformat(timespec="seconds"),
            "database_engine": "sqlite",
            "schema_revision": revision,
            "counts": counts,
            "scans_included": scans_included,
            "database_object": {
                "sha256": stored_sha256,
                "size": stored_size,
                "compression": DB_COMPRESSION,
            },
            "members": members,
            **archive.project_entry(project),
        }
    )
    raw = json.dumps(manifest.data, ensure_ascii=False, indent=1).encode("utf-8")
    path = _publish_manifest(folder, raw, created_at, next_sequence, opener)
    return path, manifest, writer


def _publish_manifest(
    folder: Path,
    raw: bytes,
    created_at: datetime,
    next_sequence: Callable[[], int],
    opener: Opener,
) -> Path:
    """The manifest, written last: temporary name, fsync, read back, published (no overwrite)."""
    target = snapshots_dir(folder)
    target.mkdir(exist_ok=True)
    partial = partial_path(target)
    try:
        with opener(partial) as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
            _drop_cache(out.fileno())
        if partial.read_bytes() != raw:
            raise OSError(5, "kopie na disku neodpovídá zapsaným datům")  # EIO
        parse_manifest(partial.read_bytes(), partial.name)
        faults.pause_at("manifest-written")
        first = next_sequence()
        for attempt in range(1000):
            final = target / snapshot_name(created_at, first + attempt)
            try:
                publish(partial, final)
            except FileExistsError:
                continue
            return final
        raise FileExistsError(target)
    finally:
        remove_quietly(partial)


# --- deleting -----------------------------------------------------------------------------


@contextlib.contextmanager
def running(folder: Path) -> Iterator[Path]:
    """A marker telling backups of other processes (the GUI and a scheduled command writing
    to the same folder) not to collect garbage meanwhile: objects this backup relies on may
    not be in any manifest yet. Its name says which computer and process made it."""
    marker = snapshots_dir(folder) / f"{RUNNING_PREFIX}{owner_tag()}-{uuid.uuid4().hex}"
    snapshots_dir(folder).mkdir(exist_ok=True)
    marker.touch()
    try:
        yield marker
    finally:
        remove_quietly(marker)


def _marker_dead(name: str) -> bool:
    tag = name.removeprefix(RUNNING_PREFIX).rpartition("-")[0]
    return owner_dead(tag)


def _others_running(folder: Path, own: Path, now: float) -> bool:
    busy = False
    for path in snapshots_dir(folder).glob(RUNNING_PREFIX + "*"):
        if path == own:
            continue
        try:
            if now - path.stat().st_mtime < RUNNING_STALE_SECONDS and not _marker_dead(path.name):
                busy = True
            else:
                path.unlink()  # left by a killed process
        except OSError:
            continue
    return busy


def collect_garbage(
    folder: Path, own_marker: Path, *, objects: bool = True, now: float | None = None
) -> list[str]:
    """Remove old partial files and (with ``objects``: walking every object costs a directory
    listing per prefix, slow on a share) the objects no manifest needs. No object is removed
    unless every manifest in the folder was read, nor while another backup is running."""
    now = time.time() if now is None else now
    for place in (objects_dir(folder), snapshots_dir(folder)):
        cleanup_partials(place, now=now)
    busy = _others_running(folder, own_marker, now)  # also removes markers of dead ones
    if not objects or busy:
        log.info("another backup is running; garbage collection skipped")
        return []
    needed: set[str] = set()
    for snapshot in list_snapshots(folder):
        try:
            needed |= referenced_objects(read_manifest(snapshot.path))
        except (OSError, VerificationError):
            log.warning("manifest %s unreadable; no objects deleted", snapshot.path.name)
            return []
    removed: list[str] = []
    try:
        prefixes = sorted(p for p in objects_dir(folder).iterdir() if p.is_dir())
    except FileNotFoundError:
        return []
    for prefix in prefixes:
        cleanup_partials(prefix, now=now)
        for path in sorted(prefix.iterdir()):
            if not _SHA_RE.match(path.name) or path.name in needed:
                continue
            try:
                path.unlink()
            except OSError:
                log.warning("could not delete unused object %s", path.name, exc_info=True)
                continue
            removed.append(path.name)
            faults.pause_at("gc-deleted")
    return removed
