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
    # indexed as uint8: the page as a whole is never converted
    top = pixels[v0, u0] * (1 - fu) + pixels[v0, u0 + 1] * fu
    bottom = pixels[v0 + 1, u0] * (1 - fu) + pixels[v0 + 1, u0 + 1] * fu
    result: Floats = top * (1 - fv) + bottom * fv
    result[~inside] = 255.0
    return result


# --- Refining the transform on the printed table ---
# The code is small: a pixel's error in its corners turns the page by a degree at 150 dpi, and
# a row at the foot of the page is then off by half its height. The signature column's printed
# rules (its two long vertical rules, the rules between rows) are found near where the code
# puts them, and the transform is fitted to them.

MM = 72 / 25.4
RULE_STEP_PT = 2 * MM  # samples along each rule
RULE_AVERAGE_PT = 5 * MM  # each sample is the mean over this much of the rule either side
VERTICAL_SEARCH_PT = 6 * MM  # the next vertical rule is ≥ 24 mm away
HORIZONTAL_SEARCH_PT = 4 * MM  # rows are 10 mm apart: less than half that
RULE_CONTRAST = 40.0  # grey levels a rule is darker than the paper around it
OUTLIER_PT = 1.0 * MM  # a sample this far off the fitted rules is not on a rule (a stroke)
MIN_SAMPLES = 12


@dataclass(frozen=True)
class _Samples:
    """Points on printed rules (page points) and the direction on the page across each."""

    x: Floats
    y: Floats
    across_x: Floats
    across_y: Floats
    search: Floats  # how far across to look (points)


def refine(
    pixels: Pixels, transform: PageTransform, cells: list[Rect], anchor: Point
) -> PageTransform:
    """``transform`` fitted to the rules around ``cells`` as the scan shows them; unchanged
    when too few of them can be found (a light scan, a sheet without rules). ``anchor``: the
    page point the transform is surest of (the code's centre), which a turn turns about."""
    if not cells:
        return transform
    # first only the turn, from the two long vertical rules (no other rule is near them), so
    # that the rows at the foot of the table come within reach of their own rules
    for search_factor, turn_only in ((1.0, True), (1.0, False), (0.4, False)):
        samples = _rule_samples(cells, search_factor, vertical_only=turn_only)
        found = _find_rules(pixels, transform, samples, anchor if turn_only else None)
        if found is None:
            return transform
        transform = found
    return transform


def _rule_samples(cells: list[Rect], search_factor: float, *, vertical_only: bool) -> _Samples:
    left = min(c[0] for c in cells)
    right = max(c[0] + c[2] for c in cells)
    top = max(c[1] + c[3] for c in cells)
    bottom = min(c[1] for c in cells)
    xs: list[Floats] = []
    ys: list[Floats] = []
    ax: list[Floats] = []
    ay: list[Floats] = []
    search: list[Floats] = []

    def add(x: Floats, y: Floats, across: tuple[float, float], reach: float) -> None:
        xs.append(x)
        ys.append(y)
        ax.append(np.full(len(x), across[0]))
        ay.append(np.full(len(x), across[1]))
        search.append(np.full(len(x), reach * search_factor))

    along = np.arange(bottom + RULE_STEP_PT, top - RULE_STEP_PT / 2, RULE_STEP_PT)
    for x in (left, right):
        add(np.full(len(along), x), along, (1.0, 0.0), VERTICAL_SEARCH_PT)
    across = np.arange(left + 2 * RULE_STEP_PT, right - RULE_STEP_PT, 2 * RULE_STEP_PT)
    for y in [] if vertical_only else sorted({c[1] for c in cells} | {c[1] + c[3] for c in cells}):
        add(across, np.full(len(across), y), (0.0, 1.0), HORIZONTAL_SEARCH_PT)
    return _Samples(*(np.concatenate(v) for v in (xs, ys, ax, ay, search)))


def _find_rules(
    pixels: Pixels, transform: PageTransform, s: _Samples, turn_about: Point | None
) -> PageTransform | None:
    """Looks across each sample point for the darkest line within its reach; fits the
    transform to the points found (twice, the second time without the outliers)."""
    scale = transform.scale
    reach_px = int(np.ceil(float(s.search.max()) * scale))
    offsets = np.arange(-reach_px, reach_px + 1, dtype=float) / scale  # in points
    along = np.linspace(-RULE_AVERAGE_PT, RULE_AVERAGE_PT, 11)
    # sample × point along the rule × offset across it: a rule is dark all along, a stroke
    # of handwriting or a letter only at one place
    px = (
        s.x[:, None, None]
        + s.across_x[:, None, None] * offsets
        + s.across_y[:, None, None] * along[:, None]
    )
    py = (
        s.y[:, None, None]
        + s.across_y[:, None, None] * offsets
        + s.across_x[:, None, None] * along[:, None]
    )
    u, v = transform.apply(px, py)
    profiles = _bilinear(pixels, u - 0.5, v - 0.5).mean(axis=1)
    profiles[np.abs(offsets)[None, :] > s.search[:, None]] = 255.0
    darkest = profiles.argmin(axis=1)
    depth = np.median(profiles, axis=1) - profiles[np.arange(len(darkest)), darkest]
    found = depth >= RULE_CONTRAST
    if found.sum() < MIN_SAMPLES:
        return None
    shift = offsets[darkest]  # points across the rule from where the transform puts it
    keep = found
    correction = None
    for _ in range(2):
        correction = _fit(s, shift, keep, turn_about)
        if correction is None:
            return None
        residual = np.abs(_predict(correction, s) - shift)
        keep = found & (residual <= OUTLIER_PT)
        if keep.sum() < MIN_SAMPLES:
            return None
    assert correction is not None
    return _compose(transform, correction)


Correction = tuple[float, float, float, float, float, float]  # page → page: x' = x + p·(x, y, 1)


def _design(s: _Samples) -> Floats:
    """Rows: how each of the six correction parameters moves a sample across its rule."""
    return np.column_stack(
        [
            s.across_x * s.x,
            s.across_x * s.y,
            s.across_x,
            s.across_y * s.x,
            s.across_y * s.y,
            s.across_y,
        ]
    )


def _fit(
    s: _Samples, shift: Floats, keep: npt.NDArray[np.bool_], turn_about: Point | None
) -> Correction | None:
    """The correction that best explains the shifts found: any affine one, or a turn by θ
    about ``turn_about`` (x0, y0) with a stretch c0 and a shift c2 across:
    x' = x + c0·(x − x0) − θ·(y − y0) + c2, y' = y + θ·(x − x0)."""
    design = _design(s)[keep]
    if turn_about is not None:
        x0, y0 = turn_about
        ax, ay, x, y = s.across_x[keep], s.across_y[keep], s.x[keep], s.y[keep]
        design = np.column_stack([ax * (x - x0), ay * (x - x0) - ax * (y - y0), ax])
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return None
    solution, *_ = np.linalg.lstsq(design, shift[keep], rcond=None)
    p = [float(v) for v in solution]
    if turn_about is None:
        return tuple(p)  # type: ignore[return-value]
    c0, turn, c2 = p
    return (c0, -turn, c2 - c0 * x0 + turn * y0, turn, 0.0, -turn * x0)


def _predict(c: Correction, s: _Samples) -> Floats:
    result: Floats = _design(s) @ np.array(c)
    return result


def _compose(t: PageTransform, c: Correction) -> PageTransform:
    """``t`` applied after the page correction x' = x + c0·x + c1·y + c2, y' = y + c3·x + …"""
    m = np.array([[1 + c[0], c[1], c[2]], [c[3], 1 + c[4], c[5]], [0, 0, 1]])
    outer = np.array([[t.a, t.b, t.c], [t.d, t.e, t.f], [0, 0, 1]]) @ m
    (a, b, cc), (d, e, f) = outer[:2].tolist()
    return PageTransform(a, b, cc, d, e, f)
