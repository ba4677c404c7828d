"""The official EU/OPZ+ "logolink" image the beneficiary supplies: how large it is printed."""

from __future__ import annotations

from reportlab.lib.units import mm

LOGO_HEIGHT = 14 * mm  # printed height of the logolink (the EU emblem's line on every sheet)


def logo_size(pixel_width: int, pixel_height: int, max_width: float) -> tuple[float, float]:
    """Printed (width, height) in points: ``LOGO_HEIGHT`` tall, narrower pages shrink it."""
    width = pixel_width * LOGO_HEIGHT / pixel_height
    if width <= max_width:
        return width, LOGO_HEIGHT
    return max_width, pixel_height * max_width / pixel_width
