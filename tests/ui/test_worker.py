from __future__ import annotations

import logging
import threading

import pytest
from pytestqt.qtbot import QtBot

from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.ui.worker import Cancelled, TaskControl, run_in_background


def test_result_arrives_on_main_thread(qtbot: QtBot) -> None:
    seen: list[object] = []
    main = threading.get_ident()

    def work(control: TaskControl) -> int:
        control.progress(1, 2, "půlka")
        return threading.get_ident()

    run_in_background(work, on_done=seen.append, on_progress=lambda *a: seen.append(a))
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[0] == (1, 2, "půlka")
    assert seen[1] != main


def test_cancel_reaches_the_task(qtbot: QtBot) -> None:
    started = threading.Event()
    errors: list[BaseException] = []

    def work(control: TaskControl) -> None:
        started.set()
        while True:
            control.check()

    task = run_in_background(work, on_error=errors.append)
    qtbot.waitUntil(started.is_set)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.control.cancel()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Cancelled)


def test_expected_failures_are_logged_without_a_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    errors: list[BaseException] = []

    def work(control: TaskControl) -> None:
        raise StorageUnavailableError("Složka záloh není dostupná.")

    with caplog.at_level(logging.INFO, logger="apk_desktop.ui.worker"):
        run_in_background(work, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], StorageUnavailableError)
    assert [r.levelno for r in caplog.records] == [logging.INFO]
    assert caplog.records[0].exc_info is None


def test_a_task_whose_object_is_gone_ends_quietly(qtbot: QtBot) -> None:
    """The app (or a test) tears Qt objects down while a task still runs: the pool thread
    must not fail when it reports to the deleted object."""
    import shiboken6
    from PySide6.QtCore import QThreadPool

    started, release = threading.Event(), threading.Event()

    def work(_control: TaskControl) -> int:
        started.set()
        release.wait(10)
        return 1

    with qtbot.captureExceptions() as exceptions:
        task = run_in_background(work)
        assert started.wait(10)
        shiboken6.delete(task)
        release.set()
        assert QThreadPool.globalInstance().waitForDone(10_000)
    assert exceptions == []
