"""Optimistic locking: a row version on every record the user edits in a form.

SQLAlchemy increments ``row_version`` on every UPDATE and adds ``AND row_version = <loaded>``
to its WHERE clause (and to a DELETE's), so a row changed by another PC between this unit of
work's read and its flush matches nothing: ``StaleDataError``, which ``Database.unit_of_work``
turns into ``StaleRecordError``. The version the user *saw* when a form was opened (minutes
earlier, in another session) travels with the form and is compared by ``check_version``.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Integer, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from apk_desktop.domain.errors import StaleRecordError

log = logging.getLogger(__name__)


class Versioned:
    """Mixin for a mapped class: its ``row_version`` column is SQLAlchemy's version counter."""

    row_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


def check_version(record: Versioned, seen_version: int | None) -> None:
    """Refuse to change ``record`` when it is no longer the version the user saw (None: the
    caller read it in this unit of work, nothing to compare)."""
    if seen_version is not None and record.row_version != seen_version:
        log.info(
            "stale %s: seen version %s, stored %s",
            type(record).__name__,
            seen_version,
            record.row_version,
        )
        raise StaleRecordError


def touch(record: Versioned) -> None:
    """Count a change of ``record``'s parts (a project's area labels, a plan's goals, an
    assessment's levels) as a change of the record: its next UPDATE sets the next version
    (SQLAlchemy still matches the version it read), also when none of its columns changed."""
    record.row_version += 1
