"""Hours of training, mentoring and supervision per assistant, education area and month, and
the link to progress (which sessions served an area where the assistant improved).

Counting rules (also in README):
- Only sessions of the assistants (KA03, KA04), not archived, and only confirmed attendance:
  a participant marked *přítomen* counts their partial hours, or the whole session's hours
  when no partial hours are given; *omluven*, *nepřítomen* and not-yet-recorded count 0.
- A session serving several areas counts its **full** hours in **each** of its areas (as the
  funder counts hours per activity; hours are not split). Totals across areas therefore may
  exceed the hours actually spent — sum per area, never across areas.
- Teaching hours (45 min) and clock hours (60 min) are kept apart; ``total_clock_hours``
  converts teaching hours × 0.75 for a single number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from apk_desktop.db.models import EducationArea
from apk_desktop.db.models.sessions import SessionParticipant, TrainingSession, session_area
from apk_desktop.db.services.sessions import AreaRef, assistant_names
from apk_desktop.domain.czech_text import czech_sort_key
from apk_desktop.domain.sessions import (
    HourUnit,
    SessionKind,
    attended_hours,
    to_clock_hours,
)

ASSISTANT_KINDS = tuple(k.value for k in SessionKind if k.for_assistants)
MENTOR_KINDS = tuple(k.value for k in SessionKind if not k.for_assistants)
GROUPS = ("training", "mentoring", "supervision")


@dataclass(frozen=True)
class AreaHoursRow:
    """Hours of one assistant in one area, month and group (training/mentoring/supervision)."""

    assistant_id: int
    assistant_name: str  # "Příjmení Jméno"
    area_id: int
    area_code: str  # internal
    area_short_label: str
    area_label: str
    month: date  # the first day of the month
    group: str  # "training" / "mentoring" / "supervision"
    teaching_hours: Decimal
    clock_hours: Decimal
    session_count: int

    @property
    def total_clock_hours(self) -> Decimal:
        return self.clock_hours + to_clock_hours(self.teaching_hours, HourUnit.TEACHING)


@dataclass(frozen=True)
class MentorHoursRow:
    """The mentor's own training and supervision (KA05) per month, group and area ("" = none)."""

    month: date
    group: str
    area_code: str
    teaching_hours: Decimal
    clock_hours: Decimal
    session_count: int

    @property
    def total_clock_hours(self) -> Decimal:
        return self.clock_hours + to_clock_hours(self.teaching_hours, HourUnit.TEACHING)


@dataclass(frozen=True)
class LinkedSession:
    session_id: int
    date: date
    kind: SessionKind
    topic: str
    hours: Decimal  # counted for the assistant
    hour_unit: HourUnit


@dataclass(frozen=True)
class AreaProgressLink:
    """One area of one assistant: did they improve, and which attended sessions served it
    between their first and latest assessment in the area (all sessions when not assessed)."""

    area: AreaRef
    improved: bool
    progress_text: str  # "2 → 4", "3", "–"
    first_on: date | None
    latest_on: date | None
    sessions: tuple[LinkedSession, ...]  # oldest first

    @property
    def teaching_hours(self) -> Decimal:
        return sum((s.hours for s in self.sessions if s.hour_unit is HourUnit.TEACHING), Decimal(0))

    @property
    def clock_hours(self) -> Decimal:
        return sum((s.hours for s in self.sessions if s.hour_unit is HourUnit.CLOCK), Decimal(0))


def _month(day: date) -> date:
    return day.replace(day=1)


def hours_per_area(
    session: Session,
    project_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    assistant_id: int | None = None,
) -> list[AreaHoursRow]:
    """Rows per assistant × area × month × group with hours > 0 (see the module's rules),
    ordered by assistant name, month, area order, group."""
    ts, sp = TrainingSession, SessionParticipant
    stmt = (
        select(
            sp.assistant_id,
            sp.attendance,
            sp.hours_attended,
            ts.id,
            ts.hours,
            ts.hour_unit,
            ts.kind,
            ts.date,
            session_area.c.area_id,
        )
        .join(ts, ts.id == sp.session_id)
        .join(session_area, session_area.c.session_id == ts.id)
        .where(
            ts.project_id == project_id,
            ts.archived_at.is_(None),
            ts.kind.in_(ASSISTANT_KINDS),
            sp.attendance.is_not(None),
        )
    )
    if date_from is not None:
        stmt = stmt.where(ts.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(ts.date <= date_to)
    if assistant_id is not None:
        stmt = stmt.where(sp.assistant_id == assistant_id)
    totals: dict[tuple[int, int, date, str], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0), Decimal(0)]
    )
    for person, status, partial, _sid, hours, unit, kind, day, area_id in session.execute(stmt):
        counted = attended_hours(status, partial, hours)
        if counted <= 0:
            continue
        bucket = totals[(person, area_id, _month(day), SessionKind(kind).group)]
        bucket[0 if unit == HourUnit.TEACHING.value else 1] += counted
        bucket[2] += 1
    if not totals:
        return []
    names = assistant_names(session, {k[0] for k in totals}, last_first=True)
    areas = {
        a.id: a
        for a in session.scalars(
            select(EducationArea).where(EducationArea.project_id == project_id)
        )
    }
    rows = [
        AreaHoursRow(
            assistant_id=person,
            assistant_name=names[person],
            area_id=area_id,
            area_code=areas[area_id].code,
            area_short_label=areas[area_id].short_label,
            area_label=areas[area_id].label,
            month=month,
            group=group,
            teaching_hours=values[0],
            clock_hours=values[1],
            session_count=int(values[2]),
        )
        for (person, area_id, month, group), values in totals.items()
    ]
    rows.sort(
        key=lambda r: (
            czech_sort_key(r.assistant_name),
            r.assistant_id,
            r.month,
            areas[r.area_id].sort_order,
            GROUPS.index(r.group),
        )
    )
    return rows


def area_totals(
    rows: Iterable[AreaHoursRow],
) -> dict[tuple[int, str, str], tuple[Decimal, Decimal]]:
    """(assistant id, area code, group) → (teaching hours, clock hours) over all months."""
    totals: dict[tuple[int, str, str], tuple[Decimal, Decimal]] = {}
    for row in rows:
        key = (row.assistant_id, row.area_code, row.group)
        teaching, clock = totals.get(key, (Decimal(0), Decimal(0)))
        totals[key] = (teaching + row.teaching_hours, clock + row.clock_hours)
    return totals


def mentor_hours(
    session: Session,
    project_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[MentorHoursRow]:
    """The mentor's own training and supervision (KA05): whole session hours (the mentor is
    the participant), per month, group and area — full hours in each area, "" when none."""
    ts = TrainingSession
    stmt = (
        select(ts.id, ts.hours, ts.hour_unit, ts.kind, ts.date, EducationArea.code)
        .outerjoin(session_area, session_area.c.session_id == ts.id)
        .outerjoin(EducationArea, EducationArea.id == session_area.c.area_id)
        .where(ts.project_id == project_id, ts.archived_at.is_(None), ts.kind.in_(MENTOR_KINDS))
    )
    if date_from is not None:
        stmt = stmt.where(ts.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(ts.date <= date_to)
    totals: dict[tuple[date, str, str], list[Decimal]] = defaultdict(
        lambda: [Decimal(0), Decimal(0), Decimal(0)]
    )
    for _sid, hours, unit, kind, day, code in session.execute(stmt):
        bucket = totals[(_month(day), SessionKind(kind).group, code or "")]
        bucket[0 if unit == HourUnit.TEACHING.value else 1] += hours
        bucket[2] += 1
    return sorted(
        (
            MentorHoursRow(month, group, code, v[0], v[1], int(v[2]))
            for (month, group, code), v in totals.items()
        ),
        key=lambda r: (r.month, GROUPS.index(r.group), r.area_code),
    )


def attended_sessions(
    session: Session, project_id: int, assistant_id: int
) -> dict[int, list[LinkedSession]]:
    """area id → sessions (of the assistants, not archived) the assistant attended that served
    the area, oldest first."""
    ts, sp = TrainingSession, SessionParticipant
    stmt = (
        select(
            ts.id,
            ts.date,
            ts.kind,
            ts.topic,
            ts.hours,
            ts.hour_unit,
            sp.attendance,
            sp.hours_attended,
            session_area.c.area_id,
        )
        .join(sp, sp.session_id == ts.id)
        .join(session_area, session_area.c.session_id == ts.id)
        .where(
            ts.project_id == project_id,
            ts.archived_at.is_(None),
            ts.kind.in_(ASSISTANT_KINDS),
            sp.assistant_id == assistant_id,
        )
        .order_by(ts.date, ts.time_from, ts.id)
    )
    result: dict[int, list[LinkedSession]] = defaultdict(list)
    for sid, day, kind, topic, hours, unit, status, partial, area_id in session.execute(stmt):
        counted = attended_hours(status, partial, hours)
        if counted > 0:
            result[area_id].append(
                LinkedSession(sid, day, SessionKind(kind), topic, counted, HourUnit(unit))
            )
    return result


def progress_links(
    session: Session, project_id: int, assistant_id: int, today: date
) -> tuple[AreaProgressLink, ...]:
    """Per area (project order): the assistant's progress (from the assessments service) and
    the attended sessions that served the area between the first and the latest assessment
    in it (inclusive). Without two assessments in an area, every attended session is listed.
    """
    from apk_desktop.db.services.progress import assistant_progress

    progress = assistant_progress(session, project_id, assistant_id, today)
    attended = attended_sessions(session, project_id, assistant_id)
    links = []
    for area, area_progress in zip(progress.areas, progress.progress, strict=True):
        first = area_progress.first.on if area_progress.first else None
        latest = area_progress.latest.on if area_progress.latest else None
        sessions = attended.get(area.id, [])
        if first is not None and latest is not None and first < latest:
            sessions = [s for s in sessions if first <= s.date <= latest]
        links.append(
            AreaProgressLink(
                area=AreaRef(area.id, area.code, area.label, area.short_label),
                improved=area_progress.improved,
                progress_text=area_progress.text(),
                first_on=first,
                latest_on=latest,
                sessions=tuple(sessions),
            )
        )
    return tuple(links)
