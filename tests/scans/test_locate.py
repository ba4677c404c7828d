"""The printed page located on the scan: from the code's corners, then fitted to the table."""

from __future__ import annotations

import math

import numpy as np
import pytest

from apk_desktop.scans.locate import PageTransform, page_transform, refine
from tests.scans.conftest import Printed
from tests.scans.scan_factory import Scanner, page_image, scan

HEIGHT = 841.89  # A4, points


def test_the_transform_from_the_codes_corners() -> None:
    # a code printed at (500, 700), 50 pt wide, scanned at 2 px/pt upside down
    corners = ((1100.0, 600.0), (1000.0, 600.0), (1000.0, 700.0), (1100.0, 700.0))
    t = page_transform(corners, (500, 700, 50, 50))
    assert math.isclose(t.scale, 2) and math.isclose(abs(t.rotation), 180)
    assert t.quarter_turns == 2
    u, v = t.apply(np.array([500.0]), np.array([700.0]))
    assert (round(float(u[0])), round(float(v[0]))) == (1100, 700)


def _turned(t: PageTransform, degrees: float, centre: tuple[float, float]) -> PageTransform:
    """``t`` followed by a turn of the image about ``centre`` (a code read a little askew)."""
    r = math.radians(degrees)
    cos, sin = math.cos(r), math.sin(r)
    cu, cv = centre
    m = np.array([[cos, -sin, cu - cos * cu + sin * cv], [sin, cos, cv - sin * cu - cos * cv]])
    outer = m @ np.array([[t.a, t.b, t.c], [t.d, t.e, t.f], [0, 0, 1]])
    (a, b, c), (d, e, f) = outer.tolist()
    return PageTransform(a, b, c, d, e, f)


@pytest.mark.parametrize("degrees", [1.2, -2.0])
def test_a_code_read_askew_is_corrected_on_the_table(printed: Printed, degrees: float) -> None:
    scanner = Scanner(dpi=150, noise=4, jpeg_quality=75)
    sheet = printed.page("PL-1")
    image = page_image(scan(sheet, scanner), scanner.dpi)
    s = 150 / 72
    exact = PageTransform(s, 0, 0, 0, -s, HEIGHT * s)
    code = sheet.layout.code_rect
    assert code is not None
    askew = _turned(
        exact, degrees, ((code[0] + code[2] / 2) * s, (HEIGHT - code[1] - code[3] / 2) * s)
    )
    cells = [(c.x, c.y, c.width, c.height) for c in sheet.cells]
    fitted = refine(
        image.pixels, askew, cells, anchor=(code[0] + code[2] / 2, code[1] + code[3] / 2)
    )

    def error(t: PageTransform) -> float:
        return max(
            math.dist(p, q)
            for cell in cells
            for p, q in zip(t.corners(cell), exact.corners(cell), strict=True)
        )

    assert error(askew) > 10  # px: a row at the foot of the table would be read half off
    assert error(fitted) < 1.5
