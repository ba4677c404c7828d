"""Restore: every row and every scan back byte-identical; refusals and interruptions leave the
current data as they were."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from apk_desktop.backup import archive, restore, service
from apk_desktop.backup.errors import (
    BackupCancelled,
    BackupError,
    RestoreRefused,
    VerificationError,
)
from apk_desktop.db import migrate
from apk_desktop.db.database import make_engine
from apk_desktop.domain.errors import StorageUnavailableError
from tests.backup.conftest import Live, add_rows, dump, read_scans, write_scans


def make(live: Live) -> Path:
    result = service.create_backup(live.db_path, live.share)
    assert result.path is not None
    return result.path


def change_everything(live: Live) -> None:
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("DELETE FROM zz_extra WHERE id % 2 = 0")
        connection.execute("UPDATE assistant SET last_name = 'Změněno'")
    connection.close()
    add_rows(live.db_path, count=3)
    first = sorted(p for p in live.scans.rglob("*") if p.is_file())[0]
    first.write_bytes(b"changed")
    (live.scans / "only-after-backup.pdf").write_bytes(b"new")


def test_round_trip_every_row_and_scan_byte_identical(live: Live) -> None:
    rows_before, scans_before = dump(live.db_path), read_scans(live.scans)
    path = make(live)
    change_everything(live)
    assert dump(live.db_path) != rows_before
    live.db.dispose()
    outcome = restore.restore_backup(path, live.db_path)
    assert dump(live.db_path) == rows_before
    assert read_scans(live.scans) == scans_before
    assert outcome.safety_backup
    assert outcome.manifest.counts["zz_extra"] == 20
    # the data as they were just before the restore are in the safety backup
    safety = Path(outcome.safety_backup)
    assert archive.verify_archive(safety, service.work_dir()).counts["zz_extra"] == 13
    assert not restore.journal_path().exists()
    assert sorted(p.name for p in live.scans.parent.iterdir() if p.name.startswith(".apk")) == []


def test_an_older_backup_is_migrated(live: Live, tmp_path: Path) -> None:
    old_db = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{old_db}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    result = service.create_backup(old_db, live.share, include_scans=False)
    assert result.manifest is not None and result.manifest.schema_revision == "0001"
    scans_before = read_scans(live.scans)
    live.db.dispose()
    restore.restore_backup(result.path, live.db_path)  # type: ignore[arg-type]
    engine = make_engine(f"sqlite:///{live.db_path}")
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()
    assert read_scans(live.scans) == scans_before  # no scans in the backup: current ones stay


def _rewrite_manifest(path: Path, target: Path, **changes: object) -> Path:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(archive.MANIFEST_NAME))
        members = {n: zf.read(n) for n in zf.namelist() if n != archive.MANIFEST_NAME}
    manifest.update(changes)
    with zipfile.ZipFile(target, "w") as zf:
        for name, body in members.items():
            zf.writestr(name, body)
        zf.writestr(archive.MANIFEST_NAME, json.dumps(manifest))
    return target


def test_backup_from_a_newer_version_is_refused(live: Live, tmp_path: Path) -> None:
    path = make(live)
    with zipfile.ZipFile(path) as zf:
        db_bytes = zf.read(archive.DB_MEMBER)
    patched_db = tmp_path / "patched.sqlite3"
    patched_db.write_bytes(db_bytes)
    connection = sqlite3.connect(patched_db)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    (tmp_path / "newer-share").mkdir()
    result = service.create_backup(patched_db, tmp_path / "newer-share", include_scans=False)
    assert result.path is not None
    before = dump(live.db_path)
    with pytest.raises(RestoreRefused, match="novější verze"):
        restore.restore_backup(result.path, live.db_path)
    assert dump(live.db_path) == before


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_backup_is_refused(live: Live, tmp_path: Path, damage: str) -> None:
    path = make(live)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 3] ^= 0x01
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    change_everything(live)
    rows, scans = dump(live.db_path), read_scans(live.scans)
    with pytest.raises(VerificationError):
        restore.restore_backup(damaged, live.db_path)
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans


def test_interrupted_while_preparing(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make(live)
    change_everything(live)
    rows, scans = dump(live.db_path), read_scans(live.scans)

    def broken(*_args: object, **_kwargs: object) -> archive.Manifest:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive, "extract_scans", broken)
    with pytest.raises(StorageUnavailableError, match="není dost místa"):
        restore.restore_backup(path, live.db_path)
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans
    assert not [p for p in live.db_path.parent.iterdir() if p.name.startswith(".apk-partial")]


def test_interrupted_while_swapping_rolls_back(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make(live)
    change_everything(live)
    rows, scans = dump(live.db_path), read_scans(live.scans)
    real_rename = restore.os.rename
    calls: list[object] = []

    def failing_rename(src: object, dst: object) -> None:
        calls.append(src)
        if len(calls) == 2:  # old scans moved aside; the new ones moving in: the disk fails
            raise OSError(5, "Input/output error")
        real_rename(src, dst)  # type: ignore[arg-type]

    live.db.dispose()
    with monkeypatch.context() as patched:  # undo only this; the data folder stays in tmp_path
        patched.setattr(restore.os, "rename", failing_rename)
        with pytest.raises(BackupError, match="přerušena"):
            restore.restore_backup(path, live.db_path)
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans
    assert not restore.journal_path().exists()


def test_restore_onto_an_empty_install(live: Live, tmp_path: Path) -> None:
    path = make(live)
    rows = dump(live.db_path)
    fresh = tmp_path / "new-pc" / "apk-desktop.sqlite3"
    fresh.parent.mkdir()
    outcome = restore.restore_backup(path, fresh)
    assert outcome.safety_backup == ""
    assert dump(fresh) == rows
    write_scans(live.scans, count=1)  # the live fixture's files are still fine


def test_nothing_to_recover_says_nothing(live: Live) -> None:
    assert restore.recover_at_startup(live.url) is None


def test_an_unreadable_journal_points_to_the_safety_backups(live: Live) -> None:
    restore.journal_path().write_text("{not json", encoding="utf-8")
    message = restore.recover_at_startup(live.url)
    assert message is not None
    assert "nepodařilo se ji vrátit" in message and f"„{service.safety_dir()}“" in message


def test_a_failed_commit_onto_an_empty_install_leaves_no_database(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(live)
    fresh = tmp_path / "new-pc" / "apk-desktop.sqlite3"
    fresh.parent.mkdir()
    prepared = restore.prepare_restore(path, fresh)
    assert prepared.safety_backup == ""

    def failing_rename(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(restore.os, "rename", failing_rename)
    with pytest.raises(BackupError, match="přerušena") as caught:
        restore.commit_restore(prepared)
    assert "Input/output error" in caught.value.details
    assert not fresh.exists()  # there was none before
    assert not restore.journal_path().exists()


def test_refusal_of_a_newer_backup_says_the_data_stayed(live: Live) -> None:
    manifest = archive.Manifest({"schema_revision": "9999", "app_version": "9.0"})
    with pytest.raises(RestoreRefused) as caught:
        restore.check_restorable(manifest)
    assert "(9.0)" in caught.value.message
    assert caught.value.message.endswith("Vaše současná data zůstala beze změny.")


def test_a_backup_with_scan_paths_leading_outside_is_refused(live: Live, tmp_path: Path) -> None:
    from apk_desktop.db.seed import current_project
    from apk_desktop.db.services import evidence, sessions
    from tests.db.sessions_helpers import make_team, training

    with live.db.unit_of_work() as session:
        project_id = current_project(session).id
    team = make_team(live.db, project_id)
    scan = tmp_path / "sken.png"
    Image.new("RGB", (20, 20), "white").save(scan, format="PNG")
    with live.db.unit_of_work() as session:
        session_id = sessions.create_session(session, project_id, training(team)).id
        evidence.attach_evidence(session, session_id, scan)
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("UPDATE evidence_file SET relative_path = '../../x'")
    connection.close()
    tampered = make(live)
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("UPDATE evidence_file SET relative_path = '2024/ok.png'")
    connection.close()
    rows, scans = dump(live.db_path), read_scans(live.scans)
    live.db.dispose()
    with pytest.raises(RestoreRefused, match="neplatné cesty") as caught:
        restore.restore_backup(tampered, live.db_path)
    assert "„../../x“" in caught.value.message
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans
    assert not restore.journal_path().exists()


def test_restore_into_another_scans_folder(live: Live, tmp_path: Path) -> None:
    path = make(live)
    scans = read_scans(live.scans)
    other = tmp_path / "other" / "scans"
    other.parent.mkdir()
    live.db.dispose()
    restore.restore_backup(path, live.db_path, scans_dir=other)
    assert read_scans(other) == scans


def test_cancel_during_the_verification(live: Live) -> None:
    path = make(live)
    change_everything(live)
    rows, scans = dump(live.db_path), read_scans(live.scans)
    texts: list[str] = []
    with pytest.raises(BackupCancelled):
        restore.restore_backup(
            path,
            live.db_path,
            progress=lambda _d, _t, text: texts.append(text),
            cancel=lambda: "Ověřuji zálohu…" in texts,
        )
    assert texts and set(texts) == {"Ověřuji zálohu…"}
    assert dump(live.db_path) == rows and read_scans(live.scans) == scans
    assert not service.list_backups(service.safety_dir())


def test_a_failed_migration_is_told_in_czech(live: Live) -> None:
    from tests.backup.test_safety_backups import _migration_fails

    path = make(live)
    with pytest.raises(BackupError) as caught:
        _migration_fails(live, path)
    assert caught.value.message == (
        "Databázi ze zálohy se nepodařilo převést na tuto verzi aplikace. "
        "Vaše současná data zůstala beze změny."
    )
    assert "plan" in caught.value.details  # the SQLite cause, for the log
