"""The logolink image, prepared once per file and embedded once per PDF.

reportlab's ``drawImage`` hashes the decoded pixels on every call and encodes a PNG in pure
Python (ASCII85) for every document; a batch of sheets with a logo paid that on every page.
Here the file is decoded and compressed once per process (per path, size and modification
time) and each document gets one image XObject that every page refers to."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

_GREY_MODES = {"1", "L", "LA", "I", "I;16", "F"}
_NAME = "APKLogolink"


@dataclass(frozen=True)
class LogoImage:
    """The pixels of a logolink, flattened onto white paper and compressed (Flate)."""

    pixel_width: int
    pixel_height: int
    grey: bool  # DeviceGray (monochrome logolink) or DeviceRGB
    data: bytes


def load_logo(path: str) -> LogoImage | None:
    """The image at ``path``, or None when there is none or it cannot be read (the sheet then
    prints the co-funding line as text)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _load(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: str, _size: int, _mtime: int) -> LogoImage | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            grey = image.mode in _GREY_MODES or (
                image.mode == "P" and _palette_is_grey(image.getpalette() or [])
            )
            rgba = image.convert("LA" if grey else "RGBA")
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    # Transparent parts of the logo show the white paper: flatten instead of a soft mask.
    paper = Image.new(rgba.mode, rgba.size, 255 if grey else (255, 255, 255, 255))
    flat = Image.alpha_composite(paper, rgba).convert("L" if grey else "RGB")
    return LogoImage(flat.width, flat.height, grey, zlib.compress(flat.tobytes(), 6))


def _palette_is_grey(palette: list[int]) -> bool:
    return all(palette[i] == palette[i + 1] == palette[i + 2] for i in range(0, len(palette), 3))


def draw_logo(
    canvas: Canvas, logo: LogoImage, x: float, y: float, width: float, height: float
) -> None:
    """Draw ``logo`` into the rectangle; the first call on a document embeds it."""
    doc: Any = canvas._doc  # type: ignore[attr-defined]  # reportlab's document: no public API
    reg_name = doc.getXObjectName(_NAME)
    if reg_name not in doc.idToObject:
        doc.addForm(_NAME, _xobject(logo))
    canvas._currentPageHasImages = 1  # type: ignore[attr-defined]  # the page's /ProcSet
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{reg_name} Do")  # type: ignore[attr-defined]
    canvas.restoreState()
    canvas._formsinuse.append(_NAME)  # type: ignore[attr-defined]  # page's XObject resources


def _xobject(logo: LogoImage) -> Any:
    image: Any = pdfdoc.PDFImageXObject(_NAME)  # filled in, not loaded: no typed API
    image.width = logo.pixel_width
    image.height = logo.pixel_height
    image.bitsPerComponent = 8
    image.colorSpace = "DeviceGray" if logo.grey else "DeviceRGB"
    image.streamContent = logo.data
    image._filters = ("FlateDecode",)
    image.mask = None
    return image
