"""Moving an office's data SQLite → PostgreSQL → SQLite: every row and every signed scan arrive
(counts, SHA-256, Czech text and dates), the source is never changed, a target holding data is
refused, and a failure in the middle (a killed server connection, a full disk, a damaged scan)
leaves the target empty so that a retry works."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from apk_desktop import paths
from apk_desktop.__main__ import main
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.models import Assistant, Project
from apk_desktop.db.models.sessions import EvidenceFile, TrainingSession
from apk_desktop.db.move import MoveCancelled, MoveError, move_data
from apk_desktop.db.open import open_database
from apk_desktop.db.services.evidence import read_scan, scan_state
from apk_desktop.db.services.sessions import evidence_view
from tests.backends import PostgresServer

pytestmark = pytest.mark.postgres_only(reason="moves data to and from a PostgreSQL server")
TODAY = date(2025, 11, 1)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo's year of work and its scan files (made once)."""
    folder = tmp_path_factory.mktemp("demo-template")
    paths.use_data_dir(folder)
    try:
        db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
        with db.unit_of_work() as session:
            populate_demo(session, TODAY)
        db.dispose()
    finally:
        paths.use_data_dir(None)
    return folder


@pytest.fixture
def office(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo office: ``office/demo.sqlite3`` and ``office/scans``."""
    import shutil

    target = tmp_path / "office"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def server_db(pg_server: PostgresServer) -> Iterator[str]:
    url = pg_server.create("empty")
    yield url
    pg_server.drop(url)


def _dump(url: str, scans: Path | None) -> dict[str, object]:
    """What the user sees of the data: rows per table, some fields, and every scan's bytes."""
    from apk_desktop.db import transfer

    db = open_database(url)
    paths.use_data_dir(scans.parent if scans is not None else None)
    try:
        with db.engine.connect() as connection:
            counts = transfer.count_rows(connection, transfer.app_tables(skip={"scan_content"}))
        with db.unit_of_work() as session:
            project = session.scalars(select(Project)).one()
            names = sorted(
                f"{a.first_name} {a.last_name}" for a in session.scalars(select(Assistant))
            )
            sessions = sorted((s.date, s.topic) for s in session.scalars(select(TrainingSession)))
            scans_seen = {}
            for evidence in session.scalars(select(EvidenceFile)):
                view = evidence_view(evidence)
                assert scan_state(session, view).value == "ok", evidence.relative_path
                scans_seen[evidence.relative_path] = read_scan(session, view)
        return {
            "counts": counts,
            "project": (project.name, project.beneficiary, project.period_start),
            "assistants": names,
            "sessions": sessions,
            "scans": scans_seen,
        }
    finally:
        paths.use_data_dir(None)
        db.dispose()


def _sqlite_dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_sqlite_to_server_and_back_keeps_everything(
    office: Path, server_db: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{office / 'demo.sqlite3'}"
    before = _sqlite_dump(office / "demo.sqlite3")
    original = _dump(source, office / "scans")
    assert original["scans"] and "Sokolov" not in str(original["project"])

    there = move_data(
        source, server_db, source_scans=office / "scans", target_scans=tmp_path / "unused"
    )
    assert there.ok and there.scans_matching == len(original["scans"])  # type: ignore[arg-type]
    assert _dump(server_db, None) == original
    assert _sqlite_dump(office / "demo.sqlite3") == before  # the source is never changed
    assert not (tmp_path / "unused").exists()

    home = tmp_path / "home"
    back_url = f"sqlite:///{home / 'apk-desktop.sqlite3'}"
    home.mkdir()
    back = move_data(server_db, back_url, source_scans=tmp_path / "x", target_scans=home / "scans")
    assert back.ok and [t.source for t in back.tables] == [t.target for t in back.tables]
    assert _dump(back_url, home / "scans") == original
    text = back.table_text()
    assert "Tabulka" in text and "Skeny shodné" in text and "≠" not in text


def test_czech_text_and_dates_survive_the_round_trip(
    office: Path, server_db: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{office / 'demo.sqlite3'}"
    db = open_database(source)
    with db.unit_of_work() as session:
        project = session.scalars(select(Project)).one()
        project.beneficiary = "Město Žďár nad Sázavou – Městská policie „ŘÍČNÍ“"
        project.period_start = date(2024, 2, 29)
    db.dispose()
    move_data(source, server_db, source_scans=office / "scans", target_scans=tmp_path)
    back_url = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    move_data(server_db, back_url, source_scans=tmp_path, target_scans=tmp_path / "scans")
    project_row = _dump(back_url, tmp_path / "scans")["project"]
    assert project_row == (
        project_row[0],  # type: ignore[index]
        "Město Žďár nad Sázavou – Městská policie „ŘÍČNÍ“",
        date(2024, 2, 29),
    )


def test_a_target_holding_data_is_refused_and_left_alone(
    office: Path, pg_server: PostgresServer, tmp_path: Path
) -> None:
    seeded = pg_server.create("seeded")
    try:
        with pytest.raises(MoveError, match="už obsahuje data") as caught:
            move_data(
                f"sqlite:///{office / 'demo.sqlite3'}",
                seeded,
                source_scans=office / "scans",
                target_scans=tmp_path,
            )
        assert "project" in caught.value.message
        assert _dump(seeded, None)["counts"]["project"] == 1  # type: ignore[index]
    finally:
        pg_server.drop(seeded)


def test_a_killed_target_connection_leaves_the_target_empty_and_a_retry_works(
    office: Path, server_db: str, pg_server: PostgresServer, tmp_path: Path
) -> None:
    source = f"sqlite:///{office / 'demo.sqlite3'}"
    killed = False

    def kill_once(done: int, total: int, what: str) -> None:
        nonlocal killed
        if not killed and done > 0:
            killed = True
            pg_server.disconnect(server_db)  # the server restarts mid-copy

    with pytest.raises(MoveError, match="se přerušilo") as caught:
        move_data(
            source,
            server_db,
            source_scans=office / "scans",
            target_scans=tmp_path,
            progress=kill_once,
        )
    assert "zůstala prázdná" in caught.value.message
    report = move_data(source, server_db, source_scans=office / "scans", target_scans=tmp_path)
    assert report.ok


def test_a_cancelled_move_back_to_this_pc_leaves_no_rows_and_no_scan_files(
    office: Path, server_db: str, tmp_path: Path
) -> None:
    """Cancelled once the scans are being written: the SQLite target and its scans folder are
    left as they were (migrated, empty), and a retry works."""
    source = f"sqlite:///{office / 'demo.sqlite3'}"
    assert move_data(source, server_db, source_scans=office / "scans", target_scans=tmp_path).ok
    target_path = tmp_path / "back" / "apk-desktop.sqlite3"
    target_path.parent.mkdir()
    target, scans = f"sqlite:///{target_path}", tmp_path / "back" / "scans"
    seen: list[str] = []

    def cancel_in_scans() -> bool:
        return any(what.startswith("Kopíruji skeny") for what in seen)

    with pytest.raises(MoveCancelled):
        move_data(
            server_db,
            target,
            source_scans=tmp_path,
            target_scans=scans,
            progress=lambda _done, _total, what: seen.append(what),
            cancel=cancel_in_scans,
        )
    assert seen and cancel_in_scans()
    counts = _counts(target)
    assert counts and not any(counts.values())
    assert not [p for p in scans.rglob("*") if p.is_file()]  # the files written are gone
    assert move_data(server_db, target, source_scans=tmp_path, target_scans=scans).ok


def test_a_damaged_scan_is_reported_and_nothing_is_kept(
    office: Path, server_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = office / "demo.sqlite3"
    scan = sorted((office / "scans").rglob("*.pdf"))[0]
    good = scan.read_bytes()
    scan.write_bytes(good[:-10] + b"0123456789")  # a bit rot on the office PC

    paths.use_data_dir(office)
    assert main(["--db", str(source), "move", "--to", server_db]) == 3
    out, err = capsys.readouterr()
    assert "Skeny shodné" in out and "≠" not in out
    assert scan.name in err and "poškozený" in err and "zůstala prázdná" in err
    counts = _counts(server_db)
    assert counts and not any(counts.values())  # migrated, empty: ready for a retry

    scan.write_bytes(good)  # restored from a backup
    assert main(["--db", str(source), "move", "--to", server_db]) == 0
    out, _ = capsys.readouterr()
    assert "Data byla přesunuta" in out and "postgres:" not in out.replace("postgres:***", "")


def _counts(url: str) -> dict[str, int]:
    from apk_desktop.db import transfer
    from apk_desktop.db.database import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return transfer.count_rows(connection, transfer.app_tables())
    finally:
        engine.dispose()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB tmpfs: the scans of the demo do not fit (skipped without root)."""
    import os

    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], check=False
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_under_a_sqlite_target_leaves_it_empty_and_a_retry_works(
    office: Path, server_db: str, full_disk: Path, tmp_path: Path
) -> None:
    move_data(
        f"sqlite:///{office / 'demo.sqlite3'}",
        server_db,
        source_scans=office / "scans",
        target_scans=tmp_path,
    )
    target = f"sqlite:///{tmp_path / 'home.sqlite3'}"
    with pytest.raises(MoveError, match="skeny se nepodařilo zapsat"):
        move_data(server_db, target, source_scans=tmp_path, target_scans=full_disk / "scans")
    assert not any(p.is_file() for p in full_disk.rglob("*"))  # no half of the scans left
    assert not any(_counts(target).values())
    report = move_data(server_db, target, source_scans=tmp_path, target_scans=tmp_path / "scans")
    assert report.ok and report.scans_matching == len(report.scans) > 0
