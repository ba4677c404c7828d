"""Archives of one project of a server database (PostgreSQL) that holds several: the archive
holds only the project's rows and scans; restoring it replaces only that project's rows and
scans on the server (the other project stays as it was) or refuses when its ids are taken."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from apk_desktop.backup import reader, service
from apk_desktop.backup.archive import SCANS_PREFIX
from apk_desktop.backup.errors import RestoreRefused
from apk_desktop.backup.server import restore_into_server
from apk_desktop.db import project_scope
from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import EvidenceFile, ScanContent
from apk_desktop.db.open import open_database
from tests.backends import TestDatabases
from tests.project_pairs import add_project, db_fingerprint, two_projects

OLD_ARCHIVE = Path(__file__).parent / "data" / "old-archive-0.12.0.zip"  # made by main, 0.12.0
pytestmark = pytest.mark.postgres_only(reason="archives of a PostgreSQL database")


@pytest.fixture
def server(databases: TestDatabases, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    db = open_database(databases.migrated("two"))
    two_projects(db, monkeypatch)
    yield db
    db.dispose()


def stored_scans(db: Database, project_id: int) -> dict[str, str]:
    """The project's scans stored on the server: relative path → sha256."""
    evidence = project_scope.app_table("evidence_file")
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(EvidenceFile.relative_path, ScanContent.data)
            .join(ScanContent, ScanContent.evidence_id == EvidenceFile.id)
            .where(project_scope.owned_rows(evidence, project_id))
        ).all()
    return {str(r[0]): hashlib.sha256(r[1]).hexdigest() for r in rows}


def keys(db: Database, project_id: int) -> dict[str, list[tuple[object, ...]]]:
    """The primary keys of the project's rows per table (comparable across backends)."""
    found = {}
    with db.engine.connect() as connection:
        for table in project_scope.app_tables():
            if table.name == "scan_content":
                continue
            rows = connection.execute(
                select(*table.primary_key.columns)
                .where(project_scope.owned_rows(table, project_id))
                .order_by(*table.primary_key.columns)
            )
            found[table.name] = [tuple(r) for r in rows]
    return found


def test_an_archive_of_one_project_holds_only_its_rows_and_scans(
    server: Database, tmp_path: Path
) -> None:
    with server.engine.connect() as connection:
        a, b = project_scope.project_ids(connection)
    made = service.export_archive(server.url, tmp_path / "a.zip", project_id=b)
    assert made.path is not None and made.manifest is not None
    assert made.manifest.data["project"]["id"] == b
    inside = tmp_path / "inside.sqlite3"
    reader.extract_database(made.path, inside)
    archived = open_database(f"sqlite:///{inside}")
    try:
        assert keys(archived, b) == keys(server, b)
        with archived.engine.connect() as connection:
            assert project_scope.project_ids(connection) == [b]
    finally:
        archived.dispose()
    members = {
        n[len(SCANS_PREFIX) :]: str(m["sha256"])
        for n, m in made.manifest.members.items()
        if n.startswith(SCANS_PREFIX)
    }
    assert members == stored_scans(server, b) and members
    assert not set(members.values()) & set(stored_scans(server, a).values())


def test_restoring_one_project_on_the_server_leaves_the_other_as_it_was(
    server: Database, tmp_path: Path
) -> None:
    with server.engine.connect() as connection:
        a, b = project_scope.project_ids(connection)
    made = service.export_archive(server.url, tmp_path / "a.zip", project_id=a)
    assert made.path is not None
    expected_keys, expected_scans = keys(server, a), stored_scans(server, a)
    b_rows, b_scans = db_fingerprint(server, b), stored_scans(server, b)
    with server.engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE assistant SET note = 'nové' WHERE project_id = {a}")
        connection.exec_driver_sql(
            "DELETE FROM scan_content WHERE evidence_id IN (SELECT e.id FROM evidence_file e "
            f"JOIN training_session s ON s.id = e.session_id WHERE s.project_id = {a})"
        )

    done = restore_into_server(made.path, server.url)

    assert db_fingerprint(server, b) == b_rows and stored_scans(server, b) == b_scans
    assert keys(server, a) == expected_keys and stored_scans(server, a) == expected_scans
    with server.engine.connect() as connection:
        notes = connection.exec_driver_sql(
            f"SELECT count(*) FROM assistant WHERE project_id = {a} AND note = 'nové'"
        ).scalar()
    assert notes == 0
    assert done.counts["assistant"] == 10


def test_a_backup_whose_ids_are_another_projects_on_the_server_is_refused(
    databases: TestDatabases, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = open_database(databases.migrated("first"))
    second = open_database(databases.migrated("second"))
    try:
        a = add_project(first, monkeypatch, date(2025, 6, 1), 1)
        assert add_project(second, monkeypatch, date(2025, 6, 1), 1) == a  # the same A
        b = add_project(second, monkeypatch, date(2024, 11, 1), 2)
        with first.engine.begin() as connection:  # an assistant A got later: B's id there
            connection.exec_driver_sql(
                "INSERT INTO assistant (project_id, first_name, last_name, phone, email, note, "
                f"row_version) VALUES ({a}, 'Nový', 'Asistent', '', '', '', 1)"
            )
        made = service.export_archive(first.url, tmp_path / "a.zip")
        assert made.path is not None
        before = (db_fingerprint(second, a), db_fingerprint(second, b))
        with pytest.raises(RestoreRefused, match="záznamů už patří jinému projektu"):
            restore_into_server(made.path, second.url)
        assert (db_fingerprint(second, a), db_fingerprint(second, b)) == before
        assert list(service.safety_dir().iterdir()) == []
    finally:
        first.dispose()
        second.dispose()


def test_the_other_projects_missing_scan_stays_missing(server: Database, tmp_path: Path) -> None:
    """A restore fills the project's missing scans from the server's by hash, and only its."""
    with server.engine.connect() as connection:
        a, b = project_scope.project_ids(connection)
    a_scans, b_scans = stored_scans(server, a), stored_scans(server, b)
    missing = sorted(b_scans)[0]
    with server.engine.begin() as connection:  # B's scan is lost; an A scan has its hash
        connection.exec_driver_sql(
            "DELETE FROM scan_content WHERE evidence_id = "
            "(SELECT id FROM evidence_file WHERE relative_path = %(path)s)",
            {"path": missing},
        )
        some_a = sorted(a_scans)[0]
        connection.exec_driver_sql(
            "UPDATE evidence_file SET sha256 = (SELECT sha256 FROM evidence_file "
            "WHERE relative_path = %(a)s) WHERE relative_path = %(path)s",
            {"a": some_a, "path": missing},
        )
    made = service.export_archive(server.url, tmp_path / "a.zip", project_id=a)
    assert made.path is not None
    before = db_fingerprint(server, b)
    restore_into_server(made.path, server.url)
    assert missing not in stored_scans(server, b)
    assert db_fingerprint(server, b) == before


def test_a_backup_of_another_project_with_the_same_number_is_refused_on_the_server(
    databases: TestDatabases, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = open_database(databases.migrated("first"))
    second = open_database(databases.migrated("second"))
    try:
        add_project(first, monkeypatch, date(2025, 6, 1), 1)  # A, id 1
        b = add_project(second, monkeypatch, date(2024, 11, 1), 2)  # B, id 1
        a = add_project(second, monkeypatch, date(2025, 6, 1), 1)  # A, id 2
        made = service.export_archive(first.url, tmp_path / "a.zip")
        assert made.path is not None
        before = (db_fingerprint(second, a), db_fingerprint(second, b))
        with pytest.raises(RestoreRefused, match="projekt „APK Cheb“ má stejné číslo"):
            restore_into_server(made.path, second.url)
        assert (db_fingerprint(second, a), db_fingerprint(second, b)) == before
    finally:
        first.dispose()
        second.dispose()


def test_an_old_archive_restores_its_project_next_to_another_on_the_server(
    databases: TestDatabases, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An archive of 0.12.0 (no project in its manifest) into an empty server database, and
    again once another project is there: only its project is replaced."""
    db = open_database(databases.migrated("old"))
    try:
        restore_into_server(OLD_ARCHIVE, db.url)
        b = add_project(db, monkeypatch, date(2024, 11, 1), 2)
        with db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE assistant SET note = 'změněno' WHERE project_id = 1")
        b_rows, b_scans = db_fingerprint(db, b), stored_scans(db, b)
        restore_into_server(OLD_ARCHIVE, db.url)
        assert db_fingerprint(db, b) == b_rows and stored_scans(db, b) == b_scans
        with db.engine.connect() as connection:
            notes = connection.exec_driver_sql(
                "SELECT note FROM assistant WHERE project_id = 1"
            ).scalars()
            assert list(notes) == ["ze staré zálohy"]
    finally:
        db.dispose()
