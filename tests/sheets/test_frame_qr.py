"""Every page of every sheet carries a QR code of its sheet, record and page that decodes from a
greyscale scan at 150 and 300 dpi (rendered with pdfium, read with zxing-cpp), and never
touches the header text or the story."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from apk_desktop.domain.sheet_code import SheetCode, decode
from apk_desktop.sheets.base import HEADER_TOP, MARGIN, SheetHeader, SheetInfo, build_sheets
from apk_desktop.sheets.header_geometry import QR_SIZE, QUIET_ZONE_MAX
from apk_desktop.sheets.page_code import draw_page_code
from apk_desktop.sheets.parts import grid_table, para, title

QR = zxingcpp.BarcodeFormat.QRCode
HEADER = SheetHeader(
    beneficiary="Statutární město Sokolov, Městská policie " * 7,
    project_name="Asistenti prevence kriminality v sociálně vyloučených lokalitách " * 4,
    registration_number="CZ.03.02.01/00/22_018/0000388",
)


def _sheets(wide: bool = False) -> tuple[bytes, list[SheetCode]]:
    """Two sheets (of 3 pages and 1 page) in one PDF, and each page's expected code."""
    rows = [[str(i), f"Účastník {i}", ""] for i in range(1, 70)]
    table = grid_table(["Č.", "Jméno", "Podpis"], rows, [10 * mm, 80 * mm, 80 * mm])
    long_sheet = [title("Dlouhý list"), table]
    short_sheet = [title("Krátký list"), para("Text " * 400)]
    sheets = [
        (SheetInfo("PL-12", 12, "Prezenční listina · 12.03.2026 · Téma"), long_sheet),
        (SheetInfo("IDP-2-v1", None), short_sheet),
    ]
    built = build_sheets(HEADER, sheets, title="Listy", wide=wide)
    expected = [
        SheetCode(layout.sheet_id, layout.record_id, page)
        for layout in built.layouts
        for page in range(1, layout.page_count + 1)
    ]
    assert [layout.page_count > 1 for layout in built.layouts] == [True, False]
    return built.pdf, expected


def _scan(pdf: bytes, dpi: int) -> list[np.ndarray]:
    document = pdfium.PdfDocument(pdf)
    images = [page.render(scale=dpi / 72, grayscale=True).to_numpy().squeeze() for page in document]
    document.close()
    return images


def _codes(image: np.ndarray) -> list[SheetCode | None]:
    return [decode(found.text) for found in zxingcpp.read_barcodes(image, formats=QR)]


def _blurred(image: np.ndarray, noise: float = 18) -> np.ndarray:
    """A poor scanner: 3 × 3 blur, noise, grey paper and ink that is not black."""
    padded = np.pad(image.astype(np.float32), 1, mode="edge")
    h, w = image.shape
    blur = sum(padded[y : y + h, x : x + w] for y in range(3) for x in range(3)) / 9
    grain = np.random.default_rng(7).normal(0, noise, image.shape)
    scanned = 60 + blur * (215 - 60) / 255 + grain
    return np.clip(scanned, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("dpi", [150, 300])
def test_each_page_has_its_code_in_a_greyscale_scan(dpi: int) -> None:
    pdf, pages = _sheets()
    for image, expected in zip(_scan(pdf, dpi), pages, strict=True):
        assert _codes(image) == [expected]


def test_code_survives_a_blurred_noisy_150_dpi_scan() -> None:
    pdf, pages = _sheets(wide=True)
    for image, expected in zip(_scan(pdf, 150), pages, strict=True):
        assert _codes(_blurred(image)) == [expected]


def test_code_keeps_clear_of_all_text() -> None:
    pdf, _ = _sheets()
    document = pdfium.PdfDocument(pdf)
    for page in document:
        width, height = page.get_size()
        quiet = QUIET_ZONE_MAX
        left, right = width - MARGIN - QR_SIZE - quiet, width - MARGIN + quiet
        top, bottom = height - HEADER_TOP + quiet, height - HEADER_TOP - QR_SIZE - quiet
        text = page.get_textpage()
        for index in range(text.count_chars()):
            x0, y0, x1, y1 = text.get_charbox(index)
            if x1 - x0 > 0:  # spaces and line breaks have no box
                assert x1 <= left or x0 >= right or y0 >= top or y1 <= bottom
    document.close()


def test_many_payloads_decode_with_the_fixed_mask() -> None:
    """The code always uses one mask pattern (choosing the best costs 10 ms a page): codes of
    many kinds of sheet, record and page still read from a blurred 150 dpi scan."""
    kinds = ["PL", "SUP", "MEN", "IDP", "PRG", "SUP-3-důvěrné"]
    payloads = [
        SheetCode(
            f"{kinds[n % 6]}-{n * 37}" + ("-v2" if n % 4 == 0 else ""), n * 991 or None, n
        ).encode()
        for n in range(48)
    ]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for index, payload in enumerate(payloads):
        x, y = 20 * mm + (index % 6) * 30 * mm, 20 * mm + (index // 6) * 32 * mm
        draw_page_code(canvas, payload, x, y)
    canvas.save()
    (image,) = _scan(buffer.getvalue(), 150)
    scan = _blurred(image, noise=10)
    found = sorted(code.text for code in zxingcpp.read_barcodes(scan, formats=QR))
    assert found == sorted(payloads)


def test_stored_code_rectangle_is_where_the_code_is_printed() -> None:
    rows = [[str(i), f"Účastník {i}", ""] for i in range(1, 70)]
    story = [grid_table(["Č.", "Jméno", "Podpis"], rows, [10 * mm, 80 * mm, 80 * mm])]
    built = build_sheets(HEADER, [(SheetInfo("PL-3", 3), story)], title="List", wide=True)
    (layout,) = built.layouts
    assert layout.code_rect is not None
    x, y, width, height = layout.code_rect
    scale = 300 / 72
    for image in _scan(built.pdf, 300):
        (code,) = zxingcpp.read_barcodes(image, formats=QR)
        corners = [code.position.top_left, code.position.bottom_right]
        page_height = image.shape[0] / scale
        printed = [(point.x / scale, page_height - point.y / scale) for point in corners]
        assert printed[0] == pytest.approx((x, y + height), abs=1)
        assert printed[1] == pytest.approx((x + width, y), abs=1)
