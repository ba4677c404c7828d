from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import assessments as svc
from apk_desktop.db.services.progress import (
    assistant_progress,
    project_areas,
    sheet_inputs,
    team_progress,
)
from apk_desktop.sheets.base import EU_LINE
from apk_desktop.sheets.progress import assistant_progress_pdf, team_progress_pdf
from tests.sheets.pdftext import pdf_text

TODAY = date(2025, 6, 1)
CZECH_LETTERS = "ěščřžýáíéůúňťď"


def _text(pdf: bytes) -> str:
    text = re.sub(r"(?<=[a-zěščřžýáíéůúňťď])-\n(?=[a-zěščřžýáíéůúňťď])", "", pdf_text(pdf))
    return " ".join(text.split())  # cells wrap (and hyphenate): compare with single spaces


def _fill(db: Database, project_id: int) -> list[int]:
    with db.unit_of_work() as session:
        people = populate_sample(session, project_id)
        areas = [a.id for a in project_areas(session, project_id)]
        scale = svc.default_scale(session, project_id).id
        for who in [people[0], people[1]]:
            svc.create_assessment(
                session,
                project_id,
                svc.AssessmentInput(
                    who,
                    date(2023, 4, 12),
                    "entry",
                    "Ing. Šárka Řezníčková, Ďurďovská",
                    "vstupní test",
                    scale,
                    dict.fromkeys(areas, 2),
                ),
            )
        svc.create_assessment(
            session,
            project_id,
            svc.AssessmentInput(
                people[0],
                date(2025, 3, 3),
                "final",
                "Ďáblová Šťastná",
                "pozorování při výkonu práce",
                scale,
                dict(zip(areas, [4, 3, 2, 1, 2], strict=True)),
            ),
        )
    return people


def test_assistant_summary_prints_every_field(db: Database, project_id: int) -> None:
    people = _fill(db, project_id)
    with db.unit_of_work() as session:
        header, legend = sheet_inputs(session, project_id)
        data = assistant_progress(session, project_id, people[0], TODAY)
    text = _text(assistant_progress_pdf(header, data, TODAY, legend))
    for expected in [
        "Přehled pokroku – Jana Nováková",
        "Pozice",
        "č. 1",
        "01.06.2025",
        "splněn – zlepšení v 2 z 5 oblastí",
        "Základní znalosti práce APK (teorie a praxe)",
        "Finanční gramotnost",
        "Digitální gramotnost",
        "2 (12.04.2023)",
        "4 (03.03.2025)",
        "zlepšení",
        "zhoršení",
        "beze změny",
        "Ing. Šárka Řezníčková, Ďurďovská",
        "Ďáblová Šťastná",
        "vstupní test",
        "pozorování při výkonu práce",
        "vstupní",
        "závěrečné",
        "1 = začátečník",
        "Devět asistentů prevence kriminality prokáže",
        EU_LINE,
        "CZ.03.02.01/00/22_018/0000388",
        "Identifikátor listu: POK-A",
        "Asistenti prevence kriminality Sokolov",
        "Strana 1 / 1",
        "Datum: …",
    ]:
        assert expected in text, expected
    assert text.count("Datum: …") == 2  # signature lines of the assistant and the mentor
    for letter in CZECH_LETTERS:
        assert letter in text, letter


def test_team_summary_prints_matrix_goal_and_evidence(db: Database, project_id: int) -> None:
    _fill(db, project_id)
    with db.unit_of_work() as session:
        header, legend = sheet_inputs(session, project_id)
        data = team_progress(session, project_id, TODAY, with_evidence=True)
    pdf = team_progress_pdf(header, data, legend)
    text = _text(pdf)
    for expected in [
        "Přehled pokroku – tým asistentů prevence kriminality",
        "Stav k",
        "01.06.2025",
        "nesplněn – 1 z 9 asistentů splňuje cíl",
        "Jana Nováková",
        "Petr Svoboda",
        "Radek Marek (již nepracuje)",
        "2 → 4",
        "2 z 5",
        "Ing. Šárka Řezníčková, Ďurďovská",
        "12.04.2023",
        "03.03.2025",
        "pozorování při výkonu práce",
        "ZÁKL 4",
        "Identifikátor listu: POK-TYM-20250601",
        "minimálně dvou z pěti vzdělávacích oblastí",
        "Mentor",
        "Asistenti prevence kriminality Sokolov",
        EU_LINE,
        "CZ.03.02.01/00/22_018/0000388",
        "Datum: …",
    ]:
        assert expected in text, expected
    pages = PdfReader(io.BytesIO(pdf)).pages
    for number, page in enumerate(pages, start=1):
        assert f"Strana {number} / {len(pages)}" in page.extract_text().replace("\xa0", " ")
    for letter in CZECH_LETTERS:
        assert letter in text, letter


def text_colours(pdf: bytes) -> dict[str, tuple[float, ...]]:
    """Each piece of text on the pages with the fill colour it was printed in."""
    found: dict[str, tuple[float, ...]] = {}
    colour: list[tuple[float, ...]] = [(0.0,)]

    def operand(operator: bytes, args: list[object], *_: object) -> None:
        if operator in (b"rg", b"g", b"k"):
            colour[0] = tuple(round(float(a), 2) for a in args)  # type: ignore[arg-type]

    def text(value: str, *_: object) -> None:
        if value.strip():
            found.setdefault(value.strip(), colour[0])

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_operand_before=operand, visitor_text=text)
    return found


def test_team_summary_greys_the_departed_and_marks_improvement(
    db: Database, project_id: int
) -> None:
    _fill(db, project_id)
    with db.unit_of_work() as session:
        header, legend = sheet_inputs(session, project_id)
        data = team_progress(session, project_id, TODAY, with_evidence=True)
    pdf = team_progress_pdf(header, data, legend)
    colours = text_colours(pdf)
    departed = next(t for t in colours if t.startswith("Radek Marek"))
    assert set(colours[departed]) != {0.0} and max(colours[departed]) < 0.6  # grey, not black
    assert colours["Jana Nováková"] in ((0.0,), (0.0, 0.0, 0.0))
    text = _text(pdf)
    assert "▲ 2 → 4" in text  # improvement readable without the green fill
    assert "▲ a zvýrazněná buňka = zlepšení" in text
    assert "Poz. Asistent/ka ZÁKL FIN KOM MED DIG Zlepšeno Cíl 1" in text  # Czech area codes
    assert "ZÁKL = Základní znalosti práce APK (teorie a praxe)" in text


def test_assistant_summary_marks_improvement_with_a_symbol(db: Database, project_id: int) -> None:
    people = _fill(db, project_id)
    with db.unit_of_work() as session:
        header, legend = sheet_inputs(session, project_id)
        data = assistant_progress(session, project_id, people[0], TODAY)
    text = _text(assistant_progress_pdf(header, data, TODAY, legend))
    assert "▲ zlepšení" in text and "označeny ▲" in text


def test_sheets_never_import_the_database_layer() -> None:
    import ast
    from pathlib import Path

    import apk_desktop.sheets

    for path in Path(apk_desktop.sheets.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("apk_desktop.db"), path.name
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("apk_desktop.db") for a in node.names), path.name
