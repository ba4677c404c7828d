"""What the user arranged is kept between runs: the main window's size and position and the
column widths of tables, in an INI file in the data folder (QSettings writes it whole)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QSettings, QTimer
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from apk_desktop import paths
from apk_desktop.ui.screen_fit import FRAME_ALLOWANCE, available_area, keep_on_screen

STATE_FILE = "window-state.ini"
SAVE_DELAY_MS = 500  # a drag of a column border saves once, at its end


def _settings() -> QSettings:
    return QSettings(str(paths.base_data_dir() / STATE_FILE), QSettings.Format.IniFormat)


def _load(key: str) -> QByteArray | None:
    value = _settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _store(key: str, value: QByteArray) -> None:
    settings = _settings()
    settings.setValue(key, value)
    settings.sync()


def restore_window(window: QWidget, key: str = "main_window") -> bool:
    """Give ``window`` its remembered size and position, kept inside the available screen
    area (the screen may be smaller than the one it was saved on). False if none is saved."""
    saved = _load(f"{key}/geometry")
    if saved is None or not window.restoreGeometry(saved):
        return False
    limit = available_area(window).size() - FRAME_ALLOWANCE
    window.resize(window.size().boundedTo(limit))
    keep_on_screen(window)
    return True


def save_window(window: QWidget, key: str = "main_window") -> None:
    save_pending()
    _store(f"{key}/geometry", window.saveGeometry())


class _Keeper(QObject):
    """Saves a header's or splitter's state a moment after it changed (a drag saves once)."""

    def __init__(self, owner: QHeaderView | QSplitter, key: str) -> None:
        super().__init__(owner)
        self.owner = owner
        self.key = key
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        owner.destroyed.connect(lambda: _pending.discard(self))

    def changed(self, *_: object) -> None:
        _pending.add(self)
        self.timer.start()

    def save(self) -> None:
        _pending.discard(self)
        self.timer.stop()
        _store(self.key, self.owner.saveState())


_pending: set[_Keeper] = set()


def save_pending() -> None:
    """Save the changes still waiting for their moment (the window is closing)."""
    for keeper in list(_pending):
        keeper.save()


def keep_columns(header: QHeaderView, key: str) -> None:
    """Restore the column widths the user gave the table ``key`` and keep later changes.
    Call it once the header has its columns and default widths."""
    saved = _load(f"columns/{key}")
    if saved is not None:
        header.restoreState(saved)
    keeper = _Keeper(header, f"columns/{key}")
    header.sectionResized.connect(keeper.changed)
    header.sectionMoved.connect(keeper.changed)
    header.sortIndicatorChanged.connect(keeper.changed)


def keep_splitter(splitter: QSplitter, key: str) -> None:
    """Restore where the user left the splitter's handles and keep later moves."""
    saved = _load(f"splitters/{key}")
    if saved is not None:
        splitter.restoreState(saved)
    keeper = _Keeper(splitter, f"splitters/{key}")
    splitter.splitterMoved.connect(keeper.changed)
