"""Signed scans: validated, copied (atomically, never linked) into scans_dir, relative path +
sha256 in the database; removed again when the unit of work rolls back."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import EvidenceFile
from apk_desktop.db.services import evidence as service
from apk_desktop.db.services import sessions as sessions_service
from apk_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    StorageUnavailableError,
    ValidationError,
)
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
    stored = scans_dir() / view.relative_path
    assert stored.read_bytes() == data and not stored.is_symlink()
    source.unlink()  # the copy does not depend on the original
    with db.unit_of_work() as session:
        detail = sessions_service.get_session(session, session_id)
        assert detail.evidence_complete and detail.evidence[0].path == stored
        assert service.scan_state(detail.evidence[0]) is service.ScanState.OK
        assert sessions_service.list_sessions(session, detail.project_id)[0].evidence_count == 1
    assert not list(stored.parent.glob(".*.tmp"))


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
        assert (scans_dir() / view.relative_path).exists()
        raise RuntimeError("later step failed")
    assert evidence_count(db) == 0
    assert not [p for p in scans_dir().rglob("*") if p.is_file()]


def test_failed_write_saves_nothing(
    db: Database, session_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(path: Path, data: bytes) -> None:
        raise StorageUnavailableError("Soubor se nepodařilo uložit: disk je plný.")

    monkeypatch.setattr(service, "write_atomic", failing)
    with pytest.raises(StorageUnavailableError), db.unit_of_work() as session:
        service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    assert evidence_count(db) == 0


def test_remove_deletes_the_file_only_after_commit(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    stored = scans_dir() / view.relative_path
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        service.remove_evidence(session, view.id)
        raise RuntimeError("cancelled")
    assert stored.exists() and evidence_count(db) == 1
    with db.unit_of_work() as session:
        service.remove_evidence(session, view.id)
    assert not stored.exists() and evidence_count(db) == 0
    with pytest.raises(NotFoundError), db.unit_of_work() as session:
        service.remove_evidence(session, view.id)


def test_scan_state_notices_missing_and_changed_files(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        view = service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    view.path.write_bytes(b"changed")
    assert service.scan_state(view) is service.ScanState.CHANGED
    view.path.unlink()
    assert service.scan_state(view) is service.ScanState.MISSING


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


def test_orphan_scans(db: Database, session_id: int, tmp_path: Path) -> None:
    with db.unit_of_work() as session:
        service.attach_evidence(session, session_id, pdf_file(tmp_path / "a.pdf"))
    stray = scans_dir() / "2024" / "stray.pdf"
    stray.write_bytes(b"x")
    with db.unit_of_work() as session:
        assert service.orphan_scans(session) == [stray]
