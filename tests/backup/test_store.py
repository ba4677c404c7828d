"""Incremental backups (store.py): only new data is written, every object is checked, damage is
found and repaired, unused objects are collected only when that is safe, and a snapshot and an
exported archive of the same data restore byte-identically."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import BinaryIO

import pytest

from apk_desktop.__main__ import main
from apk_desktop.backup import reader, restore, service, settings, state, store
from apk_desktop.backup.cli_commands import EXIT_FAILED, EXIT_OK
from apk_desktop.backup.errors import BackupCancelled, RestoreRefused, VerificationError
from apk_desktop.backup.settings import BackupSettings
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backup.conftest import Live, WrappedFile, dump, read_scans

KEEP_ONE = {"keep_last": 1, "keep_daily": 0, "keep_weekly": 0, "keep_monthly": 1}


def backup(live: Live, **policy: int) -> service.BackupResult:
    result = service.backup_now(live.url, BackupSettings(folder=str(live.share), **policy))
    assert result.path is not None
    return result


def objects(share: Path) -> set[str]:
    return {p.name for p in store.objects_dir(share).rglob("*") if p.is_file()}


def change_a_row(live: Live, note: str = "změna") -> None:
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("UPDATE assistant SET note = ? WHERE id = 1", (note,))
    connection.close()


def manifest_json(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def scan_object(path: Path, relative_start: str = "scans/2025") -> Path:
    members = manifest_json(path)["members"]
    assert isinstance(members, dict)
    name = next(n for n in sorted(members) if n.startswith(relative_start))
    return store.object_path(path.parent.parent, members[name]["sha256"])


def test_layout_and_only_new_data_is_written(live: Live) -> None:
    first = backup(live)
    assert first.path is not None and first.path.parent == live.share / "snapshots"
    assert first.path.name.endswith(".json")
    after_first = objects(live.share)
    assert len(after_first) == 5 + 1  # five scans and the database
    for name in after_first:
        assert store.object_path(live.share, name).is_file()
    scans_size = sum(len(b) for b in read_scans(live.scans).values())
    assert first.size > scans_size

    change_a_row(live)
    second = backup(live)
    assert len(objects(live.share)) == 5 + 2  # only the new database snapshot
    assert second.size < 100_000 < scans_size  # the compressed database, no scan again

    (live.scans / "2026" / "nový.pdf").write_bytes(os.urandom(30_000))
    third = backup(live)
    assert len(objects(live.share)) == 5 + 3  # the new scan; the database did not change
    assert 30_000 <= third.size < 50_000
    for result in (first, second, third):
        assert result.path is not None
        reader.verify(result.path, service.work_dir())


def test_cli_prints_the_backup_on_its_last_line(
    live: Live, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(live.db_path), "backup", "--to", str(live.share)]) == EXIT_OK
    last = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert last.parent == live.share / "snapshots" and last.is_file()
    assert main(["verify", str(last)]) == EXIT_OK
    assert "Záloha je v pořádku" in capsys.readouterr().out
    rows, scans = dump(live.db_path), read_scans(live.scans)
    change_a_row(live)
    (live.scans / "po záloze.pdf").write_bytes(b"new")
    live.db.dispose()
    assert main(["--db", str(live.db_path), "restore", str(last), "--yes"]) == EXIT_OK
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans


def test_snapshot_and_exported_archive_restore_byte_identically(
    live: Live, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = backup(live).path
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["--db", str(live.db_path), "export-archive", "--to", str(usb)]) == EXIT_OK
    exported = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert exported.parent == usb and exported.suffix == ".zip"
    assert service.list_backups(usb) == []  # an export is not one of the dated backups
    restored = {}
    for kind, path in (("snapshot", snapshot), ("archive", exported)):
        db = tmp_path / kind / "apk-desktop.sqlite3"
        db.parent.mkdir()
        scans = tmp_path / kind / "scans"
        assert path is not None
        restore.restore_backup(path, db, scans_dir=scans)
        restored[kind] = (db.read_bytes(), read_scans(scans))
    assert restored["snapshot"] == restored["archive"]
    assert restored["snapshot"][1] == read_scans(live.scans)
    again = usb / "archiv.zip"
    service.export_archive(live.url, again)
    with pytest.raises(service.BackupError, match="už existuje"):
        service.export_archive(live.url, again)


@pytest.mark.parametrize("damage", ["flip", "truncate", "missing"])
def test_a_damaged_object_is_reported_and_written_again(live: Live, damage: str) -> None:
    first = backup(live)
    assert first.path is not None
    target = scan_object(first.path)
    data = bytearray(target.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(bytes(data[: len(data) // 2]))
    else:
        target.unlink()
    with pytest.raises(store.DamagedObjects, match="poškozen") as caught:
        service.verify_backup(first.path)
    assert caught.value.objects == (target.name,)
    assert target.name[:12] in caught.value.message
    assert state.load().damaged_objects == (target.name,)
    assert not state.load().verifications[first.path.name].ok
    rows = dump(live.db_path)
    with pytest.raises(VerificationError):
        restore.restore_backup(first.path, live.db_path)
    assert dump(live.db_path) == rows

    change_a_row(live)
    second = backup(live)  # writes the damaged object again
    assert target.read_bytes() == bytes(data) if damage == "missing" else target.is_file()
    assert state.load().damaged_objects == ()
    assert second.path is not None
    service.verify_backup(second.path)
    service.verify_backup(first.path)  # the repaired object serves the older backup too


def test_a_damaged_database_object(live: Live) -> None:
    first = backup(live)
    assert first.path is not None
    stored = manifest_json(first.path)["database_object"]
    assert isinstance(stored, dict)
    target = store.object_path(live.share, stored["sha256"])
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(store.DamagedObjects, match="poškozen"):
        service.verify_backup(first.path)


@pytest.mark.parametrize(
    ("member", "sha"),
    [
        ("scans/../../escape.pdf", None),
        ("scans/a/../../../escape.pdf", None),
        ("scans/ok.pdf", "../../../../etc/passwd"),
    ],
)
def test_a_manifest_with_paths_out_of_the_folder_is_refused(
    live: Live, tmp_path: Path, member: str, sha: str | None
) -> None:
    first = backup(live)
    assert first.path is not None
    data = manifest_json(first.path)
    members = data["members"]
    assert isinstance(members, dict)
    existing = next(v for k, v in members.items() if k.startswith("scans/"))
    members[member] = {**existing, "sha256": sha or existing["sha256"]}
    forged = live.share / "snapshots" / "apk-zaloha-2030-01-01_000000-n000099.json"
    forged.write_text(json.dumps(data), encoding="utf-8")
    rows, scans = dump(live.db_path), read_scans(live.scans)
    for attempt in (
        lambda: service.verify_backup(forged),
        lambda: restore.restore_backup(forged, live.db_path),
    ):
        with pytest.raises(VerificationError, match=r"neplatný název|vadný popis"):
            attempt()
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans
    assert not (tmp_path / "escape.pdf").exists()


def test_newer_schema_cannot_be_restored_says_verify(
    live: Live, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect 9: verify called a backup from a newer version fine, restore then refused it."""
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    snapshot = backup(live).path
    archive_path = service.create_backup(live.db_path, live.share).path
    for path in (snapshot, archive_path):
        assert path is not None
        with pytest.raises(RestoreRefused, match="novější verze"):
            service.verify_backup(path)
        assert main(["verify", str(path)]) == EXIT_FAILED
        err = capsys.readouterr().err
        assert "novější verze" in err and "neumí obnovit" in err


def test_unused_objects_are_collected_after_pruning(live: Live) -> None:
    first = backup(live, **KEEP_ONE)
    assert first.path is not None
    gone = scan_object(first.path)
    gone_relative = next(
        p for p in live.scans.rglob("*") if p.is_file() and p.read_bytes() == gone.read_bytes()
    )
    gone_relative.unlink()
    change_a_row(live)
    second = backup(live, **KEEP_ONE)
    assert second.deleted == (first.path.name,)
    assert not gone.exists()  # no kept backup needs it
    assert objects(live.share) == store.referenced_objects(second.manifest)  # type: ignore[arg-type]


def test_nothing_is_collected_when_a_manifest_cannot_be_read(live: Live) -> None:
    keep_two = {"keep_last": 2, "keep_daily": 0, "keep_weekly": 0, "keep_monthly": 0}
    backup(live, **keep_two)
    new_scan = live.scans / "jen v druhé záloze.pdf"
    new_scan.write_bytes(os.urandom(20_000))
    second = backup(live, **keep_two)
    assert second.path is not None
    only_there = scan_object(second.path, "scans/jen")  # the second backup alone needs it
    text = second.path.read_bytes()
    second.path.write_bytes(text[: len(text) // 2])  # a kept backup nobody can read now
    new_scan.unlink()
    change_a_row(live)
    third = backup(live, **keep_two)
    assert third.deleted  # the first went: its unused objects would be collected now …
    assert only_there.exists()  # … but not one the unreadable backup may need
    second.path.write_bytes(text)
    change_a_row(live, "ještě jednou")
    backup(live, **KEEP_ONE)
    assert not only_there.exists()  # collected once every manifest reads


def test_old_archives_stay_listed_and_restorable(live: Live) -> None:
    """A folder from before incremental backups: its .zip archives are listed with the new
    snapshots (newest first), restorable, and the sequence numbers carry on."""
    old = service.create_backup(live.db_path, live.share).path
    assert old is not None
    rows, scans = dump(live.db_path), read_scans(live.scans)
    change_a_row(live)
    new = backup(live).path
    assert new is not None
    listed = service.list_backups(live.share)
    assert [e.path for e in listed] == [new, old]
    assert listed[0].sequence == listed[1].sequence + 1
    assert [e.is_snapshot for e in listed] == [True, False]
    live.db.dispose()
    restore.restore_backup(old, live.db_path)
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans


def test_settings_upgrade_keeps_a_year() -> None:
    path = settings.settings_path()
    path.write_text(
        json.dumps({"version": 1, "backup": {"folder": "D:/z", "keep_weekly": 8}}), "utf-8"
    )
    loaded = settings.load()
    assert (loaded.keep_daily, loaded.keep_weekly, loaded.keep_monthly) == (12, 10, 0)
    path.write_text(json.dumps({"version": 1, "backup": {"keep_weekly": 3}}), "utf-8")
    assert settings.load().keep_weekly == 3  # the user's own choice stays


def test_a_database_object_that_unpacks_to_more_is_stopped_at_the_promised_size(
    live: Live, tmp_path: Path
) -> None:
    """A forged (or rotten) database object that decompresses to far more than the manifest
    promises: reading stops at the promised size, the local work folder (here a real 4 MB
    tmpfs) never gets more."""
    import shutil
    import subprocess

    import zstandard

    work = service.work_dir()
    if os.name != "posix" or shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(work)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        first = backup(live)
        assert first.path is not None
        data = manifest_json(first.path)
        stored = data["database_object"]
        assert isinstance(stored, dict)
        real = (
            zstandard.ZstdDecompressor()
            .decompressobj()
            .decompress(store.object_path(live.share, stored["sha256"]).read_bytes())
        )
        bomb = zstandard.ZstdCompressor().compress(real + bytes(64 * 2**20))
        import hashlib

        name = hashlib.sha256(bomb).hexdigest()
        store.object_path(live.share, name).parent.mkdir(exist_ok=True)
        store.object_path(live.share, name).write_bytes(bomb)
        data["database_object"] = {**stored, "sha256": name, "size": len(bomb)}
        forged = first.path.with_name("apk-zaloha-2030-01-01_000000-n000099.json")
        forged.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(store.DamagedObjects) as caught:
            service.verify_backup(forged)
        assert caught.value.objects == (name,)
        assert not [p for p in work.iterdir()]  # nothing left behind either
    finally:
        subprocess.run(["umount", str(work)], check=False)


class CorruptingFile(WrappedFile):
    """A share that acknowledges every write but stores one byte wrong (bad cable, bad disk)."""

    def __init__(self, real: BinaryIO) -> None:
        super().__init__(real)
        self.done = False

    def write(self, data: bytes | memoryview) -> int:
        chunk = bytearray(data)
        if chunk and not self.done:
            chunk[len(chunk) // 2] ^= 0x01
            self.done = True
        return self.real.write(chunk)


def test_an_object_stored_wrong_is_never_published(live: Live) -> None:
    first = backup(live)
    (live.scans / "nový.pdf").write_bytes(os.urandom(50_000))
    before = objects(live.share)

    def corrupting(path: Path) -> BinaryIO:  # the objects only: the manifest is fine
        if path.parent.name != "objects":
            return open(path, "xb")
        return CorruptingFile(open(path, "xb"))  # type: ignore[return-value]

    with pytest.raises(StorageUnavailableError, match="přerušilo spojení"):
        service.backup_now(live.url, BackupSettings(folder=str(live.share)), opener=corrupting)
    assert objects(live.share) == before  # the bad copy got no name
    assert [e.path for e in service.list_backups(live.share)] == [first.path]
    assert not [p for p in live.share.rglob("*") if p.name.startswith(".apk-partial")]


def test_cancelled_backup_and_export_leave_nothing(live: Live, tmp_path: Path) -> None:
    first = backup(live)
    (live.scans / "nový.pdf").write_bytes(os.urandom(600_000))
    before = objects(live.share)
    calls = [0]

    def cancel_later() -> bool:
        calls[0] += 1
        return calls[0] > 3  # during the writing of the objects

    with pytest.raises(BackupCancelled):
        service.backup_now(live.url, BackupSettings(folder=str(live.share)), cancel=cancel_later)
    assert objects(live.share) == before
    assert [e.path for e in service.list_backups(live.share)] == [first.path]
    assert not [p for p in live.share.rglob("*") if p.name.startswith(".apk-")]
    usb = tmp_path / "usb"
    usb.mkdir()
    with pytest.raises(BackupCancelled):
        service.export_archive(live.url, usb, cancel=lambda: True)
    assert list(usb.iterdir()) == []


def test_every_object_and_the_manifest_are_fsynced_before_they_get_their_names(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spy on fsync: each file written to the share was made durable while it still had
    its temporary name (a power cut then loses at most a partial file, never a named one)."""
    opened: dict[int, Path] = {}  # inode -> the file written
    written: list[Path] = []
    synced: list[Path] = []

    def tracking(path: Path) -> BinaryIO:
        fh = open(path, "xb")  # noqa: SIM115
        opened[os.fstat(fh.fileno()).st_ino] = path
        written.append(path)
        return fh

    real_fsync = os.fsync

    def spy(fd: int) -> None:  # folders are fsynced too, also on the read-back thread
        inode = os.fstat(fd).st_ino
        if inode in opened:
            synced.append(opened[inode])
        real_fsync(fd)

    monkeypatch.setattr(store.os, "fsync", spy)
    result = service.backup_now(live.url, BackupSettings(folder=str(live.share)), opener=tracking)
    assert result.path is not None
    assert len(written) == len(objects(live.share)) + 1  # every object and the manifest
    assert synced == written
    assert all(p.name.startswith(".apk-partial-") for p in synced)
