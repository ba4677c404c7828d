"""Backups of one project in a database of several (SQLite): a backup or an export holds only
the project's rows and scans and names the project; the backup list and the retention are per
project; a restore replaces only that project (the other stays byte for byte), refuses a
backup whose ids belong to another project, and old backups (no project in the manifest) still
restore."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from apk_desktop import paths
from apk_desktop.__main__ import main
from apk_desktop.backup import archive, reader, service
from apk_desktop.backup import state as backup_state
from apk_desktop.backup.archive import SCANS_PREFIX, sha256_file
from apk_desktop.backup.cli_commands import EXIT_OK
from apk_desktop.backup.errors import RestoreRefused
from apk_desktop.backup.projects import manifest_project
from apk_desktop.backup.restore import restore_backup
from apk_desktop.backup.retention import RetentionPolicy
from apk_desktop.backup.settings import BackupSettings
from apk_desktop.db import project_scope
from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.domain.stored_paths import resolve_stored_path
from tests.backends import BACKEND
from tests.backup.conftest import dump, leftovers
from tests.project_pairs import NAMES, add_project, db_fingerprint, fingerprint, two_projects

OLD_ARCHIVE = Path(__file__).parent / "data" / "old-archive-0.12.0.zip"  # made by main, 0.12.0


@dataclass
class Pair:
    db: Database
    db_path: Path
    a: int
    b: int
    share: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db_path}"


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    """A SQLite database with projects A (current) and B, their scans in the scans folder."""
    if BACKEND != "sqlite":
        pytest.skip("sqlite_only: backups of the SQLite file (server archives: below, PG)")
    db_path = tmp_path / "live" / "apk-desktop.sqlite3"
    db_path.parent.mkdir()
    db = open_database(f"sqlite:///{db_path}")
    a, b = two_projects(db, monkeypatch)
    share = tmp_path / "share"
    share.mkdir()
    yield Pair(db, db_path, a, b, share)
    db.dispose()


def project_scans(db: Database, project_id: int) -> dict[str, str]:
    """The project's scans in the scans folder: relative path → sha256."""
    evidence = project_scope.app_table("evidence_file")
    with db.engine.connect() as connection:
        names = connection.scalars(
            select(evidence.c.relative_path).where(project_scope.owned_rows(evidence, project_id))
        ).all()
    return {n: sha256_file(resolve_stored_path(paths.scans_dir(), n)) for n in names}


def backup_database(backup: Path, tmp_path: Path) -> Database:
    """The database inside a backup (either kind), opened."""
    target = tmp_path / f"inside-{backup.stem}.sqlite3"
    reader.extract_database(backup, target)
    return open_database(f"sqlite:///{target}")


def scan_members(backup: Path) -> dict[str, str]:
    members = reader.read_manifest(backup).members
    return {
        n[len(SCANS_PREFIX) :]: str(m["sha256"])
        for n, m in members.items()
        if n != "database/apk-desktop.sqlite3"
    }


def check_holds_only(backup: Path, pair: Pair, project_id: int, tmp_path: Path) -> None:
    """The backup holds exactly the project's rows and scans, and names it."""
    other = pair.b if project_id == pair.a else pair.a
    inside = backup_database(backup, tmp_path)
    try:
        assert db_fingerprint(inside, project_id) == db_fingerprint(pair.db, project_id)
        with inside.engine.connect() as connection:
            assert project_scope.project_ids(connection) == [project_id]
            assert set(fingerprint(connection, other).values()) <= {(0, fingerprint_of_none())}
    finally:
        inside.dispose()
    scans = scan_members(backup)
    assert scans == project_scans(pair.db, project_id) and scans
    assert not set(scans.values()) & set(project_scans(pair.db, other).values())
    manifest = reader.read_manifest(backup)
    name, number = NAMES[1 if project_id == pair.a else 2]
    assert manifest.data["project"] == {
        "id": project_id,
        "name": name,
        "registration_number": number,
    }


def fingerprint_of_none() -> str:
    return hashlib.sha256(b"[]").hexdigest()


@pytest.mark.parametrize("which", ["a", "b"])
def test_an_export_holds_only_its_projects_rows_and_scans(
    pair: Pair, tmp_path: Path, which: str
) -> None:
    project_id = pair.a if which == "a" else pair.b
    made = service.export_archive(pair.url, pair.share / "archiv.zip", project_id=project_id)
    assert made.path is not None
    service.verify_backup(made.path)
    check_holds_only(made.path, pair, project_id, tmp_path)


def test_the_current_project_is_exported_when_none_is_named(pair: Pair, tmp_path: Path) -> None:
    made = service.export_archive(pair.url, pair.share / "archiv.zip")
    assert made.path is not None
    check_holds_only(made.path, pair, pair.a, tmp_path)


def test_backups_in_one_folder_are_listed_and_kept_per_project(pair: Pair, tmp_path: Path) -> None:
    settings = BackupSettings(folder=str(pair.share))
    first = service.backup_now(pair.url, settings, project_id=pair.a)
    of_b = service.backup_now(pair.url, settings, project_id=pair.b)
    assert first.path is not None and of_b.path is not None
    check_holds_only(first.path, pair, pair.a, tmp_path)
    check_holds_only(of_b.path, pair, pair.b, tmp_path)
    # B changed, A did not: nothing new to back up for A
    assert service.backup_now(pair.url, settings, project_id=pair.a).path is not None
    with pair.db.engine.begin() as connection:
        connection.exec_driver_sql(
            f"UPDATE assistant SET note = 'nové' WHERE project_id = {pair.b}"
        )
    unchanged = service.backup_now(pair.url, settings, project_id=pair.a, force=False)
    assert unchanged.skipped

    # A's history of one: B's backup is not A's to thin out
    moment = datetime.now().astimezone() + timedelta(hours=1)
    again = service.create_incremental(
        pair.db_path,
        pair.share,
        policy=RetentionPolicy(keep_last=1, keep_weekly=0, keep_monthly=0),
        project_id=pair.a,
        now=lambda: moment,
    )
    assert again.path is not None and len(again.deleted) == 2  # A's two older ones
    listed_a = [e.name for e in service.list_project_backups(pair.share, pair.url, pair.a)]
    listed_b = [e.name for e in service.list_project_backups(pair.share, pair.url, pair.b)]
    assert listed_a == [again.path.name] and listed_b == [of_b.path.name]


def test_restoring_a_project_leaves_the_other_as_it_was(pair: Pair, tmp_path: Path) -> None:
    made = service.export_archive(pair.url, pair.share / "a.zip", project_id=pair.a)
    assert made.path is not None
    expected_a = db_fingerprint(pair.db, pair.a)
    b_rows, b_scans = db_fingerprint(pair.db, pair.b), project_scans(pair.db, pair.b)
    a_scans = project_scans(pair.db, pair.a)
    with pair.db.engine.begin() as connection:
        connection.exec_driver_sql(
            "DELETE FROM assessment_level WHERE assessment_id IN (SELECT s.id FROM assessment s "
            f"JOIN assistant a ON a.id = s.assistant_id WHERE a.project_id = {pair.a})"
        )
        connection.exec_driver_sql(
            f"UPDATE assistant SET note = 'po záloze' WHERE project_id = {pair.a}"
        )
    lost = next(iter(a_scans))
    resolve_stored_path(paths.scans_dir(), lost).unlink()
    pair.db.dispose()

    outcome = restore_backup(made.path, pair.db_path)

    db = open_database(pair.url)
    try:
        assert db_fingerprint(db, pair.b) == b_rows
        assert project_scans(db, pair.b) == b_scans
        assert db_fingerprint(db, pair.a) == expected_a
        assert project_scans(db, pair.a) == a_scans
    finally:
        db.dispose()
    safety = reader.read_manifest(Path(outcome.safety_backup))
    assert manifest_project(safety) is None and safety.counts["project"] == 2  # all of it
    assert not [n for n in leftovers(pair.db_path.parent) if "partial" in n or "tmp" in n]


def _two_database_files(tmp_path: Path) -> tuple[Path, Path]:
    """Where two offices keep their SQLite databases (folders made, files not yet)."""
    files = tuple(tmp_path / name / "apk-desktop.sqlite3" for name in ("first", "second"))
    for path in files:
        path.parent.mkdir()
    return files[0], files[1]


@pytest.mark.sqlite_only(reason="restoring into a SQLite file")
def test_a_backup_whose_ids_belong_to_another_project_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same project A in two databases; in the second one B came after it, so rows A got
    # later in the first database have ids that are B's in the second.
    first, second = _two_database_files(tmp_path)
    db = open_database(f"sqlite:///{first}")
    a = add_project(db, monkeypatch, datetime(2025, 6, 1).date(), 1)
    db.dispose()
    shutil.copyfile(first, second)
    db = open_database(f"sqlite:///{second}")
    add_project(db, monkeypatch, datetime(2024, 11, 1).date(), 2)
    db.dispose()
    connection = sqlite3.connect(first)
    with connection:
        connection.execute(
            "INSERT INTO assistant (project_id, first_name, last_name, phone, email, note, "
            "row_version) VALUES (?, 'Nový', 'Asistent', '', '', '', 1)",
            (a,),
        )
    connection.close()
    made = service.export_archive(f"sqlite:///{first}", tmp_path / "a.zip")
    assert made.path is not None
    before, files = dump(second), leftovers(second.parent)

    with pytest.raises(RestoreRefused, match="záznamů už patří jinému projektu") as caught:
        restore_backup(made.path, second)
    assert "asistenti" in caught.value.message and "beze změny" in caught.value.message
    assert dump(second) == before
    assert leftovers(second.parent) == files
    assert leftovers(service.safety_dir()) == []


@pytest.mark.sqlite_only(reason="restoring into a SQLite file")
def test_a_backup_of_another_project_with_the_same_number_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _two_database_files(tmp_path)
    db = open_database(f"sqlite:///{first}")
    add_project(db, monkeypatch, datetime(2025, 6, 1).date(), 1)  # A, id 1
    db.dispose()
    db = open_database(f"sqlite:///{second}")
    two = [add_project(db, monkeypatch, datetime(2024, 11, 1).date(), 2)]  # B, id 1
    two.append(add_project(db, monkeypatch, datetime(2025, 6, 1).date(), 1))  # A, id 2
    db.dispose()
    made = service.export_archive(f"sqlite:///{first}", tmp_path / "a.zip")
    assert made.path is not None
    before = dump(second)
    with pytest.raises(RestoreRefused, match="projekt „APK Cheb“ má stejné číslo"):
        restore_backup(made.path, second)
    assert dump(second) == before


def test_an_old_backup_restores_into_an_empty_database(tmp_path: Path) -> None:
    target = tmp_path / "novy-pocitac" / "apk-desktop.sqlite3"
    target.parent.mkdir()
    restore_backup(OLD_ARCHIVE, target)
    db = open_database(f"sqlite:///{target}")
    try:
        with db.engine.connect() as connection:
            assert project_scope.project_ids(connection) == [1]
            notes = connection.exec_driver_sql("SELECT note FROM assistant").scalars().all()
        assert notes == ["ze staré zálohy"]
    finally:
        db.dispose()
    assert (paths.scans_dir() / "2025" / "setkani-000001-aaaaaaaaaaaa.pdf").is_file()


def test_an_old_backup_restores_its_project_next_to_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An archive made before projects were kept apart holds the database's only project: it
    is restored as that project's backup, listed as the first project's, and B stays."""
    target = tmp_path / "live" / "apk-desktop.sqlite3"
    target.parent.mkdir()
    restore_backup(OLD_ARCHIVE, target)
    db = open_database(f"sqlite:///{target}")
    b = add_project(db, monkeypatch, datetime(2024, 11, 1).date(), 2)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE assistant SET note = 'změněno' WHERE project_id = 1")
    b_rows, b_scans = db_fingerprint(db, b), project_scans(db, b)
    db.dispose()

    restore_backup(OLD_ARCHIVE, target)

    db = open_database(f"sqlite:///{target}")
    try:
        assert db_fingerprint(db, b) == b_rows and project_scans(db, b) == b_scans
        with db.engine.connect() as connection:
            notes = (
                connection.exec_driver_sql("SELECT note FROM assistant WHERE project_id = 1")
                .scalars()
                .all()
            )
        assert notes == ["ze staré zálohy"]
    finally:
        db.dispose()
    share = tmp_path / "share"
    share.mkdir()
    shutil.copy(OLD_ARCHIVE, share / "apk-zaloha-2026-11-30_100000-n000001.zip")
    url = f"sqlite:///{target}"
    assert len(service.list_project_backups(share, url, 1)) == 1
    assert service.list_project_backups(share, url, b) == []


def test_verify_names_the_project(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    made = service.export_archive(pair.url, pair.share / "b.zip", project_id=pair.b)
    assert made.path is not None
    assert main(["verify", str(made.path)]) == EXIT_OK
    assert "Projekt: APK Cheb (reg. č. CZ.03/B/0002)" in capsys.readouterr().out


def test_a_backup_with_rows_of_another_project_is_refused(pair: Pair, tmp_path: Path) -> None:
    """A (tampered) backup naming project A but holding a third project's rows too."""
    made = service.export_archive(
        pair.url, pair.share / "a.zip", project_id=pair.a, include_scans=False
    )
    assert made.path is not None and made.manifest is not None
    inside = tmp_path / "inside.sqlite3"
    reader.extract_database(made.path, inside)
    connection = sqlite3.connect(inside)
    with connection:
        connection.execute("CREATE TEMP TABLE copied AS SELECT * FROM project")
        connection.execute("UPDATE copied SET id = 777, name = 'Cizí'")
        connection.execute("INSERT INTO project SELECT * FROM copied")
        connection.execute(
            "INSERT INTO assistant (id, project_id, first_name, last_name, phone, email, note, "
            "row_version) VALUES (99999, 777, 'Cizí', 'Asistent', '', '', '', 1)"
        )
    connection.close()
    tampered = tmp_path / "tampered.zip"
    project = manifest_project(made.manifest)
    archive.write_archive(
        tampered,
        inside,
        [],
        app_version="test",
        created_at=datetime.now().astimezone(),
        scans_included=False,
        project=project,
    )
    before = dump(pair.db_path)
    pair.db.dispose()
    with pytest.raises(RestoreRefused, match="neodpovídají ostatním datům") as caught:
        restore_backup(tampered, pair.db_path)
    assert "(asistenti, projekty)" in caught.value.message
    assert dump(pair.db_path) == before


def test_restoring_next_to_another_project_needs_room_for_a_copy_of_the_database(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = service.export_archive(pair.url, pair.share / "a.zip", project_id=pair.a)
    assert made.path is not None and made.manifest is not None
    needed = made.manifest.content_bytes  # what a restore into this database alone would need
    enough_alone = needed + needed // 20 + archive.FREE_SPACE_MARGIN + 1000

    def disk_usage(_folder: object) -> SimpleNamespace:
        return SimpleNamespace(total=10**12, used=0, free=enough_alone)

    monkeypatch.setattr(archive.shutil, "disk_usage", disk_usage)
    before = dump(pair.db_path)
    pair.db.dispose()
    with pytest.raises(StorageUnavailableError, match="není dost místa"):
        restore_backup(made.path, pair.db_path)
    assert dump(pair.db_path) == before


def test_the_command_line_backs_up_the_project_asked_for(
    pair: Pair, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(pair.db_path)]
    assert main([*args, "export-archive", "--to", str(pair.share / "a.zip")]) != EXIT_OK
    assert "zvolte jeden volbou --project" in capsys.readouterr().err  # never a guess
    to_b = ["export-archive", "--to", str(pair.share / "b.zip"), "--project", str(pair.b)]
    assert main([*args, *to_b]) == EXIT_OK
    assert manifest_project(reader.read_manifest(pair.share / "b.zip")) is not None
    assert reader.read_manifest(pair.share / "b.zip").data["project"]["id"] == pair.b
    assert main([*args, "backup", "--to", str(pair.share), "--project", str(pair.b)]) == EXIT_OK
    made = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert reader.read_manifest(made).data["project"]["id"] == pair.b


def test_each_project_remembers_its_own_last_backup(pair: Pair) -> None:
    settings = BackupSettings(folder=str(pair.share))
    made_a = service.backup_now(pair.url, settings, project_id=pair.a, force=False)
    assert made_a.path is not None
    assert backup_state.load(project_id=pair.b).last_good is None  # B was never backed up
    assert backup_state.load(project_id=pair.a).last_success_path == str(made_a.path)
    made_b = service.backup_now(pair.url, settings, project_id=pair.b, force=False)
    assert made_b.path is not None
    # back to A, unchanged: B's backup in between does not make A's data look new
    assert service.backup_now(pair.url, settings, project_id=pair.a, force=False).skipped
    assert service.backup_now(pair.url, settings, project_id=pair.b, force=False).skipped
    assert backup_state.load(project_id=pair.a).last_success_path == str(made_a.path)


def test_a_state_file_of_0_12_counts_for_the_project_that_asks(pair: Pair) -> None:
    path = backup_state.state_path()
    path.write_text(
        '{"last_success_at": "2026-11-30T10:00:00+01:00", "last_fingerprint": "x"}',
        encoding="utf-8",
    )
    assert backup_state.load(project_id=pair.a).last_fingerprint == "x"
    settings = BackupSettings(folder=str(pair.share))
    assert service.backup_now(pair.url, settings, project_id=pair.b, force=False).path
    assert backup_state.load(project_id=pair.a).last_fingerprint == ""  # A has none of its own yet
    assert backup_state.load(project_id=pair.b).last_fingerprint not in ("", "x")
