"""Tell the start-up trace when a window first reaches the screen (see ``startup_trace``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget


class _FirstExpose(QObject):
    def __init__(self, window: QWindow, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Expose
            and isinstance(watched, QWindow)
            and watched.isExposed()
        ):
            watched.removeEventFilter(self)
            self.deleteLater()
            self._callback()
        return False


def when_first_exposed(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` once, when ``widget``'s window is first exposed (painted on screen)."""
    widget.winId()  # creates the native window, so its QWindow exists before show()
    handle = widget.windowHandle()
    assert handle is not None
    _FirstExpose(handle, callback)
