"""The logolink check (no Qt): is a chosen image a logolink that prints legibly?"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.units import mm

from apk_desktop.sheets.logolink import (
    LOGO_HEIGHT,
    NOT_AN_IMAGE,
    check_logolink,
    logo_size,
    publicity_notice,
)


def _image(folder: Path, size: tuple[int, int], mode: str = "RGB", name: str = "l.png") -> Path:
    path = folder / name
    Image.new(mode, size).save(path)
    return path


def test_a_wide_colour_logolink_passes_and_says_how_it_prints(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (2400, 400)))
    assert check.ok and check.usable
    assert check.printed is not None and not check.printed.monochrome
    assert round(check.printed.width_mm) == 84 and round(check.printed.height_mm) == 14
    assert check.printed.describe() == (
        "barevný, 2400 × 400\u00a0px; na listině 84 × 14\u00a0mm (2857\u00a0px na 10\u00a0cm)"
    )
    assert publicity_notice(check) == ""


def test_a_monochrome_logolink_is_accepted(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (1600, 200), mode="1"))
    assert check.ok
    assert check.printed is not None and check.printed.monochrome


@pytest.mark.parametrize(
    ("mode", "name", "monochrome"),
    [
        ("1", "l.png", True),
        ("L", "l.png", True),
        ("LA", "l.png", True),
        ("P", "l.png", True),  # the default palette here is black: greys only
        ("RGB", "l.png", False),
        ("RGBA", "l.png", False),
        ("L", "l.jpg", True),
        ("RGB", "l.jpg", False),
        ("CMYK", "l.jpg", False),
    ],
)
def test_every_ordinary_colour_mode_is_accepted(
    tmp_path: Path, mode: str, name: str, monochrome: bool
) -> None:
    check = check_logolink(_image(tmp_path, (1600, 200), mode=mode, name=name))
    assert check.ok, check.warnings
    assert check.printed is not None and check.printed.monochrome is monochrome


def test_a_colour_palette_is_colour(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    Image.new("RGB", (1600, 200), (0, 51, 153)).convert("P").save(path)
    check = check_logolink(path)
    assert check.printed is not None and not check.printed.monochrome


def test_an_unusual_mode_prints_with_a_warning(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (1600, 200), mode="I;16"))
    assert check.usable
    assert len(check.warnings) == 1 and "neobvyklý barevný režim (I;16)" in check.warnings[0]


def test_too_few_pixels_for_the_printed_width_warns(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (200, 30)))
    assert check.usable and not check.ok  # a warning, not a refusal
    assert check.printed is not None and round(check.printed.width_mm) == 93
    (warning,) = check.warnings
    assert "málo pixelů" in warning and "214\u00a0px na 10\u00a0cm" in warning
    assert warning in publicity_notice(check)
    assert "možná nesplní pravidla publicity EU" in publicity_notice(check)


@pytest.mark.parametrize(("height", "warns"), [(42, False), (41, True)])
def test_about_300_pixels_per_printed_10_cm_is_enough(
    tmp_path: Path, height: int, warns: bool
) -> None:
    """14 mm tall: 42 px make 300 px per 10 cm (an image 300 px wide prints 100 mm)."""
    check = check_logolink(_image(tmp_path, (300, height)))
    assert any("málo pixelů" in w for w in check.warnings) is warns


def test_the_printed_width_is_capped_at_the_headers_logo_column(tmp_path: Path) -> None:
    """A long strip shrinks to the room left of the QR code on a portrait sheet (154 mm):
    fewer millimetres, more pixels per 10 cm – as the frame prints it."""
    check = check_logolink(_image(tmp_path, (4000, 250)))
    assert check.ok
    assert check.printed is not None and round(check.printed.width_mm) == 154
    assert round(check.printed.pixels_per_10cm) == 2594


def test_a_square_image_is_probably_not_a_logolink(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (500, 500)))
    assert check.usable  # gentle: it may print
    (warning,) = check.warnings
    assert "není široký pruh" in warning and "14\u00a0mm" in warning
    assert "Spolufinancováno Evropskou unií" in warning


def test_a_tall_image_is_probably_not_a_logolink(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (600, 900)))
    assert check.usable and any("není široký pruh" in w for w in check.warnings)


def test_a_very_long_strip_would_print_too_low(tmp_path: Path) -> None:
    check = check_logolink(_image(tmp_path, (5000, 100)))
    assert check.usable
    (warning,) = check.warnings
    assert "velmi dlouhý pruh" in warning and "3\u00a0mm vysoký" in warning


def test_a_damaged_image_is_refused(tmp_path: Path) -> None:
    good = _image(tmp_path, (2400, 400), name="good.png").read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(good[: len(good) // 2])  # the header reads, the pixels do not
    check = check_logolink(path)
    assert not check.usable and check.printed is None
    assert check.error == "Obrázek je poškozený a nelze ho přečíst. Stáhněte logolink znovu."


@pytest.mark.parametrize("content", [b"not an image", b"GIF89a"])
def test_a_file_that_is_not_png_or_jpg_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(content)
    assert check_logolink(path).error == NOT_AN_IMAGE


def test_a_gif_named_png_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.new("RGB", (2400, 400)).save(path, format="GIF")
    assert check_logolink(path).error == NOT_AN_IMAGE


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gone.png"
    check = check_logolink(path)
    assert not check.usable and check.error == f"Soubor „{path}“ nebyl nalezen."
    assert publicity_notice(check).startswith(f"Logolink nelze vytisknout: {check.error}")


def test_without_a_logolink_the_notice_names_the_rules_and_the_fix() -> None:
    notice = publicity_notice(None)
    assert "nesplňují pravidla publicity EU" in notice
    assert "nařízení (EU) 2021/1060, čl. 50 a příloha IX" in notice
    assert "znak EU s vypsaným textem „Spolufinancováno Evropskou unií“" in notice
    assert "tiskne jen tento text" in notice
    assert "logolink programu OP Zaměstnanost plus" in notice and "v Nastavení" in notice


def test_logo_size_keeps_its_height_until_the_width_runs_out() -> None:
    assert logo_size(1000, 200, 180 * mm) == (pytest.approx(70 * mm), LOGO_HEIGHT)
    width, height = logo_size(4000, 200, 180 * mm)
    assert width == 180 * mm and height == pytest.approx(9 * mm)


def test_a_replaced_file_is_checked_again(tmp_path: Path) -> None:
    """The check is remembered per file version: the dashboard asks on every refresh."""
    path = _image(tmp_path, (2400, 400))
    assert check_logolink(path).ok
    _image(tmp_path, (200, 30))  # the same name, another picture
    assert not check_logolink(path).ok


def test_a_folder_is_not_an_image(tmp_path: Path) -> None:
    assert check_logolink(tmp_path).error == f"„{tmp_path}“ je složka, ne obrázek."
