"""PySide6 6.12.0 returns ``True`` from ``Signal.emit`` without taking a reference; every emit
then wears ``True`` down until Python 3.11 aborts at exit ("bool_dealloc"). pyproject excludes
that release; this test catches a PySide6 with the same slip."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(str)


def test_emit_and_disconnect_keep_the_reference_count_of_true() -> None:
    emitter = _Emitter()

    def receiver(_text: str) -> None:
        pass

    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.connect(receiver)
        emitter.fired.emit("x")
        emitter.fired.disconnect(receiver)
    gc.collect()
    assert sys.getrefcount(True) - before > -50
