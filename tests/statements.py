"""Count the SQL statements a piece of code sends, so an N+1 regression turns a test red."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The statements executed on ``engine`` inside the block (their SQL text)."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
