"""Training, mentoring and supervision sessions (KA03, KA04, KA05): list, detail and changes.

Reads: ``session_page`` (one page of the session list, filtered and sorted in SQL, with keyset
paging: what the sessions page shows), ``count_sessions``, ``session_position``,
``list_sessions`` (the whole list, for exports and batches), ``get_session``,
``series_sessions``. Writes (each validates everything first, then writes;
the caller's unit of work commits or rolls back as a whole): ``create_session``,
``update_session``, ``create_series``, ``archive_session``, ``restore_session``,
``delete_session``. Attendance is in ``services/attendance.py``, signed scans in
``services/evidence.py``, hours per area in ``services/hours.py``, CSV/XLSX in
``services/export.py``.

Validation errors use the form's field names (see ``domain.sessions.SessionData``).
Overlaps are checked for participants (assistants), not for lecturers or the mentor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, overload

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.orm import Session

from apk_desktop.db.czech_sql import czech_order, folded_contains
from apk_desktop.db.models import Assistant, EducationArea, Employment, KeyActivity, Position
from apk_desktop.db.models.project import Project
from apk_desktop.db.models.sessions import (
    EvidenceFile,
    SessionParticipant,
    SessionSeries,
    TrainingSession,
    session_area,
)
from apk_desktop.db.versioning import check_version
from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.domain.czech_text import czech_sort_key
from apk_desktop.domain.errors import ConflictError, NotFoundError, ValidationError, collect
from apk_desktop.domain.recurrence import RecurrencePlan, RecurrenceRule, plan_dates
from apk_desktop.domain.roster import PersonName
from apk_desktop.domain.sessions import (
    Attendance,
    HourUnit,
    SessionData,
    SessionForm,
    SessionKind,
    SupervisionForm,
    SupervisorType,
    TimeSlot,
    attended_hours,
    format_time,
    parse_sheet_id,
    sheet_id,
    sheet_prefix,
    slot_text,
    slots_overlap,
    suggest_hours,
    validate_session,
)
from apk_desktop.domain.stored_paths import resolve_stored_path
from apk_desktop.paths import scans_dir

# ---- views -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRef:
    id: int
    code: str  # internal
    label: str
    short_label: str = ""  # what lists and exports show


@dataclass(frozen=True)
class SessionRow:
    """One line of the session list."""

    id: int
    kind: SessionKind
    activity_code: str  # "KA04"
    date: date
    time_from: time
    time_to: time
    hours: Decimal
    hour_unit: HourUnit
    form: SessionForm
    place: str
    lecturer: str
    topic: str
    area_short_labels: tuple[str, ...]  # in the project's area order
    participant_count: int
    attendance_recorded: bool  # every participant has a status
    evidence_count: int
    series_id: int | None
    archived: bool
    row_version: int

    @property
    def evidence_complete(self) -> bool:
        return self.evidence_count > 0

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def time_text(self) -> str:
        return f"{format_time(self.time_from)}–{format_time(self.time_to)}"

    @property
    def hours_text(self) -> str:
        return f"{format_hours(self.hours)} {self.hour_unit.short}"

    def evidence_text(self, now: datetime) -> str:
        """ "naplánováno" until the session has ended (no signed sheet can exist yet)."""
        if self.evidence_count:
            return "doloženo"
        return "chybí" if datetime.combine(self.date, self.time_to) <= now else "naplánováno"

    @property
    def sheet_id(self) -> str:
        """The id printed on the session's sheet (``PL-17``, ``SUP-5``, ``MEN-8``)."""
        return sheet_id(self.kind, self.id)


@dataclass(frozen=True)
class ParticipantView(PersonName):
    """An assistant in a session and their attendance."""

    assistant_id: int
    first_name: str
    last_name: str
    position_number: int | None  # the position they held on the session's day
    employed: bool  # employed on the session's day
    invited: bool  # False: came without an invitation (walk-in)
    status: Attendance | None  # None: attendance not recorded yet
    hours_attended: Decimal | None  # None: the whole session (when present)
    counted_hours: Decimal  # what counts for reports (0 unless present)
    note: str

    @property
    def position_text(self) -> str:
        return f"APK – pozice {self.position_number}" if self.position_number else "APK"

    @property
    def status_label(self) -> str:
        return self.status.label if self.status else ""


@dataclass(frozen=True)
class EvidenceView:
    """A signed scan attached to a session; ``relative_path`` is relative to scans_dir()."""

    id: int
    session_id: int
    relative_path: str
    original_name: str
    sha256: str
    size: int
    attached_at: datetime

    @property
    def path(self) -> Path:
        """The absolute path of the stored copy; InvalidStoredPathError (Czech) when the stored
        path leads outside scans_dir() (e.g. from a tampered backup)."""
        return resolve_stored_path(scans_dir(), self.relative_path)

    @property
    def is_pdf(self) -> bool:
        return self.relative_path.lower().endswith(".pdf")


@dataclass(frozen=True)
class SessionView:
    """Everything about one session (the edit form, the detail pane, the sheets)."""

    id: int
    project_id: int
    kind: SessionKind
    activity_code: str
    activity_label: str
    date: date
    time_from: time
    time_to: time
    hours: Decimal
    hour_unit: HourUnit
    place: str
    form: SessionForm
    lecturer: str
    topic: str
    areas: tuple[AreaRef, ...]
    participants: tuple[ParticipantView, ...]  # by position number, then name
    evidence: tuple[EvidenceView, ...]
    series_id: int | None
    supervision_form: SupervisionForm | None
    supervisor_type: SupervisorType | None
    conclusions: str
    agreed_steps: str
    next_meeting: dt.date | None
    private_note: str
    created_at: datetime
    updated_at: datetime
    archived: bool
    row_version: int  # changes with every change of the session, its participants or scans

    @property
    def evidence_complete(self) -> bool:
        return bool(self.evidence)

    @property
    def sheet_id(self) -> str:
        """Printed in the sheet's footer so a signed scan can be matched back to this record
        (``PL-17`` / ``SUP-5`` / ``MEN-8``: ``domain.sessions.sheet_id``)."""
        return sheet_id(self.kind, self.id)

    @property
    def present_count(self) -> int:
        return sum(1 for p in self.participants if p.status is Attendance.PRESENT)

    @property
    def attendance_recorded(self) -> bool:
        return bool(self.participants) and all(p.status for p in self.participants)

    def to_data(self) -> SessionData:
        """The session as form data (to pre-fill the edit form)."""
        return SessionData(
            kind=self.kind,
            date=self.date,
            time_from=self.time_from,
            time_to=self.time_to,
            hours=self.hours,
            hour_unit=self.hour_unit,
            place=self.place,
            form=self.form,
            lecturer=self.lecturer,
            topic=self.topic,
            area_ids=tuple(a.id for a in self.areas),
            participant_ids=tuple(p.assistant_id for p in self.participants),
            supervision_form=self.supervision_form,
            supervisor_type=self.supervisor_type,
            conclusions=self.conclusions,
            agreed_steps=self.agreed_steps,
            next_meeting=self.next_meeting,
            private_note=self.private_note,
        )


@dataclass(frozen=True)
class SessionFilter:
    """Filters of the session list; empty means all."""

    kinds: tuple[SessionKind, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    include_archived: bool = False
    evidence: str | None = None  # "missing" / "complete" / None
    text: str = ""  # searched in topic, lecturer and place; a sheet id ("PL-17") finds it
    ended_by: datetime | None = None  # only sessions that ended by then
    area_id: int | None = None
    assistant_id: int | None = None
    series_id: int | None = None


@dataclass(frozen=True)
class SeriesResult:
    """Sessions created from a recurrence rule."""

    series_id: int
    session_ids: tuple[int, ...]
    plan: RecurrencePlan


class SessionSort(StrEnum):
    """Columns the session list sorts by (in SQL); ties are broken as documented per key."""

    DATE = "date"  # date, start time, id
    TIME = "time"  # start time, date, id
    KIND = "kind"  # kind label (Czech alphabetical), date, start time, id
    ACTIVITY = "activity"  # KA code, date, start time, id
    TOPIC = "topic"  # topic (Czech alphabetical on SQLite, else case-insensitive), id
    AREAS = "areas"  # the areas' ids (groups sessions with the same areas), id
    HOURS = "hours"  # stated hours, id
    PARTICIPANTS = "participants"  # number of participants, id
    ATTENDANCE = "attendance"  # attendance recorded last (ascending), id
    EVIDENCE = "evidence"  # number of signed scans, id
    SHEET = "sheet"  # sheet id: the session id


PageCursor = tuple[Any, ...]  # the sort-key values of the last row read (keyset paging)


@dataclass(frozen=True)
class SessionPage:
    """One page of the session list. ``after`` is passed back to read the next page;
    ``total`` is the number of sessions matching the filters (when asked for)."""

    rows: Sequence[SessionRow]
    after: PageCursor | None  # None: no row on this page
    total: int | None = None


# ---- reads -------------------------------------------------------------------------------------


_KINDS = {k.value: (k, k.activity_code) for k in SessionKind}
_UNITS = {u.value: u for u in HourUnit}
_FORMS = {x.value: x for x in SessionForm}


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_time(value: Any) -> time:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _as_hours(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(f"{float(value):.2f}")


class SessionList(Sequence[SessionRow]):
    """A read-only sequence of ``SessionRow`` over fetched database tuples; each row is built
    the first time it is read (e.g. painted by the table view), then kept. ``session_page``
    returns it as it is; ``list_sessions`` returns ``list(...)`` of it.
    """

    __slots__ = ("_area_cache", "_areas", "_raw", "_rows")

    def __init__(self, raw: Sequence[Any], areas: dict[str, tuple[int, str]]) -> None:
        self._raw = raw
        self._rows: list[SessionRow | None] = [None] * len(raw)
        self._areas = areas
        self._area_cache: dict[str, tuple[str, ...]] = {"": ()}

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> SessionRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[SessionRow]: ...

    def __getitem__(self, index: int | slice) -> SessionRow | list[SessionRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._rows[index]
        if row is None:
            row = self._rows[index] = self._convert(self._raw[index])
        return row

    def __iter__(self) -> Iterator[SessionRow]:
        for i in range(len(self._raw)):
            yield self[i]

    def __repr__(self) -> str:
        return f"SessionList({len(self)} rows)"

    @property
    def ids(self) -> list[int]:
        return [r[0] for r in self._raw]

    def _convert(self, r: Any) -> SessionRow:
        area_text = r[11]
        area_labels = self._area_cache.get(area_text)
        if area_labels is None:
            known = sorted(self._areas[i] for i in area_text.split(",") if i in self._areas)
            area_labels = self._area_cache[area_text] = tuple(label for _, label in known)
        kind, activity_code = _KINDS[r[1]]
        return SessionRow(
            id=r[0],
            kind=kind,
            activity_code=activity_code,
            date=_as_date(r[2]),
            time_from=_as_time(r[3]),
            time_to=_as_time(r[4]),
            hours=_as_hours(r[5]),
            hour_unit=_UNITS[r[6]],
            form=_FORMS[r[7]],
            place=r[8],
            lecturer=r[9],
            topic=r[10],
            area_short_labels=area_labels,
            participant_count=r[12],
            attendance_recorded=r[12] > 0 and r[13] == 0,
            evidence_count=r[14],
            series_id=r[15],
            archived=r[16] is not None,
            row_version=r[17],
        )


def _list_columns(session: Session) -> list[Any]:
    ts = TrainingSession
    raw = _raw_reader(session)
    return [
        ts.id,
        ts.kind,
        raw(ts.date),
        raw(ts.time_from),
        raw(ts.time_to),
        raw(ts.hours),
        ts.hour_unit,
        ts.form,
        ts.place,
        ts.lecturer,
        ts.topic,
        ts.area_ids_text,
        ts.participant_count,
        ts.unrecorded_count,
        ts.evidence_count,
        ts.series_id,
        raw(ts.archived_at),
        ts.row_version,
    ]


def _raw_reader(session: Session) -> Callable[[Any], Any]:
    """On SQLite, read dates, times and numbers as stored; SessionList parses them when a row is
    first read (SQLAlchemy's own conversion of 20 000 rows would take ~150 ms). Keyset cursors
    hold these stored values and are compared with the stored values again."""
    if session.get_bind().dialect.name == "sqlite":
        return lambda column: type_coerce(column, String)
    return lambda column: column


def _conditions(session: Session, project_id: int, f: SessionFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the filters (all on ``training_session``; indexes: project+date)."""
    ts = TrainingSession
    where: list[ColumnElement[bool]] = [ts.project_id == project_id]
    if f.kinds:
        where.append(ts.kind.in_([str(k) for k in f.kinds]))
    if f.date_from is not None:
        where.append(ts.date >= f.date_from)
    if f.date_to is not None:
        where.append(ts.date <= f.date_to)
    if f.ended_by is not None:
        day, moment = f.ended_by.date(), f.ended_by.time()
        where.append(ts.date <= day)
        where.append(or_(ts.date < day, ts.time_to <= moment))
    if not f.include_archived:
        where.append(ts.archived_at.is_(None))
    if f.evidence == "missing":
        where.append(ts.evidence_count == 0)
    elif f.evidence == "complete":
        where.append(ts.evidence_count > 0)
    text = f.text.strip()
    if text:
        matches: list[ColumnElement[bool]] = [
            folded_contains(column, text) for column in (ts.topic, ts.lecturer, ts.place)
        ]
        printed = parse_sheet_id(text)
        if printed is not None:
            prefix, number = printed
            kinds = [k.value for k in SessionKind if sheet_prefix(k) == prefix]
            matches.append(and_(ts.id == number, ts.kind.in_(kinds)))
        where.append(or_(*matches))
    if f.area_id is not None:
        where.append(
            exists().where(session_area.c.session_id == ts.id, session_area.c.area_id == f.area_id)
        )
    if f.assistant_id is not None:
        where.append(
            exists().where(
                SessionParticipant.session_id == ts.id,
                SessionParticipant.assistant_id == f.assistant_id,
            )
        )
    if f.series_id is not None:
        where.append(ts.series_id == f.series_id)
    return where


_KIND_RANK = {
    k.value: rank
    for rank, k in enumerate(sorted(SessionKind, key=lambda k: czech_sort_key(k.label)))
}


def _sort_keys(session: Session, sort: SessionSort) -> list[Any]:
    """The ORDER BY expressions of ``sort``, each key unique thanks to the id at the end (a
    stable order, so keyset paging neither skips nor repeats a row)."""
    ts = TrainingSession
    raw = _raw_reader(session)
    when = [raw(ts.date), raw(ts.time_from)]
    keys: dict[SessionSort, list[Any]] = {
        SessionSort.DATE: when,
        SessionSort.TIME: [raw(ts.time_from), raw(ts.date)],
        SessionSort.KIND: [case(_KIND_RANK, value=ts.kind, else_=len(_KIND_RANK)), *when],
        SessionSort.ACTIVITY: [
            case({k.value: k.activity_code for k in SessionKind}, value=ts.kind, else_=""),
            *when,
        ],
        SessionSort.TOPIC: [czech_order(session, ts.topic)],
        SessionSort.AREAS: [ts.area_ids_text],
        SessionSort.HOURS: [raw(ts.hours)],
        SessionSort.PARTICIPANTS: [ts.participant_count],
        SessionSort.ATTENDANCE: [
            case((and_(ts.participant_count > 0, ts.unrecorded_count == 0), 1), else_=0)
        ],
        SessionSort.EVIDENCE: [ts.evidence_count],
        SessionSort.SHEET: [],
    }
    return [*keys[sort], ts.id]


def _position(keys: Sequence[Any], values: PageCursor) -> Any:
    """A row value of bound parameters, compared with the row value of ``keys`` (keyset)."""
    return tuple_(*(bindparam(None, v, type_=k.type) for k, v in zip(keys, values, strict=True)))


def _ordered(
    session: Session,
    stmt: Select[Any],
    sort: SessionSort,
    descending: bool,
    after: PageCursor | None,
) -> Select[Any]:
    keys = _sort_keys(session, sort)
    stmt = stmt.add_columns(*keys).order_by(*(k.desc() if descending else k for k in keys))
    if after is not None:
        if len(after) != len(keys):
            raise ValueError("the cursor belongs to another sort order")
        position = _position(keys, after)
        stmt = stmt.where(tuple_(*keys) < position if descending else tuple_(*keys) > position)
    return stmt


def _areas(session: Session, project_id: int) -> dict[str, tuple[int, str]]:
    areas = session.execute(
        select(EducationArea.id, EducationArea.short_label, EducationArea.sort_order).where(
            EducationArea.project_id == project_id
        )
    ).all()
    return {str(i): (order, label) for i, label, order in areas}


def count_sessions(session: Session, project_id: int, filters: SessionFilter | None = None) -> int:
    """How many sessions match the filters."""
    stmt = select(func.count()).select_from(TrainingSession)
    stmt = stmt.where(*_conditions(session, project_id, filters or SessionFilter()))
    return session.scalar(stmt) or 0


def session_page(
    session: Session,
    project_id: int,
    filters: SessionFilter | None = None,
    *,
    sort: SessionSort = SessionSort.DATE,
    descending: bool = True,
    after: PageCursor | None = None,
    limit: int = 200,
    with_total: bool = False,
) -> SessionPage:
    """One page of the session list (by default newest first: date, start time, id descending).

    Keyset paging: pass the previous page's ``after`` to get the rows that follow it. The
    filters and the order are applied in SQL, so a page of 200 out of 20 000 sessions reads
    200 rows (benchmarks/sessions_page.py); ``with_total`` adds the count of all matches.
    """
    f = filters or SessionFilter()
    stmt = select(*_list_columns(session)).where(*_conditions(session, project_id, f))
    stmt = _ordered(session, stmt, sort, descending, after).limit(max(limit, 0))
    raw = session.connection().execute(stmt).all()
    rows = SessionList(raw, _areas(session, project_id))
    width = len(_list_columns(session))
    cursor = tuple(raw[-1][width:]) if raw else None
    total = count_sessions(session, project_id, f) if with_total else None
    return SessionPage(rows=rows, after=cursor, total=total)


def session_position(
    session: Session,
    project_id: int,
    session_id: int,
    filters: SessionFilter | None = None,
    *,
    sort: SessionSort = SessionSort.DATE,
    descending: bool = True,
) -> int | None:
    """The 0-based place of a session in the filtered, sorted list; None when it is not in it
    (filtered out, archived, another project, deleted). Lets a paged list select any row."""
    f = filters or SessionFilter()
    where = _conditions(session, project_id, f)
    keys = _sort_keys(session, sort)
    mine = session.execute(
        select(*keys).where(TrainingSession.id == session_id, *where)
    ).one_or_none()
    if mine is None:
        return None
    position = _position(keys, tuple(mine))
    before = tuple_(*keys) > position if descending else tuple_(*keys) < position
    return session.scalar(select(func.count()).select_from(TrainingSession).where(*where, before))


def list_sessions(
    session: Session, project_id: int, filters: SessionFilter | None = None
) -> list[SessionRow]:
    """The whole session list, newest first (date, then start time, descending), for exports
    and batches. The sessions page reads ``session_page`` instead.

    One query on ``training_session`` alone (counts of participants and scans and the areas
    are summary columns kept by ``refresh_summary``), values parsed without SQLAlchemy's
    per-value processors on SQLite (benchmarks/sessions_list.py).
    """
    f = filters or SessionFilter()
    stmt = select(*_list_columns(session)).where(*_conditions(session, project_id, f))
    stmt = _ordered(session, stmt, SessionSort.DATE, True, None)
    return list(SessionList(session.connection().execute(stmt).all(), _areas(session, project_id)))


def refresh_summary(session: Session, record: TrainingSession) -> None:
    """Recount the list columns of a session (participants, unrecorded attendance, scans,
    areas). Every service that changes those calls this before returning."""
    session.flush()
    total, recorded = session.execute(
        select(func.count(), func.count(SessionParticipant.attendance)).where(
            SessionParticipant.session_id == record.id
        )
    ).one()
    record.participant_count = total
    record.unrecorded_count = total - recorded
    record.evidence_count = (
        session.scalar(select(func.count()).where(EvidenceFile.session_id == record.id)) or 0
    )
    area_ids = session.scalars(
        select(session_area.c.area_id)
        .where(session_area.c.session_id == record.id)
        .order_by(session_area.c.area_id)
    )
    record.area_ids_text = ",".join(str(i) for i in area_ids)
    session.flush()


def _session(session: Session, session_id: int, seen_version: int | None = None) -> TrainingSession:
    """The session; StaleRecordError when ``seen_version`` (the ``row_version`` the user saw)
    is given and another change came since."""
    record = session.get(TrainingSession, session_id)
    if record is None:
        raise NotFoundError("Setkání už v databázi není.")
    check_version(record, seen_version)
    return record


def _positions_on(session: Session, assistant_ids: Iterable[int], day: date) -> dict[int, int]:
    """assistant id → position number held on ``day`` (only those employed)."""
    ids = list(assistant_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Employment.assistant_id, Position.number)
        .join(Position, Position.id == Employment.position_id)
        .where(
            Employment.assistant_id.in_(ids),
            Employment.start_date <= day,
            or_(Employment.end_date.is_(None), Employment.end_date >= day),
        )
    )
    return {assistant_id: number for assistant_id, number in rows}


def assistant_names(
    session: Session, assistant_ids: Iterable[int], *, last_first: bool = False
) -> dict[int, str]:
    """assistant id → "Jméno Příjmení" (or "Příjmení Jméno" with ``last_first``)."""
    rows = session.execute(
        select(Assistant.id, Assistant.first_name, Assistant.last_name).where(
            Assistant.id.in_(list(assistant_ids))
        )
    )
    return {
        i: (f"{last} {first}" if last_first else f"{first} {last}").strip()
        for i, first, last in rows
    }


def evidence_view(record: EvidenceFile) -> EvidenceView:
    return EvidenceView(
        id=record.id,
        session_id=record.session_id,
        relative_path=record.relative_path,
        original_name=record.original_name,
        sha256=record.sha256,
        size=record.size,
        attached_at=record.attached_at,
    )


def session_view(session: Session, record: TrainingSession) -> SessionView:
    """The full view of a loaded session record."""
    kind = SessionKind(record.kind)
    activity = session.get(KeyActivity, record.key_activity_id) if record.key_activity_id else None
    people = {
        a.id: a
        for a in session.scalars(
            select(Assistant).where(Assistant.id.in_([p.assistant_id for p in record.participants]))
        )
    }
    positions = _positions_on(session, people, record.date)
    participants = []
    for p in record.participants:
        person = people[p.assistant_id]
        status = Attendance(p.attendance) if p.attendance else None
        participants.append(
            ParticipantView(
                assistant_id=p.assistant_id,
                first_name=person.first_name,
                last_name=person.last_name,
                position_number=positions.get(p.assistant_id),
                employed=p.assistant_id in positions,
                invited=p.invited,
                status=status,
                hours_attended=p.hours_attended,
                counted_hours=attended_hours(status, p.hours_attended, record.hours),
                note=p.note,
            )
        )
    participants.sort(
        key=lambda v: (v.position_number or 999, czech_sort_key(v.sort_name), v.assistant_id)
    )
    return SessionView(
        id=record.id,
        project_id=record.project_id,
        kind=kind,
        activity_code=activity.code if activity else kind.activity_code,
        activity_label=activity.label if activity else "",
        date=record.date,
        time_from=record.time_from,
        time_to=record.time_to,
        hours=record.hours,
        hour_unit=HourUnit(record.hour_unit),
        place=record.place,
        form=SessionForm(record.form),
        lecturer=record.lecturer,
        topic=record.topic,
        areas=tuple(AreaRef(a.id, a.code, a.label, a.short_label) for a in record.areas),
        participants=tuple(participants),
        evidence=tuple(evidence_view(e) for e in record.evidence),
        series_id=record.series_id,
        supervision_form=(
            SupervisionForm(record.supervision_form) if record.supervision_form else None
        ),
        supervisor_type=(
            SupervisorType(record.supervisor_type) if record.supervisor_type else None
        ),
        conclusions=record.conclusions,
        agreed_steps=record.agreed_steps,
        next_meeting=record.next_meeting,
        private_note=record.private_note,
        created_at=record.created_at,
        updated_at=record.updated_at,
        archived=record.archived_at is not None,
        row_version=record.row_version,
    )


def get_session(session: Session, session_id: int) -> SessionView:
    """One session with its areas, participants (with attendance) and scans."""
    return session_view(session, _session(session, session_id))


def series_sessions(session: Session, series_id: int) -> list[SessionRow]:
    """The sessions created by one recurrence rule (archived included), newest first."""
    series = session.get(SessionSeries, series_id)
    if series is None:
        raise NotFoundError("Opakování už v databázi není.")
    return list_sessions(
        session, series.project_id, SessionFilter(series_id=series_id, include_archived=True)
    )


# ---- validation against stored data ------------------------------------------------------------


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("Projekt už v databázi není.")
    return project


def _check_refs(
    session: Session, project_id: int, data: SessionData, days: Sequence[date]
) -> dict[str, str]:
    """Areas of the project; participants of the project and employed on every day."""
    errors: dict[str, str] = {}
    if data.area_ids:
        known = set(
            session.scalars(
                select(EducationArea.id).where(
                    EducationArea.project_id == project_id, EducationArea.id.in_(data.area_ids)
                )
            )
        )
        if known != set(data.area_ids):
            errors["areas"] = "Vybraná vzdělávací oblast už v projektu není."
    if data.participant_ids:
        people = {
            a.id: a
            for a in session.scalars(
                select(Assistant).where(
                    Assistant.project_id == project_id, Assistant.id.in_(data.participant_ids)
                )
            )
        }
        if set(people) != set(data.participant_ids):
            errors["participants"] = "Vybraný účastník už v databázi není."
            return errors
        problems = []
        for day in days:
            employed = _positions_on(session, data.participant_ids, day)
            for assistant_id in data.participant_ids:
                if assistant_id not in employed:
                    problems.append(
                        f"{people[assistant_id].full_name} nebyl(a) {format_date(day)} "
                        "zaměstnán(a) jako asistent(ka)."
                    )
            if len(problems) >= 5:
                break
        if problems:
            errors["participants"] = "\n".join(problems[:5])
    return errors


def _overlap_errors(
    session: Session,
    project_id: int,
    participant_ids: Sequence[int],
    slots: Sequence[TimeSlot],
    ignore_id: int | None = None,
) -> dict[str, str]:
    """A participant may not be in two overlapping sessions (archived ones don't count)."""
    if not participant_ids or not slots:
        return {}
    ts = TrainingSession
    stmt = (
        select(ts.date, ts.time_from, ts.time_to, ts.topic, SessionParticipant.assistant_id)
        .join(SessionParticipant, SessionParticipant.session_id == ts.id)
        .where(
            ts.project_id == project_id,
            ts.archived_at.is_(None),
            ts.date.in_({s.day for s in slots}),
            SessionParticipant.assistant_id.in_(participant_ids),
        )
    )
    if ignore_id is not None:
        stmt = stmt.where(ts.id != ignore_id)
    by_day: dict[date, list[TimeSlot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.day].append(slot)
    clashes: list[tuple[int, str]] = []
    for day, start, end, topic, assistant_id in session.execute(stmt):
        other = TimeSlot(day, start, end, topic)
        if any(slots_overlap(mine, other) for mine in by_day[day]):
            clashes.append((assistant_id, f"„{topic}“ {slot_text(other)}"))
    if not clashes:
        return {}
    names = assistant_names(session, {a for a, _ in clashes})
    lines = [f"{names[a]} má v tu dobu jiné setkání: {what}." for a, what in clashes[:5]]
    if len(clashes) > 5:
        lines.append(f"… a další ({len(clashes) - 5}).")
    return {"participants": "\n".join(lines)}


def _prepare(
    session: Session,
    project: Project,
    data: SessionData,
    days: Sequence[date],
    ignore_id: int | None = None,
) -> SessionData:
    """Clean and validate ``data`` for ``days``; raise ValidationError with every problem."""
    data = data.clean()
    if data.kind.is_mentoring and not data.lecturer:
        data = replace(data, lecturer=project.mentor_name.strip())
    period = (project.period_start, project.period_end)
    errors: dict[str, str] = {}
    for day in days:
        day_errors = validate_session(replace(data, date=day), period=period)
        if len(days) > 1 and "date" in day_errors:
            day_errors["date"] = f"{format_date(day)}: {day_errors['date']}"
        for key, message in day_errors.items():
            errors.setdefault(key, message)
    if not days:
        errors["date"] = "Zadejte datum."
    refs = _check_refs(session, project.id, data, days) if days else {}
    for key, message in refs.items():
        errors.setdefault(key, message)
    if not errors and data.time_from and data.time_to:
        slots = [TimeSlot(day, data.time_from, data.time_to) for day in days]
        errors.update(_overlap_errors(session, project.id, data.participant_ids, slots, ignore_id))
    collect(errors)
    if data.hours is None:
        assert data.time_from and data.time_to
        data = replace(data, hours=suggest_hours(data.time_from, data.time_to, data.hour_unit))
    return data


def _key_activity_id(session: Session, project_id: int, kind: SessionKind) -> int | None:
    return session.scalar(
        select(KeyActivity.id).where(
            KeyActivity.project_id == project_id, KeyActivity.code == kind.activity_code
        )
    )


def _apply(record: TrainingSession, data: SessionData, day: date) -> None:
    assert data.time_from and data.time_to and data.hours is not None
    record.kind = data.kind.value
    record.date = day
    record.time_from = data.time_from
    record.time_to = data.time_to
    record.hours = data.hours
    record.hour_unit = data.hour_unit.value
    record.place = data.place
    record.form = data.form.value
    record.lecturer = data.lecturer
    record.topic = data.topic
    record.supervision_form = data.supervision_form.value if data.supervision_form else None
    record.supervisor_type = data.supervisor_type.value if data.supervisor_type else None
    record.conclusions = data.conclusions
    record.agreed_steps = data.agreed_steps
    record.next_meeting = data.next_meeting
    record.private_note = data.private_note


def _set_areas(session: Session, record: TrainingSession, area_ids: Sequence[int]) -> None:
    areas = session.scalars(select(EducationArea).where(EducationArea.id.in_(area_ids))).all()
    record.areas = sorted(areas, key=lambda a: (a.sort_order, a.id))


# ---- writes ------------------------------------------------------------------------------------


def create_session(session: Session, project_id: int, data: SessionData) -> SessionView:
    """A new session with its areas and invited participants (one transaction).

    Raises ValidationError (field → Czech message) for bad input, a participant not employed
    on the date, or a participant already in an overlapping session.
    """
    project = _project(session, project_id)
    days = [data.date] if data.date else []
    data = _prepare(session, project, data, days)
    record = _new_record(session, project_id, data, days[0], series_id=None)
    session.flush()
    return session_view(session, record)


def _new_record(
    session: Session, project_id: int, data: SessionData, day: date, series_id: int | None
) -> TrainingSession:
    now = datetime.now()
    record = TrainingSession(
        project_id=project_id,
        key_activity_id=_key_activity_id(session, project_id, data.kind),
        series_id=series_id,
        created_at=now,
        updated_at=now,
    )
    _apply(record, data, day)
    _set_areas(session, record, data.area_ids)
    record.participants = [
        SessionParticipant(assistant_id=a, invited=True, note="") for a in data.participant_ids
    ]
    record.participant_count = record.unrecorded_count = len(data.participant_ids)
    record.evidence_count = 0
    record.area_ids_text = ",".join(str(i) for i in sorted(data.area_ids))
    session.add(record)
    return record


def update_session(
    session: Session, session_id: int, data: SessionData, *, seen_version: int | None = None
) -> SessionView:
    """Change a session. ``participant_ids`` is the full list of participants: those left out
    are removed with their attendance, new ones are added as invited, the rest keep their
    attendance. Partial hours longer than the new session hours are refused."""
    record = _session(session, session_id, seen_version)
    project = _project(session, record.project_id)
    days = [data.date] if data.date else []
    data = _prepare(session, project, data, days, ignore_id=session_id)
    assert data.hours is not None
    kept = [p for p in record.participants if p.assistant_id in set(data.participant_ids)]
    too_long = [p for p in kept if p.hours_attended is not None and p.hours_attended > data.hours]
    if too_long:
        raise ValidationError(
            {
                "hours": "Někteří účastníci mají zapsanou účast delší než nový počet hodin. "
                "Nejdříve upravte jejich docházku."
            }
        )
    kind_changed = record.kind != data.kind.value
    _apply(record, data, days[0])
    if kind_changed:
        record.key_activity_id = _key_activity_id(session, record.project_id, data.kind)
    _set_areas(session, record, data.area_ids)
    existing = {p.assistant_id for p in kept}
    record.participants = kept + [
        SessionParticipant(assistant_id=a, invited=True, note="")
        for a in data.participant_ids
        if a not in existing
    ]
    record.updated_at = datetime.now()
    refresh_summary(session, record)
    return session_view(session, record)


def create_series(
    session: Session, project_id: int, data: SessionData, rule: RecurrenceRule
) -> SeriesResult:
    """Create one session per date of ``rule`` (Czech public holidays skipped), all or nothing.

    ``data.date`` is ignored (the rule gives the dates). Every date is validated (project
    period, employment of participants, overlaps) before anything is written; the error
    messages name the date that failed. Each created session is an ordinary session
    afterwards (edit or archive it alone); they share ``series_id``.
    """
    project = _project(session, project_id)
    plan = plan_dates(rule)
    data = _prepare(session, project, data, plan.dates)
    series = SessionSeries(
        project_id=project_id,
        rule=plan.rrule_text,
        description=plan.description,
        created_at=datetime.now(),
    )
    session.add(series)
    session.flush()
    records = [_new_record(session, project_id, data, day, series.id) for day in plan.dates]
    session.flush()
    return SeriesResult(series.id, tuple(r.id for r in records), plan)


def archive_session(
    session: Session, session_id: int, *, seen_version: int | None = None
) -> SessionView:
    """Hide a session from the list and from the hours (kept in the database)."""
    record = _session(session, session_id, seen_version)
    if record.archived_at is None:
        record.archived_at = datetime.now()
        session.flush()
    return session_view(session, record)


def restore_session(
    session: Session, session_id: int, *, seen_version: int | None = None
) -> SessionView:
    """Bring an archived session back (its participants must not overlap other sessions)."""
    record = _session(session, session_id, seen_version)
    if record.archived_at is None:
        return session_view(session, record)
    errors = _overlap_errors(
        session,
        record.project_id,
        [p.assistant_id for p in record.participants],
        [TimeSlot(record.date, record.time_from, record.time_to)],
        ignore_id=record.id,
    )
    if errors:
        raise ConflictError("Setkání nelze obnovit.\n" + errors["participants"])
    record.archived_at = None
    session.flush()
    return session_view(session, record)


def delete_session(session: Session, session_id: int, *, seen_version: int | None = None) -> None:
    """Delete a session that has no signed scan and no recorded attendance; otherwise archive it
    (ConflictError says so)."""
    record = _session(session, session_id, seen_version)
    if record.evidence:
        raise ConflictError(
            "Setkání má přiložený podepsaný sken, nelze ho smazat. Můžete ho archivovat."
        )
    if any(p.attendance for p in record.participants):
        raise ConflictError("Setkání má zapsanou docházku, nelze ho smazat. Můžete ho archivovat.")
    session.delete(record)
    session.flush()
