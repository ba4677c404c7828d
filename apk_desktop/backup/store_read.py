"""Reading incremental snapshots (see store.py): verify every object a manifest needs, unpack
the database, copy the scans out for a restore. Never writes more than a manifest promises."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import zstandard

from apk_desktop.backup import archive
from apk_desktop.backup.archive import (
    CHUNK_SIZE,
    DAMAGED,
    DB_MEMBER,
    SCANS_PREFIX,
    Cancel,
    Manifest,
    Progress,
)
from apk_desktop.backup.errors import VerificationError, storage_error
from apk_desktop.backup.store import (
    DamagedObjects,
    check_cancel,
    database_object,
    hash_file,
    object_path,
    read_manifest,
)


def _copy_object(
    folder: Path,
    sha256: str,
    size: int,
    dest: Path | None,
    report: Callable[[int], None],
    cancel: Cancel | None,
) -> bool:
    """Stream an object (to ``dest``, fsynced), reading and writing at most ``size`` bytes;
    True when it exists, has ``size`` bytes and hashes to its name."""
    digest = hashlib.sha256()
    read = 0
    try:
        src = object_path(folder, sha256).open("rb", buffering=0)
    except FileNotFoundError:
        return False
    out = open(dest, "xb") if dest is not None else None  # noqa: SIM115
    with src, out if out is not None else contextlib.nullcontext():
        while chunk := src.read(min(CHUNK_SIZE, size + 1 - read)):
            check_cancel(cancel)
            read += len(chunk)
            if read > size:
                return False
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
            report(len(chunk))
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    return read == size and digest.hexdigest() == sha256


def _unpack_database(folder: Path, manifest: Manifest, dest: Path, name: str) -> None:
    """Decompress the database object into ``dest`` (a new file), never writing more than the
    manifest promises; checks the stored and the unpacked hash."""
    stored_sha256, stored_size = database_object(manifest)
    expected = manifest.members[DB_MEMBER]
    size, sha256 = int(expected["size"]), str(expected["sha256"])
    damaged = DamagedObjects(
        DAMAGED.format(name=name) + f" (databáze: poškozený soubor {stored_sha256}).",
        (stored_sha256,),
    )
    source = object_path(folder, stored_sha256)
    try:
        if hash_file(source, stored_size) != (stored_sha256, stored_size):
            raise damaged
    except FileNotFoundError:
        raise damaged from None
    digest = hashlib.sha256()
    written = 0
    try:
        with (
            source.open("rb") as packed,
            zstandard.ZstdDecompressor().stream_reader(packed) as unpacked,
            open(dest, "xb") as out,
        ):
            while chunk := unpacked.read(min(CHUNK_SIZE, size + 1 - written)):
                written += len(chunk)
                if written > size:
                    raise damaged
                digest.update(chunk)
                out.write(chunk)
    except zstandard.ZstdError:
        raise damaged from None
    if written != size or digest.hexdigest() != sha256:
        raise damaged


def verify_snapshot(
    path: Path,
    work_dir: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Manifest:
    """Every referenced object exists and hashes to its name; the database unpacks, passes
    ``PRAGMA integrity_check`` and has the rows the manifest promises. Damaged objects are
    all named (``DamagedObjects.objects``) so the next backup can write them again."""
    folder = path.parent.parent
    manifest = read_manifest(path)
    total = manifest.content_bytes
    report = archive.progress_counter(progress, total, "Ověřuji zálohu…")

    bad: list[str] = []
    checked: set[str] = set()
    for name, member in manifest.members.items():
        sha256 = str(member["sha256"])
        if name == DB_MEMBER or sha256 in checked:
            continue
        checked.add(sha256)
        if not _copy_object(folder, sha256, int(member["size"]), None, report, cancel):
            bad.append(sha256)
    db_copy = archive.temp_name(work_dir)
    try:
        try:
            _unpack_database(folder, manifest, db_copy, path.name)
        except DamagedObjects as exc:
            bad.extend(exc.objects)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                raise storage_error(exc, str(work_dir)) from exc  # the local disk filled
            raise
        if bad:
            shown = ", ".join(b[:12] + "…" for b in bad[:5]) + (" a další" if len(bad) > 5 else "")
            raise DamagedObjects(
                DAMAGED.format(name=path.name)
                + f" (chybějící nebo poškozené soubory v objects: {shown}). "
                "Příští záloha je zapíše znovu.",
                tuple(bad),
            )
        archive.check_integrity(db_copy, f"Záloha „{path.name}“")
        revision, counts = archive.database_facts(db_copy)
    finally:
        db_copy.unlink(missing_ok=True)
    if revision != manifest.schema_revision or counts != manifest.counts:
        raise VerificationError(
            DAMAGED.format(name=path.name) + " (počty záznamů nesouhlasí s popisem)."
        )
    return manifest


def extract_database(path: Path, dest: Path) -> Manifest:
    manifest = read_manifest(path)
    _unpack_database(path.parent.parent, manifest, dest, path.name)
    with open(dest, "rb+") as fh:
        os.fsync(fh.fileno())
    return manifest


def extract_scans(
    path: Path,
    dest_dir: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Manifest:
    """Copy every scan from its object into ``dest_dir`` (new, empty), checking each hash."""
    folder = path.parent.parent
    manifest = read_manifest(path)
    names = [n for n in manifest.members if n.startswith(SCANS_PREFIX)]
    total = sum(int(manifest.members[n]["size"]) for n in names)
    report = archive.progress_counter(progress, total, "Obnovuji skeny…")

    for name in names:
        member = manifest.members[name]
        target = dest_dir.joinpath(*PurePosixPath(name).parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        sha256 = str(member["sha256"])
        if not _copy_object(folder, sha256, int(member["size"]), target, report, cancel):
            raise DamagedObjects(
                DAMAGED.format(name=path.name) + f" (kontrolní součet nesouhlasí: {name}).",
                (sha256,),
            )
    return manifest
