"""The official EU/OPZ+ "logolink" image the beneficiary supplies: how large it is printed,
and whether a chosen image will print as the EU publicity rules ask.

Regulation (EU) 2021/1060, Art. 50 and Annex IX: documents for participants carry the EU
emblem with "Spolufinancováno Evropskou unií" written out beside it, the emblem first. The
beneficiary downloads that strip (the logolink) and the sheets print it as it is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from apk_desktop.sheets.header_geometry import CODE_COLUMN, PORTRAIT_TEXT_WIDTH, mm

if TYPE_CHECKING:
    from PIL import Image

LOGO_HEIGHT = 14 * mm  # printed height of the logolink (the EU emblem's line on every sheet)
# the logo's column in the header of an A4 portrait sheet (the narrowest): left of the QR code
MAX_PRINT_WIDTH = PORTRAIT_TEXT_WIDTH - CODE_COLUMN
MIN_PIXELS_PER_10CM = 300  # fewer, and the statement's small letters print blurred
MIN_PRINTED_HEIGHT_MM = 9  # a longer strip shrinks to fit the width, and its text with it
MIN_ASPECT = 2.0  # a logolink is a wide strip; a square or tall image is likely something else
IMAGE_FORMATS = ("PNG", "JPEG", "MPO")  # MPO: a JPEG with an extra picture (some cameras)
COLOUR_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK")

NBSP = "\u00a0"  # keeps a number with its unit on one line
NOT_AN_IMAGE = "Soubor není obrázek PNG ani JPG."
RULES = "nařízení (EU) 2021/1060, čl. 50 a příloha IX"
NOT_MET = (
    f"Tištěné listiny zatím nesplňují pravidla publicity EU ({RULES}): chybí na nich znak EU "
    "s vypsaným textem „Spolufinancováno Evropskou unií“ vedle něj. Do té doby se na listiny "
    "tiskne jen tento text."
)
HOW_TO_FIX = (
    "Stáhněte oficiální logolink programu OP Zaměstnanost plus (web esfcr.cz, povinná "
    "publicita) a vyberte ho v Nastavení tlačítkem „Vybrat obrázek…“."
)


def logo_size(pixel_width: int, pixel_height: int, max_width: float) -> tuple[float, float]:
    """Printed (width, height) in points: ``LOGO_HEIGHT`` tall, narrower pages shrink it."""
    width = pixel_width * LOGO_HEIGHT / pixel_height
    if width <= max_width:
        return width, LOGO_HEIGHT
    return max_width, pixel_height * max_width / pixel_width


@dataclass(frozen=True)
class PrintedLogo:
    """How a readable logolink prints on an A4 portrait sheet."""

    pixel_width: int
    pixel_height: int
    width_mm: float
    height_mm: float
    monochrome: bool

    @property
    def pixels_per_10cm(self) -> float:
        return self.pixel_width * 100 / self.width_mm

    @property
    def pixels(self) -> str:
        return f"{self.pixel_width} × {self.pixel_height}{NBSP}px"

    def describe(self) -> str:
        kind = "černobílý" if self.monochrome else "barevný"
        return (
            f"{kind}, {self.pixels}; na listině {self.width_mm:.0f} × "
            f"{_mm(self.height_mm)} ({self.pixels_per_10cm:.0f}{NBSP}px na 10{NBSP}cm)"
        )


def _mm(value: float) -> str:
    return f"{value:.0f}{NBSP}mm"


@dataclass(frozen=True)
class LogolinkCheck:
    """What ``check_logolink`` found. ``error``: the image cannot be printed (refuse it);
    ``warnings``: it prints, but perhaps not as the publicity rules ask."""

    path: Path
    printed: PrintedLogo | None = None
    error: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.error

    @property
    def ok(self) -> bool:
        return not self.error and not self.warnings


def check_logolink(path: Path) -> LogolinkCheck:
    """Read the image at ``path`` and judge it as a logolink for print (never raises)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return LogolinkCheck(path, error=f"Soubor „{path}“ nebyl nalezen.")
    except OSError:
        return LogolinkCheck(path, error=f"Soubor „{path}“ se nepodařilo přečíst.")
    return _check(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _check(path: Path, mtime_ns: int, size: int) -> LogolinkCheck:
    """The check of one version of the file (its time and size are in the cache key): the
    dashboard asks on every refresh, and decoding a large strip takes ~0.1 s."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image_format, mode, pixels = image.format, image.mode, image.size
            image.load()  # a truncated or damaged picture fails here, not in the middle of a print
            monochrome = _is_monochrome(image)
    except UnidentifiedImageError:
        return LogolinkCheck(path, error=NOT_AN_IMAGE)
    except Image.DecompressionBombError:
        return LogolinkCheck(path, error="Obrázek má příliš mnoho pixelů; logolink je menší.")
    except IsADirectoryError:
        return LogolinkCheck(path, error=f"„{path}“ je složka, ne obrázek.")
    except PermissionError:
        return LogolinkCheck(path, error=f"Soubor „{path}“ se nepodařilo přečíst.")
    except (OSError, SyntaxError, ValueError, EOFError):  # what Pillow's decoders raise
        return LogolinkCheck(
            path, error="Obrázek je poškozený a nelze ho přečíst. Stáhněte logolink znovu."
        )
    if image_format not in IMAGE_FORMATS:
        return LogolinkCheck(path, error=NOT_AN_IMAGE)
    pixel_width, pixel_height = pixels
    width, height = logo_size(pixel_width, pixel_height, MAX_PRINT_WIDTH)
    printed = PrintedLogo(pixel_width, pixel_height, width / mm, height / mm, monochrome)
    return LogolinkCheck(path, printed, warnings=_warnings(printed, mode))


def _is_monochrome(image: Image.Image) -> bool:
    """Greyscale or black and white: a single-channel mode, or a palette of greys only."""
    from PIL import Image

    if image.mode == "P":
        palette = image.getpalette() or []
        return all(r == g == b for r, g, b in zip(*[iter(palette)] * 3, strict=False))
    return Image.getmodebase(image.mode) == "L"


def _warnings(printed: PrintedLogo, mode: str) -> tuple[str, ...]:
    warnings: list[str] = []
    if printed.pixel_width < MIN_ASPECT * printed.pixel_height:
        warnings.append(
            f"Obrázek není široký pruh ({printed.pixels}), na listině by byl jen "
            f"{_mm(printed.width_mm)} široký. Logolink začíná znakem EU a vedle něj je vypsáno "
            "„Spolufinancováno Evropskou unií“; samotný znak nebo jiné logo nestačí. "
            "Zkontrolujte, že jste vybrali oficiální logolink."
        )
    if printed.height_mm < MIN_PRINTED_HEIGHT_MM:
        warnings.append(
            f"Obrázek je velmi dlouhý pruh ({printed.pixels}): aby se vešel na šířku listiny, "
            f"bude jen {_mm(printed.height_mm)} vysoký a text v něm by byl nečitelný. "
            "Zkontrolujte, že jste vybrali oficiální logolink."
        )
    if printed.pixels_per_10cm < MIN_PIXELS_PER_10CM:
        warnings.append(
            f"Obrázek má na tisk málo pixelů: na listině bude {_mm(printed.width_mm)} široký, "
            f"to je {printed.pixels_per_10cm:.0f}{NBSP}px na 10{NBSP}cm (potřeba aspoň "
            f"{MIN_PIXELS_PER_10CM}), text v něm by byl rozmazaný. Použijte logolink ve vyšším "
            "rozlišení."
        )
    if mode not in COLOUR_MODES:
        warnings.append(
            f"Obrázek má neobvyklý barevný režim ({mode}). Zkontrolujte vytištěnou listinu, "
            "nebo obrázek uložte jako běžné barevné či černobílé PNG."
        )
    return tuple(warnings)


def publicity_notice(check: LogolinkCheck | None) -> str:
    """What the user should know about the EU publicity rules: "" when the logolink is fine,
    else why the sheets may not meet the rules and how to fix it. ``check`` is None when the
    project has no logolink."""
    if check is None:
        return f"{NOT_MET} {HOW_TO_FIX}"
    if check.error:
        return f"Logolink nelze vytisknout: {check.error} {NOT_MET} {HOW_TO_FIX}"
    if check.warnings:
        return "Logolink na listinách možná nesplní pravidla publicity EU. " + " ".join(
            check.warnings
        )
    return ""
