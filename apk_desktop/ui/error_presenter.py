"""The one place that turns exceptions into Czech messages for the user."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from apk_desktop import __version__
from apk_desktop.domain.errors import AppError, ValidationError
from apk_desktop.ui.prompter import Prompter
from apk_desktop.ui.worker import Cancelled

log = logging.getLogger(__name__)

COPY_DETAILS = "Kopírovat podrobnosti"

UNEXPECTED_TEXT = (
    "Došlo k neočekávané chybě. Vaše uložená data nejsou ohrožena.\n"
    "Podrobnosti jsou zapsány v protokolu aplikace; můžete je zkopírovat a poslat správci."
)


def message_box_for(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Build (not show) the box for ``exc``: expected errors plainly, others with details."""
    box = QMessageBox(parent)
    box.setWindowTitle("APK Desktop")
    if isinstance(exc, ValidationError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText("Zkontrolujte prosím zadané údaje:\n\n" + exc.message)
    elif isinstance(exc, AppError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(exc.message)
        if exc.details:
            _set_details(box, exc.details)
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(UNEXPECTED_TEXT)
        _set_details(box, "".join(traceback.format_exception(exc)))
    return box


def _set_details(box: QMessageBox, details: str) -> None:
    """Details under "Zobrazit podrobnosti…" plus a button that copies them for the IT admin."""
    from apk_desktop.paths import logs_dir

    text = f"APK Desktop {__version__}\nProtokol: {logs_dir() / 'apk-desktop.log'}\n\n{details}"
    box.setDetailedText(text)
    copy = box.addButton(COPY_DETAILS, QMessageBox.ButtonRole.ActionRole)
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Ok))


def present_error(parent: QWidget | None, exc: BaseException) -> None:
    if not isinstance(exc, AppError):
        log.error("unexpected error", exc_info=exc)
    else:
        log.info("user-facing error: %s", exc.message)
    message_box_for(parent, exc).exec()


def present_task_failure(
    parent: QWidget | None, prompter: Prompter, title: str, exc: BaseException
) -> None:
    """How a background task ended without a result: an expected error (a bad file, a share
    offline) as a plain warning, a cancel without a word, anything else as the
    unexpected-error box."""
    if isinstance(exc, AppError):
        prompter.warning(parent, title, exc.message)
    elif not isinstance(exc, Cancelled):
        present_error(parent, exc)


def install_excepthook() -> None:
    """Unhandled exceptions in slots end up in the log and in a dialog, not only on a terminal."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        present_error(None, exc.with_traceback(tb))

    sys.excepthook = hook
