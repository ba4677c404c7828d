"""Hours per assistant, area and month; the link to progress; CSV and XLSX export."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from apk_desktop.db.database import Database
from apk_desktop.db.services import attendance as attendance_service
from apk_desktop.db.services import export, hours
from apk_desktop.db.services import sessions as sessions_service
from apk_desktop.domain.sessions import (
    Attendance,
    AttendanceEntry,
    HourUnit,
    SessionKind,
    SupervisionForm,
)
from tests.db.sessions_helpers import Team, make_team, training


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    t = make_team(db, project_id)
    with db.unit_of_work() as session:
        # training 4 teaching hours in FIELD + COMM: Jana whole, Petr 2.5 h
        a = sessions_service.create_session(session, project_id, training(t))
        attendance_service.record_attendance(
            session,
            a.id,
            [
                AttendanceEntry(t.jana, Attendance.PRESENT),
                AttendanceEntry(t.petr, Attendance.PRESENT, Decimal("2.5"), "=odešel"),
            ],
        )
        # supervision 1.5 clock hours in COMM: Jana present, Petr excused
        b = sessions_service.create_session(
            session,
            project_id,
            training(
                t,
                kind=SessionKind.ASSISTANT_SUPERVISION,
                supervision_form=SupervisionForm.SKUPINOVA,
                date=date(2024, 4, 2),
                time_from=time(13),
                time_to=time(14, 30),
                hours=None,
                hour_unit=HourUnit.CLOCK,
                area_ids=(t.areas["COMM"],),
                topic="Supervize; případ",
            ),
        )
        attendance_service.record_attendance(
            session,
            b.id,
            [
                AttendanceEntry(t.jana, Attendance.PRESENT),
                AttendanceEntry(t.petr, Attendance.EXCUSED),
            ],
        )
        # not recorded yet → counts nothing; archived → counts nothing
        sessions_service.create_session(session, project_id, training(t, date=date(2024, 4, 3)))
        c = sessions_service.create_session(session, project_id, training(t, date=date(2024, 4, 4)))
        attendance_service.mark_all_present(session, c.id)
        sessions_service.archive_session(session, c.id)
        # the mentor's own training
        sessions_service.create_session(
            session,
            project_id,
            training(
                t,
                kind=SessionKind.MENTOR_TRAINING,
                participant_ids=(),
                area_ids=(t.areas["MED"],),
                hour_unit=HourUnit.CLOCK,
                hours=Decimal(3),
            ),
        )
    return t


def test_full_hours_in_each_area_per_month(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        rows = hours.hours_per_area(session, project_id)
    table = [
        (r.assistant_name, r.month, r.area_code, r.group, r.teaching_hours, r.clock_hours)
        for r in rows
    ]
    assert table == [
        ("Nováková Jana", date(2024, 3, 1), "FIELD", "training", Decimal(4), 0),
        ("Nováková Jana", date(2024, 3, 1), "COMM", "training", Decimal(4), 0),
        ("Nováková Jana", date(2024, 4, 1), "COMM", "supervision", 0, Decimal("1.5")),
        ("Svoboda Petr", date(2024, 3, 1), "FIELD", "training", Decimal("2.5"), 0),
        ("Svoboda Petr", date(2024, 3, 1), "COMM", "training", Decimal("2.5"), 0),
    ]
    assert rows[0].total_clock_hours == Decimal(3)
    totals = hours.area_totals(rows)
    assert totals[(team.jana, "COMM", "training")] == (Decimal(4), Decimal(0))


def test_filters_by_period_and_assistant(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        april = hours.hours_per_area(session, project_id, date_from=date(2024, 4, 1))
        petr = hours.hours_per_area(session, project_id, assistant_id=team.petr)
    assert [(r.area_code, r.group) for r in april] == [("COMM", "supervision")]
    assert {r.assistant_id for r in petr} == {team.petr}


def test_mentor_hours(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        rows = hours.mentor_hours(session, project_id)
    assert [(r.month, r.group, r.area_code, r.clock_hours) for r in rows] == [
        (date(2024, 3, 1), "training", "MED", Decimal(3))
    ]


def test_progress_links(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        links = hours.progress_links(session, project_id, team.jana, date(2024, 12, 31))
    by_code = {link.area.code: link for link in links}
    assert [link.area.code for link in links] == ["FIELD", "FIN", "COMM", "MED", "DIG"]
    assert [s.topic for s in by_code["COMM"].sessions] == [
        "Komunikace s klientem",
        "Supervize; případ",
    ]
    assert by_code["COMM"].teaching_hours == 4 and by_code["COMM"].clock_hours == Decimal("1.5")
    assert by_code["FIN"].sessions == ()
    assert not by_code["COMM"].improved  # never assessed


def test_csv_is_what_czech_excel_opens(
    db: Database, project_id: int, team: Team, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        sessions_table, attendance_table, hours_table = export.monitoring_tables(
            session, project_id
        )
    target = tmp_path / "hodiny.csv"
    export.write_csv(hours_table, target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Asistent;Měsíc;Oblast;")
    assert (
        "Svoboda Petr;03/2024;ZÁKL;Základní znalosti práce APK (teorie a praxe);"
        "Vzdělávání;2,5;0;1,875;1" in lines
    )
    text = export.csv_bytes(sessions_table).decode("utf-8-sig")
    assert '"Supervize; případ"' in text  # a separator inside a cell is quoted
    assert ";05.03.2024;9:00;12:00;4;vyučovací hodiny (45 min);" in text
    assert "chybí" in text
    att = export.csv_bytes(attendance_table).decode("utf-8-sig")
    assert "Svoboda Petr;pozice 2;ano;přítomen;2,5;" in att
    assert "'=odešel" in att  # never a formula
    assert "omluven;0;" in att
    assert "nezapsáno" in att
    for forbidden in ("Důvěrné", "@", "narozen"):
        assert forbidden not in text + att
    with db.unit_of_work() as session:
        before = export.sessions_table(session, project_id, now=datetime(2024, 1, 1))
    planned = export.csv_bytes(before).decode("utf-8-sig")
    assert "naplánováno" in planned and "chybí" not in planned  # not held yet: nothing missing


def test_xlsx_has_three_sheets_with_real_numbers(
    db: Database, project_id: int, team: Team, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    with db.unit_of_work() as session:
        tables = export.monitoring_tables(session, project_id, date_to=date(2024, 12, 31))
    target = tmp_path / "monitoring.xlsx"
    export.write_xlsx(tables, target)
    book = load_workbook(target)
    assert book.sheetnames == ["Setkání", "Docházka", "Hodiny podle oblastí"]
    sheet = book["Setkání"]
    assert sheet["D1"].value == "Datum"
    assert sheet["D2"].value.date() == date(2024, 3, 5)
    assert sheet["D2"].number_format == "DD.MM.YYYY"
    assert sheet["G2"].value == 4
    hours_sheet = book["Hodiny podle oblastí"]
    assert hours_sheet.max_row == 6
    assert hours_sheet["F5"].value == 2.5


def test_csv_set_writes_one_file_per_table(tmp_path: Path) -> None:
    tables = tuple(
        export.Table(name, (f"Sloupec {name}",), ((Decimal("1.5"),),))
        for name in ("Setkání", "Docházka", "Hodiny")
    )
    written = export.write_csv_set(tables, tmp_path / "monitoring.csv")
    assert [p.name for p in written] == [
        "monitoring.csv",
        "monitoring-dochazka.csv",
        "monitoring-hodiny.csv",
    ]
    assert written[2].read_bytes().decode("utf-8-sig") == "Sloupec Hodiny\r\n1,5\r\n"
