"""Several projects in the window: the chooser at start, Projekt › Přepnout projekt… and
Nový projekt…, and nothing of one project in the other's screens, exports, prints and scan
review — checked on a database with two projects full of data, in both directions."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from apk_desktop import startup
from apk_desktop.app import build_main_window
from apk_desktop.db.demo import demo_period
from apk_desktop.db.open import open_database
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.print_page import PrintPage
from apk_desktop.ui.project_chooser import ProjectChooser
from apk_desktop.ui.sessions import SessionsPage
from apk_desktop.ui.signed_review import SignedReviewDialog
from apk_desktop.ui.worker import busy
from tests.backends import TestDatabases
from tests.scan_stack import print_sheets, scanned, write_pdf
from tests.two_projects import TODAY, TestProject, add_two_projects, marks_of
from tests.ui.conftest import ScriptedPrompter

SCREENS = ("dashboard", "assistants", "plans", "assessments", "sessions", "print", "settings")
PRINTS = ("month", "progress_team", "progress_assistant", "idp", "session")


@pytest.fixture
def two(databases: TestDatabases) -> Iterator[tuple[str, TestProject, TestProject]]:
    url = databases.migrated("dva")
    db = open_database(url)
    a, b = add_two_projects(db)
    db.dispose()
    yield url, a, b


def _model_text(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []

    def walk(parent: QModelIndex) -> None:
        # (a list model's columnCount is private in PySide)
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
        for row in range(model.rowCount(parent)):
            for column in range(columns):
                index = model.index(row, column, parent)
                value = model.data(index, Qt.ItemDataRole.DisplayRole)
                if value is not None:
                    texts.append(str(value))
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                if tip is not None:
                    texts.append(str(tip))
            walk(model.index(row, 0, parent))

    walk(QModelIndex())
    return texts


def screen_text(root: QWidget) -> str:
    """Everything a screen shows as text: labels, fields, lists and tables (every row, also
    those scrolled away), combo boxes' items and the charts' series and axes."""
    parts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            parts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView):
            parts += _model_text(widget)
        if isinstance(widget, QChartView):
            chart = widget.chart()
            parts.append(chart.title())
            parts += [series.name() for series in chart.series()]
            for axis in chart.axes():
                parts.append(axis.titleText())
                categories = getattr(axis, "categories", None)
                if callable(categories):
                    parts += categories()
    return "\n".join(parts)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(
            book.read(name).decode("utf-8")
            for name in book.namelist()
            if name.startswith("xl/") and name.endswith(".xml")
        )


def _assert_only(text: str, shown: TestProject, hidden: TestProject, where: str) -> None:
    leaked = [mark for mark in marks_of(hidden) if mark in text]
    assert not leaked, f"{where}: {leaked} of the other project"
    assert shown.people[0].split()[-1] in text, f"{where}: nothing of the open project"


def _window(qtbot: QtBot, url: str, project_id: int, prompter: ScriptedPrompter) -> MainWindow:
    ctx = AppContext(open_database(url), project_id, prompter=prompter)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def _sheet_ids(window: MainWindow, project: TestProject) -> set[str]:
    from apk_desktop.db.models.sessions import TrainingSession
    from apk_desktop.domain.sessions import SessionKind, sheet_id

    with window.ctx.db.unit_of_work() as session:
        rows = session.execute(
            select(TrainingSession.kind, TrainingSession.id).where(
                TrainingSession.project_id == project.id
            )
        )
        return {sheet_id(SessionKind(kind), number) for kind, number in rows}


def _training_sheet(window: MainWindow, project: TestProject) -> str:
    return min(
        (sheet for sheet in _sheet_ids(window, project) if sheet.startswith("PL-")),
        key=lambda sheet: int(sheet.removeprefix("PL-")),
    )


def _walk(
    qtbot: QtBot,
    window: MainWindow,
    prompter: ScriptedPrompter,
    shown: TestProject,
    hidden: TestProject,
    tmp_path: Path,
) -> None:
    """Every main screen, the exports, the prints and the signed-scan review."""
    assert shown.name in window.windowTitle()
    assert shown.registration_number in window.project_label.text()
    for key in SCREENS:
        page = window.show_page(key)
        if isinstance(page, SessionsPage):  # no names in the list: the sheets' identifiers
            lines = set(screen_text(page).splitlines())
            assert lines & _sheet_ids(window, shown)
            assert not lines & _sheet_ids(window, hidden), "sessions of the other project"
            continue
        if key == "settings":  # the project's own facts, no team
            text = screen_text(page)
            assert shown.name in text and hidden.name not in text
            assert hidden.registration_number not in text
            continue
        qtbot.waitUntil(lambda page=page: shown.people[0].split()[-1] in screen_text(page))
        text = screen_text(page)
        _assert_only(text, shown, hidden, key)

    sessions = window.show_page("sessions")
    assert isinstance(sessions, SessionsPage)
    folder = tmp_path / f"export-{shown.id}"
    folder.mkdir()
    prompter.file_answers.append(str(folder / "setkani.csv"))
    written = sessions.export_csv()
    assert written is not None
    csv_text = "\n".join(p.read_text(encoding="utf-8-sig") for p in folder.glob("*.csv"))
    _assert_only(csv_text, shown, hidden, "CSV")
    prompter.file_answers.append(str(folder / "setkani.xlsx"))
    xlsx = sessions.export_xlsx()
    assert xlsx is not None
    _assert_only(_xlsx_text(folder / "setkani.xlsx"), shown, hidden, "XLSX")

    # a scanned stack holding a sheet of each project: the review shows the open one's only
    stack = write_pdf(
        folder / "sken.pdf",
        scanned(
            [
                *print_sheets(window.ctx.db, shown.id, [_training_sheet(window, shown)]).values(),
                *print_sheets(window.ctx.db, hidden.id, [_training_sheet(window, hidden)]).values(),
            ]
        ),
    )
    with qtbot.waitSignal(sessions.signed.reviewing, timeout=60_000) as reviewing:
        sessions.signed.start([stack])
    review = reviewing.args[0]
    assert isinstance(review, SignedReviewDialog)
    _assert_only(screen_text(review), shown, hidden, "signed-scan review")
    review.sheet_list.setCurrentRow(1)  # the other project's sheet: refused, nothing shown
    text = screen_text(review)
    assert "patří k setkání jiného projektu" in text
    assert not [mark for mark in marks_of(hidden) if mark in text], "signed-scan review"
    review.done(0)
    qtbot.waitUntil(lambda: not busy())

    printing = window.show_page("print")
    assert isinstance(printing, PrintPage)
    first_month = printing.month_combo.findData(demo_period(TODAY)[0].isoformat())
    assert first_month >= 0
    printing.month_combo.setCurrentIndex(first_month)  # a month with sessions
    for key in PRINTS:
        printing.printer.last_preview = None
        with qtbot.waitSignal(printing.printer.shown, timeout=30_000):
            assert printing.run(key) is not None, (key, prompter.messages[-1:])
        preview = printing.printer.last_preview
        assert preview is not None
        text = _pdf_text(preview.pdf)
        leaked = [mark for mark in marks_of(hidden) if mark in text]
        assert not leaked, f"print {key}: {leaked}"
        assert shown.registration_number in text, f"print {key}"
        preview.close()
    qtbot.waitUntil(lambda: not busy())  # the last print's task has ended


def test_nothing_of_one_project_shows_in_the_other(
    qtbot: QtBot, two: tuple[str, TestProject, TestProject], tmp_path: Path
) -> None:
    url, a, b = two
    prompter = ScriptedPrompter()
    window = _window(qtbot, url, a.id, prompter)
    try:
        _walk(qtbot, window, prompter, a, b, tmp_path)

        dialog = window.choose_project()
        assert isinstance(dialog, ProjectChooser)
        texts = screen_text(dialog)
        assert a.name + " (otevřený)" in texts and b.registration_number in texts
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # the other project is preselected
        assert window.ctx.project_id == b.id, (dialog.chosen, prompter.messages[-1:])
        assert startup.remembered_project(window.ctx.db) == b.id

        _walk(qtbot, window, prompter, b, a, tmp_path)
    finally:
        window.ctx.db.dispose()


def test_switching_keeps_unsaved_settings_when_the_user_says_so(
    qtbot: QtBot, two: tuple[str, TestProject, TestProject]
) -> None:
    from apk_desktop.ui import project_switch
    from apk_desktop.ui.project_settings import ProjectSettingsPage

    url, a, b = two
    prompter = ScriptedPrompter()
    window = _window(qtbot, url, a.id, prompter)
    try:
        settings = window.show_page("settings")
        assert isinstance(settings, ProjectSettingsPage)
        settings.findChild(QLineEdit, "mentor_name").setText("Nový mentor")  # type: ignore[union-attr]
        prompter.confirm_answers.append(False)
        assert not project_switch.switch(window, b.id)
        assert window.ctx.project_id == a.id and window.show_page("settings") is settings
        assert "Přepnout projekt bez uložení?" in prompter.messages[-1][1]
        prompter.confirm_answers.append(True)
        assert project_switch.switch(window, b.id)
        assert window.ctx.project_id == b.id and b.name in window.windowTitle()
    finally:
        window.ctx.db.dispose()


def test_only_one_project_says_how_to_found_another(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter
) -> None:
    assert main_window.choose_project() is None
    assert "Nový projekt" in prompter.messages[-1][1]


def test_a_new_project_is_founded_and_opened(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, project_id: int
) -> None:
    from apk_desktop.ui.first_run_wizard import FirstRunWizard

    wizard = main_window.new_project()
    assert isinstance(wizard, FirstRunWizard)
    assert wizard.currentPage() is wizard.project_page  # straight to the facts
    page = wizard.project_page
    for name, value in (
        ("name", "APK Kladno"),
        ("registration_number", "CZ.03.02.01/00/22_018/0000388"),  # Sokolov's: taken
        ("beneficiary", "město Kladno"),
        ("mentor_name", "Jan Kladenský"),
    ):
        page.text[name].setText(value)
    page.period_start.setText("01.01.2026")
    page.period_end.setText("31.12.2027")
    wizard.next()
    assert not wizard.team_page.backup.isVisible()  # the database's backups are set up
    wizard.team_page.names.setPlainText("Karel Kladenský")
    wizard.next()
    wizard.accept()
    assert "už má projekt" in wizard.summary_page.error.text()
    assert main_window.ctx.project_id == project_id
    wizard.back()
    wizard.back()
    page.text["registration_number"].setText("CZ.03.02.01/00/22_777/0000777")
    wizard.next()
    wizard.next()
    wizard.accept()
    assert main_window.ctx.project_id != project_id
    assert "APK Kladno" in main_window.windowTitle()
    roster = main_window.show_page("assistants")
    assert "Kladenský" in screen_text(roster)
    assert "Nováková" not in screen_text(roster)


def test_the_chooser_at_start(
    qtbot: QtBot, two: tuple[str, TestProject, TestProject], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several projects, none worked on here: the user picks one (Enter), Esc ends the app;
    the next start opens the one picked, without asking."""
    url, a, b = two

    def escape(dialog: ProjectChooser) -> int:
        dialog.show()
        qtbot.keyClick(dialog.list, Qt.Key.Key_Escape)
        return dialog.result()

    def down_and_enter(dialog: ProjectChooser) -> int:
        dialog.show()
        assert dialog.list.currentItem().text(0) == a.name  # type: ignore[union-attr]
        qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(ProjectChooser, "exec", escape)
    assert build_main_window(url) is None
    monkeypatch.setattr(ProjectChooser, "exec", down_and_enter)
    window = build_main_window(url)
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.ctx.project_id == b.id and b.name in window.windowTitle()
    finally:
        window.ctx.db.dispose()

    def not_asked(dialog: ProjectChooser) -> int:
        raise AssertionError("asked again")

    monkeypatch.setattr(ProjectChooser, "exec", not_asked)
    window = build_main_window(url)
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.ctx.project_id == b.id
    finally:
        window.ctx.db.dispose()


def test_start_for_real_from_the_demo_asks_which_project(
    qtbot: QtBot, two: tuple[str, TestProject, TestProject], monkeypatch: pytest.MonkeyPatch
) -> None:
    from apk_desktop.ui.demo_mode import DemoMode

    url, _a, b = two
    demo_db, _ = startup.open_demo()
    demo_db.dispose()
    window = build_main_window(url)  # remembers: the demo
    assert window is not None
    qtbot.addWidget(window)
    mode = window.demo_mode
    assert isinstance(mode, DemoMode)

    def pick_b(dialog: ProjectChooser) -> int:
        dialog.list.setCurrentItem(dialog.list.topLevelItem(1))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ProjectChooser, "exec", pick_b)
    qtbot.mouseClick(mode.button, Qt.MouseButton.LeftButton)
    try:
        assert window.demo_mode is None and window.ctx.project_id == b.id
        assert b.name in window.windowTitle() and "UKÁZKA" not in window.windowTitle()
        assert startup.remembered_project(window.ctx.db) == b.id
    finally:
        window.ctx.db.dispose()


@pytest.mark.sqlite_only(reason="backups of the SQLite file into a folder")
def test_a_restore_keeps_the_project_worked_on(
    qtbot: QtBot, two: tuple[str, TestProject, TestProject], tmp_path: Path
) -> None:
    """Both projects carry the shared ``is_current`` flag; the window reopened on the restored
    data stays on the project the user works on."""
    from apk_desktop.backup import service, settings
    from apk_desktop.backup.settings import BackupSettings
    from apk_desktop.ui.backups import BackupsPage

    url, a, b = two
    share = tmp_path / "share"
    share.mkdir()
    settings.save(BackupSettings(folder=str(share), on_close=False))
    prompter = ScriptedPrompter()
    window = _window(qtbot, url, b.id, prompter)
    try:
        service.backup_now(url, settings.load(), project_id=b.id)
        page = window.show_page("backups")
        assert isinstance(page, BackupsPage)
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=30_000)
        page.table.selectRow(0)
        prompter.confirm_answers.append(True)
        with qtbot.waitSignal(window.backup_controller.restored, timeout=30_000):
            page.restore_button.click()
        assert window.ctx.project_id == b.id and b.name in window.windowTitle()
        assert a.id != b.id
    finally:
        qtbot.waitUntil(lambda: not busy())
        window.ctx.db.dispose()


@pytest.mark.sqlite_only(reason="backups of the SQLite file into a folder")
def test_the_status_bar_shows_the_last_backup_of_the_project_open(
    qtbot: QtBot, two: tuple[str, TestProject, TestProject], tmp_path: Path
) -> None:
    from apk_desktop.backup import service, settings
    from apk_desktop.backup.settings import BackupSettings
    from apk_desktop.ui import project_switch

    url, a, b = two
    share = tmp_path / "share"
    share.mkdir()
    settings.save(BackupSettings(folder=str(share), on_close=False))
    window = _window(qtbot, url, a.id, ScriptedPrompter())
    try:
        service.backup_now(url, settings.load(), project_id=a.id)
        window.backup_controller.refresh_status()
        assert window.backup_controller.status()[0].startswith("Poslední záloha")
        assert project_switch.switch(window, b.id)
        assert window.backup_controller.label is not None
        assert window.backup_controller.label.text() == "Zatím žádná záloha"  # B never was
        assert project_switch.switch(window, a.id)
        assert window.backup_controller.label.text().startswith("Poslední záloha")
    finally:
        qtbot.waitUntil(lambda: not busy())
        window.ctx.db.dispose()
