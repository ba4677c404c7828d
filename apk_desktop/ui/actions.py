"""Run one user action as one unit of work; errors go to the presenter, success is broadcast.

Two shapes: ``store`` saves a form (messages beside its fields), ``act`` runs an action on a
record picked in a list (archive, delete…). Both offer to load the record again when someone
else changed it meanwhile (``stale.offer_reload``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from apk_desktop.domain.errors import AppError, StaleRecordError, ValidationError
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.forms import FieldErrors
from apk_desktop.ui.stale import offer_reload

T = TypeVar("T")

ShowErrors = Callable[[dict[str, str]], None]  # shows field messages; {} clears them


def act(
    parent: QWidget | None,
    ctx: AppContext,
    action: Callable[[Session], T],
    *,
    title: str,
    changed: str,
    reload: Callable[[], None],
    forms: Sequence[FieldErrors] | None = None,
) -> tuple[bool, T | None]:
    """Run ``action`` on a record the user picked in a list, in one unit of work. Returns
    (True, result) and broadcasts ``changed``, or (False, None) after telling the user: an
    expected error as a Czech warning titled ``title``; a record someone else changed since the
    list was read with the offer to ``reload`` the page (``forms``: as in ``offer_reload``, for
    text typed on the page itself); anything else through the presenter."""
    try:
        with ctx.db.unit_of_work() as session:
            result = action(session)
    except StaleRecordError:
        offer_reload(parent, ctx.prompter, reload, forms)
        return False, None
    except AppError as exc:
        ctx.prompter.warning(parent, title, exc.message)
        return False, None
    except Exception as exc:  # the presenter logs and explains it
        present_error(parent, exc)
        return False, None
    ctx.events.changed.emit(changed)
    return True, result


def store(
    dialog: QWidget,
    ctx: AppContext,
    errors: FieldErrors | ShowErrors,
    action: Callable[[Session], T],
    *,
    changed: str,
    input_errors: Mapping[str, str] | None = None,
    reload: Callable[[], None] | None = None,
    forms: Sequence[FieldErrors] | None = None,
) -> tuple[bool, T | None]:
    """A dialog's save: show ``input_errors`` (found before anything is written), or run
    ``action`` in one unit of work. A ``ValidationError`` goes beside its fields, another
    ``AppError`` to the form-wide line, anything unexpected to the presenter. On success the
    errors are cleared, ``changed`` is broadcast and (True, result) returned; the dialog then
    accepts itself.

    ``errors``: the form's FieldErrors, or a function that spreads messages over several.
    When the record was changed by someone else since the form was filled, the user is offered
    to ``reload`` it (the form reads the record again); their edits in ``forms`` (default: the
    FieldErrors given) stay shown under the fields."""
    show = errors.show if isinstance(errors, FieldErrors) else errors
    if input_errors:  # with the service's messages for the other fields: all at once
        show(_dry_run_errors(ctx, action) | dict(input_errors))
        return False, None
    try:
        with ctx.db.unit_of_work() as session:
            result = action(session)
    except ValidationError as exc:
        show(exc.field_errors)
        return False, None
    except StaleRecordError as exc:
        if reload is None:
            show({"": exc.message})
        else:
            show({})
            if forms is None:
                forms = (errors,) if isinstance(errors, FieldErrors) else ()
            offer_reload(dialog, ctx.prompter, reload, forms)
        return False, None
    except AppError as exc:
        show({"": exc.message})
        return False, None
    except Exception as exc:  # the presenter logs and explains it
        present_error(dialog, exc)
        return False, None
    show({})
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
