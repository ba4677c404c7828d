"""Archives of a server database (PostgreSQL): the format of SQLite's backups, restorable into
SQLite or into a server database; row counts and scan hashes compared afterwards."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from apk_desktop.__main__ import main
from apk_desktop.backup import service
from apk_desktop.backup.errors import BackupError
from apk_desktop.backup.restore import restore_backup
from apk_desktop.backup.server import restore_into_server
from apk_desktop.db import transfer
from apk_desktop.db.database import Database
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.models import Assistant
from apk_desktop.db.models.sessions import EvidenceFile, ScanContent
from apk_desktop.db.open import open_database
from apk_desktop.db.services import evidence
from apk_desktop.db.services.sessions import evidence_view
from apk_desktop.paths import scans_dir
from tests.backends import PostgresServer, TestDatabases

pytestmark = pytest.mark.postgres_only(reason="archives of a PostgreSQL database")


@pytest.fixture
def demo(databases: TestDatabases) -> Iterator[Database]:
    """A server database with the demo project: plans in versions, sessions, signed scans."""
    db = open_database(databases.migrated("demo"))
    with db.unit_of_work() as session:
        populate_demo(session, today=date(2025, 6, 1))
    yield db
    db.dispose()


Contents = tuple[dict[str, int], dict[str, str]]


def contents(db: Database) -> Contents:
    """Rows per table, and the sha256 of each scan's stored bytes by its name."""
    with db.engine.connect() as connection:
        counts = transfer.count_rows(connection, transfer.app_tables(skip={"scan_content"}))
    with db.unit_of_work() as session:
        views = [evidence_view(e) for e in session.scalars(select(EvidenceFile))]
        scans = {
            v.relative_path: hashlib.sha256(evidence.read_scan(session, v)).hexdigest()
            for v in views
        }
    return counts, scans


def test_scans_of_a_server_database_live_in_it(demo: Database) -> None:
    counts, scans = contents(demo)
    assert counts["evidence_file"] > 20 and len(scans) == counts["evidence_file"]
    with demo.unit_of_work() as session:
        stored = session.scalar(select(func.count()).select_from(ScanContent))
    assert stored == counts["evidence_file"]
    assert not [p for p in scans_dir().rglob("*") if p.is_file()]  # nothing only on this PC


def test_an_archive_of_a_server_database_restores_into_sqlite(
    demo: Database, tmp_path: Path
) -> None:
    made = service.export_archive(demo.url, tmp_path / "archiv.zip")
    assert made.path is not None and made.manifest is not None
    manifest = service.verify_backup(made.path)
    expected = contents(demo)
    assert manifest.scan_count == len(expected[1]) > 0
    assert {k: v for k, v in manifest.counts.items() if k in expected[0]} == expected[0]

    target = tmp_path / "obnoveno" / "apk-desktop.sqlite3"
    target.parent.mkdir()
    restore_backup(made.path, target)
    restored = open_database(f"sqlite:///{target}")
    try:
        assert contents(restored) == expected
    finally:
        restored.dispose()


def test_an_archive_restores_into_a_server_database(
    demo: Database, databases: TestDatabases, tmp_path: Path
) -> None:
    made = service.export_archive(demo.url, tmp_path / "archiv.zip")
    assert made.path is not None
    other_url = databases.seeded("jiny")  # data the restore replaces
    other = open_database(other_url)
    before = contents(other)
    other.dispose()

    outcome = restore_into_server(made.path, other_url)
    restored = open_database(other_url)
    try:
        assert contents(restored) == contents(demo)
        assert outcome.counts == contents(demo)[0]
        # new rows get ids after the restored ones (the sequences were moved past them)
        with restored.unit_of_work() as session:
            project_id = session.scalars(select(Assistant.project_id)).first()
            biggest = session.scalar(select(func.max(Assistant.id)))
            hired = Assistant(
                project_id=project_id, first_name="Nová", last_name="Posila", phone="", email=""
            )
            session.add(hired)
            session.flush()
        assert biggest is not None and hired.id > biggest
    finally:
        restored.dispose()
    safety = service.verify_backup(Path(outcome.safety_backup))  # the replaced data, kept
    assert {k: v for k, v in safety.counts.items() if k in before[0]} == before[0]


def test_an_archive_of_sqlite_restores_into_a_server_database(
    databases: TestDatabases, tmp_path: Path
) -> None:
    source = open_database(f"sqlite:///{tmp_path / 'kancelar.sqlite3'}")
    try:
        with source.unit_of_work() as session:
            populate_demo(session, today=date(2025, 6, 1))
        expected = contents(source)
        made = service.export_archive(source.url, tmp_path / "archiv.zip")
    finally:
        source.dispose()
    assert made.path is not None
    for scan in scans_dir().rglob("*"):  # the office's own scans are gone: only the archive has
        if scan.is_file():
            scan.unlink()
    url = databases.migrated("server")
    restore_into_server(made.path, url)
    restored = open_database(url)
    try:
        assert contents(restored) == expected
    finally:
        restored.dispose()


def test_a_failed_restore_leaves_the_server_data_unchanged(
    demo: Database, databases: TestDatabases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = service.export_archive(demo.url, tmp_path / "archiv.zip")
    assert made.path is not None
    url = databases.seeded("cil")
    target = open_database(url)
    before = contents(target)

    def broken(*_args: object) -> None:
        raise BackupError("scans failed")

    monkeypatch.setattr("apk_desktop.backup.server._store_scans", broken)
    with pytest.raises(BackupError):
        restore_into_server(made.path, url)
    try:
        assert contents(target) == before
    finally:
        target.dispose()
    assert not list(service.safety_dir().glob("*.zip"))  # nothing changed, nothing to keep


def test_export_and_restore_from_the_command_line(
    demo: Database, databases: TestDatabases, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "archiv.zip"
    assert main(["--db", demo.url, "export-archive", "--to", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    url = databases.empty("prazdna")  # restore migrates it first
    assert main(["--db", url, "restore", str(out), "--yes"]) == 0
    assert "Data byla obnovena ze zálohy." in capsys.readouterr().out
    restored = open_database(url)
    try:
        assert contents(restored) == contents(demo)
    finally:
        restored.dispose()


def test_the_archive_holds_a_single_sqlite_file(demo: Database, tmp_path: Path) -> None:
    import sqlite3
    import zipfile

    from apk_desktop.backup import archive

    made = service.export_archive(demo.url, tmp_path / "archiv.zip")
    assert made.path is not None
    with zipfile.ZipFile(made.path) as zipped:
        names = zipped.namelist()
        (tmp_path / "db.sqlite3").write_bytes(zipped.read(archive.DB_MEMBER))
    assert not [n for n in names if n.endswith(("-wal", "-shm"))]
    connection = sqlite3.connect(tmp_path / "db.sqlite3")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        connection.close()


def test_an_ordinary_role_owning_its_database_is_enough(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    """No superuser: the owner of the database migrates it (tables, SQL functions, storage
    settings), fills it, archives it and restores into it."""
    role = f"{pg_server.prefix}mentor"
    pg_server.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'heslo'")
    url = pg_server.create("empty", f'OWNER "{role}"')
    own = make_url(url).set(username=role, password="heslo").render_as_string(False)
    try:
        db = open_database(own)
        try:
            with db.unit_of_work() as session:
                populate_demo(session, today=date(2025, 6, 1))
            expected = contents(db)
            made = service.export_archive(own, tmp_path / "archiv.zip")
            assert made.path is not None
            restore_into_server(made.path, own)
            assert contents(db) == expected
        finally:
            db.dispose()
    finally:
        pg_server.drop(url)
        pg_server.wait_for_drops()
        pg_server.execute(f'DROP ROLE "{role}"')
