"""Assistant positions, people and employments (KA01): read views and every roster change.

Reads other screens reuse: ``list_positions``, ``active_assistants``, ``employment_on``,
``list_assistants``, ``get_assistant``, ``employment_history``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from apk_desktop.db.models import Assistant, Employment, Position, Project
from apk_desktop.db.versioning import check_version
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.czech_text import czech_sort_key
from apk_desktop.domain.errors import ConflictError, NotFoundError, StaleRecordError, collect
from apk_desktop.domain.limits import clean_text, length_errors
from apk_desktop.domain.roster import (
    PersonData,
    PersonName,
    covers,
    is_ongoing,
    overlaps,
    validate_period,
    validate_person,
)


@dataclass(frozen=True)
class PositionRow:
    """A position on a given day: who holds it, or vacant (``assistant_id`` is None)."""

    position_id: int
    number: int
    assistant_id: int | None
    assistant_name: str  # "" when vacant
    employment_id: int | None
    start_date: date | None
    end_date: date | None
    employment_version: int | None = None  # row_version of that employment

    @property
    def vacant(self) -> bool:
        return self.assistant_id is None


@dataclass(frozen=True)
class ActiveAssistant(PersonName):
    """A person employed on a given day, with the position they hold."""

    assistant_id: int
    first_name: str
    last_name: str
    position_id: int
    position_number: int
    employment_id: int
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class EmploymentView:
    """One employment: a person in a position from a start to an optional end."""

    id: int
    assistant_id: int
    assistant_name: str
    position_id: int
    position_number: int
    start_date: date
    end_date: date | None
    note: str
    row_version: int

    @property
    def period_text(self) -> str:
        return f"{format_date(self.start_date)} – {format_date(self.end_date) or 'dosud'}"


@dataclass(frozen=True)
class AssistantView(PersonName):
    """A person with their details and their employment on the day asked about."""

    id: int
    first_name: str
    last_name: str
    birth_date: date | None
    phone: str
    email: str
    note: str
    archived: bool
    employment: EmploymentView | None  # the one covering the day, else the latest
    employed: bool  # True when ``employment`` covers the day
    has_ongoing_employment: bool  # no end, or ends today or later (blocks archiving)
    row_version: int

    @property
    def position_number(self) -> int | None:
        return self.employment.position_number if self.employed and self.employment else None


@dataclass(frozen=True)
class RosterRow:
    """A line of the roster screen: a position with its holder (or vacant), or a person who
    holds no position on the day (former, not yet started, archived)."""

    position_id: int | None
    position_number: int | None
    assistant: AssistantView | None

    @property
    def status(self) -> str:
        if self.assistant is None:
            return "Neobsazeno"
        if self.assistant.archived:
            return "Archivován(a)"
        if self.assistant.employed:
            return "Aktivní"
        if self.assistant.has_ongoing_employment:
            return "Nastoupí"
        return "Mimo projekt"


# ---- reads -------------------------------------------------------------------------------------


def _employment_view(employment: Employment) -> EmploymentView:
    return EmploymentView(
        id=employment.id,
        assistant_id=employment.assistant_id,
        assistant_name=employment.assistant.full_name,
        position_id=employment.position_id,
        position_number=employment.position.number,
        start_date=employment.start_date,
        end_date=employment.end_date,
        note=employment.note,
        row_version=employment.row_version,
    )


def _assistant_view(assistant: Assistant, on: date) -> AssistantView:
    employments = sorted(assistant.employments, key=lambda e: e.start_date)
    current = next((e for e in employments if e.covers(on)), None)
    shown = current or (employments[-1] if employments else None)
    return AssistantView(
        id=assistant.id,
        first_name=assistant.first_name,
        last_name=assistant.last_name,
        birth_date=assistant.birth_date,
        phone=assistant.phone,
        email=assistant.email,
        note=assistant.note,
        archived=assistant.archived_at is not None,
        employment=_employment_view(shown) if shown else None,
        employed=current is not None,
        has_ongoing_employment=any(is_ongoing(e.end_date, on) for e in employments),
        row_version=assistant.row_version,
    )


def list_positions(session: Session, project_id: int, on: date) -> list[PositionRow]:
    """Every position of the project by number, with the person employed on ``on`` (or vacant)."""
    positions = session.scalars(
        select(Position)
        .where(Position.project_id == project_id)
        .order_by(Position.number)
        .options(selectinload(Position.employments).selectinload(Employment.assistant))
    )
    rows = []
    for position in positions:
        held = next((e for e in position.employments if e.covers(on)), None)
        rows.append(
            PositionRow(
                position_id=position.id,
                number=position.number,
                assistant_id=held.assistant_id if held else None,
                assistant_name=held.assistant.full_name if held else "",
                employment_id=held.id if held else None,
                start_date=held.start_date if held else None,
                end_date=held.end_date if held else None,
                employment_version=held.row_version if held else None,
            )
        )
    return rows


def active_assistants(session: Session, project_id: int, on: date) -> list[ActiveAssistant]:
    """People employed on ``on`` (archived or not), ordered by position number."""
    stmt = (
        select(Employment, Assistant, Position)
        .join(Assistant, Employment.assistant_id == Assistant.id)
        .join(Position, Employment.position_id == Position.id)
        .where(
            Position.project_id == project_id,
            Employment.start_date <= on,
            (Employment.end_date.is_(None)) | (Employment.end_date >= on),
        )
        .order_by(Position.number)
    )
    return [
        ActiveAssistant(
            assistant_id=a.id,
            first_name=a.first_name,
            last_name=a.last_name,
            position_id=p.id,
            position_number=p.number,
            employment_id=e.id,
            start_date=e.start_date,
            end_date=e.end_date,
        )
        for e, a, p in session.execute(stmt)
    ]


def employment_on(session: Session, assistant_id: int, day: date) -> bool:
    """True when the assistant was employed (in any position) on ``day``."""
    stmt = select(Employment.id).where(
        Employment.assistant_id == assistant_id,
        Employment.start_date <= day,
        (Employment.end_date.is_(None)) | (Employment.end_date >= day),
    )
    return session.scalar(stmt.limit(1)) is not None


def list_assistants(
    session: Session, project_id: int, on: date, *, include_archived: bool = False
) -> list[AssistantView]:
    """People of the project (archived ones only when asked), in Czech order of last name."""
    stmt = (
        select(Assistant)
        .where(Assistant.project_id == project_id)
        .options(selectinload(Assistant.employments).selectinload(Employment.position))
        .order_by(Assistant.last_name, Assistant.first_name, Assistant.id)
    )
    if not include_archived:
        stmt = stmt.where(Assistant.archived_at.is_(None))
    views = [_assistant_view(a, on) for a in session.scalars(stmt)]
    return sorted(views, key=lambda v: (czech_sort_key(v.sort_name), v.id))


def roster_rows(
    session: Session, project_id: int, on: date, *, include_archived: bool = False
) -> list[RosterRow]:
    """The roster screen's lines: every position (held on ``on`` or vacant), then every other
    person (archived ones only when asked)."""
    people = {a.id: a for a in list_assistants(session, project_id, on, include_archived=True)}
    rows: list[RosterRow] = []
    placed: set[int] = set()
    for position in list_positions(session, project_id, on):
        holder = people.get(position.assistant_id) if position.assistant_id else None
        if holder is not None:
            placed.add(holder.id)
        rows.append(RosterRow(position.position_id, position.number, holder))
    for person in people.values():
        if person.id in placed or (person.archived and not include_archived):
            continue
        rows.append(RosterRow(None, None, person))
    return rows


def _assistant(session: Session, assistant_id: int) -> Assistant:
    assistant = session.get(Assistant, assistant_id)
    if assistant is None:
        raise NotFoundError("Asistent už v databázi není.")
    return assistant


def get_assistant(session: Session, assistant_id: int, on: date) -> AssistantView:
    """One person with the employment that covers ``on`` (else their latest)."""
    return _assistant_view(_assistant(session, assistant_id), on)


def employment_history(
    session: Session, *, position_id: int | None = None, assistant_id: int | None = None
) -> list[EmploymentView]:
    """Employments of a position or of a person (or both filters), oldest first."""
    stmt = select(Employment).options(
        selectinload(Employment.assistant), selectinload(Employment.position)
    )
    if position_id is not None:
        stmt = stmt.where(Employment.position_id == position_id)
    if assistant_id is not None:
        stmt = stmt.where(Employment.assistant_id == assistant_id)
    stmt = stmt.order_by(Employment.start_date, Employment.id)
    return [_employment_view(e) for e in session.scalars(stmt)]


# ---- writes ------------------------------------------------------------------------------------


def _position(session: Session, position_id: int) -> Position:
    position = session.get(Position, position_id)
    if position is None:
        raise NotFoundError("Pozice už v databázi není.")
    return position


def _check_no_overlap(
    session: Session,
    *,
    position_id: int,
    assistant_id: int | None,
    start: date,
    end: date | None,
    ignore_id: int | None = None,
) -> None:
    """Raise ConflictError when the period clashes with another employment of the same position
    (two people in one position) or of the same person (one person in two positions)."""
    conditions = Employment.position_id == position_id
    if assistant_id is not None:
        conditions = conditions | (Employment.assistant_id == assistant_id)
    others = session.scalars(
        select(Employment)
        .where(conditions)
        .options(selectinload(Employment.assistant), selectinload(Employment.position))
    )
    for other in others:
        if other.id == ignore_id or not overlaps(start, end, other.start_date, other.end_date):
            continue
        period = f"{format_date(other.start_date)} – {format_date(other.end_date) or 'dosud'}"
        if other.position_id == position_id:
            raise ConflictError(
                f"Pozici č. {other.position.number} v té době zastává "
                f"{other.assistant.full_name} ({period}). Na jedné pozici může být v jednu chvíli "
                "jen jeden asistent – ukončete nejdříve jeho pracovní poměr nebo použijte "
                "„Nahradit“."
            )
        raise ConflictError(
            f"{other.assistant.full_name} je v té době zaměstnán(a) na pozici "
            f"č. {other.position.number} ({period})."
        )


def _check_within_project(session: Session, position: Position, start: date) -> None:
    """A start after the project's end is refused: nobody works in a project that is over."""
    project = session.get(Project, position.project_id)
    if project is None:
        raise NotFoundError("Projekt už v databázi není.")
    end = project.period_end
    if start > end:
        collect(
            {
                "start_date": f"Nástup {format_date(start)} je po konci projektu "
                f"({format_date(end)}). Zkontrolujte rok, nebo nejdříve prodlužte období "
                "projektu v Nastavení."
            }
        )


def create_assistant(session: Session, project_id: int, person: PersonData) -> AssistantView:
    """A new person without an employment (e.g. hired later)."""
    person = person.clean()
    collect(validate_person(person))
    assistant = Assistant(project_id=project_id, **_person_columns(person))
    session.add(assistant)
    session.flush()
    return _assistant_view(assistant, date.today())


def _person_columns(person: PersonData) -> dict[str, object]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "phone": person.phone,
        "email": person.email,
        "note": person.note,
    }


def hire(
    session: Session,
    project_id: int,
    position_id: int,
    person: PersonData,
    start: date | None,
    end: date | None = None,
    note: str = "",
) -> AssistantView:
    """Add a new person into a position free for the whole period (one transaction)."""
    person = person.clean()
    note = clean_text("employment.note", note)
    errors = validate_person(person)
    errors.update(validate_period(start, end))
    errors.update(length_errors({"employment_note": ("employment.note", note)}))
    collect(errors)
    assert start is not None
    position = _position(session, position_id)
    if position.project_id != project_id:
        raise NotFoundError("Pozice nepatří k tomuto projektu.")
    _check_within_project(session, position, start)
    _check_no_overlap(session, position_id=position_id, assistant_id=None, start=start, end=end)
    assistant = Assistant(project_id=project_id, **_person_columns(person))
    session.add(assistant)
    # Through the relationships, so collections already loaded in this session stay current.
    session.add(
        Employment(
            assistant=assistant,
            position=position,
            start_date=start,
            end_date=end,
            note=note,
        )
    )
    session.flush()
    return _assistant_view(assistant, start)


def add_employment(
    session: Session,
    assistant_id: int,
    position_id: int,
    start: date | None,
    end: date | None = None,
    note: str = "",
) -> EmploymentView:
    """Employ an existing (not archived) person in a position."""
    note = clean_text("employment.note", note)
    collect(
        validate_period(start, end) | length_errors({"employment_note": ("employment.note", note)})
    )
    assert start is not None
    assistant = _assistant(session, assistant_id)
    if assistant.archived_at is not None:
        raise ConflictError("Archivovaného asistenta nelze zaměstnat. Nejdříve ho obnovte.")
    position = _position(session, position_id)
    _check_within_project(session, position, start)
    _check_no_overlap(
        session, position_id=position_id, assistant_id=assistant_id, start=start, end=end
    )
    employment = Employment(
        assistant=assistant, position=position, start_date=start, end_date=end, note=note
    )
    session.add(employment)
    session.flush()
    return _employment_view(employment)


def update_assistant(
    session: Session, assistant_id: int, person: PersonData, *, seen_version: int | None = None
) -> AssistantView:
    """Change a person's details (not their employments). ``seen_version``: the
    ``row_version`` the form showed (StaleRecordError when it changed since)."""
    person = person.clean()
    assistant = _assistant(session, assistant_id)
    check_version(assistant, seen_version)
    collect(validate_person(person))
    for name, value in _person_columns(person).items():
        setattr(assistant, name, value)
    session.flush()
    return _assistant_view(assistant, date.today())


def _employment(session: Session, employment_id: int) -> Employment:
    employment = session.get(Employment, employment_id)
    if employment is None:
        raise NotFoundError("Pracovní poměr už v databázi není.")
    return employment


def update_employment(
    session: Session,
    employment_id: int,
    start: date | None,
    end: date | None,
    note: str = "",
    *,
    seen_version: int | None = None,
) -> EmploymentView:
    """Correct the dates (or note) of an employment; overlaps are refused. A note stored
    before the length limit existed may stay as it is."""
    note = clean_text("employment.note", note)
    employment = _employment(session, employment_id)
    check_version(employment, seen_version)
    errors = validate_period(start, end)
    if note != employment.note:
        errors.update(length_errors({"employment_note": ("employment.note", note)}))
    collect(errors)
    assert start is not None
    _check_within_project(session, employment.position, start)
    _check_no_overlap(
        session,
        position_id=employment.position_id,
        assistant_id=employment.assistant_id,
        start=start,
        end=end,
        ignore_id=employment.id,
    )
    employment.start_date = start
    employment.end_date = end
    employment.note = note
    session.flush()
    return _employment_view(employment)


def end_employment(
    session: Session, employment_id: int, end: date | None, *, seen_version: int | None = None
) -> EmploymentView:
    """End a running employment on ``end`` (its last day); the position becomes vacant after."""
    employment = _employment(session, employment_id)
    check_version(employment, seen_version)
    if end is None:
        collect({"end_date": "Zadejte poslední den pracovního poměru."})
    assert end is not None
    return update_employment(session, employment_id, employment.start_date, end, employment.note)


def replace_assistant(
    session: Session,
    position_id: int,
    old_end: date | None,
    person: PersonData,
    new_start: date | None,
    note: str = "",
    *,
    seen_employment: tuple[int, int] | None = None,
) -> AssistantView:
    """The person in ``position_id`` leaves on ``old_end`` (last day) and a new person starts
    on ``new_start``. History is kept: the old employment is ended, not changed otherwise.

    ``seen_employment``: (id, row_version) of the employment the dialog showed in the position;
    StaleRecordError when it was changed or removed since."""
    person = person.clean()
    errors = validate_person(person)
    if old_end is None:
        errors["old_end"] = "Zadejte poslední den dosavadního asistenta."
    if new_start is None:
        errors["start_date"] = "Zadejte datum nástupu."
    if old_end is not None and new_start is not None and new_start <= old_end:
        errors["start_date"] = "Nový asistent může nastoupit nejdříve den po odchodu dosavadního."
    collect(errors)
    assert old_end is not None and new_start is not None
    position = _position(session, position_id)
    current = next(
        (e for e in position.employments if covers(e.start_date, e.end_date, old_end)), None
    )
    if seen_employment is not None:
        seen_id, seen_version = seen_employment
        shown = session.get(Employment, seen_id)
        if shown is None:
            raise StaleRecordError
        check_version(shown, seen_version)
    if current is None:
        raise ConflictError(
            f"Pozice č. {position.number} je k {format_date(old_end)} neobsazená – "
            "použijte „Přidat asistenta“."
        )
    if current.start_date > old_end:  # pragma: no cover - covers() rules this out
        raise ConflictError("Poslední den nesmí být před nástupem dosavadního asistenta.")
    end_employment(session, current.id, old_end)
    return hire(session, position.project_id, position_id, person, new_start, note=note)


def archive_assistant(
    session: Session,
    assistant_id: int,
    today: date | None = None,
    *,
    seen_version: int | None = None,
) -> None:
    """Hide a person who no longer works here; people with a running employment can't be."""
    today = today or date.today()
    assistant = _assistant(session, assistant_id)
    check_version(assistant, seen_version)
    if any(is_ongoing(e.end_date, today) for e in assistant.employments):
        raise ConflictError(
            f"{assistant.full_name} má platný pracovní poměr. Nejdříve ho ukončete, "
            "potom lze asistenta archivovat."
        )
    assistant.archived_at = datetime.now().replace(microsecond=0)
    session.flush()


def unarchive_assistant(
    session: Session, assistant_id: int, *, seen_version: int | None = None
) -> None:
    """Show an archived person again."""
    assistant = _assistant(session, assistant_id)
    check_version(assistant, seen_version)
    assistant.archived_at = None
    session.flush()
