"""A scanned stack split into page images: every page of a PDF, every frame of a TIFF, or one
JPG/PNG image, as a greyscale array with its resolution."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
PDF_SUFFIX = ".pdf"
RENDER_DPI = 200  # a PDF page with no scanned image on it (a printed PDF, a vector page)
MIN_DPI, MAX_DPI = 150, 300  # a scanned PDF page is rendered at its image's resolution within
A4_LONG_SIDE_INCHES = 297 / 25.4

Pixels = npt.NDArray[np.uint8]


@dataclass(frozen=True, eq=False)
class PageImage:
    """One page of the stack: greyscale pixels (rows × columns, 0 = black) and its dpi."""

    pixels: Pixels
    dpi: float
    source: str  # the file's name
    number: int  # 1-based page (or frame) within that file


class UnreadableFileError(Exception):
    """A file that is neither a PDF nor an image the app can read."""


def is_scan_file(path: Path) -> bool:
    return path.suffix.lower() in (PDF_SUFFIX, *IMAGE_SUFFIXES)


def scan_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: the given files, and the scan files in given folders (by name)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and is_scan_file(p))
        else:
            files.append(path)
    return files


def iter_pages(paths: Iterable[Path]) -> Iterator[PageImage]:
    """The pages of every file in order, one at a time (a stack of 300 dpi pages does not fit
    in memory at once)."""
    for path in scan_files(paths):
        if path.suffix.lower() == PDF_SUFFIX:
            yield from _pdf_pages(path)
        else:
            yield from _image_pages(path)


def _pdf_pages(path: Path) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        raise UnreadableFileError(path.name) from error
    try:
        for index in range(len(document)):
            page = document[index]
            dpi = _scan_dpi(page)
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            pixels = np.array(bitmap.to_numpy(), dtype=np.uint8).reshape(
                bitmap.height, bitmap.width
            )
            yield PageImage(pixels, dpi, path.name, index + 1)
    finally:
        document.close()


def _scan_dpi(page: Any) -> float:
    """The resolution of the largest image on the page (a scanner's PDF is one image per
    page), within ``MIN_DPI``–``MAX_DPI``; ``RENDER_DPI`` for a page without images."""
    import pypdfium2.raw as pdfium_c

    best = largest = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = obj.get_bounds()
        width_px, _ = obj.get_px_size()
        area = (right - left) * (top - bottom)
        if area > largest and right > left:
            largest = area
            best = width_px / ((right - left) / 72)
    if not best:
        return RENDER_DPI
    return float(min(MAX_DPI, max(MIN_DPI, best)))


def _image_pages(path: Path) -> Iterator[PageImage]:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(path)
    except (UnidentifiedImageError, OSError) as error:
        raise UnreadableFileError(path.name) from error
    with image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            pixels = np.asarray(frame.convert("L"), dtype=np.uint8)
            yield PageImage(pixels, _image_dpi(frame.info.get("dpi"), pixels), path.name, number)


def _image_dpi(stated: object, pixels: Pixels) -> float:
    """The dpi the file states; when it states none (or the 72 dpi default of many programs),
    the dpi of an A4 page of this size."""
    if isinstance(stated, tuple) and stated and float(stated[0]) > 72:
        return float(stated[0])
    return float(max(pixels.shape)) / A4_LONG_SIDE_INCHES
