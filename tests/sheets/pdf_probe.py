"""Look at a built PDF the way a scanner and a reader do: render pages to greyscale images
(pypdfium2, no Qt), decode the QR codes on them (zxing-cpp), find ink too close to the paper
edge, and extract each page's text (pypdf)."""

from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
import zxingcpp
from PIL import Image, ImageFilter
from pypdf import PdfReader

from apk_desktop.domain.sheet_code import SheetCode, decode
from apk_desktop.sheets.base import INK_MARGIN

MM_PER_INCH = 25.4
QR_ONLY: Any = zxingcpp.BarcodeFormat.QRCode  # (the stubs want a BarcodeFormats set)
INK_THRESHOLD = 200  # 0 black … 255 white: anything darker than this counts as ink


def ink_margin_mm() -> float:
    """The band along the paper edge that must stay blank (printers cannot print there)."""
    return INK_MARGIN / 72 * MM_PER_INCH


@dataclass(frozen=True)
class InkOutside:
    """Ink found in the blank band: which side, how far from the edge (mm), how dark."""

    side: str
    distance_mm: float
    darkest: int


class ProbedPdf:
    """One PDF, opened once; pages are 0-based in the methods."""

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        self._document = pdfium.PdfDocument(pdf)

    def close(self) -> None:
        self._document.close()

    @property
    def page_count(self) -> int:
        return len(self._document)

    @cached_property
    def texts(self) -> tuple[str, ...]:
        return tuple(page.extract_text() for page in PdfReader(io.BytesIO(self.pdf)).pages)

    def render(self, page: int, dpi: float) -> Image.Image:
        """The page as a greyscale image at ``dpi``, as a greyscale scan sees it."""
        bitmap = self._document[page].render(scale=dpi / 72, grayscale=True)
        image: Image.Image = bitmap.to_pil().convert("L")
        bitmap.close()
        return image

    def chars(self, page: int) -> list[tuple[str, float, float]]:
        """Each printed character with the centre of its box, in PDF points from the bottom
        left of the page (as ``layout.SignatureCell``), in drawing order."""
        textpage = self._document[page].get_textpage()
        try:
            found = []
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                if char.strip():
                    left, bottom, right, top = textpage.get_charbox(index)
                    found.append((char, (left + right) / 2, (bottom + top) / 2))
            return found
        finally:
            textpage.close()

    def styles_of(self, page: int, text: str) -> list[tuple[float, tuple[int, int, int]]]:
        """Font size and fill colour (RGB) of the first character of each occurrence of
        ``text`` on the page."""
        textpage = self._document[page].get_textpage()
        searcher = textpage.search(text, match_case=True)
        try:
            found = []
            while (hit := searcher.get_next()) is not None:
                index = hit[0]
                red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
                pdfium_c.FPDFText_GetFillColor(
                    textpage.raw,
                    index,
                    ctypes.byref(red),
                    ctypes.byref(green),
                    ctypes.byref(blue),
                    ctypes.byref(alpha),
                )
                size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
                found.append((float(size), (red.value, green.value, blue.value)))
            return found
        finally:
            searcher.close()
            textpage.close()

    def codes(self, page: int, dpi: float) -> list[SheetCode]:
        return codes_in(self.render(page, dpi))

    def ink_outside(
        self, page: int, dpi: float, margin_mm: float | None = None
    ) -> list[InkOutside]:
        return ink_outside(self.render(page, dpi), dpi, margin_mm)


def scan_like(image: Image.Image, seed: int = 0) -> Image.Image:
    """``image`` as an office scanner returns a page: slightly skewed, blurred, toner not quite
    black on greyish paper, noisy."""
    rng = np.random.default_rng(seed)
    skewed = image.convert("L").rotate(1.5, resample=Image.Resampling.BILINEAR, fillcolor=255)
    blurred = skewed.filter(ImageFilter.GaussianBlur(1.0))
    pixels = 40 + np.asarray(blurred).astype(np.float32) * 0.8
    pixels += rng.normal(0, 12, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def around_codes(image: Image.Image, dpi: float, margin_mm: float = 15) -> Image.Image:
    """The part of ``image`` around its QR codes (all of it when none is found): what a scan
    test needs to degrade and decode, at a fraction of the cost of the whole page."""
    points = [
        (point.x, point.y)
        for result in zxingcpp.read_barcodes(image, formats=QR_ONLY)
        for point in (
            result.position.top_left,
            result.position.top_right,
            result.position.bottom_left,
            result.position.bottom_right,
        )
    ]
    if not points:
        return image
    pad = margin_mm / MM_PER_INCH * dpi
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return image.crop((min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad))


def codes_in(image: Image.Image) -> list[SheetCode]:
    """Our sheet codes found in ``image`` (anything else decoded is left out)."""
    found = []
    for result in zxingcpp.read_barcodes(image, formats=QR_ONLY):
        code = decode(result.text)
        if code is not None:
            found.append(code)
    return found


def ink_outside(image: Image.Image, dpi: float, margin_mm: float | None = None) -> list[InkOutside]:
    """Per side of the page, the ink (pixels darker than ``INK_THRESHOLD``) closer than
    ``margin_mm`` (default ``ink_margin_mm()``) to the paper edge."""
    margin = ink_margin_mm() if margin_mm is None else margin_mm
    pixels = np.asarray(image.convert("L"))
    band = int(margin / MM_PER_INCH * dpi)
    height, width = pixels.shape
    sides = {
        "top": pixels[:band, :],
        "bottom": pixels[height - band :, :][::-1, :],
        "left": pixels[:, :band].T,
        "right": pixels[:, width - band :][:, ::-1].T,
    }
    found = []
    for side, strip in sides.items():
        dark = strip < INK_THRESHOLD  # rows of ``strip`` run from the edge inwards
        rows = np.flatnonzero(dark.any(axis=1))
        if rows.size:
            found.append(InkOutside(side, round(rows[0] / dpi * MM_PER_INCH, 1), int(strip.min())))
    return found


_HYPHEN_BREAK = re.compile(r"[-\u00ad\u2010]\s*\n\s*")


def normalised(text: str) -> str:
    """``text`` as compared: words rejoined where a line ended with a hyphen, soft hyphens
    dropped, all whitespace removed (table cells and paragraphs wrap anywhere)."""
    text = _HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    return "".join(text.split())


def missing_words(text: str, printed: str) -> list[str]:
    """The words of ``text`` not found in ``printed`` (both normalised; a word broken by a
    hyphen at a line end, or a hyphenated word broken at its hyphen, is found whole)."""
    haystack = normalised(printed)
    loose = haystack.replace("-", "")
    return [w for w in text.split() if w not in haystack and w.replace("-", "") not in loose]
