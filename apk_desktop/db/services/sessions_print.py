"""Fill the sheet dataclasses (sheets/attendance.py, sheets/supervision.py) from a session.

Only names and positions of people go onto a sheet. The private note of a supervision or
mentoring record goes into the data only when ``include_private_note`` is asked for.
The sheet modules import reportlab, so they are imported here only when a sheet is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from apk_desktop.db.services.project import get_project_info, sheet_header
from apk_desktop.db.services.sessions import SessionView, get_session
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.sessions import SessionKind

if TYPE_CHECKING:
    from apk_desktop.sheets.attendance import AttendanceSheetData
    from apk_desktop.sheets.supervision import RecordSheetData


def _participants(view: SessionView, *, invited_only: bool) -> tuple[tuple[str, str], ...]:
    return tuple(
        (p.full_name, p.position_text) for p in view.participants if p.invited or not invited_only
    )


def attendance_sheet_data(
    session: Session, session_id: int, *, blank_rows: int = 3
) -> AttendanceSheetData:
    """The prezenční listina of a session, pre-filled with the invited assistants (walk-ins
    sign in the blank rows). The sheet id (``PL-123``, ``domain.sessions.sheet_id``) matches
    the scan back to the record."""
    from apk_desktop.sheets.attendance import AttendanceSheetData

    view = get_session(session, session_id)
    info = get_project_info(session, view.project_id)
    lecturers = tuple(part.strip() for part in view.lecturer.split(",") if part.strip())
    return AttendanceSheetData(
        header=sheet_header(info),
        sheet_id=view.sheet_id,
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
        place=view.place,
        lecturers=lecturers,
        mentor=info.mentor_name,
        participants=_participants(view, invited_only=True),
        blank_rows=blank_rows,
    )


def record_sheet_data(
    session: Session, session_id: int, *, include_private_note: bool = False
) -> RecordSheetData:
    """The záznam ze supervize / z mentoringu of a supervision or mentoring session.

    Participants are everyone who was present (or, before attendance is recorded, everyone
    invited). The private note is included only when ``include_private_note`` is True."""
    from apk_desktop.sheets.supervision import MENTORING, SUPERVISION, RecordSheetData

    view = get_session(session, session_id)
    if not view.kind.has_record:
        raise ValueError(f"{view.kind} has no supervision/mentoring record")
    info = get_project_info(session, view.project_id)
    record_kind = SUPERVISION if view.kind.is_supervision else MENTORING
    if view.kind.is_supervision:
        form = view.supervision_form.label if view.supervision_form else ""
    else:
        form = "individuální" if view.kind is SessionKind.MENTORING_INDIVIDUAL else "skupinový"
    if view.attendance_recorded:
        people = tuple(
            (p.full_name, p.position_text) for p in view.participants if p.counted_hours > 0
        )
    else:
        people = _participants(view, invited_only=True)
    return RecordSheetData(
        kind=record_kind,
        header=sheet_header(info),
        sheet_id=view.sheet_id,
        activity_code=view.activity_code,
        activity_name=view.activity_label,
        leader=view.lecturer,
        leader_kind=view.supervisor_type.label if view.supervisor_type else "",
        form=form,
        day=view.date,
        start=view.time_from,
        end=view.time_to,
        hours=view.hours,
        place=view.place or view.form.label,
        participants=people,
        topic=view.topic,
        conclusions=view.conclusions,
        agreed_steps=view.agreed_steps,
        next_meeting=format_date(view.next_meeting),
        private_note=view.private_note if include_private_note else "",
        include_private_note=include_private_note,
    )
