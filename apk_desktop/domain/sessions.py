"""Rules for training, mentoring and supervision sessions (KA03, KA04, KA05). No Qt, no SQL.

Hours rule (documented in README too): a session states its hours in teaching hours
(vyučovací hodiny, 45 min) or clock hours (60 min). The time range gives the *range hours*
= minutes / 45 (or / 60) rounded to the nearest 0.25. The stated hours must be a positive
multiple of 0.25, must not exceed the range hours, and must be at least two thirds of them
(breaks may take up to a third of the time). ``suggest_hours`` gives the range hours, which
the form pre-fills.

Attendance: ``present`` with ``hours_attended`` None means the whole session; a partial
attendance states fewer hours (multiple of 0.25, more than 0, at most the session's hours).
``excused`` and ``absent`` carry no hours.

Overlap rule: two sessions (not archived) overlap when they are on the same day and their
half-open time ranges [from, to) intersect. A *participant* (assistant) may not be in two
overlapping sessions. Lecturers and the mentor are not checked (a lecturer's name is free
text, and the mentor may legitimately note two short parallel activities).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.domain.limits import clean_text, length_error, length_errors

QUARTER = Decimal("0.25")
MIN_SHARE = Decimal(2) / Decimal(3)  # stated hours ≥ 2/3 of the range hours (breaks)
MAX_HOURS = Decimal(24)
NOT_A_NUMBER = "Počet hodin musí být číslo (např. 1,5)."
SESSION_TEXT_FIELDS = ("place", "lecturer", "topic", "conclusions", "agreed_steps", "private_note")


class SessionKind(StrEnum):
    TRAINING = "training"
    ASSISTANT_SUPERVISION = "assistant_supervision"
    MENTORING_INDIVIDUAL = "mentoring_individual"
    MENTORING_GROUP = "mentoring_group"
    MENTOR_TRAINING = "mentor_training"
    MENTOR_SUPERVISION = "mentor_supervision"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def activity_code(self) -> str:
        """The key activity the kind belongs to: KA03, KA04 or KA05."""
        return KIND_ACTIVITY[self]

    @property
    def group(self) -> str:
        """``training`` / ``mentoring`` / ``supervision`` — the columns of the hours report."""
        return KIND_GROUP[self]

    @property
    def for_assistants(self) -> bool:
        """True for sessions of the assistants (KA03, KA04); False for the mentor's own (KA05)."""
        return self not in (SessionKind.MENTOR_TRAINING, SessionKind.MENTOR_SUPERVISION)

    @property
    def is_supervision(self) -> bool:
        return self in (SessionKind.ASSISTANT_SUPERVISION, SessionKind.MENTOR_SUPERVISION)

    @property
    def is_mentoring(self) -> bool:
        return self in (SessionKind.MENTORING_INDIVIDUAL, SessionKind.MENTORING_GROUP)

    @property
    def default_hour_unit(self) -> HourUnit:
        """Training is counted in 45-minute teaching hours, mentoring and supervision in
        60-minute hours."""
        if self in (SessionKind.TRAINING, SessionKind.MENTOR_TRAINING):
            return HourUnit.TEACHING
        return HourUnit.CLOCK

    @property
    def has_record(self) -> bool:
        """Supervision and mentoring keep a record: conclusions, agreed steps, next meeting."""
        return self.is_supervision or self.is_mentoring


KIND_LABELS: dict[SessionKind, str] = {
    SessionKind.TRAINING: "Vzdělávání APK",
    SessionKind.ASSISTANT_SUPERVISION: "Supervize APK",
    SessionKind.MENTORING_INDIVIDUAL: "Mentoring individuální",
    SessionKind.MENTORING_GROUP: "Mentoring skupinový",
    SessionKind.MENTOR_TRAINING: "Vzdělávání mentora",
    SessionKind.MENTOR_SUPERVISION: "Supervize mentora",
}
KIND_ACTIVITY: dict[SessionKind, str] = {
    SessionKind.TRAINING: "KA04",
    SessionKind.ASSISTANT_SUPERVISION: "KA04",
    SessionKind.MENTORING_INDIVIDUAL: "KA03",
    SessionKind.MENTORING_GROUP: "KA03",
    SessionKind.MENTOR_TRAINING: "KA05",
    SessionKind.MENTOR_SUPERVISION: "KA05",
}
KIND_GROUP: dict[SessionKind, str] = {
    SessionKind.TRAINING: "training",
    SessionKind.ASSISTANT_SUPERVISION: "supervision",
    SessionKind.MENTORING_INDIVIDUAL: "mentoring",
    SessionKind.MENTORING_GROUP: "mentoring",
    SessionKind.MENTOR_TRAINING: "training",
    SessionKind.MENTOR_SUPERVISION: "supervision",
}
GROUP_LABELS = {"training": "Vzdělávání", "mentoring": "Mentoring", "supervision": "Supervize"}

# Sheet identifiers, printed in every sheet's footer so a signed scan can be matched back to its
# session: the prefix says which sheet the session prints (a training prints a prezenční listina,
# a supervision its záznam ze supervize, a mentoring its záznam z mentoringu).
ATTENDANCE_SHEET_PREFIX = "PL"
SUPERVISION_SHEET_PREFIX = "SUP"
MENTORING_SHEET_PREFIX = "MEN"
_SHEET_ID = re.compile(r"\s*(PL|SUP|MEN)\s*-\s*(\d{1,9})\s*", re.IGNORECASE)


def sheet_prefix(kind: SessionKind) -> str:
    """``PL`` / ``SUP`` / ``MEN``: which sheet a session of ``kind`` prints."""
    if kind.is_supervision:
        return SUPERVISION_SHEET_PREFIX
    if kind.is_mentoring:
        return MENTORING_SHEET_PREFIX
    return ATTENDANCE_SHEET_PREFIX


def sheet_id(kind: SessionKind, session_id: int) -> str:
    """The one source of a session's sheet identifier, e.g. ``PL-17`` or ``SUP-5``: printed in
    the sheet's footer, shown in the session list and searchable there."""
    return f"{sheet_prefix(kind)}-{session_id}"


def parse_sheet_id(text: str) -> tuple[str, int] | None:
    """(prefix, session id) of a typed or scanned sheet id such as ``pl-17``; None otherwise."""
    match = _SHEET_ID.fullmatch(text)
    return (match.group(1).upper(), int(match.group(2))) if match else None


class HourUnit(StrEnum):
    TEACHING = "teaching"  # vyučovací hodina, 45 minutes
    CLOCK = "clock"  # hodina, 60 minutes

    @property
    def minutes(self) -> int:
        return 45 if self is HourUnit.TEACHING else 60

    @property
    def label(self) -> str:
        return "vyučovací hodiny (45 min)" if self is HourUnit.TEACHING else "hodiny (60 min)"

    @property
    def short(self) -> str:
        return "vyuč. h" if self is HourUnit.TEACHING else "h"


class SessionForm(StrEnum):
    PREZENCNE = "prezencne"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return "prezenčně" if self is SessionForm.PREZENCNE else "online"


class SupervisionForm(StrEnum):
    INDIVIDUALNI = "individualni"
    SKUPINOVA = "skupinova"
    TYMOVA = "tymova"
    PRIPADOVA = "pripadova"

    @property
    def label(self) -> str:
        return SUPERVISION_FORM_LABELS[self]


SUPERVISION_FORM_LABELS: dict[SupervisionForm, str] = {
    SupervisionForm.INDIVIDUALNI: "individuální",
    SupervisionForm.SKUPINOVA: "skupinová",
    SupervisionForm.TYMOVA: "týmová",
    SupervisionForm.PRIPADOVA: "případová",
}


class SupervisorType(StrEnum):
    EXTERNI = "externi"
    INTERNI = "interni"

    @property
    def label(self) -> str:
        return "externí" if self is SupervisorType.EXTERNI else "interní"


class Attendance(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return ATTENDANCE_LABELS[self]


ATTENDANCE_LABELS: dict[Attendance, str] = {
    Attendance.PRESENT: "přítomen",
    Attendance.EXCUSED: "omluven",
    Attendance.ABSENT: "nepřítomen",
}


@dataclass(frozen=True)
class SessionData:
    """What the session form holds. Field names are the form's field names (and the keys of
    ``ValidationError.field_errors``): kind, date, time_from, time_to, hours, hour_unit, place,
    form, lecturer, topic, area_ids → "areas", participant_ids → "participants",
    supervision_form, supervisor_type, conclusions, agreed_steps, next_meeting, private_note.

    ``hours`` None means "as the time range gives" (``suggest_hours``). ``participant_ids`` are
    the invited assistants; the key activity follows from ``kind``.
    """

    kind: SessionKind
    date: date | None
    time_from: time | None
    time_to: time | None
    hours: Decimal | None = None
    hour_unit: HourUnit = HourUnit.TEACHING
    place: str = ""
    form: SessionForm = SessionForm.PREZENCNE
    lecturer: str = ""
    topic: str = ""
    area_ids: tuple[int, ...] = ()
    participant_ids: tuple[int, ...] = ()
    supervision_form: SupervisionForm | None = None
    supervisor_type: SupervisorType | None = None  # supervision only: externí / interní
    conclusions: str = ""
    agreed_steps: str = ""
    next_meeting: dt.date | None = None
    private_note: str = ""

    def clean(self) -> SessionData:
        """Stripped texts, de-duplicated ids (order kept), the right enums."""
        return replace(
            self,
            kind=SessionKind(self.kind),
            hour_unit=HourUnit(self.hour_unit),
            form=SessionForm(self.form),
            supervision_form=(
                SupervisionForm(self.supervision_form) if self.supervision_form else None
            ),
            supervisor_type=SupervisorType(self.supervisor_type) if self.supervisor_type else None,
            place=clean_text("session.place", self.place),
            lecturer=clean_text("session.lecturer", self.lecturer),
            topic=clean_text("session.topic", self.topic),
            conclusions=clean_text("session.conclusions", self.conclusions),
            agreed_steps=clean_text("session.agreed_steps", self.agreed_steps),
            private_note=clean_text("session.private_note", self.private_note),
            area_ids=tuple(dict.fromkeys(self.area_ids)),
            participant_ids=tuple(dict.fromkeys(self.participant_ids)),
        )


@dataclass(frozen=True)
class AttendanceEntry:
    """One row of the attendance form. ``hours_attended`` None = the whole session when present.
    Assistants not invited are added as walk-ins (``invited`` False)."""

    assistant_id: int
    status: Attendance | None
    hours_attended: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class TimeSlot:
    """A session's day and time range, for overlap checks."""

    day: date
    start: time
    end: time
    label: str = field(default="", compare=False)


# ---- hours -------------------------------------------------------------------------------------


def minutes_between(start: time, end: time) -> int:
    """Whole minutes from ``start`` to ``end`` on the same day (negative when end is earlier)."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def round_quarter(value: Decimal) -> Decimal:
    """Round to the nearest 0.25 (halves up): 4.333 → 4.25, 4.375 → 4.5."""
    return (value / QUARTER).quantize(Decimal(1), rounding=ROUND_HALF_UP) * QUARTER


def suggest_hours(start: time, end: time, unit: HourUnit | str) -> Decimal:
    """The range hours: minutes / 45 (teaching) or / 60 (clock), rounded to the nearest 0.25."""
    minutes = minutes_between(start, end)
    return round_quarter(Decimal(minutes) / Decimal(HourUnit(unit).minutes))


def hours_bounds(start: time, end: time, unit: HourUnit | str) -> tuple[Decimal, Decimal]:
    """(lowest, highest) stated hours the time range allows."""
    highest = suggest_hours(start, end, unit)
    lowest = max(QUARTER, round_quarter(highest * MIN_SHARE))
    return lowest, highest


def is_quarter(value: Decimal) -> bool:
    return value % QUARTER == 0


def to_clock_hours(hours: Decimal, unit: HourUnit | str) -> Decimal:
    """Teaching hours × 0.75; clock hours unchanged."""
    return hours * Decimal("0.75") if HourUnit(unit) is HourUnit.TEACHING else hours


def hours_error(
    hours: Decimal | None, start: time | None, end: time | None, unit: HourUnit | str
) -> str | None:
    """Czech message when the stated hours don't fit the time range, else None."""
    if hours is None:
        return None
    if not hours.is_finite():
        return NOT_A_NUMBER
    if hours <= 0:
        return "Počet hodin musí být větší než nula."
    if hours > MAX_HOURS:
        return "Počet hodin je příliš velký."
    if not is_quarter(hours):
        return "Počet hodin zadejte po čtvrthodinách (např. 1,5 nebo 2,25)."
    if start is None or end is None or minutes_between(start, end) <= 0:
        return None  # the time fields carry their own message
    unit = HourUnit(unit)
    lowest, highest = hours_bounds(start, end, unit)
    if lowest <= hours <= highest:
        return None
    range_text = f"{format_time(start)}–{format_time(end)}"
    return (
        f"Počet hodin neodpovídá času {range_text}: vychází {format_hours(highest)} "
        f"{unit.label}. Zadejte nejvýše {format_hours(highest)} {unit.short} a nejméně "
        f"{format_hours(lowest)} {unit.short} (přestávky)."
    )


# ---- times and overlaps ------------------------------------------------------------------------


def format_time(value: time | None) -> str:
    """``time(9, 5)`` → ``"9:05"``; None → ``""``."""
    return f"{value.hour}:{value.minute:02d}" if value else ""


def parse_time(text: str, field_name: str = "", *, required: bool = True) -> time | None:
    """Parse ``9:00``, ``9.00``, ``09:30`` or ``9`` (whole hour). Raises ValidationError."""
    from apk_desktop.domain.errors import ValidationError

    cleaned = text.strip().replace(".", ":")
    if not cleaned:
        if required:
            raise ValidationError({field_name: "Zadejte čas."})
        return None
    parts = cleaned.split(":")
    try:
        if len(parts) == 1:
            return time(int(parts[0]), 0)
        if len(parts) == 2 and len(parts[1]) == 2:
            return time(int(parts[0]), int(parts[1]))
    except ValueError:
        pass
    raise ValidationError({field_name: f"„{text.strip()}“ není platný čas. Zadejte ho jako 9:30."})


def slots_overlap(a: TimeSlot, b: TimeSlot) -> bool:
    """Same day and the half-open ranges [start, end) intersect (9–10 and 10–11 don't)."""
    return a.day == b.day and a.start < b.end and b.start < a.end


def slot_text(slot: TimeSlot) -> str:
    return f"{format_date(slot.day)} {format_time(slot.start)}–{format_time(slot.end)}"


# ---- validation --------------------------------------------------------------------------------


def validate_session(
    data: SessionData,
    *,
    period: tuple[date, date] | None = None,
) -> dict[str, str]:
    """Field errors of a session form (Czech). ``data`` should be ``clean()``-ed.

    ``period`` is the project's period; the date must fall inside it when given.
    Checks that need the database (employment, overlaps, unknown ids) live in the service.
    """
    errors: dict[str, str] = {}
    kind = data.kind
    if data.date is None:
        errors["date"] = "Zadejte datum."
    elif period is not None and not period[0] <= data.date <= period[1]:
        errors["date"] = (
            f"Datum musí spadat do období projektu {format_date(period[0])} – "
            f"{format_date(period[1])}."
        )
    if data.time_from is None:
        errors["time_from"] = "Zadejte čas začátku."
    if data.time_to is None:
        errors["time_to"] = "Zadejte čas konce."
    if data.time_from and data.time_to and minutes_between(data.time_from, data.time_to) <= 0:
        errors["time_to"] = "Konec musí být později než začátek."
    message = hours_error(data.hours, data.time_from, data.time_to, data.hour_unit)
    if message:
        errors["hours"] = message
    if data.form is SessionForm.PREZENCNE and not data.place:
        errors["place"] = "Zadejte místo konání."
    if not data.topic:
        errors["topic"] = "Zadejte téma."
    if not data.lecturer and not kind.is_mentoring:
        who = "supervizora" if kind.is_supervision else "lektora"
        errors["lecturer"] = f"Zadejte jméno {who}."
    if kind.for_assistants and not data.area_ids:
        errors["areas"] = "Vyberte alespoň jednu vzdělávací oblast."
    if kind.for_assistants and not data.participant_ids:
        errors["participants"] = "Vyberte alespoň jednoho účastníka."
    individual = kind is SessionKind.MENTORING_INDIVIDUAL or (
        kind.is_supervision and data.supervision_form is SupervisionForm.INDIVIDUALNI
    )
    if individual and kind.for_assistants and len(data.participant_ids) > 1:
        errors["participants"] = "Individuální setkání má právě jednoho účastníka."
    if kind.is_supervision and data.supervision_form is None:
        errors["supervision_form"] = "Vyberte formu supervize."
    if not kind.is_supervision and data.supervision_form is not None:
        errors["supervision_form"] = "Forma supervize se zadává jen u supervize."
    if not kind.is_supervision and data.supervisor_type is not None:
        errors["supervisor_type"] = "Typ supervizora se zadává jen u supervize."
    if data.next_meeting is not None and data.date is not None and data.next_meeting <= data.date:
        errors["next_meeting"] = "Další setkání musí být až po tomto setkání."
    too_long = length_errors(
        {name: (f"session.{name}", getattr(data, name)) for name in SESSION_TEXT_FIELDS}
    )
    return errors | too_long


def attendance_errors(
    entry: AttendanceEntry, session_hours: Decimal, unit: HourUnit | str, field_name: str
) -> dict[str, str]:
    """Errors of one attendance row; the key is ``field_name`` (e.g. ``"attendance:12"``)."""
    hours = entry.hours_attended
    note_error = length_error("attendance.note", entry.note)
    if note_error:
        return {field_name: note_error}
    if hours is not None and not hours.is_finite():
        return {field_name: NOT_A_NUMBER}
    if entry.status is None:
        if hours is not None:
            return {field_name: "Vyberte, zda byl účastník přítomen."}
        return {}
    if Attendance(entry.status) is not Attendance.PRESENT:
        if hours not in (None, Decimal(0)):
            return {field_name: "Omluvený nebo nepřítomný účastník nemá odpracované hodiny."}
        return {}
    if hours is None:
        return {}
    if hours <= 0:
        return {field_name: "Přítomný účastník musí mít více než 0 hodin."}
    if not is_quarter(hours):
        return {field_name: "Hodiny zadejte po čtvrthodinách (např. 1,5)."}
    if hours > session_hours:
        return {
            field_name: "Účast nemůže být delší než setkání "
            f"({format_hours(session_hours)} {HourUnit(unit).short})."
        }
    return {}


def attended_hours(
    status: Attendance | str | None, hours_attended: Decimal | None, session_hours: Decimal
) -> Decimal:
    """Hours that count for a participant: the partial hours, or the whole session when present
    without partial hours; 0 when excused, absent or not recorded yet."""
    if status is None or Attendance(status) is not Attendance.PRESENT:
        return Decimal(0)
    return hours_attended if hours_attended is not None else session_hours


def is_past(day: date, end: time, now: datetime) -> bool:
    """The session has ended by ``now``."""
    return datetime.combine(day, end) <= now
