"""A database with several projects: which one opens (the only one, or the one last worked on
on this PC, else the user chooses), headless commands that never guess, a further project
founded beside the first, and sheets of another project refused by identifier."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from apk_desktop import startup
from apk_desktop.__main__ import main
from apk_desktop.db.database import Database
from apk_desktop.db.models.plans import Plan
from apk_desktop.db.models.sessions import TrainingSession
from apk_desktop.db.open import open_database
from apk_desktop.db.seed import template_project
from apk_desktop.db.services.project import list_projects
from apk_desktop.db.services.setup import REGISTRATION_TAKEN, create_project
from apk_desktop.domain.errors import AppError, ConflictError, ValidationError
from apk_desktop.domain.setup import ProjectSetup
from tests.backends import TestDatabases
from tests.two_projects import TODAY, TestProject, add_two_projects, marks_of

TEAM_SHEET = f"POK-TYM-{TODAY:%Y%m%d}"


@pytest.fixture
def two(databases: TestDatabases) -> Iterator[tuple[str, TestProject, TestProject]]:
    url = databases.migrated("dva")
    db = open_database(url)
    a, b = add_two_projects(db)
    db.dispose()
    yield url, a, b


def _open(url: str) -> Database:
    return open_database(url)


def test_one_project_opens_without_asking(db: Database, project_id: int) -> None:
    assert startup.choose_project(db) == startup.ProjectChoice(project_id)


def test_several_projects_open_the_one_last_worked_on_here(
    two: tuple[str, TestProject, TestProject],
) -> None:
    url, a, b = two
    db = _open(url)
    try:
        choice = startup.choose_project(db)
        assert choice.project_id is None  # nothing remembered: the user chooses
        assert [p.id for p in choice.choices] == [a.id, b.id]  # Alfov before Betlémov
        startup.remember_project(db, b.id)
        assert startup.choose_project(db) == startup.ProjectChoice(b.id)
        # kept per database: another database of the same PC remembers its own
        document = json.loads(startup.settings_path().read_text(encoding="utf-8"))
        assert document["projects"] == {startup.database_identity(db): b.id}
        # the start settings' own key survives, and survives them
        startup.save(startup.StartSettings(demo=False))
        assert startup.remembered_project(db) == b.id
        # a remembered project gone from the database is asked for again
        startup.remember_project(db, 999)
        assert startup.choose_project(db).project_id is None
    finally:
        db.dispose()


def test_the_shared_current_flag_does_not_choose(
    two: tuple[str, TestProject, TestProject],
) -> None:
    """``project.is_current`` is shared by everyone on a server: it must not pick the project
    a mentor works on."""
    url, a, b = two
    db = _open(url)
    try:
        startup.remember_project(db, b.id)
        with db.unit_of_work() as session:
            from apk_desktop.db.models import Project

            for project in session.scalars(select(Project)):
                project.is_current = project.id == a.id
        assert startup.choose_project(db).project_id == b.id
    finally:
        db.dispose()


def test_commands_never_guess_between_projects(
    two: tuple[str, TestProject, TestProject],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, a, b = two
    out = tmp_path / "tym.pdf"
    assert main(["--db", url, "print", TEAM_SHEET, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "obsahuje několik projektů" in err and "--project" in err
    assert f"{a.id}: {a.name}" in err and f"{b.id}: {b.name}" in err
    assert not out.exists()

    assert main(["--db", url, "print", TEAM_SHEET, "--out", str(out), "--project", "77"])
    assert "Projekt s číslem 77" in capsys.readouterr().err

    code = main(["--db", url, "print", TEAM_SHEET, "--out", str(out), "--project", str(b.id)])
    assert code == 0, capsys.readouterr().err
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert b.people[0] in text
    assert not any(mark in text for mark in marks_of(a))

    db = _open(url)
    startup.remember_project(db, a.id)  # as the window does when the user works on A
    db.dispose()
    assert main(["--db", url, "print", TEAM_SHEET, "--out", str(out)]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert a.people[0] in text and b.people[0] not in text


def test_import_scans_asks_for_the_project_too(
    two: tuple[str, TestProject, TestProject],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, _a, _b = two
    scan = tmp_path / "sken.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    assert main(["--db", url, "import-scans", str(scan)]) == 1
    assert "--project" in capsys.readouterr().err


def test_a_sheet_of_another_project_is_not_printed_by_its_identifier(
    two: tuple[str, TestProject, TestProject],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """PL-<id>, IDP-<id>-v<n> and SUP-<id>-D name records of any project: printing one of B's
    while A is worked on would put B's team under A's name."""
    url, a, b = two
    db = _open(url)
    with db.unit_of_work() as session:
        b_session = session.scalar(
            select(TrainingSession.id)
            .where(TrainingSession.project_id == b.id, TrainingSession.kind == "training")
            .limit(1)
        )
        b_supervision = session.scalar(
            select(TrainingSession.id)
            .where(
                TrainingSession.project_id == b.id, TrainingSession.kind == "assistant_supervision"
            )
            .limit(1)
        )
        from apk_desktop.db.models import Assistant

        b_plan = session.execute(
            select(Plan.id, Plan.version)
            .join(Assistant, Assistant.id == Plan.assistant_id)
            .where(Assistant.project_id == b.id)
            .limit(1)
        ).one()
    db.dispose()
    out = tmp_path / "list.pdf"
    for sheet in (f"PL-{b_session}", f"IDP-{b_plan[0]}-v{b_plan[1]}", f"SUP-{b_supervision}"):
        code = main(["--db", url, "print", sheet, "--out", str(out), "--project", str(a.id)])
        assert code == 1, sheet
        assert "v projektu není" in capsys.readouterr().err
        assert not out.exists()
    code = main(
        ["--db", url, "print", f"PL-{b_session}", "--out", str(out), "--project", str(b.id)]
    )
    assert code == 0


def test_a_further_project_is_founded_beside_the_first(db: Database, project_id: int) -> None:
    facts = replace(
        template_project(), name="APK Kladno", registration_number="CZ.03.02.01/00/22_500/0000500"
    )
    with db.unit_of_work() as session, pytest.raises(ConflictError):
        create_project(session, ProjectSetup(facts))  # the first-run wizard: empty only
    with db.unit_of_work() as session, pytest.raises(ValidationError) as error:
        create_project(session, ProjectSetup(template_project()), another=True)
    assert error.value.field_errors == {
        "registration_number": REGISTRATION_TAKEN.format(name=template_project().name)
    }
    with db.unit_of_work() as session:
        info = create_project(session, ProjectSetup(facts), another=True)
        assert [p.name for p in list_projects(session)] == [
            "APK Kladno",
            "Asistenti prevence kriminality Sokolov",
        ]
        assert info.id != project_id
        assert len(info.areas) == 5 and len(info.key_activities) == 5


def test_project_for_command_without_projects_is_none(databases: TestDatabases) -> None:
    db = open_database(databases.migrated("prazdna"))
    try:
        assert startup.project_for_command(db, None) is None
        with pytest.raises(AppError, match="není"):
            startup.project_for_command(db, 3)
    finally:
        db.dispose()


def test_a_scanned_sheet_of_another_project_shows_nothing_of_it(
    two: tuple[str, TestProject, TestProject], tmp_path: Path
) -> None:
    """B's signed sheet scanned while A is worked on: refused, and the review shows neither
    B's session nor B's team."""
    from apk_desktop.db.services.signed_sheets import analyse, proposal_summary
    from apk_desktop.domain.sessions import SessionKind
    from apk_desktop.domain.sessions import sheet_id as session_sheet_id
    from tests.scan_stack import print_sheets, scanned, write_pdf

    url, a, b = two
    db = _open(url)
    try:
        with db.unit_of_work() as session:
            b_session = session.scalar(
                select(TrainingSession.id)
                .where(TrainingSession.project_id == b.id, TrainingSession.kind == "training")
                .limit(1)
            )
        assert b_session is not None
        sheet = session_sheet_id(SessionKind.TRAINING, b_session)
        pages = print_sheets(db, b.id, [sheet])
        pdf = write_pdf(tmp_path / "sken.pdf", scanned(list(pages.values())))
        stack = analyse(db, [pdf], a.id)
        (proposal,) = stack.sheets
        assert [p.kind.name for p in proposal.problems][:1] == ["OTHER_PROJECT"]
        shown = json.dumps(proposal_summary(stack), ensure_ascii=False)
        assert not any(mark in shown for mark in marks_of(b))
        assert proposal.rows == () and proposal.session_title == ""
    finally:
        db.dispose()


def test_a_blank_sheet_is_read_back_with_the_layout_printed_in_its_project(
    two: tuple[str, TestProject, TestProject],
) -> None:
    """Blank sheets and progress summaries have the same identifier in every project
    (PL-BLANK-<day>): the scan of A's is read with the layout A printed, even when B printed
    its own later."""
    from apk_desktop import printing
    from apk_desktop.db.services.printed_sheets import latest_layout
    from apk_desktop.domain.sheet_refs import parse_sheet_ref

    url, a, b = two
    db = _open(url)
    try:
        sheet = f"PL-BLANK-{TODAY:%Y-%m-%d}"
        ref = parse_sheet_ref(sheet)
        assert ref is not None
        for project in (a, b):  # B prints last
            document = printing.make_document(db, printing.job_for(ref, project.id))
            printing.record_printed(db, project.id, document.layouts, document.pdf)
        with db.unit_of_work() as session:
            from apk_desktop.db.models.printed_sheets import PrintedSheet

            mine = session.scalars(
                select(PrintedSheet.id).where(
                    PrintedSheet.sheet_id == sheet, PrintedSheet.project_id == a.id
                )
            ).one()
            layout = latest_layout(session, sheet, project_id=a.id)
            assert layout is not None and layout.id == mine
    finally:
        db.dispose()
