"""Scanned stacks of real sheets: printed from a seeded database through the app (so their
layouts are stored as when the mentor prints), signed, and scanned into the files the office
printer makes (one PDF of page images, or single images)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image

from apk_desktop import printing
from apk_desktop.db.database import Database
from apk_desktop.domain.sheet_refs import parse_sheet_ref
from tests.scans.scan_factory import Paper, Printed, Scanner, paper, scan

OFFICE = Scanner(dpi=150, rotation=1.5, scale=0.99, offset_mm=(2, -1), noise=4, jpeg_quality=75)
UPSIDE_DOWN = replace(OFFICE, rotation=180.6)


def print_sheets(db: Database, project_id: int, sheet_ids: Sequence[str]) -> dict[str, Paper]:
    """Each sheet printed (and recorded) as the print screen does; its pages by
    ``"<sheet id>/<page>"``."""
    pages: dict[str, Paper] = {}
    for sheet_id in sheet_ids:
        ref = parse_sheet_ref(sheet_id)
        assert ref is not None
        document = printing.make_document(db, printing.job_for(ref, project_id))
        printing.record_printed(db, project_id, document.layouts, document.pdf)
        for page in paper(Printed(document.pdf, tuple(document.layouts))):
            pages[f"{page.layout.sheet_id}/{page.page}"] = page
    return pages


def scanned(pages: Sequence[Paper], scanner: Scanner = OFFICE) -> list[Image.Image]:
    return [scan(page, scanner) for page in pages]


def write_pdf(path: Path, images: Sequence[Image.Image], dpi: int = OFFICE.dpi) -> Path:
    """A scanner's PDF: one image per page."""
    first, *rest = [image.convert("L") for image in images]
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(dpi))
    return path
