"""A scanned stack split into page images: PDF pages at the scan's own resolution, every frame
of a TIFF, single JPG/PNG images, whole folders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from apk_desktop.scans.pages import UnreadableFileError, iter_pages, scan_files

A4_150 = (1240, 1754)  # A4 at 150 dpi


def grey_page(shade: int, size: tuple[int, int] = A4_150) -> Image.Image:
    return Image.new("L", size, shade)


def scanner_pdf(path: Path, images: list[Image.Image], dpi: float) -> None:
    """A PDF as a scanner writes it: one image filling each page."""
    canvas = Canvas(str(path))
    for image in images:
        width, height = (v * 72 / dpi for v in image.size)
        canvas.setPageSize((width, height))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        from reportlab.lib.utils import ImageReader

        canvas.drawImage(ImageReader(buffer), 0, 0, width, height)
        canvas.showPage()
    canvas.save()


def test_a_scanned_pdf_is_rendered_at_its_images_resolution(tmp_path: Path) -> None:
    path = tmp_path / "sken.pdf"
    scanner_pdf(path, [grey_page(200), grey_page(100)], dpi=150)
    pages = list(iter_pages([path]))
    assert [(p.source, p.number) for p in pages] == [("sken.pdf", 1), ("sken.pdf", 2)]
    assert [round(p.dpi) for p in pages] == [150, 150]
    height, width = pages[0].pixels.shape
    assert abs(height - 1754) <= 1 and abs(width - 1240) <= 1
    assert pages[0].pixels.dtype.name == "uint8"
    assert abs(int(pages[0].pixels[500, 500]) - 200) <= 2
    assert abs(int(pages[1].pixels[500, 500]) - 100) <= 2


def test_a_pdf_scanned_at_600_dpi_is_read_at_300_and_a_printed_one_at_200(tmp_path: Path) -> None:
    fine = tmp_path / "fine.pdf"
    scanner_pdf(fine, [grey_page(255, (2480, 3508))], dpi=600)
    assert [round(p.dpi) for p in iter_pages([fine])] == [300]
    printed = tmp_path / "printed.pdf"
    canvas = Canvas(str(printed))
    canvas.drawString(100, 700, "Prezenční listina")
    canvas.save()
    (page,) = iter_pages([printed])
    height, width = page.pixels.shape
    assert (
        page.dpi == 200
        and abs(height - 841.9 / 72 * 200) < 1.5
        and abs(width - 595.3 / 72 * 200) < 1.5
    )


def test_every_frame_of_a_tiff_and_the_colour_of_a_jpeg(tmp_path: Path) -> None:
    tiff = tmp_path / "stoh.tiff"
    frames = [grey_page(v) for v in (10, 128, 250)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:], dpi=(300, 300))
    pages = list(iter_pages([tiff]))
    assert [int(p.pixels[0, 0]) for p in pages] == [10, 128, 250]
    assert [p.number for p in pages] == [1, 2, 3] and {p.dpi for p in pages} == {300}
    jpeg = tmp_path / "foto.jpg"
    Image.new("RGB", A4_150, (200, 30, 30)).save(jpeg, quality=95)  # no dpi stated
    (page,) = iter_pages([jpeg])
    assert page.pixels.ndim == 2 and abs(int(page.pixels[9, 9]) - 78) <= 3  # its luminance
    assert abs(page.dpi - 150) < 1  # an A4 page of this size


def test_a_folder_gives_its_scans_in_name_order(tmp_path: Path) -> None:
    for name in ("b.png", "a.jpg", "poznamky.txt", "c.PDF"):
        (tmp_path / name).touch()
    (tmp_path / "podslozka").mkdir()
    assert [p.name for p in scan_files([tmp_path])] == ["a.jpg", "b.png", "c.PDF"]


@pytest.mark.parametrize("name", ["rozbity.pdf", "rozbity.png"])
def test_a_damaged_file_is_named(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"not a scan")
    with pytest.raises(UnreadableFileError, match=name):
        list(iter_pages([path]))
