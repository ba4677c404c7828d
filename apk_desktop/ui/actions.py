"""Run one user action as one unit of work; errors go to the presenter, success is broadcast."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from apk_desktop.domain.errors import AppError, ValidationError
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.forms import FieldErrors

T = TypeVar("T")


def perform(
    parent: QWidget | None,
    ctx: AppContext,
    action: Callable[[Session], T],
    changed: str | None = None,
) -> tuple[bool, T | None]:
    """Run ``action`` in a fresh session. Returns (True, result), or (False, None) after the
    error was shown. Dialogs that show field errors themselves call ``ctx.db.unit_of_work``
    directly and catch ``ValidationError``."""
    try:
        with ctx.db.unit_of_work() as session:
            result = action(session)
    except Exception as exc:
        present_error(parent, exc)
        return False, None
    if changed:
        ctx.events.changed.emit(changed)
    return True, result


def store(
    dialog: QWidget,
    ctx: AppContext,
    errors: FieldErrors,
    action: Callable[[Session], T],
    *,
    changed: str,
    input_errors: Mapping[str, str] | None = None,
) -> tuple[bool, T | None]:
    """A dialog's save: show ``input_errors`` (found before anything is written), or run
    ``action`` in one unit of work. A ``ValidationError`` goes beside its fields, another
    ``AppError`` to the form-wide line, anything unexpected to the presenter. On success the
    errors are cleared, ``changed`` is broadcast and (True, result) returned; the dialog then
    accepts itself."""
    if input_errors:  # with the service's messages for the other fields: all at once
        errors.show(_dry_run_errors(ctx, action) | dict(input_errors))
        return False, None
    try:
        with ctx.db.unit_of_work() as session:
            result = action(session)
    except ValidationError as exc:
        errors.show(exc.field_errors)
        return False, None
    except AppError as exc:
        errors.show({"": exc.message})
        return False, None
    except Exception as exc:  # the presenter logs and explains it
        present_error(dialog, exc)
        return False, None
    errors.clear()
    ctx.events.changed.emit(changed)
    return True, result


class _DryRun(Exception):
    """Rolls back a unit of work that ran only for its validation messages."""


def _dry_run_errors(ctx: AppContext, action: Callable[[Session], object]) -> dict[str, str]:
    """The field messages ``action`` would give, with nothing stored (always rolled back)."""
    try:
        with ctx.db.unit_of_work() as session:
            action(session)
            raise _DryRun
    except ValidationError as exc:
        return exc.field_errors
    except Exception:  # _DryRun, or the action tripped over the unreadable input
        return {}


def status_day(ctx: AppContext) -> date:
    """Today, kept inside the project period: the day statuses are shown for."""
    from apk_desktop.db.services.project import project_status_day

    return read(ctx, lambda s: project_status_day(s, ctx.project_id, date.today()))


def read(ctx: AppContext, query: Callable[[Session], T]) -> T:
    """Run a read-only query in its own short session."""
    with ctx.db.unit_of_work() as session:
        return query(session)
