"""The first-run wizard, clicked through as a user would: three ways in, each ending in the
right stored data; the demo in a database of its own, marked UKÁZKA."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from apk_desktop import paths, startup
from apk_desktop.app import build_main_window
from apk_desktop.backup import settings as backup_settings
from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.db.seed import template_project
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services.sessions import count_sessions
from apk_desktop.db.services.setup import project_count
from apk_desktop.ui.demo_mode import DemoMode
from apk_desktop.ui.first_run_wizard import (
    DEMO,
    INTRO,
    LOCATION,
    PROJECT,
    SUMMARY,
    TEAM,
    TEMPLATE,
    TRY_DEMO,
    FirstRunWizard,
)
from tests.backends import TestDatabases, db_name
from tests.ui.conftest import ScriptedPrompter

Button = QWizard.WizardButton


@pytest.fixture
def empty_db(databases: TestDatabases) -> Iterator[Database]:
    db = open_database(databases.empty("real"))
    yield db
    db.dispose()


def _wizard(qtbot: QtBot, db: Database, prompter: ScriptedPrompter) -> FirstRunWizard:
    wizard = FirstRunWizard(db, prompter)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == LOCATION and wizard.location.form.local.isChecked()
    wizard.next()  # Kde budou data: in this PC, as most offices
    assert wizard.currentId() == INTRO
    return wizard


def _click(qtbot: QtBot, wizard: FirstRunWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot: QtBot, wizard: FirstRunWizard, name: str, text: str) -> None:
    page = wizard.project_page
    edit = (
        page.text.get(name)
        or {"period_start": page.period_start, "period_end": page.period_end}[name]
    )
    edit.clear()
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest cannot type letters outside Latin-1 (it aborts); a paste can
        edit.insert(text)


def _info(db: Database) -> project_service.ProjectInfo:
    from apk_desktop.db.seed import current_project

    with db.unit_of_work() as session:
        return project_service.get_project_info(session, current_project(session).id)


def test_my_project_with_pasted_team_logo_and_backup_folder(
    qtbot: QtBot, empty_db: Database, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    wizard = _wizard(qtbot, empty_db, prompter)
    _click(qtbot, wizard, Button.NextButton)  # "Můj projekt" is preselected
    assert wizard.currentId() == PROJECT
    assert wizard.project_page.text["name"].text() == ""  # nothing of Sokolov
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PROJECT  # refused, every problem beside its field
    errors = wizard.project_page.errors
    assert errors.message("name") == "Zadejte název projektu."
    assert errors.message("registration_number") == "Zadejte registrační číslo projektu."
    assert errors.message("period_start") != ""

    _type(qtbot, wizard, "name", "Asistenti prevence kriminality Kladno")
    _type(qtbot, wizard, "registration_number", "CZ.03.02.01/00/24_001/0001234")
    _type(qtbot, wizard, "beneficiary", "statutární město Kladno")
    _type(qtbot, wizard, "mentor_name", "Mgr. Eva Malá")
    _type(qtbot, wizard, "period_start", "1.7.2024")
    _type(qtbot, wizard, "period_end", "30.6.2024")
    _click(qtbot, wizard, Button.NextButton)
    assert errors.message("period_end") == "Konec realizace musí být po jejím začátku."
    _type(qtbot, wizard, "period_end", "30.6.2027")
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == TEAM

    team = wizard.team_page
    team.names.setPlainText("Jana Nováková\n\nPetr Svoboda\nDvořáková, Lucie\nKarel\n")
    team.backup.setText("zalohy")  # not a full path
    logo = tmp_path / "logolink.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    assert image.save(str(logo))
    prompter.file_answers.append(str(logo))
    qtbot.mouseClick(team.choose_logo, Qt.MouseButton.LeftButton)  # the scripted file picker
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == TEAM
    assert "Řádek 5 („Karel“): Zadejte příjmení." in team.errors.message("assistants")
    assert "není úplná" in team.errors.message("backup_folder")
    assert team.errors.message("logo") == ""
    team.names.setPlainText("Jana Nováková\n\nPetr Svoboda\nDvořáková, Lucie\n")
    team.backup.setText(str(tmp_path / "zalohy"))
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == SUMMARY
    assert "Kladno" in wizard.summary_page.summary.text()
    assert project_count_of(empty_db) == 0  # nothing stored before Dokončit

    _click(qtbot, wizard, Button.FinishButton)
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.outcome is not None and wizard.outcome.db is empty_db
    info = _info(empty_db)
    assert (info.name, info.registration_number, info.beneficiary, info.mentor_name) == (
        "Asistenti prevence kriminality Kladno",
        "CZ.03.02.01/00/24_001/0001234",
        "statutární město Kladno",
        "Mgr. Eva Malá",
    )
    assert (info.period_start, info.period_end) == (date(2024, 7, 1), date(2027, 6, 30))
    assert info.total_cost == 0 and not info.is_demo and len(info.areas) == 5
    assert info.logo_file is not None and info.logo_file.read_bytes() == logo.read_bytes()
    with empty_db.unit_of_work() as session:
        people = roster.list_assistants(session, info.id, date(2024, 7, 1))
    assert sorted((p.first_name, p.last_name) for p in people) == [
        ("Jana", "Nováková"),
        ("Lucie", "Dvořáková"),
        ("Petr", "Svoboda"),
    ]
    assert all(p.position_number is not None for p in people)
    assert backup_settings.load().folder == str(tmp_path / "zalohy")


def project_count_of(db: Database) -> int:
    with db.unit_of_work() as session:
        return project_count(session)


def test_sokolov_template_is_shown_for_review_and_stored_as_edited(
    qtbot: QtBot, empty_db: Database, prompter: ScriptedPrompter
) -> None:
    wizard = _wizard(qtbot, empty_db, prompter)
    wizard.intro.buttons[TEMPLATE].click()
    _click(qtbot, wizard, Button.NextButton)
    template = template_project()
    page = wizard.project_page
    assert page.text["name"].text() == template.name
    assert page.text["registration_number"].text() == template.registration_number
    assert page.period_end.text() == "31.03.2026"
    _type(qtbot, wizard, "mentor_name", "Bc. Jan Vzorný")
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == SUMMARY
    _click(qtbot, wizard, Button.FinishButton)
    info = _info(empty_db)
    assert info.name == template.name and info.mentor_name == "Bc. Jan Vzorný"
    assert (info.total_cost, info.eu_contribution) == (
        template.total_cost,
        template.eu_contribution,
    )
    assert (info.period_start, info.period_end) == (template.period_start, template.period_end)


def test_cancel_leaves_the_database_empty(
    qtbot: QtBot, empty_db: Database, prompter: ScriptedPrompter
) -> None:
    wizard = _wizard(qtbot, empty_db, prompter)
    wizard.intro.buttons[TEMPLATE].click()
    _click(qtbot, wizard, Button.NextButton)
    prompter.confirm_answers.append(False)  # "Ukončit průvodce?" – no: stays open
    _click(qtbot, wizard, Button.CancelButton)
    assert wizard.isVisible()
    _click(qtbot, wizard, Button.CancelButton)
    assert wizard.result() == QWizard.DialogCode.Rejected and wizard.outcome is None
    assert project_count_of(empty_db) == 0


def _finish_demo(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    wizard.intro.buttons[TRY_DEMO].click()
    _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == DEMO
    _click(qtbot, wizard, Button.FinishButton)
    qtbot.waitUntil(
        lambda: wizard.outcome is not None or not wizard.demo_page.error.isHidden(),
        timeout=60_000,
    )
    assert wizard.demo_page.error.text() == ""


def test_demo_is_a_separate_marked_database(
    qtbot: QtBot, empty_db: Database, prompter: ScriptedPrompter, isolated_folders: Path
) -> None:
    wizard = _wizard(qtbot, empty_db, prompter)
    _finish_demo(qtbot, wizard)
    outcome = wizard.outcome
    assert outcome is not None and outcome.demo and outcome.db is not empty_db
    try:
        assert Path(outcome.db.display_name) == isolated_folders / "ukazka" / "apk-desktop.sqlite3"
        assert project_count_of(empty_db) == 0  # the real database untouched
        info = _info(outcome.db)
        assert info.is_demo and project_service.sheet_header(info).demo
        with outcome.db.unit_of_work() as session:
            assert count_sessions(session, info.id) > 40
        assert paths.data_dir() == isolated_folders / "ukazka"  # its scans live there
        assert list((isolated_folders / "ukazka" / "scans").rglob("*.pdf"))
        assert not (isolated_folders / "scans").exists()
        assert startup.load().demo  # the next start opens the demo again
    finally:
        outcome.db.dispose()


def test_demo_window_then_start_for_real(
    qtbot: QtBot, databases: TestDatabases, prompter: ScriptedPrompter
) -> None:
    real_url = databases.empty("real")
    demo_db, _ = startup.open_demo()
    demo_db.dispose()
    window = build_main_window(real_url)  # remembers: the demo
    assert window is not None
    qtbot.addWidget(window)
    window.ctx.prompter = prompter
    mode = window.demo_mode
    assert isinstance(mode, DemoMode)
    assert "UKÁZKA" in window.windowTitle() and "ukazka" in window.db_label.text()

    qtbot.mouseClick(mode.button, Qt.MouseButton.LeftButton)
    wizard = mode.wizard
    assert wizard is not None and wizard.intro.buttons[TRY_DEMO].isHidden()
    _click(qtbot, wizard, Button.NextButton)  # Kde budou data: in this PC
    wizard.intro.buttons[TEMPLATE].click()
    for _ in range(3):
        _click(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == SUMMARY
    _click(qtbot, wizard, Button.FinishButton)
    qtbot.waitUntil(lambda: "UKÁZKA" not in window.windowTitle())
    assert db_name(real_url) in window.db_label.text() and window.demo_mode is None
    assert not _info(window.ctx.db).is_demo
    assert not startup.load().demo and paths.data_dir() != startup.demo_dir()
    assert startup.demo_db_path().is_file()  # the demo stays as it was
    window.ctx.db.dispose()


def test_saving_is_one_transaction(
    qtbot: QtBot, empty_db: Database, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    """The logolink fails after the project and its team were written: nothing stays."""
    wizard = _wizard(qtbot, empty_db, prompter)
    wizard.intro.buttons[TEMPLATE].click()
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.NextButton)
    fake = tmp_path / "logolink.png"
    fake.write_bytes(b"not a picture at all")
    wizard.team_page.names.setPlainText("Jana Nováková\nPetr Svoboda\n")
    wizard.team_page.logo.setText(str(fake))
    _click(qtbot, wizard, Button.NextButton)
    _click(qtbot, wizard, Button.FinishButton)
    assert wizard.isVisible() and wizard.outcome is None
    assert wizard.summary_page.error.text() == "Soubor není obrázek PNG ani JPG."
    assert project_count_of(empty_db) == 0
    with empty_db.unit_of_work() as session:
        assert session.scalar(text("SELECT COUNT(*) FROM assistant")) == 0


def test_a_database_named_on_the_command_line_wins_over_the_remembered_demo(
    qtbot: QtBot, databases: TestDatabases
) -> None:
    real_url = databases.seeded("named")
    demo_db, _ = startup.open_demo()  # the demo was the last thing the user opened
    demo_db.dispose()
    window = build_main_window(real_url, named=True)  # --db or APK_DESKTOP_DB
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert db_name(real_url) in window.db_label.text() and window.demo_mode is None
        assert "UKÁZKA" not in window.windowTitle()
        assert startup.load().demo  # the remembered choice is left for a start without --db
    finally:
        window.ctx.db.dispose()
