"""The text of a built PDF as a reader sees it: the no-break spaces that bind words on the
sheets (``sheets.typography``) read as plain spaces."""

from __future__ import annotations

import io

from pypdf import PdfReader


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))
