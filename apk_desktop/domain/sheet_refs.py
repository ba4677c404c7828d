"""Every printed sheet's identifier (the one in its footer and QR code) read back into what it
prints: a session's sheet (``PL-12``, ``SUP-3``, ``MEN-7``, ``domain.sessions``), a blank sheet
(``PL-BLANK-2026-03-02``, ``SUP-BLANK-BEZ-DATA``), a development plan version (``IDP-2-v1``,
``domain.plans``) or a progress summary as of a day (``POK-A5-20260301``, ``POK-TYM-20260301``).

The formatters of blank and progress ids live here too, so an id printed is an id read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from apk_desktop.domain.plans import sheet_id as plan_sheet_id
from apk_desktop.domain.sessions import (
    ATTENDANCE_SHEET_PREFIX,
    MENTORING_SHEET_PREFIX,
    SUPERVISION_SHEET_PREFIX,
    parse_sheet_id,
)

ANNEX_SUFFIX = "-D"  # a record's confidential annex (důvěrné): ``SUP-5-D``, never handed in
NO_DATE = "BEZ-DATA"  # a blank sheet printed without a day
PROGRESS_PREFIX = "POK"
SESSION_PREFIXES = (ATTENDANCE_SHEET_PREFIX, SUPERVISION_SHEET_PREFIX, MENTORING_SHEET_PREFIX)
EXAMPLES = "PL-12, SUP-3, MEN-7, IDP-2-v1, PL-BLANK-2026-03-02, POK-A5-20260301, POK-TYM-20260301"

_BLANK = re.compile(r"(PL|SUP|MEN)-BLANK-(\d{4}-\d{2}-\d{2}|BEZ-DATA)")
_PLAN = re.compile(r"IDP-(\d{1,9})-V(\d{1,4})")
_PROGRESS = re.compile(r"POK-(?:A(\d{1,9})|TYM)-(\d{8})")


class RecordKind(StrEnum):
    """What kind of record a printed sheet belongs to (stored with the printed layout)."""

    SESSION = "session"
    PLAN = "plan"
    ASSISTANT = "assistant"  # one assistant's progress summary


@dataclass(frozen=True)
class SessionSheetRef:
    prefix: str  # PL / SUP / MEN
    session_id: int
    annex: bool = False  # the record's confidential annex (SUP/MEN only), not the record


@dataclass(frozen=True)
class BlankSheetRef:
    prefix: str  # PL / SUP / MEN
    day: date | None


@dataclass(frozen=True)
class PlanSheetRef:
    plan_id: int
    version: int


@dataclass(frozen=True)
class ProgressSheetRef:
    assistant_id: int | None  # None: the team
    day: date  # "as of"


SheetRef = SessionSheetRef | BlankSheetRef | PlanSheetRef | ProgressSheetRef


def blank_sheet_id(prefix: str, day: date | None) -> str:
    """E.g. ``PL-BLANK-2026-03-02``; ``SUP-BLANK-BEZ-DATA`` for a sheet without a day."""
    return f"{prefix}-BLANK-{day.isoformat() if day else NO_DATE}"


def progress_sheet_id(assistant_id: int | None, day: date) -> str:
    """``POK-A<assistant id>-YYYYMMDD`` for one assistant, ``POK-TYM-YYYYMMDD`` for the team."""
    who = "TYM" if assistant_id is None else f"A{assistant_id}"
    return f"{PROGRESS_PREFIX}-{who}-{day:%Y%m%d}"


def format_ref(ref: SheetRef) -> str:
    """The identifier printed for ``ref`` (the canonical spelling of what was parsed)."""
    if isinstance(ref, SessionSheetRef):
        return f"{ref.prefix}-{ref.session_id}" + (ANNEX_SUFFIX if ref.annex else "")
    if isinstance(ref, BlankSheetRef):
        return blank_sheet_id(ref.prefix, ref.day)
    if isinstance(ref, PlanSheetRef):
        return plan_sheet_id(ref.plan_id, ref.version)
    return progress_sheet_id(ref.assistant_id, ref.day)


def record_of(ref: SheetRef) -> tuple[RecordKind | None, int | None]:
    """The record a sheet belongs to; (None, None) for blank sheets and the team summary."""
    if isinstance(ref, SessionSheetRef):
        return RecordKind.SESSION, ref.session_id
    if isinstance(ref, PlanSheetRef):
        return RecordKind.PLAN, ref.plan_id
    if isinstance(ref, ProgressSheetRef) and ref.assistant_id is not None:
        return RecordKind.ASSISTANT, ref.assistant_id
    return None, None


def parse_sheet_ref(text: str) -> SheetRef | None:
    """What a typed or scanned sheet identifier prints (letters in any case, spaces around
    ignored); None for anything that is not one of ours, including impossible dates."""
    session = parse_sheet_id(text)
    if session is not None:
        return SessionSheetRef(*session)
    clean = text.strip().upper()
    if clean.endswith(ANNEX_SUFFIX) and (record := parse_sheet_id(clean[: -len(ANNEX_SUFFIX)])):
        prefix, session_id = record
        return SessionSheetRef(prefix, session_id, annex=True) if prefix != "PL" else None
    try:
        if match := _BLANK.fullmatch(clean):
            day = None if match.group(2) == NO_DATE else date.fromisoformat(match.group(2))
            return BlankSheetRef(match.group(1), day)
        if match := _PLAN.fullmatch(clean):
            return PlanSheetRef(int(match.group(1)), int(match.group(2)))
        if match := _PROGRESS.fullmatch(clean):
            day = datetime.strptime(match.group(2), "%Y%m%d").date()
            return ProgressSheetRef(int(match.group(1)) if match.group(1) else None, day)
    except ValueError:  # 2026-02-30, 20261301
        return None
    return None
