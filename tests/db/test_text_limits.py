"""Bad values at the service boundary: control characters, non-finite numbers, texts over their
limit; and rows stored before the limits existed still load, print and export."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from apk_desktop.db.database import Database
from apk_desktop.db.services import attendance as attendance_service
from apk_desktop.db.services import export
from apk_desktop.db.services import sessions as sessions_service
from apk_desktop.db.services.sessions_print import session_sheets
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.sessions import Attendance, AttendanceEntry
from apk_desktop.sheets.session_sheets import build_document
from tests.db.sessions_helpers import Team, make_team, training


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    return make_team(db, project_id)


def _raw_update(db: Database, sql: str, **values: object) -> None:
    """Change a row behind the services' back, as an older version or another tool might."""
    with db.engine.begin() as connection:
        connection.execute(text(sql), values)


def _xlsx(db: Database, project_id: int, target: Path) -> list[tuple[object, ...]]:
    with db.unit_of_work() as session:
        tables = export.monitoring_tables(session, project_id, date_to=date(2024, 12, 31))
    export.write_xlsx(tables, target)
    return list(load_workbook(target)["Setkání"].iter_rows(values_only=True))


def test_a_vertical_tab_in_a_topic_is_removed_on_save(
    db: Database, project_id: int, team: Team, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        view = sessions_service.create_session(
            session, project_id, training(team, topic="Deeskalace\x0bv praxi", place="A\x01B")
        )
    assert (view.topic, view.place) == ("Deeskalace v praxi", "AB")
    rows = _xlsx(db, project_id, tmp_path / "a.xlsx")
    assert "Deeskalace v praxi" in rows[1]


def test_export_survives_control_characters_stored_earlier(
    db: Database, project_id: int, team: Team, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        session_id = sessions_service.create_session(session, project_id, training(team)).id
    # PostgreSQL stores no NUL character in text at all; SQLite does
    topic = "Té\x0bma\x00" if db.is_sqlite else "Té\x0bma"
    _raw_update(db, "UPDATE training_session SET topic = :t WHERE id = :id", t=topic, id=session_id)
    rows = _xlsx(db, project_id, tmp_path / "b.xlsx")
    assert "Té\nma" in rows[1]  # the vertical tab was a line break
    with db.unit_of_work() as session:
        batch = session_sheets(session, session_id)
    pages = PdfReader(io.BytesIO(build_document(batch).pdf)).pages
    printed = "".join(page.extract_text() for page in pages)
    assert "Té\nma" in printed
    assert not [c for c in printed if unicodedata.category(c) == "Cc" and c != "\n"]


@pytest.mark.sqlite_only(reason="SQLite ignores VARCHAR lengths: only there can old rows be longer")
def test_rows_longer_than_the_limits_still_load_print_and_export(
    db: Database, project_id: int, team: Team, tmp_path: Path
) -> None:
    with db.unit_of_work() as session:
        session_id = sessions_service.create_session(session, project_id, training(team)).id
    topic = "Velmi dlouhé téma " * 2_000  # 36,000 characters: more than an XLSX cell holds
    _raw_update(db, "UPDATE training_session SET topic = :t WHERE id = :id", t=topic, id=session_id)
    with db.unit_of_work() as session:
        assert sessions_service.get_session(session, session_id).topic == topic
        batch = session_sheets(session, session_id)
    assert build_document(batch).pdf.startswith(b"%PDF")
    rows = _xlsx(db, project_id, tmp_path / "c.xlsx")
    cell = next(v for v in rows[1] if isinstance(v, str) and v.startswith("Velmi"))
    assert len(cell) == export.XLSX_CELL_MAX and cell.endswith("…")
    # saving it again asks for a shorter topic instead of cutting it silently
    with pytest.raises(ValidationError) as caught, db.unit_of_work() as session:
        sessions_service.update_session(session, session_id, training(team, topic=topic.strip()))
    assert "nejvýše 500 znaků" in caught.value.field_errors["topic"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "sNaN"])
def test_non_finite_hours_are_a_validation_error(
    db: Database, project_id: int, team: Team, value: str
) -> None:
    with pytest.raises(ValidationError) as caught, db.unit_of_work() as session:
        sessions_service.create_session(session, project_id, training(team, hours=Decimal(value)))
    assert caught.value.field_errors["hours"] == "Počet hodin musí být číslo (např. 1,5)."
    with db.unit_of_work() as session:
        session_id = sessions_service.create_session(session, project_id, training(team)).id
    entry = AttendanceEntry(team.jana, Attendance.PRESENT, Decimal(value))
    with pytest.raises(ValidationError) as caught, db.unit_of_work() as session:
        attendance_service.record_attendance(session, session_id, [entry], today=date(2024, 12, 31))
    assert "musí být číslo" in caught.value.message


def test_control_characters_in_a_name_are_removed_on_save(db: Database, project_id: int) -> None:
    from apk_desktop.db.services import roster
    from apk_desktop.domain.roster import PersonData

    with db.unit_of_work() as session:
        position = roster.list_positions(session, project_id, date(2024, 1, 1))[0]
        person = PersonData("Ja\x0bna", "Nová\x00ková", note="Řádek 1\x0bŘádek 2")
        view = roster.hire(session, project_id, position.position_id, person, date(2024, 1, 1))
    assert (view.first_name, view.last_name, view.note) == ("Ja na", "Nováková", "Řádek 1\nŘádek 2")


TABLES = {
    "project": "project",
    "area": "education_area",
    "person": "assistant",
    "employment": "employment",
    "session": "training_session",
    "attendance": "session_participant",
    "plan": "plan",
    "goal": "plan_goal",
    "review": "plan_review",
    "assessment": "assessment",
    "scale": "assessment_scale",
    "evidence": "evidence_file",
}
COLUMNS = {"scale.level_label": ("scale_level", "label")}


def test_every_text_limit_fits_its_column() -> None:
    """A limit above its column's VARCHAR length would pass SQLite (which ignores lengths) and
    fail on PostgreSQL at the save."""
    from apk_desktop.db.base import Base
    from apk_desktop.domain.limits import LIMITS

    for key, limit in LIMITS.items():
        entity, field = key.split(".")
        table, column = COLUMNS.get(key, (TABLES[entity], field))
        length = getattr(Base.metadata.tables[table].c[column].type, "length", None)
        assert length is None or limit.max_length <= length, key
