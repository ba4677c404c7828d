"""The checks a scan passes before it is attached (what the mutation run found untested)."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from apk_desktop.db.database import Database
from apk_desktop.db.services import evidence
from apk_desktop.db.services import sessions as sessions_service
from apk_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from apk_desktop.paths import scans_dir
from tests.db.sessions_helpers import Team, make_team, training


def pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="vlastník")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def message_for(path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        evidence.check_scan(path)
    return caught.value.field_errors[evidence.FIELD]


def test_the_size_limit_is_inclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = tmp_path / "sken.pdf"
    scan.write_bytes(pdf_bytes())
    monkeypatch.setattr(evidence, "MAX_SCAN_BYTES", scan.stat().st_size)
    assert evidence.check_scan(scan).suffix == ".pdf"
    monkeypatch.setattr(evidence, "MAX_SCAN_BYTES", scan.stat().st_size - 1)
    assert message_for(scan) == "Sken je příliš velký (nejvýše 50 MB)."


def test_leading_whitespace_before_the_pdf_header_is_fine(tmp_path: Path) -> None:
    scan = tmp_path / "SKEN.PDF"
    scan.write_bytes(b"\r\n  " + pdf_bytes())
    checked = evidence.check_scan(scan)
    assert checked.suffix == ".pdf"  # normalised


def test_password_protected_pdfs(tmp_path: Path) -> None:
    locked = tmp_path / "zamčené.pdf"
    locked.write_bytes(pdf_bytes(password="tajné"))
    assert message_for(locked) == "PDF „zamčené.pdf“ je chráněné heslem. Přiložte sken bez hesla."
    opens = tmp_path / "jen-s-vlastníkem.pdf"
    opens.write_bytes(pdf_bytes(password=""))  # encrypted, but anyone may open it
    assert evidence.check_scan(opens).suffix == ".pdf"


def test_a_pdf_without_pages(tmp_path: Path) -> None:
    empty = tmp_path / "prázdné.pdf"
    empty.write_bytes(pdf_bytes(pages=0))
    assert message_for(empty) == "PDF „prázdné.pdf“ nemá žádnou stránku."


def test_an_image_of_another_format_is_named(tmp_path: Path) -> None:
    gif = tmp_path / "obrázek.png"
    Image.new("RGB", (10, 10), "white").save(gif, format="GIF")
    assert message_for(gif) == f"Obrázek „obrázek.png“ musí být {evidence.ACCEPTED_TEXT}."


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    return make_team(db, project_id)


@pytest.fixture
def session_id(db: Database, project_id: int, team: Team) -> int:
    with db.unit_of_work() as session:
        return sessions_service.create_session(session, project_id, training(team)).id


def test_progress_of_an_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "CHUNK_SIZE", 1000)
    scan = tmp_path / "sken.pdf"
    scan.write_bytes(pdf_bytes() + b"\n" * 2500)
    size = scan.stat().st_size
    calls: list[tuple[int, int, str]] = []
    staged = evidence.stage_scan(scan, progress=lambda *call: calls.append(call))
    reads = [c for c in calls if c[2] == "Čtu sken…"]
    assert reads[-1] == (size, size, "Čtu sken…")
    assert [c[0] for c in reads] == sorted(c[0] for c in reads) and len(reads) > 2
    assert calls[len(reads) :] == [(0, 0, "Kontroluji sken…"), (0, 0, "Ukládám sken…")]
    assert staged.staged.read_bytes() == scan.read_bytes() and staged.size == size
    evidence.discard_staged(staged)
    calls.clear()
    with pytest.raises(evidence.ScanImportCancelled):  # stops while reading, checks nothing
        evidence.stage_scan(scan, progress=lambda *call: calls.append(call), cancel=lambda: True)
    assert calls == []
    assert not list(scans_dir().iterdir())


def test_attach_names_the_copy_by_session_and_hash(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    scan = tmp_path / "sken.pdf"
    scan.write_bytes(pdf_bytes())
    moment = datetime(2025, 3, 4, 5, 6, 7)
    seen: list[tuple[int, int, str]] = []
    with db.unit_of_work() as session:
        view = evidence.attach_evidence(
            session, session_id, scan, now=moment, progress=lambda *call: seen.append(call)
        )
        year = sessions_service.get_session(session, session_id).date.year
    assert view.attached_at == moment and seen[-1] == (0, 0, "Ukládám sken…")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert view.relative_path == f"{year}/setkani-{session_id:06d}-{sha[:12]}.pdf"
    with db.unit_of_work() as session:
        evidence.remove_evidence(session, view.id)
    with db.unit_of_work() as session:
        again = evidence.attach_evidence(session, session_id, scan)  # the clock, to the second
    assert again.attached_at.microsecond == 0
    with pytest.raises(NotFoundError) as gone, db.unit_of_work() as session:
        evidence.remove_evidence(session, 999_999)
    assert gone.value.message == "Sken už v databázi není."
    with pytest.raises(ConflictError) as caught, db.unit_of_work() as session:
        evidence.attach_evidence(session, session_id, scan)
    assert caught.value.message == "Tento sken je u setkání už přiložen."


def test_a_copy_that_was_there_already_survives_a_rollback(
    db: Database, session_id: int, tmp_path: Path
) -> None:
    """An identical file already at the target name (left by an earlier removal that never
    committed its delete) is reused, and a rollback must not delete it."""
    scan = tmp_path / "sken.pdf"
    scan.write_bytes(pdf_bytes())
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        view = evidence.attach_evidence(session, session_id, scan)
        target = scans_dir() / view.relative_path
        raise RuntimeError("later step failed")
    assert not target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(scan.read_bytes())  # the copy is there before the attach
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        evidence.attach_evidence(session, session_id, scan)
        raise RuntimeError("later step failed")
    assert target.read_bytes() == scan.read_bytes()
    assert [p.name for p in scans_dir().iterdir()] == [target.parent.name]  # nothing staged left
