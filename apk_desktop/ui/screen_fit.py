"""Windows that fit the screen they open on (1280×720 logical pixels is the smallest office
screen we design for): sized to the available area, with a body that scrolls while the
buttons stay visible below it."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QVBoxLayout, QWidget

# The window frame and title bar, drawn outside the widget's own geometry by the system
# (known only once the window is shown).
FRAME_MARGINS = QMargins(8, 32, 8, 8)
FRAME_ALLOWANCE = QSize(
    FRAME_MARGINS.left() + FRAME_MARGINS.right(), FRAME_MARGINS.top() + FRAME_MARGINS.bottom()
)


def available_area(window: QWidget) -> QRect:
    """The part of the screen ``window`` (or its parent) is on that windows may use."""
    parent = window.parentWidget()
    screen = (parent or window).screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Resize ``window`` to ``preferred`` (default: its size hint), no larger than the
    available screen area with room for the frame."""
    limit = available_area(window).size() - FRAME_ALLOWANCE
    wanted = preferred if preferred is not None else window.sizeHint()
    window.setMinimumSize(window.minimumSize().boundedTo(limit))
    window.resize(wanted.boundedTo(limit))


def keep_on_screen(window: QWidget) -> None:
    """Move ``window`` (already sized) so that its frame lies inside the available area."""
    area = available_area(window)
    frame = window.frameGeometry()
    if frame == window.geometry():  # not shown yet
        frame = frame.marginsAdded(FRAME_MARGINS)
    if area.contains(frame):
        return
    x = min(max(frame.x(), area.left()), max(area.left(), area.right() + 1 - frame.width()))
    y = min(max(frame.y(), area.top()), max(area.top(), area.bottom() + 1 - frame.height()))
    window.move(x, y)


class ScrollBody(QScrollArea):
    """A dialog's form that scrolls when the screen is too small for it; otherwise it asks
    for room to show the form whole (a plain QScrollArea asks for a fixed small size)."""

    def __init__(self, *parts: QLayout | QWidget) -> None:
        super().__init__()
        self.setObjectName("scroll_body")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Tab goes to the fields, not their frame. (QtCore.Qt is looked up here, not imported:
        # the main window imports this module and is shown before the Qt namespace loads.)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        self.setWidget(body)

    def sizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().sizeHint()
        scrollbar = self.verticalScrollBar().sizeHint().width()
        frame = 2 * self.frameWidth()
        return body.sizeHint() + QSize(scrollbar + frame, frame)
