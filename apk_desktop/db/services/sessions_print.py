"""What a session prints: read it from the database and fill the sheet dataclasses
(sheets/attendance.py, sheets/supervision.py). The one mapper from a session to its sheet; the
sheets package only lays the data out (``sheets.session_sheets.build_document``).

A training prints a prezenční listina, a supervision or mentoring its record. Only names and
positions of people go onto a sheet; the private note of a record only when asked for. The
sheet modules import reportlab, so they are imported here only when a sheet is filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from apk_desktop.db.services.project import ProjectInfo, get_project_info, sheet_header
from apk_desktop.db.services.sessions import SessionFilter, SessionView, get_session, list_sessions
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.sessions import (
    ATTENDANCE_SHEET_PREFIX,
    MENTORING_SHEET_PREFIX,
    SUPERVISION_SHEET_PREFIX,
    Attendance,
    SessionKind,
)
from apk_desktop.domain.sheet_refs import blank_sheet_id

if TYPE_CHECKING:
    from apk_desktop.sheets.attendance import AttendanceSheetData
    from apk_desktop.sheets.session_sheets import SessionSheet, SheetBatch
    from apk_desktop.sheets.supervision import RecordSheetData

Progress = Callable[[int, int, str], None]
WALK_IN_ROWS = 3  # blank rows on a session's prezenční listina for those who come uninvited


class SheetKind(StrEnum):
    ATTENDANCE = "attendance"
    SUPERVISION = "supervision"
    MENTORING = "mentoring"

    @property
    def label(self) -> str:
        return SHEET_LABELS[self]

    @property
    def id_prefix(self) -> str:
        """The sheet id prefix (one source: ``domain.sessions``), also of blank sheets."""
        return {
            "attendance": ATTENDANCE_SHEET_PREFIX,
            "supervision": SUPERVISION_SHEET_PREFIX,
            "mentoring": MENTORING_SHEET_PREFIX,
        }[self.value]


SHEET_LABELS = {
    SheetKind.ATTENDANCE: "Prezenční listina",
    SheetKind.SUPERVISION: "Záznam ze supervize",
    SheetKind.MENTORING: "Záznam z mentoringu",
}


def sheet_kind(kind: SessionKind) -> SheetKind:
    if kind.is_supervision:
        return SheetKind.SUPERVISION
    if kind.is_mentoring:
        return SheetKind.MENTORING
    return SheetKind.ATTENDANCE


# ---- mapping one session (plain views in, sheet dataclasses out) --------------------------------


def _people(
    view: SessionView, info: ProjectInfo, *, present_only: bool
) -> tuple[tuple[tuple[str, str], ...], tuple[int | None, ...]]:
    """(name, position) of the sheet's participants and their assistant ids (None for the
    mentor), in the same order: the invited ones, or (``present_only``) those marked present.
    A mentor's own training or supervision has the mentor."""
    if not view.kind.for_assistants and not view.participants:
        return (((info.mentor_name, "Mentor"),), (None,)) if info.mentor_name else ((), ())
    if present_only:
        chosen = [p for p in view.participants if p.status is Attendance.PRESENT]
    else:
        chosen = [p for p in view.participants if p.invited]
    return (
        tuple((p.full_name, p.position_text) for p in chosen),
        tuple(p.assistant_id for p in chosen),
    )


def _attendance(view: SessionView, info: ProjectInfo, blank_rows: int) -> AttendanceSheetData:
    from apk_desktop.sheets.attendance import AttendanceSheetData

    # signed at the session: everyone invited, whatever attendance says later
    people, ids = _people(view, info, present_only=False)
    return AttendanceSheetData(
        header=sheet_header(info),
        sheet_id=view.sheet_id,
        record_id=view.id,
        activity_code=view.activity_code,
        activity_name=view.activity_label,
        topic=view.topic,
        areas=tuple(a.label for a in view.areas),
        area_options=tuple(a.label for a in info.areas),
        form=view.form.label,
        day=view.date,
        start=view.time_from,
        end=view.time_to,
        hours=view.hours,
        hours_unit=view.hour_unit.value,
        place=view.place or view.form.label,
        lecturers=tuple(part.strip() for part in view.lecturer.split(",") if part.strip()),
        mentor=info.mentor_name,
        participants=people,
        participant_ids=ids,
        blank_rows=blank_rows,
    )


def _record(view: SessionView, info: ProjectInfo, include_private_note: bool) -> RecordSheetData:
    from apk_desktop.sheets.supervision import MENTORING, SUPERVISION, RecordSheetData

    if view.kind.is_supervision:
        form = view.supervision_form.label if view.supervision_form else ""
        leader = view.lecturer
    else:
        form = "individuální" if view.kind is SessionKind.MENTORING_INDIVIDUAL else "skupinový"
        leader = view.lecturer or info.mentor_name  # mentoring is led by the mentor
    people, ids = _people(view, info, present_only=view.attendance_recorded)
    return RecordSheetData(
        kind=SUPERVISION if view.kind.is_supervision else MENTORING,
        header=sheet_header(info),
        sheet_id=view.sheet_id,
        record_id=view.id,
        activity_code=view.activity_code,
        activity_name=view.activity_label,
        leader=leader,
        leader_kind=view.supervisor_type.label if view.supervisor_type else "",
        form=form,
        day=view.date,
        start=view.time_from,
        end=view.time_to,
        hours=view.hours,
        hours_unit=view.hour_unit.value,
        place=view.place or view.form.label,
        areas=tuple(a.label for a in view.areas),
        area_options=tuple(a.label for a in info.areas),
        participants=people,
        participant_ids=ids,
        topic=view.topic,
        conclusions=view.conclusions,
        agreed_steps=view.agreed_steps,
        next_meeting=format_date(view.next_meeting),
        private_note=view.private_note if include_private_note else "",
        include_private_note=include_private_note,
    )


def sheet_from(
    view: SessionView, info: ProjectInfo, *, include_private_note: bool = False
) -> SessionSheet:
    """The sheet a session prints (prezenční listina or record), from data already read."""
    if view.kind.has_record:
        return _record(view, info, include_private_note)
    return _attendance(view, info, WALK_IN_ROWS)


# ---- reading from the database ------------------------------------------------------------------


def attendance_sheet_data(
    session: Session, session_id: int, *, blank_rows: int = WALK_IN_ROWS
) -> AttendanceSheetData:
    """The prezenční listina of a session: every invited participant (it is signed at the
    session, before attendance is recorded; walk-ins sign in the blank rows). The sheet id
    (``PL-123``, ``domain.sessions.sheet_id``) matches the scan back to the record."""
    view = get_session(session, session_id)
    return _attendance(view, get_project_info(session, view.project_id), blank_rows)


def record_sheet_data(
    session: Session, session_id: int, *, include_private_note: bool = False
) -> RecordSheetData:
    """The záznam ze supervize / z mentoringu of a supervision or mentoring session.

    Participants are those marked present once attendance is recorded, before that everyone
    invited. The private note is included only when ``include_private_note`` is True."""
    view = get_session(session, session_id)
    if not view.kind.has_record:
        raise ValueError(f"{view.kind} has no supervision/mentoring record")
    return _record(view, get_project_info(session, view.project_id), include_private_note)


def session_sheets(
    session: Session, session_id: int, *, include_private_note: bool = False
) -> SheetBatch:
    """The one sheet of a session, ready to build (``sheets.session_sheets.build_document``)."""
    from apk_desktop.sheets.session_sheets import SheetBatch

    view = get_session(session, session_id)
    info = get_project_info(session, view.project_id)
    sheet = sheet_from(view, info, include_private_note=include_private_note)
    title = f"{sheet_kind(view.kind).label} – {view.topic} ({format_date(view.date)})"
    return SheetBatch(sheet_header(info), (sheet,), title, f"{view.sheet_id}.pdf")


def month_sessions(session: Session, project_id: int, year: int, month: int) -> list[int]:
    """Ids of the month's sessions (not archived), by date and time."""
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    rows = list_sessions(session, project_id, SessionFilter(date_from=first, date_to=last))
    rows.sort(key=lambda r: (r.date, r.time_from, r.id))
    return [r.id for r in rows]


def month_sheets(
    session: Session,
    project_id: int,
    year: int,
    month: int,
    *,
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> SheetBatch | None:
    """Every sheet of the month (never a private note), None when the month has no session.
    ``check`` raises to cancel; ``progress(done, total, text)`` reports each session read."""
    from apk_desktop.sheets.session_sheets import SheetBatch

    info = get_project_info(session, project_id)
    ids = month_sessions(session, project_id, year, month)
    if not ids:
        return None
    sheets: list[SessionSheet] = []
    for done, session_id in enumerate(ids, start=1):
        if check:
            check()
        sheets.append(sheet_from(get_session(session, session_id), info))
        if progress:
            progress(done, len(ids), f"Načteno {done} z {len(ids)} setkání…")
    title = f"Listy za {month}/{year}"
    return SheetBatch(sheet_header(info), tuple(sheets), title, f"listy-{year}-{month:02d}.pdf")


def blank_sheets(
    session: Session, project_id: int, kind: SheetKind, day: date | None
) -> SheetBatch:
    """A blank sheet for an unplanned session; ``day`` goes into its id (and on the sheet)."""
    from apk_desktop.sheets.attendance import BLANK_SHEET_ROWS, AttendanceSheetData
    from apk_desktop.sheets.session_sheets import SheetBatch
    from apk_desktop.sheets.supervision import MENTORING, SUPERVISION, RecordSheetData

    info = get_project_info(session, project_id)
    header = sheet_header(info)
    ident = blank_sheet_id(kind.id_prefix, day)
    sheet: SessionSheet
    if kind is SheetKind.ATTENDANCE:
        sheet = AttendanceSheetData(
            header=header,
            sheet_id=ident,
            day=day,
            mentor=info.mentor_name,
            area_options=tuple(a.label for a in info.areas),
            blank_rows=BLANK_SHEET_ROWS,
        )
    else:
        supervision = kind is SheetKind.SUPERVISION
        code = "KA04" if supervision else "KA03"
        try:
            activity = info.key_activity(code).label
        except KeyError:
            activity = ""
        sheet = RecordSheetData(
            kind=SUPERVISION if supervision else MENTORING,
            header=header,
            sheet_id=ident,
            activity_code=code,
            activity_name=activity,
            day=day,
            leader="" if supervision else info.mentor_name,
            area_options=tuple(a.label for a in info.areas),
        )
    return SheetBatch(header, (sheet,), f"{kind.label} – prázdný list", f"{ident}.pdf")
