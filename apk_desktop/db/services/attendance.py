"""Attendance of a session, recorded afterwards: přítomen / omluven / nepřítomen, with partial
hours. Field names of errors: ``attendance_field(assistant_id)`` (one per row of the form)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from apk_desktop.db.models import Assistant
from apk_desktop.db.models.sessions import SessionParticipant
from apk_desktop.db.services.sessions import (
    SessionView,
    _overlap_errors,
    _positions_on,
    _session,
    assistant_names,
    refresh_summary,
    session_view,
)
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ValidationError, collect
from apk_desktop.domain.limits import clean_text
from apk_desktop.domain.sessions import Attendance, AttendanceEntry, TimeSlot, attendance_errors


def attendance_field(assistant_id: int) -> str:
    """The ValidationError key of one attendance row."""
    return f"attendance_{assistant_id}"


def record_attendance(
    session: Session,
    session_id: int,
    entries: Sequence[AttendanceEntry],
    *,
    today: date | None = None,
    seen_version: int | None = None,
) -> SessionView:
    """Store the attendance rows (all or nothing). Rows for assistants not yet in the session
    add them as walk-ins (``invited`` False; they must be employed that day and free at that
    time). Participants without a row keep what they had. Attendance of a future session is
    refused (``today`` defaults to the current date). ``seen_version``: the session's
    ``row_version`` the form showed (StaleRecordError when it changed since)."""
    record = _session(session, session_id, seen_version)
    today = today or date.today()
    if record.date > today and any(e.status is not None for e in entries):
        raise ValidationError(
            {"attendance": f"Docházku lze zapsat až v den setkání ({format_date(record.date)})."}
        )
    errors: dict[str, str] = {}
    by_id = {p.assistant_id: p for p in record.participants}
    new_ids = [e.assistant_id for e in entries if e.assistant_id not in by_id]
    if len(set(e.assistant_id for e in entries)) != len(entries):
        errors["attendance"] = "Každý účastník smí být v docházce jen jednou."
    for entry in entries:
        status = Attendance(entry.status) if entry.status else None
        errors.update(
            attendance_errors(
                AttendanceEntry(
                    entry.assistant_id,
                    status,
                    entry.hours_attended,
                    clean_text("attendance.note", entry.note),
                ),
                record.hours,
                record.hour_unit,
                attendance_field(entry.assistant_id),
            )
        )
    if new_ids:
        in_project = session.scalars(
            select(Assistant.id).where(
                Assistant.project_id == record.project_id, Assistant.id.in_(new_ids)
            )
        )
        people = assistant_names(session, in_project)
        employed = _positions_on(session, new_ids, record.date)
        for assistant_id in new_ids:
            field = attendance_field(assistant_id)
            if assistant_id not in people:
                errors[field] = "Účastník už v databázi není."
            elif assistant_id not in employed:
                errors[field] = (
                    f"{people[assistant_id]} nebyl(a) {format_date(record.date)} zaměstnán(a) "
                    "jako asistent(ka)."
                )
        if not errors:
            overlap = _overlap_errors(
                session,
                record.project_id,
                new_ids,
                [TimeSlot(record.date, record.time_from, record.time_to)],
                ignore_id=record.id,
            )
            if overlap:
                errors["attendance"] = overlap["participants"]
    collect(errors)
    for entry in entries:
        participant = by_id.get(entry.assistant_id)
        if participant is None:
            participant = SessionParticipant(assistant_id=entry.assistant_id, invited=False)
            record.participants.append(participant)
        status = Attendance(entry.status) if entry.status else None
        participant.attendance = status.value if status else None
        participant.hours_attended = (
            entry.hours_attended
            if status is Attendance.PRESENT and entry.hours_attended != record.hours
            else None
        )
        participant.note = clean_text("attendance.note", entry.note)
    record.updated_at = datetime.now()
    refresh_summary(session, record)
    return session_view(session, record)


def mark_all_present(
    session: Session,
    session_id: int,
    *,
    today: date | None = None,
    seen_version: int | None = None,
) -> SessionView:
    """Everyone in the session present for the whole session (a quick start for the form)."""
    record = _session(session, session_id, seen_version)
    return record_attendance(
        session,
        session_id,
        [AttendanceEntry(p.assistant_id, Attendance.PRESENT) for p in record.participants],
        today=today,
    )
