"""Prezenční listina (attendance sheet) of a training or mentoring session.

Takes a plain ``AttendanceSheetData`` (never ORM objects). Empty fields print as blanks to fill
in by hand, so the same builder makes the blank sheet for an unplanned session.
Only names and positions of people are printed (no personal data beyond that).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.sheets.base import SheetHeader, build_pdf
from apk_desktop.sheets.parts import (
    PAGE_WIDTH,
    activity_text,
    choice,
    field_grid,
    gap,
    or_blank,
    para,
    running_line,
    signature_lines,
    signature_table,
    text_paragraphs,
    time_range,
    title,
    with_heading,
)

TITLE = "Prezenční listina"
FORMS = ("prezenčně", "online")
HOURS_UNITS = {
    "teaching": "vyučovací hodiny (45 min)",
    "clock": "hodiny (60 min)",
}
BLANK_SHEET_ROWS = 12  # what fits one page next to the blank header fields
# A longer topic (only rows stored before the limit of 500 characters) is printed under the
# facts, where it can flow across pages, instead of in their table.
TOPIC_IN_TABLE = 600


@dataclass(frozen=True)
class AttendanceSheetData:
    """Everything the sheet shows. ``participants`` are (name, position) pairs, e.g.
    ("Jana Nováková", "APK – pozice 1"); ``area_options`` are offered to tick when ``areas`` is
    empty (blank sheets)."""

    header: SheetHeader
    sheet_id: str
    record_id: int | None = None  # the session's id (QR code); None on a blank sheet
    activity_code: str = ""
    activity_name: str = ""
    topic: str = ""
    areas: tuple[str, ...] = ()
    area_options: tuple[str, ...] = ()
    form: str = ""  # "prezenčně" / "online"; "" = tick by hand
    day: date | None = None
    start: time | None = None
    end: time | None = None
    hours: Decimal | None = None
    hours_unit: str = ""  # "teaching" (45 min) / "clock" (60 min); "" = tick by hand
    place: str = ""
    lecturers: tuple[str, ...] = ()
    mentor: str = ""
    participants: tuple[tuple[str, str], ...] = ()
    participant_ids: tuple[int | None, ...] = ()  # per participant (stored layout)
    blank_rows: int = 3

    @property
    def running_line(self) -> str:
        return running_line(TITLE, self.day, self.topic)


def hours_text(hours: Decimal | None, unit: str) -> str:
    """``"4 – vyučovací hodiny (45 min)"``; boxes to tick when the unit is unknown."""
    number = format_hours(hours) if hours is not None else "………"
    unit_text = choice(HOURS_UNITS.get(unit, ""), tuple(HOURS_UNITS.values()))
    return f"{number} – {unit_text}" if unit in HOURS_UNITS else f"{number}   {unit_text}"


def attendance_story(data: AttendanceSheetData) -> list[Flowable]:
    areas = "; ".join(data.areas) if data.areas else choice("", data.area_options)
    long_topic = len(data.topic) > TOPIC_IN_TABLE
    facts = field_grid(
        [
            ("Klíčová aktivita", or_blank(activity_text(data.activity_code, data.activity_name))),
            ("Téma", "viz níže" if long_topic else or_blank(data.topic)),
            ("Vzdělávací oblasti", or_blank(areas)),
            (
                ("Datum", or_blank(format_date(data.day))),
                ("Čas od – do", time_range(data.start, data.end)),
            ),
            (
                ("Forma", choice(data.form, FORMS)),
                ("Počet hodin", hours_text(data.hours, data.hours_unit)),
            ),
            (("Místo", or_blank(data.place)), ("Lektor/ka", or_blank(", ".join(data.lecturers)))),
        ],
        PAGE_WIDTH,
        label_width=38 * mm,
    )
    lecturer_label = "Lektor/ka" + (f": {', '.join(data.lecturers)}" if data.lecturers else "")
    mentor_label = "Mentor" + (f": {data.mentor}" if data.mentor else "")
    # The total and the signatures of who led the session close the table: they always share
    # a page with its last rows.
    closing = [
        gap(3),
        para("Celkem přítomných: ____________", "label"),
        para("Svým podpisem účastník potvrzuje účast na uvedené aktivitě.", "small"),
        signature_lines([lecturer_label, mentor_label], PAGE_WIDTH),
    ]
    topic = with_heading("Téma", text_paragraphs(data.topic)) if long_topic else []
    return [
        title(TITLE),
        facts,
        *topic,
        gap(4),
        signature_table(
            data.participants,
            data.blank_rows,
            note_column=True,
            participant_ids=data.participant_ids,
            tail=closing,
        ),
    ]


def build_attendance_sheet(data: AttendanceSheetData) -> bytes:
    """The attendance sheet as PDF bytes."""
    return build_pdf(
        data.header,
        attendance_story(data),
        sheet_id=data.sheet_id,
        title=TITLE,
        record_id=data.record_id,
        running_line=data.running_line,
    )
