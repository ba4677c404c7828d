"""Zip bombs and full local disks: verify and restore never write more than the manifest
promises, refuse early when the room is missing, and name the folder that filled up."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.backup import archive, restore, service
from apk_desktop.backup.cli_commands import EXIT_FAILED, EXIT_VERIFY_FAILED
from apk_desktop.backup.errors import VerificationError
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backup.conftest import Live, add_rows, dump, read_scans, small_disk

BOMB_BYTES = 200 * 1024 * 1024  # what the member really inflates to (~200 kB deflated)
CLAIMED = 100_000  # what its manifest promises
ZEROS = bytes(1024 * 1024)


def written_bytes() -> int:
    """Bytes this process has handed to write() so far (Linux), counted by the kernel."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar in /proc/self/io")


def manifest_for(members: dict[str, dict[str, object]]) -> dict[str, object]:
    return {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "app_version": "0.1.0",
        "created_at": "2026-01-05T10:00:00+01:00",
        "schema_revision": None,
        "counts": {},
        "scans_included": True,
        "members": members,
    }


def add_zeros(zf: zipfile.ZipFile, name: str, size: int) -> None:
    info = zipfile.ZipInfo(name, (2026, 1, 5, 10, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w") as out:
        for _ in range(size // len(ZEROS)):
            out.write(ZEROS)


def lie_about_size(path: Path, member: str, size: int) -> None:
    """Make the zip's own headers (local and central) declare ``size`` for ``member``."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
        central = zf.start_dir
    data = bytearray(path.read_bytes())
    data[info.header_offset + 22 : info.header_offset + 26] = size.to_bytes(4, "little")
    offset = central
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_len = int.from_bytes(data[offset + 28 : offset + 30], "little")
        extra_len = int.from_bytes(data[offset + 30 : offset + 32], "little")
        comment_len = int.from_bytes(data[offset + 32 : offset + 34], "little")
        if data[offset + 46 : offset + 46 + name_len].decode() == member:
            data[offset + 24 : offset + 28] = size.to_bytes(4, "little")
        offset += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(member).file_size == size


def claimed_member() -> dict[str, object]:
    return {"size": CLAIMED, "sha256": hashlib.sha256(bytes(CLAIMED)).hexdigest()}


@pytest.fixture(params=["honest-zip-headers", "lying-zip-headers"])
def database_bomb(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A 200 kB archive whose database inflates to 200 MB; its manifest claims 100 kB."""
    path = tmp_path / "share" / "apk-zaloha-2026-01-05_100000-n000001.zip"
    path.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        add_zeros(zf, archive.DB_MEMBER, BOMB_BYTES)
        zf.writestr(
            archive.MANIFEST_NAME, json.dumps(manifest_for({archive.DB_MEMBER: claimed_member()}))
        )
    if request.param == "lying-zip-headers":
        lie_about_size(path, archive.DB_MEMBER, CLAIMED)
    assert path.stat().st_size < 1_000_000
    return path


def scan_bomb(live: Live, tmp_path: Path, lying: bool) -> Path:
    """A real backup of ``live`` plus one scan that inflates to 200 MB (manifest: 100 kB)."""
    good = service.create_backup(live.db_path, live.share).path
    assert good is not None
    name = "scans/2026/bomba.pdf"
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as zf:
        manifest = json.loads(source.read(archive.MANIFEST_NAME))
        for member in source.namelist():
            if member != archive.MANIFEST_NAME:
                zf.writestr(member, source.read(member))
        add_zeros(zf, name, BOMB_BYTES)
        manifest["members"][name] = claimed_member()
        zf.writestr(archive.MANIFEST_NAME, json.dumps(manifest))
    if lying:
        lie_about_size(path, name, CLAIMED)
    return path


def test_verify_writes_at_most_the_promised_size(database_bomb: Path) -> None:
    if not Path("/proc/self/io").exists():
        pytest.skip("counting written bytes needs Linux /proc")
    before = written_bytes()
    with pytest.raises(VerificationError, match="poškozená nebo neúplná"):
        service.verify_backup(database_bomb)
    assert written_bytes() - before < CLAIMED + 1_000_000  # not 200 MB
    assert not list(service.work_dir().iterdir())


def test_a_bomb_on_a_small_work_disk(
    database_bomb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The work folder on a real 20 MB disk: the bomb is reported as a damaged backup, it never
    fills the disk (peak use stays below the disk's size)."""
    with small_disk(service.work_dir(), "20m") as work:
        assert main(["verify", str(database_bomb)]) == EXIT_VERIFY_FAILED
        assert "poškozená nebo neúplná" in capsys.readouterr().err
        assert not list(work.iterdir())


@pytest.mark.parametrize("lying", [False, True])
def test_restore_refuses_a_scan_bomb(live: Live, tmp_path: Path, lying: bool) -> None:
    bomb = scan_bomb(live, tmp_path, lying)
    rows, scans = dump(live.db_path), read_scans(live.scans)
    live.db.dispose()
    before = written_bytes() if Path("/proc/self/io").exists() else None
    with pytest.raises(VerificationError, match="poškozená nebo neúplná"):
        restore.restore_backup(bomb, live.db_path)
    if before is not None:
        assert written_bytes() - before < 5_000_000
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans
    assert not list(service.safety_dir().iterdir())  # refused before the safety backup


@pytest.mark.parametrize("lying", [False, True])
def test_extraction_stops_at_the_promised_size(live: Live, tmp_path: Path, lying: bool) -> None:
    """Even called on an archive nobody verified, extraction writes no more than promised."""
    bomb = scan_bomb(live, tmp_path, lying)
    dest = tmp_path / "extracted"
    dest.mkdir()
    with pytest.raises(VerificationError, match="poškozená nebo neúplná"):
        archive.extract_scans(bomb, dest)
    written = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    assert written <= 5_000_000


def test_a_manifest_bomb_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "manifest-bomb.zip"
    text = json.dumps(manifest_for({archive.DB_MEMBER: claimed_member()}))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(archive.MANIFEST_NAME, text + " " * archive.MAX_MANIFEST_BYTES)
    with pytest.raises(VerificationError, match="vadný popis"):
        archive.read_manifest(path)


def big_backup(live: Live, megabytes: int) -> Path:
    add_rows(live.db_path, count=megabytes * 256, blob_size=4000)
    result = service.create_backup(live.db_path, live.share)
    assert result.path is not None and result.manifest is not None
    assert result.manifest.database_bytes > megabytes * 1_000_000
    return result.path


def test_verify_refuses_when_the_work_disk_lacks_room(
    live: Live, capsys: pytest.CaptureFixture[str]
) -> None:
    path = big_backup(live, 10)
    with small_disk(service.work_dir(), "24m") as work:
        (work / "other program's file").write_bytes(os.urandom(6_000_000))
        with pytest.raises(StorageUnavailableError, match="není dost místa") as caught:
            service.verify_backup(path)
        assert f"„{work}“" in caught.value.message
        assert main(["verify", str(path)]) == EXIT_FAILED
        assert f"„{work}“" in capsys.readouterr().err
        assert sorted(p.name for p in work.iterdir()) == ["other program's file"]


def test_a_disk_that_fills_during_extraction_is_named(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program fills the disk after the free-space check: the real ENOSPC names the
    local folder that filled, not the share the backup came from."""
    path = big_backup(live, 24)
    monkeypatch.setattr(archive, "ensure_free_space", lambda _folder, _needed: None)
    with small_disk(service.work_dir(), "20m") as work:
        with pytest.raises(StorageUnavailableError, match="není dost místa") as caught:
            service.verify_backup(path)
        assert f"„{work}“" in caught.value.message
        assert str(live.share) not in caught.value.message
        assert not list(work.iterdir())


def test_restore_refuses_when_the_data_disk_lacks_room(live: Live, tmp_path: Path) -> None:
    path = big_backup(live, 10)
    with small_disk(tmp_path / "new-pc", "20m") as disk:
        target = disk / "apk-desktop.sqlite3"
        with pytest.raises(StorageUnavailableError, match="není dost místa") as caught:
            restore.restore_backup(path, target)
        assert f"„{disk}“" in caught.value.message
        assert not list(disk.iterdir())
