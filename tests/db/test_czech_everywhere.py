"""Czech everywhere: Czech order in lists and exports, accent-free search in SQL, Czech short
labels of the areas instead of their internal codes (migration 0006 and Nastavení)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from apk_desktop.db import migrate
from apk_desktop.db.database import Database, make_engine
from apk_desktop.db.services import attendance as attendance_service
from apk_desktop.db.services import export, roster
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import sessions as sessions_service
from apk_desktop.db.services.sessions import SessionFilter, SessionSort
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.roster import PersonData
from tests.backends import TestDatabases
from tests.db.sessions_helpers import Team, make_team, training


@pytest.fixture
def team(db: Database, project_id: int) -> Team:
    return make_team(db, project_id)


def _hire(db: Database, project_id: int, names: list[tuple[str, str]]) -> list[int]:
    with db.unit_of_work() as session:
        free = [
            p.position_id
            for p in roster.list_positions(session, project_id, date(2024, 12, 1))
            if p.assistant_id is None
        ]
        return [
            roster.hire(session, project_id, free[i], PersonData(first, last), date(2023, 4, 1)).id
            for i, (first, last) in enumerate(names)
        ]


def test_hours_and_attendance_exports_sort_names_in_czech_order(
    db: Database, project_id: int, team: Team, tmp_path: Path
) -> None:
    people = _hire(db, project_id, [("Jan", "Kučera"), ("Alena", "Čermáková"), ("Ota", "Chalupa")])
    with db.unit_of_work() as session:
        record = sessions_service.create_session(
            session, project_id, training(team, participant_ids=tuple(people))
        )
        attendance_service.mark_all_present(session, record.id)
        _sessions, attendance_table, hours_table = export.monitoring_tables(session, project_id)
    who = attendance_table.headers.index("Účastník")
    assert [row[who] for row in attendance_table.rows] == [
        "Čermáková Alena",
        "Chalupa Ota",
        "Kučera Jan",
    ]
    export.write_csv(hours_table, tmp_path / "hodiny.csv")
    lines = (tmp_path / "hodiny.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    order = [line.split(";")[0] for line in lines[1:] if line]
    assert list(dict.fromkeys(order)) == ["Čermáková Alena", "Chalupa Ota", "Kučera Jan"]


def test_session_list_sorts_topics_in_czech_order_across_pages(
    db: Database, project_id: int, team: Team
) -> None:
    topics = ["Zákon o obcích", "čtení map", "Cvičení", "Chování v konfliktu", "Hlídka", "Řeč"]
    with db.unit_of_work() as session:
        for day, topic in enumerate(topics, start=1):
            sessions_service.create_session(
                session, project_id, training(team, topic=topic, date=date(2024, 3, day))
            )
        seen: list[str] = []
        after = None
        while True:
            page = sessions_service.session_page(
                session, project_id, sort=SessionSort.TOPIC, descending=False, after=after, limit=2
            )
            if not page.rows:
                break
            seen += [r.topic for r in page.rows]
            after = page.after
    assert seen == [
        "Cvičení",
        "čtení map",
        "Hlídka",
        "Chování v konfliktu",
        "Řeč",
        "Zákon o obcích",
    ]


NAMES = [
    "Čermáková",
    "Cibulka",
    "Chalupa",
    "Hrubá",
    "hrubý",
    "Řezníček",
    "Rybář",
    "Šťastná",
    "Svoboda",
    "Žák",
    "Zeman",
    "Ábel",
    "Adam",
    "Íva",
    "Ivan",
    "Ďuriš",
    "Dvořák",
    "Ťoupal",
    "Tomáš",
    "Ňuňka",
    "Novák",
    "Kůň",
    "Kuna",
    "Kuňka",
    "ch",
    "Chrudim",
    "cihla",
    "h",
    "Ó",
    "o",
    "Öl",
    "Eliáš",
    "Ěšina",
    "Ester",
    "Ürge",
    "Ursula",
    "Úlehla",
    "Ůla",
    "ulice",
    "Jan Novák",
    "Jan-Novák",
    "Jan10",
    "Jan2",
    "",
    "Rozárka",
    "Růžena",
    "Ryba",
    "Říha",
]  # fmt: skip (no two names with equal keys: their order is not defined)


def test_sql_order_and_search_follow_the_python_rules(db: Database) -> None:
    """czech_key / czech_fold in SQL (Python functions on SQLite, SQL functions on
    PostgreSQL) order and fold exactly as domain.czech_text does."""
    from sqlalchemy import func, literal, select, union_all

    from apk_desktop.db.czech_sql import czech_order
    from apk_desktop.domain.czech_text import czech_sort_key, fold

    names = union_all(*(select(literal(n).label("name")) for n in NAMES)).subquery()
    with db.unit_of_work() as session:
        ordered = session.scalars(
            select(names.c.name).order_by(czech_order(session, names.c.name))
        ).all()
        folded = session.execute(select(names.c.name, func.czech_fold(names.c.name))).all()
    assert list(ordered) == sorted(NAMES, key=czech_sort_key)
    assert {name: value for name, value in folded} == {name: fold(name) for name in NAMES}


@pytest.mark.parametrize(
    ("query", "found"),
    [("dvora", "lecturer"), ("REHOR", "topic"), ("sokolov", "place"), ("100%", None)],
)
def test_session_search_ignores_diacritics_and_case(
    db: Database, project_id: int, team: Team, query: str, found: str | None
) -> None:
    with db.unit_of_work() as session:
        first = sessions_service.create_session(
            session,
            project_id,
            training(team, topic="Případ pana Řehoře", lecturer="Bc. Jan Dvořáček"),
        )
        sessions_service.create_session(
            session,
            project_id,
            training(team, topic="Jiné", lecturer="X", place="Cheb", date=date(2024, 3, 6)),
        )
        rows = sessions_service.session_page(session, project_id, SessionFilter(text=query)).rows
    if found is None:
        assert [r.id for r in rows] == []  # "%" is a character, not a wildcard
    else:
        assert [r.id for r in rows] == [first.id], found


def test_session_list_and_export_show_short_labels_not_codes(
    db: Database, project_id: int, team: Team
) -> None:
    with db.unit_of_work() as session:
        sessions_service.create_session(session, project_id, training(team))
        row = sessions_service.session_page(session, project_id).rows[0]
        table = export.sessions_table(session, project_id)
    assert row.area_short_labels == ("ZÁKL", "KOM")
    column = table.headers.index("Vzdělávací oblasti")
    assert table.rows[0][column] == "ZÁKL, KOM"


def test_short_labels_are_edited_in_settings(db: Database, project_id: int, team: Team) -> None:
    comm, fin = team.areas["COMM"], team.areas["FIN"]
    with db.unit_of_work() as session:
        with pytest.raises(ValidationError) as duplicate:
            project_service.update_area_labels(session, project_id, {}, {comm: "fin"})
        with pytest.raises(ValidationError) as empty:
            project_service.update_area_labels(session, project_id, {}, {fin: "  "})
        project_service.update_area_labels(session, project_id, {}, {comm: "Komun."})
        sessions_service.create_session(session, project_id, training(team))
        row = sessions_service.session_page(session, project_id).rows[0]
    assert duplicate.value.field_errors == {f"area_{comm}": "Zkratku „fin“ už má jiná oblast."}
    assert f"area_{fin}" in empty.value.field_errors
    assert row.area_short_labels == ("ZÁKL", "Komun.")


def test_migration_fills_short_labels_of_existing_areas(databases: TestDatabases) -> None:
    engine = make_engine(databases.empty())
    try:
        migrate.upgrade(engine, "0005")
        with engine.begin() as connection:
            connection.execute(
                text(
                    """INSERT INTO project (id, name, registration_number, beneficiary,
                    programme, method, period_start, period_end, total_cost, eu_contribution,
                    national_sources, own_financing, mentor_name, position_count, logo_path,
                    is_current, is_demo) VALUES (1, 'P', 'R', 'B', '', '', '2023-04-01',
                    '2026-03-31', 1, 1, 0, 0, '', 9, '', TRUE, FALSE)"""
                )
            )
            for number, code in enumerate(["FIELD", "COMM", "DIG", "OWN_AREA_LONG_CODE"]):
                connection.execute(
                    text(
                        "INSERT INTO education_area (project_id, code, label, sort_order) "
                        "VALUES (1, :code, 'L', :n)"
                    ),
                    {"code": code, "n": number},
                )
        migrate.upgrade(engine)
        with engine.connect() as connection:
            labels = connection.execute(
                text("SELECT short_label FROM education_area ORDER BY sort_order")
            ).scalars()
            assert list(labels) == ["ZÁKL", "KOM", "DIG", "OWN_AREA_LON"]
        config = migrate._config()
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
            connection.commit()
        columns = {c["name"] for c in inspect(engine).get_columns("education_area")}
        assert "short_label" not in columns
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.HEAD
    finally:
        engine.dispose()


def test_characters_the_sheet_font_cannot_print_are_refused(
    db: Database, project_id: int, team: Team
) -> None:
    with db.unit_of_work() as session:
        free = roster.list_positions(session, project_id, date(2024, 12, 1))[5].position_id
        with pytest.raises(ValidationError) as name:
            roster.hire(
                session, project_id, free, PersonData("Jana 🚓", "Šťastná"), date(2024, 1, 1)
            )
        with pytest.raises(ValidationError) as topic:
            sessions_service.create_session(session, project_id, training(team, topic="Hlídka 🚓"))
        with pytest.raises(ValidationError) as area:
            project_service.update_area_labels(
                session, project_id, {team.areas["FIN"]: "Peníze 💰"}
            )
        # Czech letters, typographic quotes, dashes and Cyrillic are printable
        ok = "Řehoř „Šťastný“ – Dvořáček… № Іван"
        roster.hire(session, project_id, free, PersonData(ok[:5], ok), date(2024, 1, 1))
    assert "„🚓“ (U+1F693)" in name.value.field_errors["first_name"]
    assert "„🚓“" in topic.value.field_errors["topic"]
    assert "„💰“" in area.value.field_errors[f"area_{team.areas['FIN']}"]


def test_progress_of_a_one_sheet_batch_says_z_1_listu(
    db: Database, project_id: int, team: Team
) -> None:
    from apk_desktop.db.services.sessions_print import session_sheets
    from apk_desktop.sheets.session_sheets import build_document

    with db.unit_of_work() as session:
        session_id = sessions_service.create_session(session, project_id, training(team)).id
        batch = session_sheets(session, session_id)
    texts: list[str] = []
    build_document(batch, progress=lambda _done, _total, text: texts.append(text))
    assert texts[0] == "Připraveno 1 z 1 listu…"
