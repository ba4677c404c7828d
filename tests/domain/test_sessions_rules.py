"""Rules of sessions: time range, hours (45-min teaching or clock hours), overlaps, forms."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.sessions import (
    Attendance,
    AttendanceEntry,
    HourUnit,
    SessionData,
    SessionForm,
    SessionKind,
    SupervisionForm,
    SupervisorType,
    TimeSlot,
    attendance_errors,
    attended_hours,
    hours_bounds,
    hours_error,
    is_past,
    parse_time,
    round_quarter,
    slots_overlap,
    suggest_hours,
    to_clock_hours,
    validate_session,
)

PERIOD = (date(2023, 4, 1), date(2026, 3, 31))


def training(**changes: object) -> SessionData:
    values: dict[str, object] = {
        "kind": SessionKind.TRAINING,
        "date": date(2024, 3, 5),
        "time_from": time(9, 0),
        "time_to": time(12, 0),
        "hours": Decimal(4),
        "place": "Služebna MP",
        "lecturer": "Mgr. Petr Dvořák",
        "topic": "Komunikace s klientem",
        "area_ids": (1,),
        "participant_ids": (1, 2),
    }
    values.update(changes)
    return SessionData(**values).clean()  # type: ignore[arg-type]


def test_a_good_training_has_no_errors() -> None:
    assert validate_session(training(), period=PERIOD) == {}


@pytest.mark.parametrize(
    ("start", "end", "unit", "expected"),
    [
        (time(9), time(12), HourUnit.TEACHING, Decimal(4)),
        (time(9), time(12), HourUnit.CLOCK, Decimal(3)),
        (time(9), time(9, 45), HourUnit.TEACHING, Decimal(1)),
        (time(9), time(12, 15), HourUnit.TEACHING, Decimal("4.25")),  # 195/45 = 4.33
        (time(13), time(14, 30), HourUnit.CLOCK, Decimal("1.5")),
        (time(8), time(8, 10), HourUnit.CLOCK, Decimal("0.25")),  # 0.167 → 0.25
    ],
)
def test_suggested_hours(start: time, end: time, unit: HourUnit, expected: Decimal) -> None:
    assert suggest_hours(start, end, unit) == expected


def test_round_quarter_rounds_halves_up() -> None:
    assert round_quarter(Decimal("4.125")) == Decimal("4.25")
    assert round_quarter(Decimal("4.1")) == Decimal("4")


def test_hours_may_be_less_for_breaks_but_not_more_than_the_range() -> None:
    lowest, highest = hours_bounds(time(8), time(16), HourUnit.TEACHING)  # 480 min = 10.67
    assert highest == Decimal("10.75")
    assert lowest == Decimal("7.25")
    assert hours_error(Decimal(8), time(8), time(16), HourUnit.TEACHING) is None
    too_many = hours_error(Decimal(11), time(8), time(16), HourUnit.TEACHING)
    assert too_many is not None and "neodpovídá času 8:00–16:00" in too_many
    assert "10,75" in too_many and "vyučovací hodiny (45 min)" in too_many
    assert "nejvýše 10,75 vyuč. h a nejméně 7,25 vyuč. h" in too_many
    assert hours_error(Decimal(5), time(8), time(16), HourUnit.TEACHING) is not None


def test_hours_in_the_wrong_unit_are_refused() -> None:
    # 9–12 is 4 teaching hours, but only 3 clock hours
    errors = validate_session(training(hour_unit=HourUnit.CLOCK), period=PERIOD)
    assert "hodiny (60 min)" in errors["hours"]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal(0), "větší než nula"),
        (Decimal("-1"), "větší než nula"),
        (Decimal("1.1"), "po čtvrthodinách"),
        (Decimal(30), "příliš velký"),
    ],
)
def test_bad_hours(hours: Decimal, message: str) -> None:
    assert message in validate_session(training(hours=hours), period=PERIOD)["hours"]


def test_end_before_start() -> None:
    errors = validate_session(training(time_to=time(8)), period=PERIOD)
    assert errors["time_to"] == "Konec musí být později než začátek."
    assert "hours" not in errors  # one message is enough
    assert validate_session(training(time_to=time(9)), period=PERIOD)["time_to"]


def test_missing_fields_have_czech_messages() -> None:
    data = training(date=None, time_from=None, time_to=None, place="", topic="", lecturer="")
    errors = validate_session(data, period=PERIOD)
    assert errors["date"] == "Zadejte datum."
    assert errors["time_from"] == "Zadejte čas začátku."
    assert errors["time_to"] == "Zadejte čas konce."
    assert errors["place"] == "Zadejte místo konání."
    assert errors["topic"] == "Zadejte téma."
    assert errors["lecturer"] == "Zadejte jméno lektora."


def test_online_needs_no_place_and_mentoring_no_lecturer() -> None:
    data = training(
        kind=SessionKind.MENTORING_GROUP, form=SessionForm.ONLINE, place="", lecturer=""
    )
    assert validate_session(data, period=PERIOD) == {}


def test_date_outside_the_project_period() -> None:
    errors = validate_session(training(date=date(2026, 4, 1)), period=PERIOD)
    assert errors["date"] == "Datum musí spadat do období projektu 01.04.2023 – 31.03.2026."


def test_assistant_sessions_need_areas_and_participants() -> None:
    errors = validate_session(training(area_ids=(), participant_ids=()), period=PERIOD)
    assert errors["areas"] == "Vyberte alespoň jednu vzdělávací oblast."
    assert errors["participants"] == "Vyberte alespoň jednoho účastníka."


def test_mentor_sessions_need_neither() -> None:
    data = training(kind=SessionKind.MENTOR_TRAINING, area_ids=(), participant_ids=())
    assert validate_session(data, period=PERIOD) == {}


def test_supervision_needs_its_form_and_individual_has_one_participant() -> None:
    data = training(kind=SessionKind.ASSISTANT_SUPERVISION)
    assert validate_session(data, period=PERIOD)["supervision_form"] == "Vyberte formu supervize."
    data = training(
        kind=SessionKind.ASSISTANT_SUPERVISION, supervision_form=SupervisionForm.INDIVIDUALNI
    )
    errors = validate_session(data, period=PERIOD)
    assert errors == {"participants": "Individuální setkání má právě jednoho účastníka."}
    data = training(kind=SessionKind.MENTORING_INDIVIDUAL, participant_ids=(1,))
    assert validate_session(data, period=PERIOD) == {}


def test_supervision_fields_only_on_supervision() -> None:
    data = training(supervision_form=SupervisionForm.TYMOVA, supervisor_type=SupervisorType.EXTERNI)
    errors = validate_session(data, period=PERIOD)
    assert set(errors) == {"supervision_form", "supervisor_type"}


def test_next_meeting_must_be_later() -> None:
    data = training(kind=SessionKind.MENTORING_GROUP, next_meeting=date(2024, 3, 5))
    assert "next_meeting" in validate_session(data, period=PERIOD)


def test_clean_strips_and_deduplicates() -> None:
    data = SessionData(
        kind="training",  # type: ignore[arg-type]
        date=date(2024, 1, 1),
        time_from=time(9),
        time_to=time(10),
        topic="  Téma ",
        area_ids=(2, 1, 2),
        participant_ids=(3, 3),
        supervision_form="",  # type: ignore[arg-type]
    ).clean()
    assert data.kind is SessionKind.TRAINING
    assert data.topic == "Téma"
    assert data.area_ids == (2, 1)
    assert data.participant_ids == (3,)
    assert data.supervision_form is None


def test_overlap_is_half_open() -> None:
    day = date(2024, 1, 1)
    a = TimeSlot(day, time(9), time(10))
    assert slots_overlap(a, TimeSlot(day, time(9, 30), time(11)))
    assert slots_overlap(a, TimeSlot(day, time(8), time(12)))
    assert not slots_overlap(a, TimeSlot(day, time(10), time(11)))
    assert not slots_overlap(a, TimeSlot(date(2024, 1, 2), time(9), time(10)))


def test_default_hour_unit_follows_the_kind() -> None:
    assert SessionKind.TRAINING.default_hour_unit is HourUnit.TEACHING
    assert SessionKind.MENTOR_TRAINING.default_hour_unit is HourUnit.TEACHING
    for kind in (
        SessionKind.MENTORING_INDIVIDUAL,
        SessionKind.MENTORING_GROUP,
        SessionKind.ASSISTANT_SUPERVISION,
        SessionKind.MENTOR_SUPERVISION,
    ):
        assert kind.default_hour_unit is HourUnit.CLOCK


def test_attendance_rules() -> None:
    hours = Decimal(4)
    assert (
        attendance_errors(AttendanceEntry(1, Attendance.PRESENT), hours, HourUnit.TEACHING, "f")
        == {}
    )
    partial = AttendanceEntry(1, Attendance.PRESENT, Decimal("2.5"))
    assert attendance_errors(partial, hours, HourUnit.TEACHING, "f") == {}
    too_long = AttendanceEntry(1, Attendance.PRESENT, Decimal(5))
    assert (
        "delší než setkání (4 vyuč. h)"
        in attendance_errors(too_long, hours, HourUnit.TEACHING, "f")["f"]
    )
    odd = AttendanceEntry(1, Attendance.PRESENT, Decimal("1.1"))
    assert "čtvrthodinách" in attendance_errors(odd, hours, HourUnit.TEACHING, "f")["f"]
    excused = AttendanceEntry(1, Attendance.EXCUSED, Decimal(1))
    assert (
        "nemá odpracované hodiny" in attendance_errors(excused, hours, HourUnit.TEACHING, "f")["f"]
    )
    no_status = AttendanceEntry(1, None, Decimal(1))
    assert attendance_errors(no_status, hours, HourUnit.TEACHING, "f") == {
        "f": "Vyberte, zda byl účastník přítomen."
    }


def test_attended_hours() -> None:
    assert attended_hours(Attendance.PRESENT, None, Decimal(4)) == Decimal(4)
    assert attended_hours("present", Decimal(2), Decimal(4)) == Decimal(2)
    assert attended_hours(Attendance.EXCUSED, None, Decimal(4)) == 0
    assert attended_hours(None, None, Decimal(4)) == 0


def test_units_and_labels() -> None:
    assert to_clock_hours(Decimal(4), HourUnit.TEACHING) == Decimal(3)
    assert to_clock_hours(Decimal(4), HourUnit.CLOCK) == Decimal(4)
    assert SessionKind.MENTORING_GROUP.activity_code == "KA03"
    assert SessionKind.ASSISTANT_SUPERVISION.activity_code == "KA04"
    assert SessionKind.MENTOR_SUPERVISION.activity_code == "KA05"
    assert SupervisionForm.PRIPADOVA.label == "případová"
    assert Attendance.ABSENT.label == "nepřítomen"
    assert SessionForm.PREZENCNE.label == "prezenčně"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9:00", time(9)), ("9.30", time(9, 30)), ("09:05", time(9, 5)), ("14", time(14))],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:5", "abc", "9:60"])
def test_parse_time_refuses_garbage(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_time(text, "time_from")
    assert "není platný čas" in info.value.field_errors["time_from"]


def test_is_past() -> None:
    assert is_past(date(2024, 1, 1), time(10), datetime(2024, 1, 1, 10, 0))
    assert not is_past(date(2024, 1, 1), time(10), datetime(2024, 1, 1, 9, 59))
