"""Signed scans: validated, stored (SQLite: copied atomically, never linked, into scans_dir;
PostgreSQL: into the database), relative path + sha256 in the database; removed again when the
unit of work rolls back."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import EvidenceFile, ScanContent
from apk_desktop.db.services import evidence as service
from apk_desktop.db.services import sessions as sessions_service
from apk_desktop.db.services.sessions import EvidenceView
from apk_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    StorageUnavailableError,
    ValidationError,
)
from apk_desktop.domain.stored_paths import InvalidStoredPathError
from apk_desktop.paths import scans_dir
from tests.db.sessions_helpers import Team, make_team, training


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    return make_team(db, project_id)


@pytest.fixture
def session_id(db: Database, project_id: int, team: Team) -> int:
    with db.unit_of_work() as session:
        return sessions_service.create_session(session, project_id, training(team)).id


def pdf_file(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def image_file(path: Path, fmt: str, color: str = "white") -> Path:
    Image.new("RGB", (40, 30), color).save(path, format=fmt)
    return path


def evidence_count(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(EvidenceFile)) or 0


def stored_files() -> list[Path]:
    return sorted(p for p in scans_dir().rglob("*") if p.is_file())


def stored_scans(db: Database) -> int:
    """How many scans' bytes are stored: files (SQLite) or scan_content rows (PostgreSQL)."""
    if db.is_sqlite:
        return len(stored_files())
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(ScanContent)) or 0


def damage(db: Database, view: EvidenceView, data: bytes | None) -> None:
    """Change the stored bytes of a scan behind the app's back, or remove them (None)."""
    if db.is_sqlite:
        if data is None:
            view.path.unlink()
        else:
            view.path.write_bytes(data)
        return
    with db.unit_of_work() as session:
        content = session.get(ScanContent, view.id)
        assert content is not None
        if data is None:
            session.delete(content)
        else:
            content.data = data


def test_attach_pdf_copies_it_with_a_relative_path(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    source = pdf_file(tmp_path / "Prezenční listina 5.3.pdf")
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, source)
    data = source.read_bytes()
    assert view.original_name == "Prezenční listina 5.3.pdf"
    assert view.sha256 == hashlib.sha256(data).hexdigest()
    assert view.size == len(data)
    assert not Path(view.relative_path).is_absolute()
    assert view.relative_path.startswith("2024/") and view.is_pdf
    source.unlink()  # the copy does not depend on the original
    with db.unit_of_work() as session:
        detail = sessions_service.get_session(session, session_id)
        assert service.read_scan(session, detail.evidence[0]) == data
        assert detail.evidence_complete
        assert service.scan_state(session, detail.evidence[0]) is service.ScanState.OK
        assert sessions_service.list_sessions(session, detail.project_id)[0].evidence_count == 1
    stored = scans_dir() / view.relative_path
    if db.is_sqlite:  # a file next to the database, nothing else left in the folder
        assert stored_files() == [stored] and detail.evidence[0].path == stored
        assert stored.read_bytes() == data and not stored.is_symlink()
    else:  # in the database: nothing lives only on this PC
        assert stored_files() == []


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", ".png"), ("JPEG", ".jpeg"), ("TIFF", ".tif")])
def test_attach_images(
    db: Database, session_id: int, tmp_path: Path, fmt: str, suffix: str
) -> None:
    source = image_file(tmp_path / f"sken{suffix.upper()}", fmt)
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, source)
    assert view.relative_path.endswith({"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif"}[fmt])


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _truncated_png(tmp_path: Path) -> Path:
    good = image_file(tmp_path / "good.png", "PNG", "red").read_bytes()
    return _bad(tmp_path, "useknutý.png", good[: len(good) // 2])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _bad(p, "zápis.docx", b"PK\x03\x04"), "není sken ve formátu"),
        (lambda p: _bad(p, "sken.pdf", b"this is not a pdf"), "není čitelné PDF"),
        (lambda p: _bad(p, "sken.pdf", b"%PDF-1.4\n garbage"), "není čitelné PDF"),
        (lambda p: _bad(p, "sken.jpg", b"\xff\xd8\xff\xe0 nothing"), "není čitelný obrázek"),
        (_truncated_png, "není čitelný obrázek"),
        (lambda p: _bad(p, "prázdný.pdf", b""), "je prázdný"),
        (lambda p: p / "neexistuje.pdf", "se nepodařilo přečíst"),
    ],
)
def test_bad_scans_are_refused(
    db: Database, session_id: int, tmp_path: Path, make: object, message: str
) -> None:
    source = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.attach_evidence(session, session_id, source)
    assert message in info.value.field_errors["evidence"]
    assert evidence_count(db) == 0
    assert not [p for p in scans_dir().rglob("*") if p.is_file()]


def test_same_scan_twice(
    db: Database, project_id: int, team: Team, session_id: int, tmp_path: Path
) -> None:
    source = pdf_file(tmp_path / "a.pdf")
    with db.unit_of_work() as session:
        service.attach_evidence(session, session_id, source)
    with pytest.raises(ConflictError), db.unit_of_work() as session:
        service.attach_evidence(session, session_id, source)
    with db.unit_of_work() as session:
        other = sessions_service.create_session(
            session, project_id, training(team, date=date(2024, 3, 6))
        )
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.attach_evidence(session, other.id, source)
    assert "už přiložen k setkání „Komunikace s klientem“ z 05.03.2024" in str(info.value)
    assert evidence_count(db) == 1


def test_rollback_removes_the_copied_file(db: Database, session_id: int, tmp_path: Path) -> None:
    source = image_file(tmp_path / "a.png", "PNG")
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, source)
        assert service.read_scan(session, view) == source.read_bytes()
        raise RuntimeError("later step failed")
    assert evidence_count(db) == 0 and stored_scans(db) == 0
    assert stored_files() == []


@pytest.fixture
def full_scans_folder(isolated_folders: Path) -> Iterator[Path]:
    """The data folder on a real 1 MB tmpfs filled up to the last bytes (skipped without root)."""
    isolated_folders.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(isolated_folders)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        filler = scans_dir() / ".filler"
        with filler.open("wb", buffering=0) as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"x" * 4096)
        yield scans_dir()
    finally:
        subprocess.run(["umount", str(isolated_folders)], check=False)


def test_failed_write_saves_nothing(
    db: Database, session_id: int, tmp_path: Path, full_scans_folder: Path
) -> None:
    source = pdf_file(tmp_path / "a.pdf")
    with pytest.raises(StorageUnavailableError) as caught, db.unit_of_work() as session:
        service.attach_evidence(session, session_id, source)
    assert "nepodařilo uložit" in caught.value.message
    assert evidence_count(db) == 0
    assert [p.name for p in full_scans_folder.rglob("*")] == [".filler"]


def test_remove_deletes_the_stored_scan_only_after_commit(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        service.remove_evidence(session, view.id)
        raise RuntimeError("cancelled")
    assert stored_scans(db) == 1 and evidence_count(db) == 1
    with db.unit_of_work() as session:
        service.remove_evidence(session, view.id)
    assert stored_scans(db) == 0 and evidence_count(db) == 0
    with pytest.raises(NotFoundError), db.unit_of_work() as session:
        service.remove_evidence(session, view.id)


def test_scan_state_notices_missing_and_changed_scans(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    damage(db, view, b"changed")
    with db.unit_of_work() as session:
        assert service.scan_state(session, view) is service.ScanState.CHANGED
        assert service.read_scan(session, view) == b"changed"
    damage(db, view, None)
    with db.unit_of_work() as session:
        assert service.scan_state(session, view) is service.ScanState.MISSING
        with pytest.raises(NotFoundError, match=r"a\.pdf"):
            service.read_scan(session, view)


def test_missing_evidence_lists_past_sessions_oldest_first(
    db: Database, project_id: int, team: Team, session_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        later = sessions_service.create_session(
            session, project_id, training(team, date=date(2024, 4, 9))
        ).id
        today = sessions_service.create_session(
            session, project_id, training(team, date=date(2024, 5, 14))
        ).id
        archived = sessions_service.create_session(
            session, project_id, training(team, date=date(2024, 3, 1))
        ).id
        sessions_service.archive_session(session, archived)
        service.attach_evidence(session, later, pdf_file(tmp_path / "a.pdf"))
    with db.unit_of_work() as session:
        before_end = service.missing_evidence(
            session, project_id, now=datetime.combine(date(2024, 5, 14), time(11))
        )
        after_end = service.missing_evidence(
            session, project_id, now=datetime.combine(date(2024, 5, 14), time(12))
        )
        assert service.evidence_overview(session, project_id, today=date(2024, 5, 14)) == (1, 2)
    assert [r.id for r in before_end] == [session_id]
    assert [r.id for r in after_end] == [session_id, today]


FILES_ONLY = "scans are files in the data folder only with SQLite"


@pytest.mark.sqlite_only(reason=FILES_ONLY)
def test_orphan_scans(db: Database, session_id: int, tmp_path: Path) -> None:
    with db.unit_of_work() as session:
        service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    stray = scans_dir() / "2024" / "stray.pdf"
    stray.write_bytes(b"x")
    with db.unit_of_work() as session:
        assert service.orphan_scans(session) == [stray]


# ---- stored paths from a restored (possibly tampered) database ---------------------------------


def _tamper(db: Database, evidence_id: int, relative: str) -> None:
    with db.unit_of_work() as session:
        record = session.get(EvidenceFile, evidence_id)
        assert record is not None
        record.relative_path = relative


@pytest.mark.sqlite_only(reason=FILES_ONLY)
@pytest.mark.parametrize("relative", ["../../victim.txt", "/abs/victim.txt", "2024/../../v.txt"])
def test_remove_never_deletes_outside_the_scans_folder(
    db: Database, session_id: int, tmp_path: Path, relative: str
) -> None:
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    victim = scans_dir() / "../../victim.txt" if relative.startswith("..") else None
    if relative.startswith("/"):
        victim = Path(relative)
    elif relative.startswith("2024"):
        victim = scans_dir() / relative
    assert victim is not None
    if not relative.startswith("/"):
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("keep me")
    _tamper(db, view.id, relative)
    with db.unit_of_work() as session:
        note = service.remove_evidence(session, view.id)
    assert note is not None and "neplatná" in note and relative in note
    assert evidence_count(db) == 0
    if not relative.startswith("/"):
        assert victim.read_text() == "keep me"


@pytest.mark.sqlite_only(reason=FILES_ONLY)
def test_a_symlink_leading_outside_is_neither_read_nor_deleted(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_text("keep me")
    (scans_dir() / "link").symlink_to(outside, target_is_directory=True)
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    _tamper(db, view.id, "link/secret.pdf")
    with db.unit_of_work() as session:
        detail = sessions_service.get_session(session, session_id)
        assert service.scan_state(session, detail.evidence[0]) is service.ScanState.INVALID
    with pytest.raises(InvalidStoredPathError, match="neplatná"):
        _ = detail.evidence[0].path
    with db.unit_of_work() as session:
        assert service.remove_evidence(session, view.id) is not None
    assert (outside / "secret.pdf").read_text() == "keep me"


# ---- what the user picks: FIFOs, devices, huge or growing files --------------------------------


@pytest.mark.timeout(20)
def test_a_fifo_is_refused_without_hanging(db: Database, session_id: int, tmp_path: Path) -> None:
    fifo = tmp_path / "sken.pdf"
    os.mkfifo(fifo)
    with pytest.raises(ValidationError, match="není obyčejný soubor"), db.unit_of_work() as s:
        service.attach_evidence(s, session_id, fifo)
    assert evidence_count(db) == 0


@pytest.mark.timeout(20)
def test_a_device_behind_a_pdf_name_is_refused(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    link = tmp_path / "x.pdf"
    link.symlink_to("/dev/zero")
    with pytest.raises(ValidationError, match="není obyčejný soubor"), db.unit_of_work() as s:
        service.attach_evidence(s, session_id, link)
    assert evidence_count(db) == 0


class CountingReads:
    """Wraps the file object open_regular returns and counts the bytes actually read."""

    total = 0

    def __init__(self, real: io.BufferedReader) -> None:
        self.real = real

    def read(self, size: int = -1) -> bytes:
        data = self.real.read(size)
        CountingReads.total += len(data)
        return data

    def fileno(self) -> int:
        return self.real.fileno()

    def __enter__(self) -> CountingReads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def test_a_huge_file_is_refused_after_reading_at_most_the_limit(
    db: Database, session_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "obrovsky.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(60 * 1024 * 1024)  # sparse: 60 MB without using the disk
    real_open = service.open_regular
    monkeypatch.setattr(service, "open_regular", lambda p: CountingReads(real_open(p)))
    CountingReads.total = 0
    with pytest.raises(ValidationError, match="příliš velký"), db.unit_of_work() as session:
        service.attach_evidence(session, session_id, big)
    assert 0 < CountingReads.total <= service.MAX_SCAN_BYTES + 1
    assert evidence_count(db) == 0


def test_a_file_that_grows_after_its_size_was_seen_is_refused(
    db: Database, session_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is small when opened (fstat) and grows over the limit while it is read."""
    growing = tmp_path / "roste.pdf"
    pdf_file(growing)
    real_open = service.open_regular

    def open_then_grow(path: Path) -> io.BufferedReader:
        opened = real_open(path)
        with growing.open("ab") as fh:  # another program keeps writing to it
            fh.truncate(service.MAX_SCAN_BYTES + 5 * 1024 * 1024)
        return opened

    monkeypatch.setattr(service, "open_regular", open_then_grow)
    with pytest.raises(ValidationError, match="příliš velký"), db.unit_of_work() as session:
        service.attach_evidence(session, session_id, growing)
    assert evidence_count(db) == 0


def test_the_stored_hash_is_of_the_bytes_stored(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
        stored = service.read_scan(session, view)
    assert hashlib.sha256(stored).hexdigest() == view.sha256 and len(stored) == view.size


def test_cancel_while_reading_stores_nothing(db: Database, session_id: int, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    with pytest.raises(service.ScanImportCancelled), db.unit_of_work() as session:
        service.attach_evidence(
            session,
            session_id,
            pdf_file(tmp_path / "a.pdf"),
            progress=lambda *a: seen.append(a),
            cancel=lambda: True,
        )
    assert evidence_count(db) == 0
    assert not [p for p in scans_dir().rglob("*") if p.is_file()]


def test_staged_copies_of_a_dead_process_are_removed_at_the_next_import(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    from apk_desktop.backup import atomic

    dead = subprocess.Popen(["true"])  # a process that has ended
    dead.wait()
    leftover = atomic.partial_path(scans_dir())
    leftover = leftover.with_name(leftover.name.replace(f"-{os.getpid()}-", f"-{dead.pid}-"))
    leftover.write_bytes(b"half a scan")
    with db.unit_of_work() as session:
        service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    assert not leftover.exists()
    assert [p.name for p in scans_dir().iterdir() if p.is_file()] == []
