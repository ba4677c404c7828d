"""Atomic copies: a fault at any byte leaves no partial file and never touches other backups."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from apk_desktop.backup import atomic
from tests.backup.conftest import failing_opener, leftovers

SIZE = atomic.CHUNK_SIZE * 2 + 12345


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.bin"
    path.write_bytes(os.urandom(SIZE))
    return path


@pytest.mark.parametrize(
    "fail_after", [0, 1, atomic.CHUNK_SIZE - 1, atomic.CHUNK_SIZE, SIZE // 2, SIZE - 1]
)
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EACCES])
def test_a_fault_at_any_byte_leaves_nothing(
    source: Path, tmp_path: Path, fail_after: int, code: int
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "older.zip").write_bytes(b"an older backup")
    with pytest.raises(OSError) as caught:
        atomic.copy_into_folder(
            source, folder, lambda a: "new.zip", opener=failing_opener(fail_after, code)
        )
    assert caught.value.errno == code
    assert leftovers(folder) == ["older.zip"]
    assert (folder / "older.zip").read_bytes() == b"an older backup"


def test_copy_is_complete_and_never_overwrites(source: Path, tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "b0.zip").write_bytes(b"first")
    final = atomic.copy_into_folder(source, folder, lambda attempt: f"b{attempt}.zip")
    assert final.name == "b1.zip"
    assert final.read_bytes() == source.read_bytes()
    assert (folder / "b0.zip").read_bytes() == b"first"
    assert leftovers(folder) == ["b0.zip", "b1.zip"]


def test_publish_refuses_an_existing_name(tmp_path: Path) -> None:
    partial = atomic.partial_path(tmp_path)
    partial.write_bytes(b"new")
    (tmp_path / "taken.zip").write_bytes(b"old")
    with pytest.raises(FileExistsError):
        atomic.publish(partial, tmp_path / "taken.zip")
    assert (tmp_path / "taken.zip").read_bytes() == b"old"


def test_stale_partials_are_recognised_and_removed(tmp_path: Path) -> None:
    stale = atomic.partial_path(tmp_path)
    stale.write_bytes(b"x")
    stale_dir = atomic.partial_path(tmp_path)
    stale_dir.mkdir()
    (stale_dir / "f").write_bytes(b"y")
    fresh = atomic.partial_path(tmp_path)
    fresh.write_bytes(b"z")
    keep = tmp_path / "apk-zaloha-2025-01-01_100000-n000001.zip"
    keep.write_bytes(b"backup")
    old = os.stat(fresh).st_mtime - 3600
    os.utime(stale, (old, old))
    os.utime(stale_dir, (old, old))
    removed = atomic.cleanup_partials(tmp_path)
    assert sorted(removed) == sorted([stale, stale_dir])
    assert fresh.exists() and keep.exists()


def test_write_bytes_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old")
    atomic.write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == ["settings.json"]


def test_a_share_without_hard_links_gets_a_rename(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some shares refuse hard links: the copy is renamed into place instead, still never
    over an existing backup."""
    folder = tmp_path / "share"
    folder.mkdir()

    def no_links(_src: object, _dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(atomic.os, "link", no_links)
    (folder / "b0.zip").write_bytes(b"first")
    done: list[int] = []
    final = atomic.copy_into_folder(
        source, folder, lambda attempt: f"b{attempt}.zip", progress=lambda d, _t: done.append(d)
    )
    assert final.name == "b1.zip" and final.read_bytes() == source.read_bytes()
    assert (folder / "b0.zip").read_bytes() == b"first"
    assert leftovers(folder) == ["b0.zip", "b1.zip"]
    assert done[-1] == SIZE and done[0] == atomic.CHUNK_SIZE
    partial = atomic.partial_path(folder)
    partial.write_bytes(b"new")
    with pytest.raises(FileExistsError):
        atomic.publish(partial, folder / "b0.zip")
    assert (folder / "b0.zip").read_bytes() == b"first" and partial.exists()
