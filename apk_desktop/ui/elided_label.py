"""A label for a long path or address in a narrow place (the status bar): it shrinks, and what
does not fit is elided in the middle. ``text()`` and the tooltip keep the whole text."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        width = self.fontMetrics().horizontalAdvance("…") * 8
        return QSize(width, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect, metrics = self.contentsRect(), self.fontMetrics()
        if metrics.horizontalAdvance(self.text()) <= rect.width():
            super().paintEvent(event)
            return
        # Imported here: the Qt namespace takes ~18 ms to build, not before the window shows.
        from PySide6.QtCore import Qt

        shown = metrics.elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width())
        QPainter(self).drawText(rect, int(self.alignment()), shown)
