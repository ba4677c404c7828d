"""Sessions service: create, edit, list, series, attendance, archive — all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import SessionParticipant, SessionSeries, TrainingSession
from apk_desktop.db.services import attendance as attendance_service
from apk_desktop.db.services import sessions as service
from apk_desktop.db.services import sessions_print
from apk_desktop.db.services.sessions import SessionFilter
from apk_desktop.db.services.sessions_print import attendance_sheet_data, record_sheet_data
from apk_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from apk_desktop.domain.recurrence import Frequency, RecurrenceRule
from apk_desktop.domain.sessions import (
    Attendance,
    AttendanceEntry,
    HourUnit,
    SessionForm,
    SessionKind,
    SupervisionForm,
    SupervisorType,
)
from apk_desktop.sheets.attendance import AttendanceSheetData
from apk_desktop.sheets.supervision import RecordSheetData
from tests.db.sessions_helpers import Team, make_team, training


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    return make_team(db, project_id)


def count_sessions(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(TrainingSession)) or 0


def test_create_and_read_back(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        created = service.create_session(session, project_id, training(team))
    with db.unit_of_work() as session:
        view = service.get_session(session, created.id)
    assert view.kind is SessionKind.TRAINING
    assert view.activity_code == "KA04"
    assert view.activity_label == "Vzdělávání a supervize APK"
    assert view.hours == Decimal(4) and view.hour_unit is HourUnit.TEACHING
    assert [a.code for a in view.areas] == ["FIELD", "COMM"]  # project order
    assert [(p.full_name, p.position_number) for p in view.participants] == [
        ("Jana Nováková", 1),
        ("Petr Svoboda", 2),
    ]
    assert all(p.invited and p.status is None for p in view.participants)
    assert not view.evidence_complete
    assert view.sheet_id == f"PL-{view.id}"  # as printed in the sheet's footer
    assert view.to_data().participant_ids == (team.jana, team.petr)


def test_hours_default_to_the_time_range(db: Database, project_id: int, team: Team) -> None:
    data = training(team, hours=None, time_to=time(12, 15), hour_unit=HourUnit.CLOCK)
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, data)
    assert view.hours == Decimal("3.25")


def test_mentoring_lecturer_defaults_to_the_mentor(
    db: Database, project_id: int, team: Team
) -> None:
    from apk_desktop.db.models import Project

    with db.unit_of_work() as session:
        session.get_one(Project, project_id).mentor_name = "Bc. Karel Veselý"
    data = training(team, kind=SessionKind.MENTORING_GROUP, lecturer="")
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, data)
    assert view.lecturer == "Bc. Karel Veselý"
    assert view.activity_code == "KA03"


def test_bad_input_saves_nothing(db: Database, project_id: int, team: Team) -> None:
    bad = training(team, time_from=time(12), time_to=time(9), topic="")
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.create_session(session, project_id, bad)
    assert info.value.field_errors["time_to"] == "Konec musí být později než začátek."
    assert info.value.field_errors["topic"] == "Zadejte téma."
    assert count_sessions(db) == 0


def test_hours_not_matching_the_range(db: Database, project_id: int, team: Team) -> None:
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.create_session(session, project_id, training(team, hours=Decimal(6)))
    assert "Počet hodin neodpovídá času 9:00–12:00" in info.value.field_errors["hours"]
    assert count_sessions(db) == 0


def test_participant_not_employed_on_the_date(db: Database, project_id: int, team: Team) -> None:
    data = training(team, participant_ids=(team.jana, team.eva))
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.create_session(session, project_id, data)
    assert info.value.field_errors == {
        "participants": "Eva Malá nebyl(a) 05.03.2024 zaměstnán(a) jako asistent(ka)."
    }
    assert count_sessions(db) == 0
    with db.unit_of_work() as session:  # after she started, fine
        service.create_session(session, project_id, replace(data, date=date(2024, 6, 4)))


def test_overlap_of_a_participant(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        first = service.create_session(session, project_id, training(team))
    clash = training(
        team,
        kind=SessionKind.MENTORING_INDIVIDUAL,
        time_from=time(11),
        time_to=time(12),
        hours=Decimal(1),
        hour_unit=HourUnit.CLOCK,
        participant_ids=(team.petr,),
    )
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.create_session(session, project_id, clash)
    assert info.value.field_errors["participants"] == (
        "Petr Svoboda má v tu dobu jiné setkání: „Komunikace s klientem“ 05.03.2024 9:00–12:00."
    )
    # back to back is fine; the same lecturer in parallel is not checked
    with db.unit_of_work() as session:
        service.create_session(
            session,
            project_id,
            training(team, time_from=time(12), time_to=time(12, 45), hours=Decimal(1)),
        )
    # archived sessions don't block; restoring then conflicts
    with db.unit_of_work() as session:
        service.archive_session(session, first.id)
        service.create_session(session, project_id, clash)
    with pytest.raises(ConflictError), db.unit_of_work() as session:
        service.restore_session(session, first.id)


def test_update_keeps_attendance_of_kept_participants(
    db: Database, project_id: int, team: Team
) -> None:
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, training(team))
        attendance_service.record_attendance(
            session,
            view.id,
            [
                AttendanceEntry(team.jana, Attendance.PRESENT, Decimal(2)),
                AttendanceEntry(team.petr, Attendance.EXCUSED),
            ],
        )
    data = training(team, participant_ids=(team.jana,), topic="Nové téma", place="Radnice")
    with db.unit_of_work() as session:
        updated = service.update_session(session, view.id, data)
    assert updated.topic == "Nové téma"
    assert [(p.assistant_id, p.status, p.hours_attended) for p in updated.participants] == [
        (team.jana, Attendance.PRESENT, Decimal(2))
    ]
    shorter = training(team, participant_ids=(team.jana,), time_to=time(10), hours=None)
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.update_session(session, view.id, shorter)  # 1.25 h < Jana's 2 h
    assert "zapsanou účast delší" in info.value.field_errors["hours"]
    with db.unit_of_work() as session:
        assert service.get_session(session, view.id).topic == "Nové téma"


def test_update_to_a_kind_changes_the_key_activity(
    db: Database, project_id: int, team: Team
) -> None:
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, training(team))
        data = training(
            team,
            kind=SessionKind.ASSISTANT_SUPERVISION,
            supervision_form=SupervisionForm.SKUPINOVA,
            supervisor_type=SupervisorType.EXTERNI,
            hour_unit=HourUnit.CLOCK,
            hours=Decimal(3),
            conclusions="Závěry",
            agreed_steps="Kroky",
            next_meeting=date(2024, 4, 2),
            private_note="Důvěrné",
        )
        updated = service.update_session(session, view.id, data)
    assert updated.activity_code == "KA04"
    assert updated.supervision_form is SupervisionForm.SKUPINOVA
    assert updated.supervisor_type is SupervisorType.EXTERNI
    assert updated.private_note == "Důvěrné"


def test_list_filters_and_order(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        a = service.create_session(session, project_id, training(team))
        b = service.create_session(
            session,
            project_id,
            training(
                team,
                kind=SessionKind.MENTOR_TRAINING,
                date=date(2024, 5, 2),
                area_ids=(),
                participant_ids=(),
                form=SessionForm.ONLINE,
                place="",
                topic="Krizová intervence",
            ),
        )
        c = service.create_session(
            session,
            project_id,
            training(
                team,
                date=date(2024, 4, 9),
                participant_ids=(team.petr,),
                area_ids=(team.areas["DIG"],),
                topic="Digitální",
            ),
        )
        service.archive_session(session, c.id)
    with db.unit_of_work() as session:
        rows = service.list_sessions(session, project_id)
        assert [r.id for r in rows] == [b.id, a.id]
        assert rows[1].area_short_labels == ("ZÁKL", "KOM")
        assert rows[1].participant_count == 2 and not rows[1].attendance_recorded
        assert rows[0].activity_code == "KA05" and rows[0].area_short_labels == ()
        assert rows[1].evidence_text(datetime.now()) == "chybí"
        assert rows[1].time_text == "9:00–12:00" and rows[1].hours_text == "4 vyuč. h"

        def ids(**kw: object) -> list[int]:
            return [r.id for r in service.list_sessions(session, project_id, SessionFilter(**kw))]  # type: ignore[arg-type]

        assert ids(include_archived=True) == [b.id, c.id, a.id]
        assert ids(kinds=(SessionKind.MENTOR_TRAINING,)) == [b.id]
        assert ids(date_from=date(2024, 4, 1)) == [b.id]
        assert ids(date_to=date(2024, 4, 30)) == [a.id]
        assert ids(text="krizová") == [b.id]
        assert ids(area_id=team.areas["DIG"], include_archived=True) == [c.id]
        assert ids(assistant_id=team.jana) == [a.id]
        assert ids(evidence="complete") == []
        assert ids(evidence="missing") == [b.id, a.id]


def test_series_skips_holidays_and_each_stays_editable(
    db: Database, project_id: int, team: Team
) -> None:
    data = training(
        team,
        kind=SessionKind.ASSISTANT_SUPERVISION,
        supervision_form=SupervisionForm.SKUPINOVA,
        time_from=time(13),
        time_to=time(14, 30),
        hours=None,
        hour_unit=HourUnit.CLOCK,
        date=None,
    )
    rule = RecurrenceRule(Frequency.MONTHLY, start=date(2024, 7, 5), until=date(2024, 12, 31))
    with db.unit_of_work() as session:
        result = service.create_series(session, project_id, data, rule)
    assert [s.day for s in result.plan.skipped] == [date(2024, 7, 5)]
    assert len(result.session_ids) == 5
    with db.unit_of_work() as session:
        rows = service.series_sessions(session, result.series_id)
        assert [r.date for r in rows][-1] == date(2024, 8, 5)
        assert all(r.hours == Decimal("1.5") for r in rows)
        one = service.get_session(session, result.session_ids[0])
        service.update_session(session, one.id, replace(one.to_data(), topic="Jiné"))
    with db.unit_of_work() as session:
        topics = {service.get_session(session, i).topic for i in result.session_ids}
        assert topics == {"Jiné", "Komunikace s klientem"}
        assert session.scalar(select(SessionSeries.description)) == "měsíčně, 5. den v měsíci"


def test_series_all_or_nothing(db: Database, project_id: int, team: Team) -> None:
    # Eva starts on 1.6.2024: a series from May fails on its first date; nothing is written
    data = training(team, participant_ids=(team.eva,), date=None)
    rule = RecurrenceRule(Frequency.WEEKLY, start=date(2024, 5, 28), count=3)
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        service.create_series(session, project_id, data, rule)
    assert "28.05.2024" in info.value.field_errors["participants"]
    assert count_sessions(db) == 0
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(SessionSeries)) == 0


def test_attendance_partial_walk_in_and_errors(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        view = service.create_session(
            session, project_id, training(team, date=date(2024, 6, 4), participant_ids=(team.jana,))
        )
    field = attendance_service.attendance_field
    bad = [
        AttendanceEntry(team.jana, Attendance.PRESENT, Decimal(5)),
        AttendanceEntry(team.petr, Attendance.ABSENT, Decimal(1)),
    ]
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        attendance_service.record_attendance(session, view.id, bad)
    assert set(info.value.field_errors) == {field(team.jana), field(team.petr)}
    good = [
        AttendanceEntry(team.jana, Attendance.PRESENT, Decimal("2.5"), " odešla dříve "),
        AttendanceEntry(team.eva, Attendance.PRESENT),  # walk-in
        AttendanceEntry(team.petr, Attendance.ABSENT),
    ]
    with db.unit_of_work() as session:
        result = attendance_service.record_attendance(session, view.id, good)
    by_id = {p.assistant_id: p for p in result.participants}
    assert by_id[team.jana].counted_hours == Decimal("2.5")
    assert by_id[team.jana].note == "odešla dříve"
    assert not by_id[team.eva].invited and by_id[team.eva].counted_hours == Decimal(4)
    assert by_id[team.petr].counted_hours == 0 and by_id[team.petr].status_label == "nepřítomen"
    assert result.attendance_recorded and result.present_count == 2
    with db.unit_of_work() as session:
        row = service.list_sessions(session, project_id)[0]
        assert row.participant_count == 3 and row.attendance_recorded


def test_attendance_of_a_future_session_is_refused(
    db: Database, project_id: int, team: Team
) -> None:
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, training(team))
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        attendance_service.record_attendance(
            session,
            view.id,
            [AttendanceEntry(team.jana, Attendance.PRESENT)],
            today=date(2024, 3, 4),
        )
    assert info.value.field_errors == {
        "attendance": "Docházku lze zapsat až v den setkání (05.03.2024)."
    }


def test_walk_in_not_employed_is_refused(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, training(team))
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        attendance_service.record_attendance(
            session, view.id, [AttendanceEntry(team.eva, Attendance.PRESENT)]
        )
    assert (
        "nebyl(a) 05.03.2024 zaměstnán(a)"
        in info.value.field_errors[attendance_service.attendance_field(team.eva)]
    )
    with db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(SessionParticipant)) == 2


def test_delete_only_without_attendance(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        a = service.create_session(session, project_id, training(team))
        b = service.create_session(session, project_id, training(team, date=date(2024, 3, 6)))
        attendance_service.mark_all_present(session, b.id)
    with db.unit_of_work() as session:
        service.delete_session(session, a.id)
    with pytest.raises(ConflictError), db.unit_of_work() as session:
        service.delete_session(session, b.id)
    with pytest.raises(NotFoundError), db.unit_of_work() as session:
        service.get_session(session, a.id)
    assert count_sessions(db) == 1


def test_sheet_data_prints_names_and_positions_only(
    db: Database, project_id: int, team: Team
) -> None:
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, training(team))
        sheet = attendance_sheet_data(session, view.id)
    assert sheet.participants == (
        ("Jana Nováková", "APK – pozice 1"),
        ("Petr Svoboda", "APK – pozice 2"),
    )
    assert sheet.activity_code == "KA04" and sheet.hours_unit == "teaching"
    assert sheet.areas == ("Základní znalosti práce APK (teorie a praxe)", "Komunikační dovednosti")
    assert sheet.form == "prezenčně" and sheet.sheet_id == view.sheet_id


def test_record_sheet_hides_the_private_note_unless_asked(
    db: Database, project_id: int, team: Team
) -> None:
    data = training(
        team,
        kind=SessionKind.ASSISTANT_SUPERVISION,
        supervision_form=SupervisionForm.PRIPADOVA,
        supervisor_type=SupervisorType.INTERNI,
        private_note="Tajné",
        next_meeting=date(2024, 4, 2),
    )
    with db.unit_of_work() as session:
        view = service.create_session(session, project_id, data)
        hidden = record_sheet_data(session, view.id)
        shown = record_sheet_data(session, view.id, include_private_note=True)
    assert hidden.private_note == "" and not hidden.include_private_note
    assert shown.private_note == "Tajné" and shown.include_private_note
    assert hidden.form == "případová" and hidden.leader_kind == "interní"
    assert hidden.next_meeting == "02.04.2024"


def test_attendance_sheet_lists_everyone_invited_the_record_those_present(
    db: Database, project_id: int, team: Team
) -> None:
    supervision = training(
        team,
        kind=SessionKind.ASSISTANT_SUPERVISION,
        date=date(2024, 6, 5),
        supervision_form=SupervisionForm.SKUPINOVA,
        supervisor_type=SupervisorType.EXTERNI,
        form=SessionForm.ONLINE,
        place="",
    )
    with db.unit_of_work() as session:
        sup = service.create_session(session, project_id, supervision)
        course = service.create_session(session, project_id, training(team, date=date(2024, 6, 6)))
        before = record_sheet_data(session, sup.id)
    invited = (("Jana Nováková", "APK – pozice 1"), ("Petr Svoboda", "APK – pozice 2"))
    assert before.participants == invited  # attendance not recorded yet: everyone invited
    assert before.leader_kind == "externí" and before.form == "skupinová"
    assert before.areas == (
        "Základní znalosti práce APK (teorie a praxe)",
        "Komunikační dovednosti",
    )
    assert before.place == "online"  # no place given: the form
    entries = [
        AttendanceEntry(team.jana, Attendance.PRESENT),
        AttendanceEntry(team.petr, Attendance.ABSENT),
        AttendanceEntry(team.eva, Attendance.PRESENT),  # came uninvited
    ]
    with db.unit_of_work() as session:
        attendance_service.record_attendance(session, sup.id, entries)
        attendance_service.record_attendance(session, course.id, entries)
    with db.unit_of_work() as session:
        after = record_sheet_data(session, sup.id)
        sheet = attendance_sheet_data(session, course.id)
    assert after.participants == (
        ("Jana Nováková", "APK – pozice 1"),
        ("Eva Malá", "APK – pozice 3"),
    )
    assert sheet.participants == invited and sheet.blank_rows == 3  # signed at the session
    assert sheet.place == "Služebna MP Sokolov"


def test_session_sheets_pick_the_sheet_and_name_the_file(
    db: Database, project_id: int, team: Team
) -> None:
    supervision = training(
        team,
        kind=SessionKind.MENTOR_SUPERVISION,
        participant_ids=(),
        supervision_form=SupervisionForm.INDIVIDUALNI,
        private_note="Tajné",
    )
    with db.unit_of_work() as session:
        course = service.create_session(session, project_id, training(team))
        sup = service.create_session(session, project_id, supervision)
        listing = sessions_print.session_sheets(session, course.id)
        record = sessions_print.session_sheets(session, sup.id, include_private_note=True)
        month = sessions_print.month_sheets(session, project_id, 2024, 3)
        empty = sessions_print.month_sheets(session, project_id, 2024, 4)
        blank = sessions_print.blank_sheets(
            session, project_id, sessions_print.SheetKind.MENTORING, None
        )
    assert listing.file_name == f"{course.sheet_id}.pdf" and len(listing.sheets) == 1
    assert listing.title == "Prezenční listina – Komunikace s klientem (05.03.2024)"
    assert isinstance(listing.sheets[0], AttendanceSheetData)
    (sheet,) = record.sheets
    assert isinstance(sheet, RecordSheetData) and sheet.sheet_id == f"SUP-{sup.id}"
    assert sheet.private_note == "Tajné" and record.title.startswith("Záznam ze supervize")
    assert month is not None and empty is None
    assert [s.sheet_id for s in month.sheets] == [course.sheet_id, sup.sheet_id]
    assert all(not getattr(s, "private_note", "") for s in month.sheets)
    assert month.file_name == "listy-2024-03.pdf"
    assert blank.sheets[0].sheet_id == "MEN-BLANK-BEZ-DATA"


def test_session_list_rows(db: Database, project_id: int, team: Team) -> None:
    with db.unit_of_work() as session:
        first = service.create_session(session, project_id, training(team))
        second = service.create_session(session, project_id, training(team, date=date(2024, 3, 6)))
        rows = service.list_sessions(session, project_id)
    assert [r.id for r in rows] == [second.id, first.id]
    assert rows[-1].date == date(2024, 3, 5) and rows[-1].time_from == time(9)
    assert rows[-1].hours == Decimal("4.00") and not rows[-1].archived
    lazy = service.SessionList([], {})
    assert len(lazy) == 0 and lazy.ids == [] and lazy[:] == []
