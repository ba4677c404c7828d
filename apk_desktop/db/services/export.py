"""Export of sessions, attendance and hours for the funder's monitoring reports.

CSV: UTF-8 with BOM, ``;`` separator, CRLF, decimal comma, dates 31.12.2025 — what Czech Excel
opens by double-click. XLSX: openpyxl (imported only here, when exporting), one sheet per
table, real numbers and dates with Czech-looking formats. Files are written atomically.
Only names and positions of people are exported (no birth dates, phones, e-mails) and never
the private note of a supervision.

Usage: build the tables inside a unit of work (``sessions_table``, ``attendance_table``,
``hours_table``, or ``monitoring_tables`` for all three), then write them — off the GUI
thread if large — with ``write_csv`` / ``write_xlsx``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from apk_desktop.db.czech_sql import czech_order
from apk_desktop.db.models import Assistant, Employment, Position
from apk_desktop.db.models.sessions import SessionParticipant, TrainingSession
from apk_desktop.db.services.hours import hours_per_area
from apk_desktop.db.services.sessions import SessionFilter, list_sessions
from apk_desktop.domain.czech_format import format_date, format_hours
from apk_desktop.domain.limits import remove_control_characters
from apk_desktop.domain.sessions import (
    GROUP_LABELS,
    Attendance,
    HourUnit,
    SessionKind,
    attended_hours,
    format_time,
)
from apk_desktop.files import write_atomic

Cell = str | int | Decimal | date | time | bool | None
_FORMULA_START = ("=", "+", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A titled table of plain cells (the title names the XLSX sheet, ≤ 31 characters)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


# ---- tables ------------------------------------------------------------------------------------


def sessions_table(
    session: Session,
    project_id: int,
    filters: SessionFilter | None = None,
    *,
    now: datetime | None = None,
) -> Table:
    """One row per session (oldest first); a session not held by ``now`` (default: the
    current time) is "naplánováno", not missing its scan."""
    rows = list(reversed(list_sessions(session, project_id, filters)))
    now = now or datetime.now()
    return Table(
        "Setkání",
        (
            "ID",
            "Klíčová aktivita",
            "Druh",
            "Datum",
            "Od",
            "Do",
            "Hodiny",
            "Jednotka",
            "Forma",
            "Místo",
            "Lektor / supervizor",
            "Téma",
            "Vzdělávací oblasti",
            "Účastníků",
            "Podepsaný sken",
        ),
        tuple(
            (
                r.id,
                r.activity_code,
                r.kind.label,
                r.date,
                r.time_from,
                r.time_to,
                r.hours,
                r.hour_unit.label,
                r.form.label,
                r.place,
                r.lecturer,
                r.topic,
                ", ".join(r.area_short_labels),
                r.participant_count,
                "ano" if r.evidence_complete else r.evidence_text(now),
            )
            for r in rows
        ),
    )


def attendance_table(
    session: Session,
    project_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Table:
    """One row per participant of a session (not archived), by date then name."""
    ts, sp = TrainingSession, SessionParticipant
    stmt = (
        select(
            ts.id,
            ts.date,
            ts.time_from,
            ts.time_to,
            ts.kind,
            ts.topic,
            ts.hours,
            ts.hour_unit,
            Assistant.id,
            Assistant.last_name,
            Assistant.first_name,
            sp.invited,
            sp.attendance,
            sp.hours_attended,
            sp.note,
        )
        .join(sp, sp.session_id == ts.id)
        .join(Assistant, Assistant.id == sp.assistant_id)
        .where(ts.project_id == project_id, ts.archived_at.is_(None))
        .order_by(
            ts.date,
            ts.time_from,
            ts.id,
            czech_order(session, Assistant.last_name),
            czech_order(session, Assistant.first_name),
        )
    )
    if date_from is not None:
        stmt = stmt.where(ts.date >= date_from)
    if date_to is not None:
        stmt = stmt.where(ts.date <= date_to)
    records = session.execute(stmt).all()
    employments = session.execute(
        select(Employment.assistant_id, Employment.start_date, Employment.end_date, Position.number)
        .join(Position, Position.id == Employment.position_id)
        .where(Position.project_id == project_id)
    )
    by_person: dict[int, list[tuple[date, date | None, int]]] = {}
    for holder, since, until, held in employments:
        by_person.setdefault(holder, []).append((since, until, held))

    def position(person: int, day: date) -> int | None:
        for since, until, held in by_person.get(person, ()):
            if since <= day and (until is None or day <= until):
                return held
        return None

    rows = []
    for (
        sid,
        day,
        start,
        end,
        kind,
        topic,
        hours,
        unit,
        person,
        last,
        first,
        invited,
        status,
        partial,
        note,
    ) in records:
        number = position(person, day)
        state = Attendance(status) if status else None
        rows.append(
            (
                sid,
                day,
                start,
                end,
                SessionKind(kind).label,
                topic,
                f"{last} {first}".strip(),
                f"pozice {number}" if number else "",
                "ano" if invited else "ne",
                state.label if state else "nezapsáno",
                attended_hours(state, partial, hours),
                HourUnit(unit).label,
                note,
            )
        )
    return Table(
        "Docházka",
        (
            "ID setkání",
            "Datum",
            "Od",
            "Do",
            "Druh",
            "Téma",
            "Účastník",
            "Pozice",
            "Pozván",
            "Účast",
            "Započtené hodiny",
            "Jednotka",
            "Poznámka",
        ),
        tuple(rows),
    )


def hours_table(
    session: Session,
    project_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Table:
    """Hours per assistant, month, area and group (full hours in each area the session
    serves; see services/hours.py)."""
    rows = hours_per_area(session, project_id, date_from=date_from, date_to=date_to)
    return Table(
        "Hodiny podle oblastí",
        (
            "Asistent",
            "Měsíc",
            "Oblast",
            "Název oblasti",
            "Druh",
            "Vyučovací hodiny (45 min)",
            "Hodiny (60 min)",
            "Celkem v hodinách (60 min)",
            "Počet setkání",
        ),
        tuple(
            (
                r.assistant_name,
                f"{r.month.month:02d}/{r.month.year}",
                r.area_short_label,
                r.area_label,
                GROUP_LABELS[r.group],
                r.teaching_hours,
                r.clock_hours,
                r.total_clock_hours,
                r.session_count,
            )
            for r in rows
        ),
    )


def monitoring_tables(
    session: Session,
    project_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[Table, Table, Table]:
    """Sessions, attendance and hours of a period — the three sheets of the XLSX export."""
    filters = SessionFilter(date_from=date_from, date_to=date_to)
    return (
        sessions_table(session, project_id, filters),
        attendance_table(session, project_id, date_from=date_from, date_to=date_to),
        hours_table(session, project_id, date_from=date_from, date_to=date_to),
    )


# ---- writers -----------------------------------------------------------------------------------


def csv_cell(value: Cell) -> str:
    """A cell as Czech Excel reads it: 1,5 · 31.12.2025 · 9:30 · ano/ne."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ano" if value else "ne"
    if isinstance(value, Decimal):
        return format_hours(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return format_time(value)
    if isinstance(value, int):
        return str(value)
    text = value.replace("\r\n", "\n")
    if text.startswith(_FORMULA_START):
        text = "'" + text  # never let a spreadsheet run a cell as a formula
    return text


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(table: Table, path: Path) -> None:
    """UTF-8 with BOM, ``;``, decimal comma; atomic."""
    write_atomic(Path(path), csv_bytes(table))


CSV_SUFFIXES = ("", "-dochazka", "-hodiny")  # sessions, attendance, hours — as the XLSX sheets


def write_csv_set(tables: Sequence[Table], path: Path) -> list[Path]:
    """One CSV file per table: ``path`` for the first, ``<stem>-dochazka.csv`` and
    ``<stem>-hodiny.csv`` beside it for the others. Returns the files written."""
    path = Path(path)
    written = []
    for suffix, table in zip(CSV_SUFFIXES, tables, strict=True):
        target = path.with_name(f"{path.stem}{suffix}{path.suffix}")
        write_csv(table, target)
        written.append(target)
    return written


XLSX_CELL_MAX = 32_767  # characters Excel keeps in one cell


def xlsx_text(value: str) -> str:
    """A text cell Excel accepts whatever was stored: no control characters (openpyxl refuses
    them), no formula, at most XLSX_CELL_MAX characters."""
    text = csv_cell(remove_control_characters(value))
    return text if len(text) <= XLSX_CELL_MAX else text[: XLSX_CELL_MAX - 1] + "…"


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        widths = [len(h) for h in table.headers]
        for row in table.rows[:200]:
            for i, value in enumerate(row):
                widths[i] = max(widths[i], min(len(csv_cell(value)), 60))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width + 2
        sheet.freeze_panes = "A2"
        header = []
        for title in table.headers:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            cells = []
            for value in row:
                if isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value=float(value))
                    cell.number_format = "0.00"
                elif isinstance(value, bool):
                    cell = WriteOnlyCell(sheet, value="ano" if value else "ne")
                elif isinstance(value, date):
                    cell = WriteOnlyCell(sheet, value=datetime.combine(value, time()))
                    cell.number_format = "DD.MM.YYYY"
                elif isinstance(value, time):
                    cell = WriteOnlyCell(sheet, value=cast(Any, value))
                    cell.number_format = "H:MM"
                elif isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=xlsx_text(value))
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(tables: Sequence[Table], path: Path) -> None:
    """One sheet per table; atomic."""
    write_atomic(Path(path), xlsx_bytes(tables))
