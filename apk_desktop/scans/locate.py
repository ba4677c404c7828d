"""Where the printed page lies on a scanned image: the affine transform from page points to
image pixels, found from the QR code's corners on the image and its rectangle on the page
(scale, rotation including upside down or sideways, skew, offset). Cells are then read in
page orientation, resampled upright whatever the scan's rotation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from apk_desktop.scans.codes import Point
from apk_desktop.scans.pages import Pixels

Rect = tuple[float, float, float, float]  # x, y, width, height in PDF points, origin bottom left
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PageTransform:
    """image (u, v) = (a·x + b·y + c, d·x + e·y + f) for a page point (x, y)."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    @property
    def scale(self) -> float:
        """Image pixels per page point (the scan's dpi / 72)."""
        return math.sqrt(abs(self.a * self.e - self.b * self.d))

    @property
    def rotation(self) -> float:
        """Degrees the page is turned clockwise on the image (-180, 180]: 0 upright, 180
        upside down, ±90 sideways, a few degrees for a skewed scan."""
        return math.degrees(math.atan2(self.d, self.a))

    @property
    def quarter_turns(self) -> int:
        """The rotation to the nearest quarter turn: 0, 1 (90° clockwise), 2 or 3."""
        return round(self.rotation / 90) % 4

    def apply(self, x: Floats, y: Floats) -> tuple[Floats, Floats]:
        return self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f

    def corners(self, rect: Rect) -> tuple[Point, Point, Point, Point]:
        """A page rectangle's corners on the image: top left, top right, bottom right, bottom
        left as printed."""
        x, y, w, h = rect
        xs = np.array([x, x + w, x + w, x])
        ys = np.array([y + h, y + h, y, y])
        us, vs = self.apply(xs, ys)
        return tuple((float(u), float(v)) for u, v in zip(us, vs, strict=True))  # type: ignore[return-value]


def page_transform(corners: tuple[Point, Point, Point, Point], code_rect: Rect) -> PageTransform:
    """The least-squares affine transform taking the printed code's corners (``code_rect``: the
    symbol's outer edge without its quiet zone) to where the scan shows them."""
    x, y, w, h = code_rect
    page = np.array([[x, y + h, 1], [x + w, y + h, 1], [x + w, y, 1], [x, y, 1]], dtype=float)
    image = np.array(corners, dtype=float)
    solution, *_ = np.linalg.lstsq(page, image, rcond=None)
    (a, d), (b, e), (c, f) = solution.tolist()
    return PageTransform(a, b, c, d, e, f)


@dataclass(frozen=True, eq=False)
class CellImage:
    """A page rectangle resampled upright from the scan, with ``margin`` pixels of its
    surroundings on every side (the printed rules around a cell, a slightly misplaced one)."""

    pixels: Floats  # 0 black – 255 white; rows top to bottom as printed
    margin: int
    scale: float  # pixels per page point


def cell_image(
    pixels: Pixels, transform: PageTransform, rect: Rect, margin_pt: float, scale: float
) -> CellImage:
    """``rect`` of the printed page as it shows on the scan, upright, ``scale`` pixels per
    point (bilinear); whatever lies outside the image reads as white paper."""
    x, y, w, h = rect
    margin = round(margin_pt * scale)
    cols = round(w * scale) + 2 * margin
    rows = round(h * scale) + 2 * margin
    xs = x + (np.arange(cols, dtype=float) + 0.5 - margin) / scale
    ys = y + h - (np.arange(rows, dtype=float) + 0.5 - margin) / scale
    gx, gy = np.meshgrid(xs, ys)
    u, v = transform.apply(gx, gy)
    return CellImage(_bilinear(pixels, u - 0.5, v - 0.5), margin, scale)


def _bilinear(pixels: Pixels, u: Floats, v: Floats) -> Floats:
    height, width = pixels.shape
    inside = (u >= 0) & (v >= 0) & (u <= width - 1) & (v <= height - 1)
    u = np.clip(u, 0, width - 1.001)
    v = np.clip(v, 0, height - 1.001)
    u0 = u.astype(np.intp)
    v0 = v.astype(np.intp)
    fu = u - u0
    fv = v - v0
    p = pixels  # indexed as uint8: the page is never converted as a whole
    top = p[v0, u0] * (1 - fu) + p[v0, u0 + 1] * fu
    bottom = p[v0 + 1, u0] * (1 - fu) + p[v0 + 1, u0 + 1] * fu
    result: Floats = top * (1 - fv) + bottom * fv
    result[~inside] = 255.0
    return result
