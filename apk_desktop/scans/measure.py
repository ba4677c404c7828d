"""How much handwriting a signature cell holds, and whether that makes it signed.

The cell is read upright at a fixed resolution (``locate.cell_image``, ``SCALE``) with some of
its surroundings. Ink is what is darker than its close surroundings by ``INK_CONTRAST`` (a
black top-hat: pen strokes are thin, while a coffee stain, a shadow or tinted paper is wide, and
so is not ink). The printed rules around the cell are found where they are (a scan is never
placed to the pixel) and left out with a margin inside them; any long straight line left over
(a rule out of place) is masked too. The ink's share of the cell's inside is the same at any
dpi."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from apk_desktop.scans.locate import CellImage, Floats

Mask = npt.NDArray[np.bool_]

SCALE = 2.0  # pixels per point the cells are read at (144 dpi: a 0.2 mm stroke is 1.1 px)
STROKE_MAX_PT = 2.5  # strokes up to this wide count as ink (a felt pen is ~1 mm = 2.8 pt)

# Set from benchmarks/scan_accuracy.py --ink; see its docstring for the runs. INK_CONTRAST:
# at 40 a faint scrawl in a coffee stain read 0.0017, at 25–30 0.0049 (empty cells alike at
# all three; at 60 faint signatures read 0). Empty cells: 99.9 % at or below 0.0001, the rest
# up to 0.0057 (a neighbour's long descender reaching into the row). Signed cells: a few from
# 0.0008 (initials, faint, at the rule), 1 % below 0.0065, 5 % below 0.014. Between the sure
# thresholds a row is proposed but left unsure for the mentor.
INK_CONTRAST = 30.0  # grey levels a stroke is darker than what is around it
SIGNED_INK = 0.003  # share of the cell's inside: at or above = signed
SURE_EMPTY_INK = 0.0005  # at or below: empty, sure (5 × what nearly every empty cell reads)
SURE_SIGNED_INK = 0.012  # at or above: signed, sure (2 × the most any empty cell read)

RULE_SEARCH_PT = 7.0  # how far from where the layout puts a rule it is looked for
RULE_FILL = 0.5  # a row (column) this dark along the cell is a printed rule
# left out inside the rules: their blur, and at the top and bottom the tails of the
# neighbours' signatures that cross into the row
SIDE_MARGIN_PT = 2.0
TOP_BOTTOM_MARGIN_PT = 6.0  # 2.1 mm: how far the benchmark's tails reach into a row


@dataclass(frozen=True)
class Ink:
    ratio: float  # share of the cell's inside that is ink, 0–1
    signed: bool
    confidence: float  # 0.5 (a coin toss) – 1 (sure)
    sure: bool


def measure(cell: CellImage) -> float:
    """The share of the cell's inside that is ink."""
    dark = _strokes(cell.pixels, max(1, round(STROKE_MAX_PT * cell.scale))) > INK_CONTRAST
    top, bottom, left, right = _inside(dark, cell)
    if bottom - top < 2 or right - left < 2:
        return 0.0
    inside = _without_long_lines(dark[top:bottom, left:right])
    return float(_without_specks(inside).sum()) / inside.size


def classify(ratio: float) -> Ink:
    signed = ratio >= SIGNED_INK
    if signed:
        distance = (ratio - SIGNED_INK) / (SURE_SIGNED_INK - SIGNED_INK)
        sure = ratio >= SURE_SIGNED_INK
    else:
        distance = (SIGNED_INK - ratio) / (SIGNED_INK - SURE_EMPTY_INK)
        sure = ratio <= SURE_EMPTY_INK
    return Ink(ratio, signed, 0.5 + 0.5 * min(1.0, distance), sure)


def _strokes(pixels: Floats, width: int) -> Floats:
    """How much darker each pixel is than its surroundings once every dark feature up to
    ``width`` pixels wide is closed over (grey closing minus the image)."""
    closed = _filter(_filter(pixels, width, np.maximum), width, np.minimum)
    return closed - pixels


def _filter(pixels: Floats, width: int, pick: np.ufunc) -> Floats:
    """A ``width`` × ``width`` maximum or minimum filter (separable; edges repeated)."""
    before = width // 2
    after = width - 1 - before
    result = pixels
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (before, after)
        padded = np.pad(result, pad, mode="edge")
        size = result.shape[axis]
        out = padded.take(range(0, size), axis=axis)
        for shift in range(1, width):
            out = pick(out, padded.take(range(shift, shift + size), axis=axis))
        result = out
    return result


def _inside(dark: Mask, cell: CellImage) -> tuple[int, int, int, int]:
    """Rows top:bottom and columns left:right inside the cell's rules and the margin."""
    m = cell.margin
    rows, cols = dark.shape
    search = round(RULE_SEARCH_PT * cell.scale)
    side = max(1, round(SIDE_MARGIN_PT * cell.scale))
    pad = max(1, round(TOP_BOTTOM_MARGIN_PT * cell.scale))
    row_fill = dark[:, m : cols - m].mean(axis=1)
    col_fill = dark[m : rows - m, :].mean(axis=0)
    top = _rule(row_fill, m, search, after=True) + pad
    bottom = _rule(row_fill, rows - m, search, after=False) - pad
    left = _rule(col_fill, m, search, after=True) + side
    right = _rule(col_fill, cols - m, search, after=False) - side
    return top, bottom, left, right


def _rule(fill: Floats, expected: int, search: int, *, after: bool) -> int:
    """Where the cell's inside begins (``after``: past a rule at ``expected``) or ends (before
    it): the rule nearest to where the layout puts it, or that place when none is found."""
    lo, hi = max(0, expected - search), min(len(fill), expected + search)
    lines = np.flatnonzero(fill[lo:hi] >= RULE_FILL) + lo
    if not len(lines):
        return expected
    edge = int(lines[np.argmin(np.abs(lines - expected))])
    step = 1 if after else -1
    while 0 <= edge + step < len(fill) and fill[edge + step] >= RULE_FILL:
        edge += step  # to the rule's far side (it is a few pixels thick)
    return edge + 1 if after else edge


def _without_long_lines(dark: Mask) -> Mask:
    """The ink with any row or column that is dark across most of the cell left out."""
    rows = dark.mean(axis=1) >= RULE_FILL
    cols = dark.mean(axis=0) >= RULE_FILL
    if rows.any() or cols.any():
        dark = dark.copy()
        dark[rows, :] = False
        dark[:, cols] = False
    return dark


def _without_specks(dark: Mask) -> Mask:
    """Ink pixels with at least two inked neighbours (scanner noise and dust are single)."""
    padded = np.pad(dark, 1).astype(np.uint8)
    rows, cols = dark.shape
    neighbours = sum(
        padded[1 + dy : 1 + dy + rows, 1 + dx : 1 + dx + cols]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
        if dy or dx
    )
    return dark & (neighbours >= 2)
