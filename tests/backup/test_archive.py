"""The archive: a consistent snapshot, every table counted, every member checked."""

from __future__ import annotations

import errno
import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from apk_desktop.backup import archive, atomic
from apk_desktop.backup.errors import BackupCancelled, BackupError, VerificationError
from apk_desktop.backup.service import create_backup
from apk_desktop.db import migrate
from apk_desktop.db.base import Base
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backup.conftest import Live, dump


def make(live: Live) -> Path:
    result = create_backup(live.db_path, live.share)
    assert result.path is not None
    return result.path


def test_manifest_describes_every_table_and_member(live: Live) -> None:
    path = make(live)
    manifest = archive.read_manifest(path)
    assert manifest.schema_revision == migrate.head_revision()
    assert set(Base.metadata.tables) <= set(manifest.counts)  # generic over all tables
    assert manifest.counts["assistant"] == 20
    assert manifest.counts["zz_extra"] == 20
    assert manifest.scans_included and manifest.scan_count == 5
    with zipfile.ZipFile(path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    assert infos[archive.DB_MEMBER].compress_type == zipfile.ZIP_STORED  # the measured default
    scan_infos = [i for n, i in infos.items() if n.startswith("scans/")]
    assert scan_infos and all(i.compress_type == zipfile.ZIP_STORED for i in scan_infos)
    assert all(len(m["sha256"]) == 64 for m in manifest.members.values())
    assert archive.verify_archive(path, path.parent).counts == manifest.counts


def test_the_database_can_be_deflated(live: Live, tmp_path: Path) -> None:
    result = create_backup(live.db_path, live.share, compress_database=True)
    assert result.path is not None and result.manifest is not None
    with zipfile.ZipFile(result.path) as zf:
        assert zf.getinfo(archive.DB_MEMBER).compress_type == zipfile.ZIP_DEFLATED
    assert archive.verify_archive(result.path, tmp_path).counts == result.manifest.counts
    restored = tmp_path / "restored.sqlite3"
    archive.extract_database(result.path, restored)
    assert dump(restored) == dump(live.db_path)


def test_the_archive_must_hold_the_checked_snapshot(live: Live, tmp_path: Path) -> None:
    path = make(live)
    sha = archive.read_manifest(path).members[archive.DB_MEMBER]["sha256"]
    assert archive.verify_archive(path, tmp_path, checked_database_sha256=sha)
    with pytest.raises(VerificationError, match="neodpovídá snímku"):
        archive.verify_archive(path, tmp_path, checked_database_sha256="0" * 64)


def test_scans_can_be_left_out(live: Live) -> None:
    result = create_backup(live.db_path, live.share, include_scans=False)
    assert result.manifest is not None
    assert not result.manifest.scans_included and result.manifest.scan_count == 0


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_truncated_backup_fails_verification(live: Live, tmp_path: Path, keep: float) -> None:
    path = make(live)
    data = path.read_bytes()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(VerificationError, match=r"poškozená nebo neúplná|není záloha"):
        archive.verify_archive(damaged, tmp_path)


def _member_offsets(path: Path) -> list[int]:
    """Offsets inside every member's stored data (database, each scan, manifest)."""
    offsets = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            with open(path, "rb") as fh:
                fh.seek(info.header_offset + 26)
                name_len = int.from_bytes(fh.read(2), "little")
                extra_len = int.from_bytes(fh.read(2), "little")
            start = info.header_offset + 30 + name_len + extra_len
            for fraction in (0.0, 0.5, 0.99):
                offsets.append(start + int(info.compress_size * fraction))
    return offsets


def test_every_bit_flip_in_the_data_is_caught(live: Live, tmp_path: Path) -> None:
    path = make(live)
    data = path.read_bytes()
    offsets = _member_offsets(path)
    assert len(offsets) >= 3 * 7
    for offset in offsets:
        flipped = bytearray(data)
        flipped[offset] ^= 0x10
        damaged = tmp_path / "flipped.zip"
        damaged.write_bytes(bytes(flipped))
        with pytest.raises(VerificationError):
            archive.verify_archive(damaged, tmp_path)


def test_a_consistent_but_tampered_manifest_is_caught(live: Live, tmp_path: Path) -> None:
    path = make(live)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(archive.MANIFEST_NAME))
        members = {n: zf.read(n) for n in zf.namelist() if n != archive.MANIFEST_NAME}
    manifest["counts"]["assistant"] = 999
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
        zf.writestr(archive.MANIFEST_NAME, json.dumps(manifest))
    with pytest.raises(VerificationError, match="počty záznamů"):
        archive.verify_archive(forged, tmp_path)


def test_unsafe_member_names_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    manifest = {
        "format": archive.FORMAT,
        "format_version": 1,
        "app_version": "0.1.0",
        "created_at": "2025-01-01T10:00:00+01:00",
        "schema_revision": None,
        "counts": {},
        "scans_included": True,
        "members": {
            archive.DB_MEMBER: {"size": 0, "sha256": ""},
            "scans/../../evil.txt": {"size": 0, "sha256": ""},
        },
    }
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr(archive.MANIFEST_NAME, json.dumps(manifest))
    with pytest.raises(VerificationError, match="neplatný název"):
        archive.read_manifest(bad)


def test_other_files_are_not_backups(tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(VerificationError, match="není záloha"):
        archive.read_manifest(other)
    text = tmp_path / "text.zip"
    text.write_text("no zip")
    with pytest.raises(VerificationError):
        archive.verify_archive(text, tmp_path)


def test_a_damaged_manifest_names_the_file(live: Live, tmp_path: Path) -> None:
    path = make(live)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(archive.MANIFEST_NAME)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "apk-zaloha-poškozená.zip"
    damaged.write_bytes(bytes(data))
    for read in (archive.read_manifest, lambda p: archive.extract_database(p, tmp_path / "x")):
        with pytest.raises(VerificationError) as caught:
            read(damaged)
        assert caught.value.message == (
            "Záloha „apk-zaloha-poškozená.zip“ je poškozená nebo neúplná a nelze ji použít."
        )
        assert caught.value.details  # the technical cause, for the log and the details button


def test_free_space_is_checked_with_its_margin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needed = 100_000_000
    enough = needed + needed // 20 + archive.FREE_SPACE_MARGIN
    free = {"bytes": enough}

    def disk_usage(_folder: object) -> SimpleNamespace:
        return SimpleNamespace(total=10**12, used=0, free=free["bytes"])

    monkeypatch.setattr(archive.shutil, "disk_usage", disk_usage)
    archive.ensure_free_space(tmp_path, needed)  # exactly enough
    free["bytes"] = enough - 1
    with pytest.raises(StorageUnavailableError) as caught:
        archive.ensure_free_space(tmp_path, needed)
    assert caught.value.message.startswith(f"Na disku se složkou „{tmp_path}“ není dost místa.")
    assert caught.value.details == f"[Errno {errno.ENOSPC}] {os.strerror(errno.ENOSPC)}"


def test_free_space_of_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailableError) as caught:
        archive.ensure_free_space(tmp_path / "pryč", 1)
    assert f"„{tmp_path / 'pryč'}“ není dostupná" in caught.value.message
    assert "No such file" in caught.value.details


def test_extracting_scans_reports_progress_and_can_be_cancelled(live: Live, tmp_path: Path) -> None:
    path = make(live)
    total = sum(p.stat().st_size for p in live.scans.rglob("*") if p.is_file())
    calls: list[tuple[int, int, str]] = []
    (tmp_path / "out").mkdir()
    archive.extract_scans(path, tmp_path / "out", progress=lambda *call: calls.append(call))
    assert {c[2] for c in calls} == {"Obnovuji skeny…"} and {c[1] for c in calls} == {total}
    done = [c[0] for c in calls]
    assert done == sorted(done) and done[-1] == total and done[0] > 0
    (tmp_path / "again").mkdir()
    with pytest.raises(BackupCancelled):
        archive.extract_scans(path, tmp_path / "again", cancel=lambda: True)


def test_errors_name_the_archive(live: Live, tmp_path: Path) -> None:
    other = tmp_path / "cizí.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
    for read in (
        archive.read_manifest,
        lambda p: archive.extract_database(p, tmp_path / "db"),
        lambda p: archive.extract_scans(p, tmp_path),
    ):
        with pytest.raises(VerificationError) as caught:
            read(other)
        assert caught.value.message == "Soubor „cizí.zip“ není záloha aplikace APK Desktop."
    path = make(live)
    forged = tmp_path / "podvržená.zip"
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(forged, "w") as out:
        for name in zf.namelist():
            body = zf.read(name)
            out.writestr(name, body if name == archive.MANIFEST_NAME else b"x" * len(body))
    for read in (
        lambda p: archive.extract_database(p, tmp_path / "db2"),
        lambda p: archive.extract_scans(p, tmp_path),
    ):
        with pytest.raises(VerificationError) as damaged:
            read(forged)
        assert damaged.value.message.startswith(
            "Záloha „podvržená.zip“ je poškozená nebo neúplná a nelze ji použít (kontrolní součet"
        )


def test_scans_listed_are_regular_files_only(tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    (scans / "2025").mkdir(parents=True)
    partial = atomic.partial_path(scans / "2025")
    partial.write_bytes(b"being written")
    (scans / "2025" / "a.pdf").write_bytes(b"a")
    (scans / "2025" / "b.pdf").write_bytes(b"bb")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"not a scan")
    (scans / "2025" / "link.pdf").symlink_to(secret)
    (scans / "2025" / "dir.pdf").mkdir()
    listed = archive.list_scans(scans)
    assert [(s.relative, s.size) for s in listed] == [("2025/a.pdf", 1), ("2025/b.pdf", 2)]
    assert archive.list_scans(None) == [] and archive.list_scans(tmp_path / "none") == []
    before = archive.fingerprint("0" * 64, listed)
    os.utime(scans / "2025" / "b.pdf", ns=(0, 10**18))  # same size, touched
    assert archive.fingerprint("0" * 64, archive.list_scans(scans)) != before


def test_database_errors_are_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    with pytest.raises(BackupError) as caught:
        archive.snapshot_database(missing, tmp_path / "snap")
    assert caught.value.message == f"Databáze „{missing}“ nebyla nalezena; není co zálohovat."
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(VerificationError) as bad:
        archive.check_integrity(junk, "Záloha „x.zip“")
    assert bad.value.message.startswith("Záloha „x.zip“: databázi nelze otevřít (")
