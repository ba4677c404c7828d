"""Ink in a signature cell: strokes count, the printed rules and wide stains do not."""

from __future__ import annotations

import numpy as np

from apk_desktop.scans.locate import CellImage
from apk_desktop.scans.measure import (
    SIGNED_INK,
    SURE_EMPTY_INK,
    SURE_SIGNED_INK,
    classify,
    measure,
)

SCALE = 2.0
MARGIN = 16  # px around the cell
ROWS, COLS = 28 * 2, 176 * 2  # a 10 mm × 62 mm cell


def cell(rule_shift: int = 0) -> np.ndarray:
    """A blank cell on paper with its four rules (2 px, grey as printed), ``rule_shift`` px
    off where the layout puts them."""
    pixels = np.full((ROWS + 2 * MARGIN, COLS + 2 * MARGIN), 240.0)
    top, left = MARGIN + rule_shift, MARGIN + rule_shift
    for r in (top, top + ROWS):
        pixels[r - 1 : r + 1, :] = 70
    for c in (left, left + COLS):
        pixels[:, c - 1 : c + 1] = 70
    return pixels


def ink(pixels: np.ndarray) -> float:
    return measure(CellImage(pixels, MARGIN, SCALE))


def test_the_printed_rules_are_not_ink_even_when_the_scan_is_off() -> None:
    assert ink(cell()) == 0
    assert ink(cell(rule_shift=5)) == 0  # 2.5 pt: as far as a located scan may be off
    assert ink(cell(rule_shift=-5)) == 0


def test_a_stroke_is_ink_and_a_wide_stain_is_not() -> None:
    stained = cell()
    stained[MARGIN + 10 : MARGIN + 40, MARGIN + 50 : MARGIN + 200] = 190  # a coffee stain
    assert ink(stained) == 0
    signed = stained.copy()
    signed[MARGIN + 26 : MARGIN + 29, MARGIN + 40 : MARGIN + 140] = 40  # a pen line, 1.5 pt
    assert ink(signed) >= SURE_SIGNED_INK


def test_lone_specks_are_noise() -> None:
    speckled = cell()
    rng = np.random.default_rng(1)
    rows = rng.integers(MARGIN + 10, MARGIN + ROWS - 10, 40)
    cols = rng.integers(MARGIN + 10, MARGIN + COLS - 10, 40)
    speckled[rows, cols] = 30
    assert ink(speckled) == 0


def test_confidence_grows_away_from_the_threshold() -> None:
    assert classify(0).sure and not classify(0).signed and classify(0).confidence == 1
    at = classify(SIGNED_INK)
    assert at.signed and not at.sure and at.confidence == 0.5
    assert not classify(SURE_EMPTY_INK * 1.5).sure
    assert classify(SURE_SIGNED_INK).sure and classify(SURE_SIGNED_INK).confidence == 1
    ratios = np.linspace(SIGNED_INK, SURE_SIGNED_INK, 5)
    confidences = [classify(float(r)).confidence for r in ratios]
    assert confidences == sorted(confidences)
