"""``apk-desktop import-scans FILE… [--json] [--confirm]``: a scanned stack read without the
window; nothing saved unless ``--confirm``, then only the sheets read with certainty."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.db.open import open_database
from apk_desktop.db.services.sessions import SessionView, get_session
from apk_desktop.domain.sessions import Attendance
from apk_desktop.paths import scans_dir
from tests.backends import TestDatabases
from tests.print_seed import Printables, seed_printables
from tests.scan_stack import OFFICE, UPSIDE_DOWN, print_sheets, write_pdf
from tests.scans.scan_factory import scan, sign_rows, smudge_code
from tests.seeding import stored_scan


@dataclass(frozen=True)
class Scanned:
    db_url: str
    stack: Path
    ids: Printables

    def args(self, *more: str) -> list[str]:
        return ["--db", self.db_url, "import-scans", str(self.stack), *more]

    def session(self, session_id: int) -> SessionView:
        db = open_database(self.db_url)
        try:
            with db.unit_of_work() as session:
                return get_session(session, session_id)
        finally:
            db.dispose()


@pytest.fixture
def scanned(tmp_path: Path, databases: TestDatabases) -> Iterator[Scanned]:
    """A stack: the training sheet with a walk-in (to review), the supervision record upside
    down (sure), page 2 of the mentoring record, and page 1 of it with its code smudged."""
    path = databases.seeded("mesto")
    db = open_database(path)
    ids = seed_printables(db)
    training, supervision, mentoring = (
        f"PL-{ids.training}",
        f"SUP-{ids.supervision}",
        f"MEN-{ids.mentoring}",
    )
    pages = print_sheets(db, ids.project_id, [training, supervision, mentoring])
    db.dispose()
    lost = pages[f"{mentoring}/1"].copy()
    smudge_code(lost)
    images = [
        scan(sign_rows(pages[f"{training}/1"], {1, 2, 10}), OFFICE),
        scan(sign_rows(pages[f"{supervision}/1"], {1, 3}), UPSIDE_DOWN),
        scan(sign_rows(pages[f"{mentoring}/2"], {2}), OFFICE),
        scan(lost, OFFICE),
    ]
    yield Scanned(path, write_pdf(tmp_path / "sken.pdf", images), ids)


def test_prints_each_page_and_row_and_saves_nothing(
    scanned: Scanned, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(scanned.args()) == 0
    out = capsys.readouterr().out
    ids = scanned.ids
    assert "Načteno 4 strany ze skenu." in out
    assert f"Strana 1 (sken.pdf): list PL-{ids.training}, strana 1 z 1" in out
    assert f"Strana 2 (sken.pdf): list SUP-{ids.supervision}, strana 1 z 1 – Zátěž v SVL" in out
    assert f"Strana 3 (sken.pdf): list MEN-{ids.mentoring}, strana 2 z 2" in out
    assert "Strana 4 (sken.pdf): nepřiřazena – Kód listu se nepodařilo přečíst" in out
    lines = out.splitlines()
    assert any(
        line.split() == ["1.", "Jana", "Nováková", "přítomen", "(100", "%)"] for line in lines
    )
    assert any(line.split()[:4] == ["3.", "Lucie", "Dvořáková", "nepřítomen"] for line in lines)
    assert any("10. (volný řádek)" in line and "vyberte osobu" in line for line in lines)
    assert "vzhůru nohama" in out and "Ve skenu chybí strana 1 z 2" in out
    assert "Nic nebylo uloženo" in out
    for session_id in (ids.training, ids.supervision, ids.mentoring):
        view = scanned.session(session_id)
        assert view.evidence == () and {p.status for p in view.participants} == {None}
    assert not list(scans_dir().rglob("*.pdf"))


def test_confirm_saves_only_the_sheets_read_with_certainty(
    scanned: Scanned, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(scanned.args("--confirm")) == 0
    out = capsys.readouterr().out
    ids = scanned.ids
    assert (
        f"List SUP-{ids.supervision} (Zátěž v SVL, 20.03.2025): uloženo: docházka (3 řádky)" in out
    )
    assert f"List PL-{ids.training} (Komunikace s klientem, 20.03.2025): čeká na kontrolu" in out
    assert "Nic nebylo uloženo" not in out
    supervision = scanned.session(ids.supervision)
    assert [p.status for p in supervision.participants].count(Attendance.PRESENT) == 2
    (evidence,) = supervision.evidence
    assert evidence.original_name == f"SUP-{ids.supervision}.pdf"
    db = open_database(scanned.db_url)
    try:
        assert stored_scan(db, evidence).startswith(b"%PDF")
    finally:
        db.dispose()
    for waiting in (ids.training, ids.mentoring):
        view = scanned.session(waiting)
        assert view.evidence == () and {p.status for p in view.participants} == {None}


def test_json_for_scripts(scanned: Scanned, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(scanned.args("--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pages"] == 4 and data["confirmed"] is False and data["saved"] == {}
    training, supervision, mentoring = data["sheets"]
    assert training["sheet_id"] == f"PL-{scanned.ids.training}"
    signed = [row["row"] for row in training["rows"] if row["status"] == "present"]
    assert signed == [1, 2]
    assert all(0.5 <= row["confidence"] <= 1 for row in training["rows"])
    assert [w["row"] for w in training["walk_ins"]] == [10]
    assert supervision["all_sure"] is True and abs(supervision["pages"][0]["rotation"]) > 170
    assert [p["kind"] for p in mentoring["problems"]] == ["missing_pages"]
    (lost,) = data["unmatched"]
    assert lost["page"] == 4 and "Kód listu" in lost["reason"]


def test_errors_are_said_in_czech(
    scanned: Scanned,
    tmp_path: Path,
    databases: TestDatabases,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "neni.pdf"
    assert main(["--db", scanned.db_url, "import-scans", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Chyba: ") and "neexistuje" in err and "Traceback" not in err
    notes = tmp_path / "poznamky.txt"
    notes.write_text("x")
    assert main(["--db", scanned.db_url, "import-scans", str(notes)]) == 1
    assert "není sken ve formátu PDF" in capsys.readouterr().err
    empty = databases.empty("prazdna")
    assert main(["--db", empty, "import-scans", str(scanned.stack)]) == 1
    assert "neobsahuje žádný projekt" in capsys.readouterr().err
