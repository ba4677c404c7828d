"""The QR code of a scanned page: its payload (``domain.sheet_code``) and where it sits on the
image. zxing-cpp finds a code in any orientation (a page scanned sideways or upside down) and
reports its corners in the code's own orientation, so they also tell how the page lies."""

from __future__ import annotations

import math
from dataclasses import dataclass

import zxingcpp

from apk_desktop.domain.sheet_code import SheetCode, decode
from apk_desktop.scans.pages import Pixels

Point = tuple[float, float]


@dataclass(frozen=True)
class FoundCode:
    code: SheetCode
    # the symbol's outer corners (its quiet zone excluded) in image pixels (x right, y down):
    # top left, top right, bottom right, bottom left as printed
    corners: tuple[Point, Point, Point, Point]

    @property
    def rotation(self) -> float:
        """Degrees the code (and so its page) is turned clockwise on the image, (-180, 180]."""
        (x0, y0), (x1, y1) = self.corners[:2]
        return math.degrees(math.atan2(y1 - y0, x1 - x0))


def find_code(pixels: Pixels) -> FoundCode | None:
    """The page's code, or None when no code of ours can be read (missing, smudged, cut off).
    A second try with a global threshold reads codes the default local one loses on noisy or
    unevenly lit scans."""
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
        for result in zxingcpp.read_barcodes(
            pixels,
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
            binarizer=binarizer,
        ):
            code = decode(result.text)
            if code is not None:
                p = result.position
                return FoundCode(
                    code,
                    (
                        _point(p.top_left),
                        _point(p.top_right),
                        _point(p.bottom_right),
                        _point(p.bottom_left),
                    ),
                )
    return None


def _point(point: zxingcpp.Point) -> Point:
    return float(point.x), float(point.y)
