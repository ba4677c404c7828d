"""Icons shipped in resources/icons (Lucide, ISC licence), drawn in the colour of the text
they stand beside: dark normally, white on the selected (blue) row."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from apk_desktop import paths

ICON_SIZE = QSize(20, 20)
TEXT_COLOUR = "#2d3748"
SELECTED_COLOUR = "#ffffff"


def _pixmap(svg: bytes, colour: str, size: QSize) -> QPixmap:
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    renderer = QSvgRenderer(QByteArray(svg.replace(b"currentColor", colour.encode())))
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor(0, 0, 0, 0))  # transparent
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    return pixmap


def icon(name: str, size: QSize = ICON_SIZE) -> QIcon:
    """The icon ``name`` (file name without .svg); an empty icon if it is missing."""
    path = paths.resources_dir() / "icons" / f"{name}.svg"
    try:
        svg = path.read_bytes()
    except OSError:
        return QIcon()
    result = QIcon()
    result.addPixmap(_pixmap(svg, TEXT_COLOUR, size), QIcon.Mode.Normal)
    result.addPixmap(_pixmap(svg, SELECTED_COLOUR, size), QIcon.Mode.Selected)
    return result
