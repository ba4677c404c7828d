"""Záznam ze supervize and záznam z mentoringu: one builder, two kinds.

Takes a plain ``RecordSheetData`` (never ORM objects); empty fields print as blanks to fill in
by hand (blank sheets). The private note is confidential: it is printed only when
``include_private_note`` is set explicitly by the user, and then as a sheet of its own after
the signed record (a confidential annex with its own identifier, ``SUP-5-D``), never on a page
that is signed, scanned or handed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.domain.sheet_refs import ANNEX_SUFFIX
from apk_desktop.sheets.attendance import HOURS_UNITS, hours_text
from apk_desktop.sheets.base import SheetHeader, SheetInfo, build_sheets
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
    text_paragraphs,
    time_range,
    title,
    with_heading,
    write_in_box,
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
BLANK_SHEET_ROWS = 10  # participant rows on a blank record (the team has 9)
BLANK_BOX_HEIGHT = 45 * mm  # room to write the topic, conclusions and steps by hand
ANNEX_TITLE = "Důvěrná příloha"
ANNEX_WARNING = "Důvěrná příloha – neodevzdává se poskytovateli dotace, neskenuje se"
PRIVATE_HEADING = "Důvěrná poznámka"


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
    annex_only: bool = False  # print just the confidential annex (reprinted by its identifier)

    @property
    def running_line(self) -> str:
        return running_line(self.kind.title, self.day, self.topic)

    @property
    def annex_id(self) -> str:
        """The identifier of the confidential annex (the private note)."""
        return self.sheet_id + ANNEX_SUFFIX

    @property
    def prints_private_note(self) -> bool:
        return self.include_private_note and bool(self.private_note.strip())


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


def _section(label: str, text: str) -> list[Flowable]:
    """A heading and its text flowing across pages, or a box to write in when it is empty."""
    if text.strip():
        return with_heading(label, text_paragraphs(text))
    return with_heading(label, [write_in_box(PAGE_WIDTH, BLANK_BOX_HEIGHT)])


def record_story(data: RecordSheetData) -> list[Flowable]:
    """The record itself, the evidence for the funder (never the private note)."""
    facts = field_grid(_facts(data), PAGE_WIDTH, label_width=38 * mm)
    story: list[Flowable] = [title(data.kind.title), facts]
    for label, text in (
        ("Zakázka (téma)", data.topic),
        ("Závěry", data.conclusions),
        ("Dohodnuté kroky", data.agreed_steps),
    ):
        story += _section(label, text)
    blank_rows = data.blank_rows if data.participants else max(data.blank_rows, BLANK_SHEET_ROWS)
    leader_label = data.kind.leader_label + (f": {data.leader}" if data.leader else "")
    # The participants sign under the record; the leader signs under their table, which keeps
    # its last rows on the page of that signature.
    lead = [
        heading("Účastníci"),
        para("Podpisem účastníci potvrzují účast a souhlas se zápisem.", "small"),
        gap(1),
    ]
    closing = [
        gap(2),
        signature_lines([leader_label], PAGE_WIDTH / 2, space=12 * mm, align="RIGHT"),
    ]
    table = signature_table(
        data.participants,
        blank_rows,
        note_column=False,
        participant_ids=data.participant_ids,
        lead=lead,
        tail=closing,
    )
    # A blank record is a form of two pages: the record, then the signatures on a page of
    # their own.
    story += [gap(3), table if data.participants else KeepTogether([table])]
    return story


def annex_story(data: RecordSheetData) -> list[Flowable]:
    """The confidential annex: the private note on pages of its own."""
    reference = f"K záznamu {data.sheet_id}"
    if data.day:
        reference += f" ze dne {format_date(data.day)}"
    return [
        title(f"{ANNEX_TITLE} – {data.kind.title.lower()}"),
        para(ANNEX_WARNING, "label"),
        para(
            f"{reference}. Uchovávejte odděleně od podepsaného záznamu; "
            "není součástí dokladu pro poskytovatele dotace.",
            "small",
        ),
        gap(2),
        *with_heading(PRIVATE_HEADING, text_paragraphs(data.private_note)),
    ]


def record_sheets(data: RecordSheetData) -> list[tuple[SheetInfo, list[Flowable]]]:
    """The record, then (only when the user asked for it) the confidential annex as a sheet of
    its own with its own identifier."""
    sheets = [(SheetInfo(data.sheet_id, data.record_id, data.running_line), record_story(data))]
    if data.prints_private_note:
        line = f"{ANNEX_TITLE} · {data.running_line}"
        annex = (SheetInfo(data.annex_id, data.record_id, line), annex_story(data))
        sheets = [annex] if data.annex_only else [*sheets, annex]
    return sheets


def build_record_sheet(data: RecordSheetData) -> bytes:
    """The supervision or mentoring record (and its confidential annex) as PDF bytes."""
    return build_sheets(data.header, record_sheets(data), title=data.kind.title).pdf
