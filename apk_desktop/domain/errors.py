"""The small error hierarchy every layer raises and the UI presents in Czech."""

from __future__ import annotations

from collections.abc import Mapping


class AppError(Exception):
    """An expected failure with a message fit for the user (Czech)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationError(AppError):
    """Bad input. ``field_errors`` maps a field name to a Czech message shown beside it."""

    def __init__(self, field_errors: Mapping[str, str] | str) -> None:
        if isinstance(field_errors, str):
            field_errors = {"": field_errors}
        self.field_errors = dict(field_errors)
        super().__init__("\n".join(self.field_errors.values()))


class ConflictError(AppError):
    """The change clashes with stored data (duplicate, overlap, stale record)."""


class StaleRecordError(ConflictError):
    """Someone else (another PC, another window) changed or removed the record after the user
    opened it; the user's change was not stored. The UI offers to load the record again."""

    MESSAGE = "Záznam mezitím změnil někdo jiný."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class NotFoundError(AppError):
    """The record the user acted on no longer exists."""


class StorageUnavailableError(AppError):
    """A database, folder or share cannot be reached or written."""


def collect(errors: dict[str, str]) -> None:
    """Raise a ValidationError if any field has an error message."""
    if errors:
        raise ValidationError(errors)
