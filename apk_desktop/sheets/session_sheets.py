"""Which sheet a session prints, filled from the session service's views (no Qt).

A training prints a prezenční listina; a supervision or mentoring prints its record (which
has the participants' signatures). ``session_document`` builds one session's PDF,
``month_batch`` a month's sheets in one PDF (run it off the GUI thread), ``blank_document``
a blank sheet for an unplanned session. Imports reportlab: the UI imports this module only
inside the functions that print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.project import ProjectInfo
from apk_desktop.db.services.sessions import SessionFilter, SessionView
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.sessions import (
    ATTENDANCE_SHEET_PREFIX,
    MENTORING_SHEET_PREFIX,
    SUPERVISION_SHEET_PREFIX,
    SessionKind,
)
from apk_desktop.sheets.attendance import BLANK_SHEET_ROWS, AttendanceSheetData, attendance_story
from apk_desktop.sheets.base import build_pdf_batch
from apk_desktop.sheets.supervision import MENTORING, SUPERVISION, RecordSheetData, record_story

Progress = Callable[[int, int, str], None]


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
WALK_IN_ROWS = 3


@dataclass(frozen=True)
class Document:
    """A built PDF with what the preview needs."""

    pdf: bytes
    title: str
    file_name: str  # suggested when saving
    sheet_count: int = 1


def sheet_kind(kind: SessionKind) -> SheetKind:
    if kind.is_supervision:
        return SheetKind.SUPERVISION
    if kind.is_mentoring:
        return SheetKind.MENTORING
    return SheetKind.ATTENDANCE


def _participants(view: SessionView, info: ProjectInfo) -> tuple[tuple[str, str], ...]:
    if not view.kind.for_assistants and not view.participants:
        return ((info.mentor_name, "Mentor"),) if info.mentor_name else ()
    return tuple((p.full_name, p.position_text) for p in view.participants)


Sheet = tuple[str, list[Flowable]]  # (sheet id, story)


def _story(view: SessionView, info: ProjectInfo, include_private: bool) -> Sheet:
    """(sheet id, flowables) of the session's sheet."""
    header = project_service.sheet_header(info)
    kind = sheet_kind(view.kind)
    ident = view.sheet_id  # domain.sessions.sheet_id: the same id the session list shows
    participants = _participants(view, info)
    if kind is SheetKind.ATTENDANCE:
        data = AttendanceSheetData(
            header=header,
            sheet_id=ident,
            activity_code=view.activity_code,
            activity_name=view.activity_label,
            topic=view.topic,
            areas=tuple(a.label for a in view.areas),
            form=view.form.label,
            day=view.date,
            start=view.time_from,
            end=view.time_to,
            hours=view.hours,
            hours_unit=view.hour_unit.value,
            place=view.place,
            lecturers=tuple(n.strip() for n in view.lecturer.split(",") if n.strip()),
            mentor=info.mentor_name,
            participants=participants,
            blank_rows=WALK_IN_ROWS,
        )
        return ident, attendance_story(data)
    record = RecordSheetData(
        kind=SUPERVISION if kind is SheetKind.SUPERVISION else MENTORING,
        header=header,
        sheet_id=ident,
        activity_code=view.activity_code,
        activity_name=view.activity_label,
        leader=view.lecturer,
        form=view.supervision_form.label if view.supervision_form else _mentoring_form(view),
        day=view.date,
        start=view.time_from,
        end=view.time_to,
        hours=view.hours,
        place=view.place,
        participants=participants,
        topic=view.topic,
        conclusions=view.conclusions,
        agreed_steps=view.agreed_steps,
        next_meeting=format_date(view.next_meeting),
        private_note=view.private_note,
        include_private_note=include_private,
    )
    return ident, record_story(record)


def _mentoring_form(view: SessionView) -> str:
    if view.kind is SessionKind.MENTORING_INDIVIDUAL:
        return "individuální"
    return "skupinový" if view.kind is SessionKind.MENTORING_GROUP else ""


def _build(info: ProjectInfo, sheets: Sequence[Sheet], title: str) -> bytes:
    return build_pdf_batch(project_service.sheet_header(info), sheets, title=title)


def session_document(
    session: Session, project_id: int, session_id: int, *, include_private: bool = False
) -> Document:
    """The sheet of one session. The private note is printed only when ``include_private``."""
    info = project_service.get_project_info(session, project_id)
    view = session_service.get_session(session, session_id)
    return session_document_from(info, view, include_private=include_private)


def session_document_from(
    info: ProjectInfo, view: SessionView, *, include_private: bool = False
) -> Document:
    """``session_document`` from data already read (plain dataclasses): the UI reads them in
    the GUI thread and builds the PDF off it."""
    ident, story = _story(view, info, include_private)
    title = f"{sheet_kind(view.kind).label} – {view.topic} ({format_date(view.date)})"
    return Document(_build(info, [(ident, story)], title), title, f"{ident}.pdf")


def month_sessions(session: Session, project_id: int, year: int, month: int) -> list[int]:
    """Ids of the month's sessions (not archived), by date and time."""
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    rows = session_service.list_sessions(
        session, project_id, SessionFilter(date_from=first, date_to=last)
    )
    rows.sort(key=lambda r: (r.date, r.time_from, r.id))
    return [r.id for r in rows]


def month_batch(
    session: Session,
    project_id: int,
    year: int,
    month: int,
    *,
    progress: Progress | None = None,
    check: Callable[[], None] | None = None,
) -> Document | None:
    """Every sheet of the month in one PDF (None when the month has no session). ``check``
    raises to cancel; ``progress(done, total, text)`` reports each sheet."""
    info = project_service.get_project_info(session, project_id)
    ids = month_sessions(session, project_id, year, month)
    if not ids:
        return None
    sheets: list[Sheet] = []
    for done, session_id in enumerate(ids):
        if check:
            check()
        view = session_service.get_session(session, session_id)
        sheets.append(_story(view, info, include_private=False))
        if progress:
            progress(done + 1, len(ids) + 1, f"Připraveno {done + 1} z {len(ids)} listů…")
    if check:
        check()
    title = f"Listy za {month}/{year}"
    pdf = _build(info, sheets, title)
    if progress:
        progress(len(ids) + 1, len(ids) + 1, "Hotovo")
    return Document(pdf, title, f"listy-{year}-{month:02d}.pdf", len(ids))


def blank_document(
    session: Session, project_id: int, kind: SheetKind, day: date | None
) -> Document:
    """A blank sheet for an unplanned session; ``day`` goes into its id (and on the sheet)."""
    return blank_document_from(project_service.get_project_info(session, project_id), kind, day)


def blank_document_from(info: ProjectInfo, kind: SheetKind, day: date | None) -> Document:
    """``blank_document`` from the project's data already read (see ``session_document_from``)."""
    header = project_service.sheet_header(info)
    ident = f"{kind.id_prefix}-BLANK-{day.isoformat() if day else 'BEZ-DATA'}"
    story: list[Flowable]
    if kind is SheetKind.ATTENDANCE:
        story = attendance_story(
            AttendanceSheetData(
                header=header,
                sheet_id=ident,
                day=day,
                mentor=info.mentor_name,
                area_options=tuple(a.label for a in info.areas),
                blank_rows=BLANK_SHEET_ROWS,
            )
        )
    else:
        supervision = kind is SheetKind.SUPERVISION
        code = "KA04" if supervision else "KA03"
        try:
            activity = info.key_activity(code).label
        except KeyError:
            activity = ""
        story = record_story(
            RecordSheetData(
                kind=SUPERVISION if supervision else MENTORING,
                header=header,
                sheet_id=ident,
                activity_code=code,
                activity_name=activity,
                day=day,
                leader="" if supervision else info.mentor_name,
            )
        )
    title = f"{kind.label} – prázdný list"
    return Document(_build(info, [(ident, story)], title), title, f"{ident}.pdf")
