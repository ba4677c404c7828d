"""Reading either kind of backup: an incremental snapshot (``snapshots/….json`` over the
``objects`` store) or a single-file archive (``.zip``: exports, safety backups, old backups)."""

from __future__ import annotations

from pathlib import Path

from apk_desktop.backup import archive, store, store_read
from apk_desktop.backup.archive import Cancel, Manifest, Progress
from apk_desktop.backup.errors import storage_error


def read_manifest(path: Path) -> Manifest:
    """The manifest only (quick; no checksums): what the user sees before a restore."""
    if not store.is_snapshot(path):
        return archive.read_manifest(path)
    try:
        return store.read_manifest(path)
    except OSError as exc:
        raise storage_error(exc, str(path.parent)) from exc


def verify(
    path: Path, work_dir: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> Manifest:
    if store.is_snapshot(path):
        return store_read.verify_snapshot(path, work_dir, progress=progress, cancel=cancel)
    return archive.verify_archive(path, work_dir, progress=progress, cancel=cancel)


def extract_database(path: Path, dest: Path) -> Manifest:
    if store.is_snapshot(path):
        return store_read.extract_database(path, dest)
    return archive.extract_database(path, dest)


def extract_scans(
    path: Path, dest_dir: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> Manifest:
    if store.is_snapshot(path):
        return store_read.extract_scans(path, dest_dir, progress=progress, cancel=cancel)
    return archive.extract_scans(path, dest_dir, progress=progress, cancel=cancel)
