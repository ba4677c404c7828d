"""``apk-desktop print SHEET_ID --out FILE.pdf``: any sheet by the id in its footer, without
the window, and what was printed where recorded."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from apk_desktop.__main__ import main
from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.db.services import printed_sheets
from apk_desktop.domain.sheet_refs import RecordKind
from tests.backends import TestDatabases
from tests.print_seed import MENTOR, PRIVATE, Printables, seed_printables


@dataclass(frozen=True)
class Seeded:
    url: str
    db: Database
    ids: Printables


@pytest.fixture
def seeded(databases: TestDatabases) -> Iterator[Seeded]:
    url = databases.seeded("mesto")
    db = open_database(url)
    ids = seed_printables(db)
    db.dispose()  # the command opens the database itself
    yield Seeded(url, db, ids)
    db.dispose()


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_prints_each_kind_of_sheet_by_its_id(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seeded.ids
    nova = ids.people["Nováková"]
    cases = {
        f"PL-{ids.training}": ["Prezenční listina", "Komunikace s klientem", "Jana Nováková"],
        f"SUP-{ids.supervision}": ["Záznam ze supervize", "Zátěž v SVL", "PhDr. Karel Dohled"],
        f"MEN-{ids.mentoring}": ["Záznam z mentoringu", "Dluhová poradna"],
        f"PL-{ids.mentor_training}": ["Prezenční listina", "Vedení týmu"],
        f"IDP-{ids.plan_id}-v{ids.plan_version}": ["Plán individuálního rozvoje", "Jana Nováková"],
        "PL-BLANK-2026-03-02": ["Prezenční listina", "02.03.2026"],
        "SUP-BLANK-BEZ-DATA": ["Záznam ze supervize"],
        "MEN-BLANK-2025-06-03": ["Záznam z mentoringu", "03.06.2025"],
        f"POK-A{nova}-20251101": ["Přehled pokroku – Jana Nováková", "01.11.2025"],
        "POK-TYM-20251101": ["Přehled pokroku – tým", "01.11.2025", "Tomáš Černý"],
    }
    for number, (sheet_id, expected) in enumerate(cases.items()):
        out = tmp_path / f"list-{number}.pdf"
        code = main(["--db", seeded.url, "print", sheet_id, "--out", str(out)])
        captured = capsys.readouterr()
        assert code == 0, (sheet_id, captured.err)
        assert captured.err == ""
        assert f"List {sheet_id} uložen do {out}" in captured.out
        text = _text(out.read_bytes())
        assert sheet_id in text, sheet_id
        for field in ("Spolufinancováno Evropskou unií", *expected):
            assert field in text, (sheet_id, field)
        assert PRIVATE not in text
        assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left over


def test_the_private_note_only_when_asked_and_only_on_records(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sup.pdf"
    sheet = f"SUP-{seeded.ids.supervision}"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(out), "--private"]) == 0
    assert PRIVATE in _text(out.read_bytes())
    capsys.readouterr()
    training = tmp_path / "pl.pdf"
    args = ["print", f"PL-{seeded.ids.training}", "--out", str(training), "--private"]
    assert main(["--db", seeded.url, *args]) == 1
    assert "Soukromou poznámku má jen záznam" in capsys.readouterr().err
    assert not training.exists()


def test_the_confidential_annex_alone_by_its_own_id(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``SUP-5-D`` reprints only the annex: the private note, none of the signed record."""
    out = tmp_path / "annex.pdf"
    sheet = f"SUP-{seeded.ids.supervision}-D"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(out)]) == 0
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages]
    assert len(pages) == 1
    assert PRIVATE in pages[0] and "Důvěrná příloha" in pages[0] and sheet in pages[0]
    assert "Závěry" not in pages[0] and "Podpis" not in pages[0]
    capsys.readouterr()
    without_note = f"MEN-{seeded.ids.mentoring}-D"
    code = main(["--db", seeded.url, "print", without_note, "--out", str(out)])
    assert code == 1
    assert f"List {without_note}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("sheet_id", "message"),
    [
        ("XY-12", "„XY-12“ není identifikátor listu"),
        ("PL-", "„PL-“ není identifikátor listu"),
        ("PL-BLANK-2026-02-30", "není identifikátor listu"),
        ("POK-TYM-20261301", "není identifikátor listu"),
        ("IDP-3", "není identifikátor listu"),
        ("PL-999999", "List PL-999999 nelze vytisknout"),
        ("IDP-999999-v1", "List IDP-999999-v1 nelze vytisknout: Plán rozvoje už v databázi není."),
        ("POK-A999999-20251101", "Asistent č. 999999 v projektu není"),
    ],
)
def test_unknown_or_malformed_ids_are_said_in_czech(
    seeded: Seeded,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sheet_id: str,
    message: str,
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--db", seeded.url, "print", sheet_id, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Chyba: ") and message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_an_id_of_another_kind_or_version_than_exists(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seeded.ids
    out = tmp_path / "x.pdf"
    args = ["--db", seeded.url, "print"]
    assert main([*args, f"PL-{ids.supervision}", "--out", str(out)]) == 1
    assert f"setkání č. {ids.supervision} má list SUP-{ids.supervision}" in capsys.readouterr().err
    wrong = ids.plan_version + 5
    assert main([*args, f"IDP-{ids.plan_id}-v{wrong}", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"plán č. {ids.plan_id} je verze {ids.plan_version}" in err
    assert not out.exists()


def test_an_empty_database_and_a_folder_as_output(
    tmp_path: Path, databases: TestDatabases, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = databases.empty("prazdna")
    assert main(["--db", empty, "print", "PL-1", "--out", str(tmp_path / "a.pdf")]) == 1
    assert "neobsahuje žádný projekt" in capsys.readouterr().err
    assert main(["--db", empty, "print", "PL-1", "--out", str(tmp_path)]) == 1
    assert "je složka" in capsys.readouterr().err


def test_ids_are_read_in_any_case(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "idp.pdf"
    sheet = f"idp-{seeded.ids.plan_id}-V{seeded.ids.plan_version}"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(out)]) == 0
    canonical = f"IDP-{seeded.ids.plan_id}-v{seeded.ids.plan_version}"
    assert f"List {canonical} uložen" in capsys.readouterr().out
    assert canonical in _text(out.read_bytes())


def test_the_printed_layout_is_recorded(seeded: Seeded, tmp_path: Path) -> None:
    ids = seeded.ids
    sheet = f"PL-{ids.training}"
    out = tmp_path / "pl.pdf"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(out)]) == 0
    pdf = out.read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    db = open_database(seeded.url)
    try:
        with db.unit_of_work() as session:
            layout = printed_sheets.latest_layout(session, sheet)
            team = printed_sheets.latest_layout(session, "POK-TYM-20251101")
    finally:
        db.dispose()
    assert layout is not None and team is None
    assert layout.record_kind is RecordKind.SESSION and layout.record_id == ids.training
    assert layout.page_count == len(reader.pages)
    assert layout.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    people = [c for c in layout.cells if c.participant]
    assert len(people) == 9  # one cell per participant row, in the order printed
    assert [c.row for c in people] == list(range(1, 10))
    assert set(ids.people.values()) >= {c.participant_id for c in people}
    assert len({c.participant_id for c in people}) == 9
    assert "Jana Nováková" in [c.participant for c in people]
    walk_ins = [c for c in layout.cells if not c.participant]
    assert walk_ins and all(c.participant_id is None for c in walk_ins)
    for cell in layout.cells:
        box = reader.pages[cell.page - 1].mediabox
        assert 1 <= cell.page <= layout.page_count
        assert cell.width > 100 and cell.height >= 28  # a cell to sign in: ≥ 60 × 10 mm
        assert box.left <= cell.x and cell.x + cell.width <= box.right
        assert box.bottom <= cell.y and cell.y + cell.height <= box.top


def test_the_mentor_row_has_no_assistant_id(seeded: Seeded, tmp_path: Path) -> None:
    sheet = f"PL-{seeded.ids.mentor_training}"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(tmp_path / "m.pdf")]) == 0
    db = open_database(seeded.url)
    try:
        with db.unit_of_work() as session:
            layout = printed_sheets.latest_layout(session, sheet)
    finally:
        db.dispose()
    assert layout is not None
    named = [c for c in layout.cells if c.participant]
    assert [(c.row, c.participant, c.participant_id) for c in named] == [(1, MENTOR, None)]


def test_summaries_are_recorded_with_their_pages_and_no_cells(
    seeded: Seeded, tmp_path: Path
) -> None:
    nova = seeded.ids.people["Nováková"]
    sheets = [f"POK-A{nova}-20251101", "POK-TYM-20251101", "PL-BLANK-2026-03-02"]
    for number, sheet in enumerate(sheets):
        out = tmp_path / f"{number}.pdf"
        assert main(["--db", seeded.url, "print", sheet, "--out", str(out)]) == 0
    db = open_database(seeded.url)
    try:
        with db.unit_of_work() as session:
            layouts = [printed_sheets.latest_layout(session, sheet) for sheet in sheets]
    finally:
        db.dispose()
    person, team, blank = layouts
    assert person is not None and team is not None and blank is not None
    assert (person.record_kind, person.record_id) == (RecordKind.ASSISTANT, nova)
    assert (team.record_kind, team.record_id) == (None, None)
    assert person.cells == () and team.cells == ()
    assert person.page_count == len(PdfReader(tmp_path / "0.pdf").pages)
    assert (blank.record_kind, blank.record_id) == (None, None)
    assert len(blank.cells) >= 10 and all(c.participant == "" for c in blank.cells)


def test_a_folder_that_does_not_exist(
    seeded: Seeded, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "neni" / "pl.pdf"
    sheet = f"PL-{seeded.ids.training}"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Chyba: Soubor {out} se nepodařilo uložit") and "Traceback" not in err
    db = open_database(seeded.url)
    try:
        with db.unit_of_work() as session:
            assert printed_sheets.latest_layout(session, sheet) is None  # nothing printed
    finally:
        db.dispose()


def test_a_failure_to_record_keeps_the_pdf_and_warns(
    seeded: Seeded,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(printed_sheets, "record_printed", broken)
    out = tmp_path / "pl.pdf"
    sheet = f"PL-{seeded.ids.training}"
    assert main(["--db", seeded.url, "print", sheet, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert sheet in _text(out.read_bytes())
    assert captured.err.startswith("Upozornění: PDF je hotové, ale záznam")
    assert "Traceback" not in captured.err and "disk on fire" not in captured.err
