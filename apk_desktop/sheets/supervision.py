"""Záznam ze supervize and záznam z mentoringu: one builder, two kinds.

Takes a plain ``RecordSheetData`` (never ORM objects); empty fields print as blanks to fill in
by hand (blank sheets). The private note is confidential: it is printed only when
``include_private_note`` is set explicitly by the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.sheets.attendance import HOURS_UNITS, hours_text
from apk_desktop.sheets.base import SheetHeader, build_pdf
from apk_desktop.sheets.parts import (
    PAGE_WIDTH,
    FieldRow,
    activity_text,
    choice,
    field_grid,
    gap,
    heading,
    or_blank,
    para,
    running_line,
    signature_lines,
    signature_table,
    text_box,
    time_range,
    title,
)


@dataclass(frozen=True)
class RecordKind:
    """What differs between a supervision and a mentoring record."""

    title: str
    id_prefix: str
    leader_label: str
    forms: tuple[str, ...]
    leader_kinds: tuple[str, ...] = ()  # e.g. externí / interní; () = not asked


SUPERVISION = RecordKind(
    title="Záznam ze supervize",
    id_prefix="SUP",
    leader_label="Supervizor/ka",
    forms=("individuální", "skupinová", "týmová", "případová"),
    leader_kinds=("externí", "interní"),
)
MENTORING = RecordKind(
    title="Záznam z mentoringu",
    id_prefix="MEN",
    leader_label="Mentor",
    forms=("individuální", "skupinový"),
)
BLANK_SHEET_ROWS = 4  # participant rows on a blank record (fits one page)
BLANK_BOX_HEIGHT = 22 * mm  # room to write conclusions by hand
PRIVATE_HEADING = "Důvěrná poznámka (není součástí dokladu pro poskytovatele dotace)"


@dataclass(frozen=True)
class RecordSheetData:
    """Everything a supervision/mentoring record shows; ``participants`` are (name, position)."""

    kind: RecordKind
    header: SheetHeader
    sheet_id: str
    record_id: int | None = None  # the session's id (QR code); None on a blank sheet
    activity_code: str = ""
    activity_name: str = ""
    leader: str = ""
    leader_kind: str = ""  # "externí" / "interní" (supervision only)
    form: str = ""
    day: date | None = None
    start: time | None = None
    end: time | None = None
    hours: Decimal | None = None
    hours_unit: str = ""  # "teaching" (45 min) / "clock" (60 min); "" = just "h"
    place: str = ""
    areas: tuple[str, ...] = ()  # education areas (labels)
    area_options: tuple[str, ...] = ()  # offered to tick when ``areas`` is empty
    participants: tuple[tuple[str, str], ...] = ()
    participant_ids: tuple[int | None, ...] = ()  # per participant (stored layout)
    blank_rows: int = 0
    topic: str = ""  # the "zakázka"
    conclusions: str = ""
    agreed_steps: str = ""
    next_meeting: str = ""
    private_note: str = ""
    include_private_note: bool = False  # only on the user's explicit request

    @property
    def running_line(self) -> str:
        return running_line(self.kind.title, self.day, self.topic)


def _facts(data: RecordSheetData) -> list[FieldRow]:
    kind = data.kind
    leader = (kind.leader_label, or_blank(data.leader))
    if data.hours is None:
        hours = or_blank("")
    elif data.hours_unit in HOURS_UNITS:
        hours = hours_text(data.hours, data.hours_unit)
    else:
        hours = f"{format_hours(data.hours)} h"
    areas = "; ".join(data.areas) if data.areas else choice("", data.area_options)
    rows: list[FieldRow] = [
        ("Klíčová aktivita", or_blank(activity_text(data.activity_code, data.activity_name))),
        (leader, ("Typ", choice(data.leader_kind, kind.leader_kinds)))
        if kind.leader_kinds
        else leader,
        ("Vzdělávací oblasti", or_blank(areas)),
        (("Forma", choice(data.form, kind.forms)), ("Místo", or_blank(data.place))),
        (
            ("Datum", or_blank(format_date(data.day))),
            ("Čas od – do", time_range(data.start, data.end)),
        ),
        (("Délka", hours), ("Příští setkání", or_blank(data.next_meeting))),
    ]
    return rows


def record_story(data: RecordSheetData) -> list[Flowable]:
    facts = field_grid(_facts(data), PAGE_WIDTH, label_width=38 * mm)
    story: list[Flowable] = [title(data.kind.title), facts]
    for label, text in (
        ("Zakázka (téma)", data.topic),
        ("Závěry", data.conclusions),
        ("Dohodnuté kroky", data.agreed_steps),
    ):
        story += [heading(label), text_box(text, PAGE_WIDTH, BLANK_BOX_HEIGHT)]
    if data.include_private_note and data.private_note.strip():
        story += [heading(PRIVATE_HEADING), text_box(data.private_note, PAGE_WIDTH)]
    blank_rows = data.blank_rows if data.participants else max(data.blank_rows, BLANK_SHEET_ROWS)
    leader_label = data.kind.leader_label + (f": {data.leader}" if data.leader else "")
    # The leader signs the record right under its content; the participants' table may then
    # run onto another page (its header repeats) without leaving a lone signature line behind.
    story += [
        signature_lines([leader_label], PAGE_WIDTH / 2, space=12 * mm, align="RIGHT"),
        KeepTogether(
            [
                heading("Účastníci"),
                para("Podpisem účastníci potvrzují účast a souhlas se zápisem.", "small"),
                gap(1),
            ]
        ),
        signature_table(
            data.participants,
            blank_rows,
            note_column=False,
            participant_ids=data.participant_ids,
        ),
    ]
    return story


def build_record_sheet(data: RecordSheetData) -> bytes:
    """The supervision or mentoring record as PDF bytes."""
    return build_pdf(data.header, record_story(data), sheet_id=data.sheet_id, title=data.kind.title)
