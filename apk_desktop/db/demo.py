"""The demo project ("Vyzkoušet na ukázkových datech"): a realistic first year of work in a
database of its own, marked UKÁZKA on screen and on every printed sheet.

Team, plans, assessments, sessions of every kind with attendance, and signed scans (small PDFs
made with reportlab) for most past sessions; a few recent ones still lack theirs, as in life.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from apk_desktop.db.sample import populate_sample
from apk_desktop.db.seed import template_project
from apk_desktop.db.services import roster
from apk_desktop.db.services.assessments import populate_sample_assessments
from apk_desktop.db.services.attendance import record_attendance
from apk_desktop.db.services.evidence import attach_evidence
from apk_desktop.db.services.plans import populate_sample_plans
from apk_desktop.db.services.project import ProjectInfo, get_project_info
from apk_desktop.db.services.sessions import create_session
from apk_desktop.db.services.setup import create_project
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.project import ProjectData
from apk_desktop.domain.sessions import (
    Attendance,
    AttendanceEntry,
    HourUnit,
    SessionData,
    SessionKind,
    SupervisionForm,
    SupervisorType,
)
from apk_desktop.domain.setup import ProjectSetup

DEMO_NAME = "Ukázkový projekt APK (UKÁZKA)"
MENTOR = "Mgr. Jiří Dvořák"
TOPICS = {
    "FIELD": "Práce v sociálně vyloučené lokalitě – pochůzka a hlášení",
    "FIN": "Dluhy, exekuce a rozpočet domácnosti",
    "COMM": "Komunikace s rozrušeným občanem",
    "MED": "Mediace sousedského sporu",
    "DIG": "Práce s tabulkami a e-mailem",
}
RECENT_WITHOUT_SCAN = timedelta(days=45)  # the last weeks' sheets are not scanned yet


def demo_period(today: date) -> tuple[date, date]:
    """Three years from the April 1 a good year before ``today``: the first plan year is done,
    the second is running."""
    year = today.year - 1 if today.month >= 4 else today.year - 2
    start = date(year, 4, 1)
    return start, date(year + 3, 3, 31)


def demo_facts(today: date) -> ProjectData:
    start, end = demo_period(today)
    return replace(
        template_project(),
        name=DEMO_NAME,
        registration_number="CZ.03.02.01/00/22_999/0000999",
        beneficiary="město Ukázkov, prostřednictvím Městské policie Ukázkov",
        mentor_name=MENTOR,
        period_start=start,
        period_end=end,
    )


def _scan_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF standing in for a signed, scanned sheet."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from apk_desktop.sheets.base import FONT, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT, 14)
    canvas.drawString(60, 780, title)
    canvas.setFont(FONT, 10)
    for index, line in enumerate(lines):
        canvas.drawString(60, 750 - 16 * index, line)
    canvas.drawString(60, 120, "UKÁZKA – naskenovaný podepsaný list (vymyšlená data)")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _months(start: date, stop: date) -> list[date]:
    days: list[date] = []
    month = start.replace(day=1)
    while month <= stop:
        days.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return days


def _weekday(month: date, weekday: int, week: int) -> date:
    """The ``week``-th (0-based) ``weekday`` (0 = Monday) of ``month``."""
    first = month + timedelta(days=(weekday - month.weekday()) % 7)
    return first + timedelta(weeks=week)


def _add_sessions(session: Session, info: ProjectInfo, today: date, folder: Path) -> int:
    """Monthly training and group mentoring, individual mentoring, quarterly supervision and
    the mentor's own training, from the project start to yesterday; returns how many."""
    areas = list(info.areas)
    count = 0
    for index, month in enumerate(_months(info.period_start, today)):
        area = areas[index % len(areas)]
        plan = [
            (
                SessionKind.TRAINING,
                _weekday(month, 1, 1),
                (time(8), time(12)),
                TOPICS.get(area.code, area.label),
                "Bc. Šárka Říhová",
                None,
            ),
            (
                SessionKind.MENTORING_GROUP,
                _weekday(month, 3, 2),
                (time(13), time(14, 30)),
                "Porada týmu a rozbor případů",
                "",
                None,
            ),
            (
                SessionKind.MENTORING_INDIVIDUAL,
                _weekday(month, 2, 3),
                (time(10), time(11)),
                "Individuální konzultace k plánu rozvoje",
                "",
                index,
            ),
        ]
        if index % 3 == 2:
            plan.append(
                (
                    SessionKind.ASSISTANT_SUPERVISION,
                    _weekday(month, 0, 2),
                    (time(9), time(11)),
                    "Skupinová supervize: zátěžové situace",
                    "PhDr. Marta Holá",
                    None,
                )
            )
        if index % 4 == 1:
            plan.append(
                (
                    SessionKind.MENTOR_TRAINING,
                    _weekday(month, 4, 1),
                    (time(9), time(15)),
                    "Mentoring v praxi obecní policie",
                    "Institut pro veřejnou správu",
                    None,
                )
            )
        for kind, day, (start, end), topic, lecturer, single in plan:
            if not info.period_start <= day < today:
                continue
            people = roster.active_assistants(session, info.id, day)
            if kind.for_assistants and not people:
                continue
            ids = tuple(p.assistant_id for p in people)
            if single is not None:
                ids = (ids[single % len(ids)],)
            supervision = kind.is_supervision
            view = create_session(
                session,
                info.id,
                SessionData(
                    kind=kind,
                    date=day,
                    time_from=start,
                    time_to=end,
                    hour_unit=HourUnit.TEACHING if kind is SessionKind.TRAINING else HourUnit.CLOCK,
                    place="Služebna městské policie, Ukázkov",
                    lecturer=lecturer,
                    topic=topic,
                    area_ids=(area.id,) if kind.for_assistants else (),
                    participant_ids=ids if kind.for_assistants else (),
                    supervision_form=SupervisionForm.SKUPINOVA if supervision else None,
                    supervisor_type=SupervisorType.EXTERNI if supervision else None,
                    conclusions="Dohodnuty další kroky." if kind.has_record else "",
                ),
            )
            count += 1
            if ids and kind.for_assistants:
                absent = ids[(index + count) % len(ids)] if len(ids) > 3 else None
                record_attendance(
                    session,
                    view.id,
                    [
                        AttendanceEntry(
                            aid, Attendance.ABSENT if aid == absent else Attendance.PRESENT
                        )
                        for aid in ids
                    ],
                    today=today,
                )
            if day < today - RECENT_WITHOUT_SCAN and count % 7 != 0:
                scan = folder / f"sken-{view.id}.pdf"
                scan.write_bytes(
                    _scan_pdf(
                        f"{kind.label}: {topic}",
                        [f"Datum: {format_date(day)}", f"Účastníků: {len(ids)}"],
                    )
                )
                attach_evidence(session, view.id, scan)
    return count


def populate_demo(session: Session, today: date | None = None) -> ProjectInfo:
    """Create the demo project in an empty database (the caller's one transaction)."""
    today = today or date.today()
    info = create_project(session, ProjectSetup(demo_facts(today), is_demo=True))
    populate_sample(session, info.id)
    populate_sample_plans(session, info.id)
    populate_sample_assessments(session, info.id, until=today - timedelta(days=14))
    with tempfile.TemporaryDirectory(prefix="apk-demo-") as folder:
        _add_sessions(session, info, today, Path(folder))
    return get_project_info(session, info.id)
