"""Long work off the GUI thread: progress and cancel in, result or error back on the main thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from apk_desktop.domain.errors import AppError

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task by ``TaskControl.check()`` after the user pressed Zrušit."""


class TaskControl:
    """Handed to the task function: report progress, notice cancellation."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._report(done, total, text)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class BackgroundTask(QObject):
    """Signals are emitted from the pool thread and delivered queued on the main thread."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception; Cancelled when the user cancelled
    finished = Signal()

    def __init__(self, fn: Callable[[TaskControl], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.control = TaskControl(self.progressed.emit)


class _Runnable(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        failed: BaseException | None = None
        result: Any = None
        try:
            result = self.task.fn(self.task.control)
        except BaseException as exc:
            if isinstance(exc, AppError):  # expected (share offline, bad file): no traceback
                log.info("background task stopped: %s", exc.message)
            elif not isinstance(exc, Cancelled):
                log.exception("background task failed")
            failed = exc
        try:
            if failed is not None:
                self.task.failed.emit(failed)
            else:
                self.task.succeeded.emit(result)
            self.task.finished.emit()
        except RuntimeError:  # the task's Qt object was deleted meanwhile: nobody to tell
            log.debug("background task ended after its object was deleted")


_running: set[BackgroundTask] = set()  # keeps tasks alive until they finish


def run_in_background(
    fn: Callable[[TaskControl], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> BackgroundTask:
    """Run ``fn(control)`` on the global thread pool; callbacks run on the main thread."""
    task = BackgroundTask(fn)
    if on_done:
        task.succeeded.connect(on_done)
    if on_error:
        task.failed.connect(on_error)
    if on_progress:
        task.progressed.connect(on_progress)
    _running.add(task)
    task.finished.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(_Runnable(task))
    return task


def run_with_progress(
    parent: QWidget | None,
    title: str,
    fn: Callable[[TaskControl], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> BackgroundTask:
    """Like ``run_in_background`` with a modeless progress dialog that offers Zrušit.

    The dialog appears only if the work takes longer than a second. ``on_error`` receives
    ``Cancelled`` when the user cancelled."""
    dialog = QProgressDialog(title, "Zrušit", 0, 0, parent)
    dialog.setWindowTitle("APK Desktop")
    dialog.setMinimumDuration(1000)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    task = run_in_background(fn, on_done, on_error, progress)
    dialog.canceled.connect(task.control.cancel)
    task.finished.connect(dialog.deleteLater)
    task.finished.connect(dialog.close)
    return task


def busy() -> bool:
    """True while a background task still runs (its result is still to come)."""
    return bool(_running)
