"""What the review and the evidence need from a scanned stack: small PNG images (a signature
cell, a handwritten row, a page thumbnail) and the pages of one sheet cut out of the stack into
a PDF of their own, turned upright.

A page of a scanned PDF is copied as it is (pypdf: the scanner's image bytes kept, only the
page's /Rotate set); an image page (JPG, PNG, a TIFF frame) is wrapped into a PDF page by
Pillow at its own resolution."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from apk_desktop.scans.pages import PDF_SUFFIX, Pixels

THUMBNAIL_HEIGHT = 300


@dataclass(frozen=True)
class SourcePage:
    """A page of a scan file and how many quarter turns clockwise it lies (0–3)."""

    source: Path
    number: int  # 1-based page or frame
    quarter_turns: int = 0


def png(pixels: Pixels) -> bytes:
    """Greyscale pixels as PNG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8), "L").save(buffer, "PNG")
    return buffer.getvalue()


def thumbnail(pixels: Pixels, quarter_turns: int = 0, height: int = THUMBNAIL_HEIGHT) -> bytes:
    """The page about ``height`` pixels high as PNG, turned upright."""
    image = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8), "L")
    if quarter_turns:
        image = image.rotate(90 * quarter_turns, expand=True)  # counter-clockwise: undoes it
    image.thumbnail((height * 2, height), Image.Resampling.BOX)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def pages_pdf(pages: Sequence[SourcePage]) -> bytes:
    """One PDF of ``pages`` in the order given, each turned upright."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers: dict[Path, PdfReader] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a scanner's PDF often has small flaws pypdf notes
        for page in pages:
            if page.source.suffix.lower() == PDF_SUFFIX:
                if page.source not in readers:
                    readers[page.source] = PdfReader(page.source)
                added = writer.add_page(readers[page.source].pages[page.number - 1])
            else:
                added = writer.add_page(PdfReader(io.BytesIO(_image_pdf(page))).pages[0])
            if page.quarter_turns:
                added.rotate(360 - 90 * page.quarter_turns)
        buffer = io.BytesIO()
        writer.write(buffer)
    return buffer.getvalue()


def _image_pdf(page: SourcePage) -> bytes:
    with Image.open(page.source) as image:
        frame = next(f for n, f in enumerate(ImageSequence.Iterator(image), 1) if n == page.number)
        dpi = frame.info.get("dpi")
        resolution = float(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] > 72 else 200.0
        converted = frame.convert("L" if frame.mode in ("1", "L", "LA", "I;16") else "RGB")
        buffer = io.BytesIO()
        converted.save(buffer, "PDF", resolution=resolution)
    return buffer.getvalue()
