"""Choosing a PostgreSQL server, clicked through: in the first-run wizard (a wrong password
gets the Czech message; a server holding a project is joined), at the next start (the choice is
remembered without the password, which the login asks for), and in Nastavení (the data moved
to the server and the app switched to it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from apk_desktop import app as app_module
from apk_desktop import paths, startup
from apk_desktop.db.connection import WRONG_LOGIN
from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.ui import server_login
from apk_desktop.ui.database_choice import DatabaseChoiceForm
from apk_desktop.ui.first_run_wizard import INTRO, JOIN_CHOSEN, FirstRunWizard
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.project_chooser import ProjectChooser
from apk_desktop.ui.project_settings import ProjectSettingsPage
from tests.backends import PostgresServer, TestDatabases
from tests.two_projects import add_two_projects
from tests.ui.conftest import ScriptedPrompter

pytestmark = pytest.mark.postgres_only(reason="logs in to a real PostgreSQL server")


def _fill(form: DatabaseChoiceForm, pg_server: PostgresServer, url: str, password: str) -> None:
    from sqlalchemy import make_url

    parsed = make_url(url)
    form.server.click()
    form.host.setText(parsed.host or "")
    form.port.setValue(parsed.port or 5432)
    form.database.setText(parsed.database or "")
    form.user.setText(parsed.username or "")
    form.password.setText(password)


def _test(qtbot: QtBot, form: DatabaseChoiceForm) -> bool:
    with qtbot.waitSignal(form.tested, timeout=20000) as seen:
        qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    return bool(seen.args[0])


def _password(pg_server: PostgresServer) -> str:
    return pg_server.url.password or ""


@pytest.fixture
def local_db(tmp_path: Any) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'local.sqlite3'}")
    yield db
    db.dispose()


def test_the_wizard_joins_a_server_holding_a_project_after_a_wrong_password(
    qtbot: QtBot, local_db: Database, databases: TestDatabases, pg_server: PostgresServer
) -> None:
    server_url = databases.seeded("server")
    wizard = FirstRunWizard(local_db, ScriptedPrompter())
    qtbot.addWidget(wizard)
    wizard.show()
    form = wizard.location.form
    _fill(form, pg_server, server_url, "spatne-heslo")
    assert not _test(qtbot, form)
    assert form.status.text() == WRONG_LOGIN
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    form.password.setText(_password(pg_server))
    assert _test(qtbot, form)
    assert "1 projekt" in form.status.text() and "Dokončit" in form.status.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and finish.isEnabled()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    outcome = wizard.outcome
    assert outcome is not None and not outcome.db.is_sqlite
    try:
        assert outcome.db.engine.url.database == form.database.text()
    finally:
        outcome.db.dispose()
    saved = json.loads(startup.settings_path().read_text(encoding="utf-8"))["start"]["database"]
    assert saved["kind"] == "server"
    assert set(saved) == {"kind", "host", "port", "database", "user"}  # never the password


def test_an_empty_server_gets_the_new_project(
    qtbot: QtBot, local_db: Database, databases: TestDatabases, pg_server: PostgresServer
) -> None:
    server_url = databases.empty("server")
    wizard = FirstRunWizard(local_db, ScriptedPrompter())
    qtbot.addWidget(wizard)
    wizard.show()
    _fill(wizard.location.form, pg_server, server_url, _password(pg_server))
    assert _test(qtbot, wizard.location.form)
    assert "prázdná" in wizard.location.form.status.text()
    wizard.next()
    assert wizard.currentId() == INTRO and wizard.db is wizard.location.server_db
    wizard.reject()  # confirmed by the scripted prompter: the server database is closed
    assert wizard.location.server_db is None


def test_a_server_with_several_projects_asks_which_one_to_join(
    qtbot: QtBot,
    local_db: Database,
    databases: TestDatabases,
    pg_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server_url = databases.migrated("server")
    server = open_database(server_url)
    a, b = add_two_projects(server)
    server.dispose()
    answers = iter([False, True])  # first Esc (back in the wizard), then the second project

    def choose(dialog: ProjectChooser) -> int:
        dialog.show()
        if next(answers):
            qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
            qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
        else:
            qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
        return dialog.result()

    monkeypatch.setattr(ProjectChooser, "exec", choose)
    wizard = FirstRunWizard(local_db, ScriptedPrompter())
    qtbot.addWidget(wizard)
    wizard.show()
    _fill(wizard.location.form, pg_server, server_url, _password(pg_server))
    assert _test(qtbot, wizard.location.form)
    assert JOIN_CHOSEN in wizard.location.form.status.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.outcome is None and wizard.isVisible()  # left the chooser: still here
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    outcome = wizard.outcome
    assert outcome is not None
    try:
        assert outcome.project_id == b.id != a.id
        assert startup.remembered_project(outcome.db) == b.id
    finally:
        outcome.db.dispose()


def test_the_next_start_asks_for_the_password_and_opens_the_server(
    qtbot: QtBot,
    databases: TestDatabases,
    pg_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    from sqlalchemy import make_url

    server_url = make_url(databases.seeded("server"))
    startup.choose_database(
        startup.ServerChoice(
            host=server_url.host or "",
            port=server_url.port or 5432,
            database=server_url.database or "",
            user=server_url.username or "",
        )
    )
    answers = ["spatne-heslo", _password(pg_server)]
    problems: list[str] = []

    def ask(_parent: Any, server: startup.ServerChoice, problem: str = "") -> str:
        problems.append(problem)
        return answers.pop(0)

    monkeypatch.setattr(server_login, "ask_password", ask)
    errors: list[BaseException] = []
    monkeypatch.setattr(app_module, "present_error", lambda _parent, exc: errors.append(exc))
    window = MainWindow()
    qtbot.addWidget(window)
    begun = app_module.Startup(window, f"sqlite:///{tmp_path / 'default.sqlite3'}", named=False)
    window.show()
    try:
        qtbot.waitUntil(lambda: not window.loading, timeout=20000)
        assert problems == ["", WRONG_LOGIN] and errors == []  # asked again, saying why
        assert server_url.database in window.db_label.text()
        shown = window.db_label.text()
        assert ":***@" in shown and f":{_password(pg_server)}@" not in shown
    finally:
        begun.finish()


@pytest.fixture
def sqlite_window(qtbot: QtBot, tmp_path: Any, prompter: ScriptedPrompter) -> Iterator[MainWindow]:
    """The main window over a SQLite database with the template project (whatever the backend
    of this run: the move starts on SQLite)."""
    from apk_desktop.ui.context import AppContext
    from tests.seeding import seed_template

    db = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    seed_template(db)
    project_id = startup.project_id_of(db)
    assert project_id is not None
    window = MainWindow(AppContext(db=db, project_id=project_id, prompter=prompter))
    qtbot.addWidget(window)
    window.show()
    yield window
    window.ctx.db.dispose()


def test_nastaveni_moves_the_data_to_the_server_and_switches_to_it(
    qtbot: QtBot, sqlite_window: MainWindow, databases: TestDatabases, pg_server: PostgresServer
) -> None:
    main_window = sqlite_window
    target = databases.empty("server")
    page = main_window.show_page("settings")
    assert isinstance(page, ProjectSettingsPage)
    section = page.database
    assert section.move_button.text() == "Přesunout data na server…"
    assert not section.move_button.isEnabled()  # not before the connection is tested
    _fill(section.form, pg_server, target, _password(pg_server))
    assert _test(qtbot, section.form)
    qtbot.mouseClick(section.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not main_window.ctx.db.is_sqlite, timeout=30000)
    prompter = main_window.ctx.prompter
    assert isinstance(prompter, ScriptedPrompter)
    text = prompter.messages[-1][1]
    assert "Tabulka" in text and "Skeny shodné" in text and "≠" not in text
    assert startup.load().server is not None  # the next start goes to the server too
    moved = main_window.show_page("settings")
    assert isinstance(moved, ProjectSettingsPage)
    assert moved.database.move_button.text() == "Přesunout data do tohoto počítače…"
    qtbot.mouseClick(moved.database.move_button, Qt.MouseButton.LeftButton)  # and back again
    qtbot.waitUntil(lambda: main_window.ctx.db.is_sqlite, timeout=30000)
    assert main_window.ctx.db.display_name == str(paths.default_db_path())
    assert startup.load().server is None
    back = main_window.show_page("settings")
    assert isinstance(back, ProjectSettingsPage) and back.info is not None
    assert back.info.name == "Asistenti prevence kriminality Sokolov"
