"""The page's own code is found among other codes, and none is made up."""

from __future__ import annotations

import numpy as np
import zxingcpp

from apk_desktop.domain.sheet_code import SheetCode
from apk_desktop.scans.codes import find_code


def code_image(text: str) -> np.ndarray:
    """The code with its quiet zone, 7 px a module."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode)
    return np.asarray(zxingcpp.write_barcode_to_image(code, scale=7))


def page_with(*texts: str) -> np.ndarray:
    page = np.full((1200, 900), 255, dtype=np.uint8)
    for index, text in enumerate(texts):
        code = code_image(text)
        h, w = code.shape
        page[100 + index * 400 : 100 + index * 400 + h, 300 : 300 + w] = code
    return page


def test_the_sheets_code_is_read_beside_another_qr_code() -> None:
    ours = SheetCode("SUP-3", 8, 2).encode()
    found = find_code(page_with("https://www.esfcr.cz/", ours))
    assert found is not None and found.code == SheetCode("SUP-3", 8, 2)
    (left, top), _, (right, bottom), _ = found.corners
    # the symbol without its quiet zone (4 modules of 7 px) at (300, 500)
    assert (left, top, right, bottom) == (328, 528, 475, 675)


def test_a_page_without_our_code_has_none() -> None:
    assert find_code(page_with("https://www.esfcr.cz/")) is None
    assert find_code(page_with()) is None


def test_corners_follow_the_code_when_the_page_is_turned() -> None:
    page = page_with(SheetCode("PL-1", 1, 1).encode())
    upright = find_code(page)
    turned = find_code(np.ascontiguousarray(np.rot90(page, 2)))
    assert upright is not None and turned is not None
    height, width = page.shape
    for (ux, uy), (tx, ty) in zip(upright.corners, turned.corners, strict=True):
        assert abs(tx - (width - ux)) <= 2 and abs(ty - (height - uy)) <= 2
