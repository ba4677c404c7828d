"""The checks a scan passes before it is attached (what the mutation run found untested)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from apk_desktop.db.services import evidence
from apk_desktop.domain.errors import ValidationError


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
    assert "příliš velký" in message_for(scan)


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
