"""The Zálohy screen and the backup controller: clicks through the real widgets, backups in the
background, restore reopening the window on the restored data, backup on close."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from apk_desktop.backup import service, settings, state
from apk_desktop.backup.settings import BackupSettings
from apk_desktop.ui.backups import BackupsPage
from apk_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompter

TIMEOUT = 30_000
# Backups into a folder (incremental, on a schedule, on close) are made of the SQLite file; a
# server database is backed up by the server (tests of its screen at the end).
SQLITE_FILE = "backups of the SQLite file into a folder"
sqlite_backups = pytest.mark.sqlite_only(reason=SQLITE_FILE)


def db_path(window: MainWindow) -> Path:
    return service.sqlite_path(window.ctx.db.url)


def assistants(window: MainWindow) -> int:
    from sqlalchemy import text

    with window.ctx.db.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM assistant")).scalar_one())


def add_assistant(window: MainWindow, name: str = "Nová") -> None:
    from sqlalchemy import text

    with window.ctx.db.unit_of_work() as session:
        session.execute(
            text(
                "INSERT INTO assistant (project_id, first_name, last_name, phone, email, note) "
                "VALUES (:p, :n, 'Testová', '', '', '')"
            ),
            {"p": window.ctx.project_id, "n": name},
        )


def configure(**values: object) -> None:
    """Save backup settings; on-close backups only where a test asks for them."""
    settings.save(BackupSettings(**{"on_close": False, **values}))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_task_outlives_the_test() -> Iterator[None]:
    """Background backups must not run on into the next test's folders."""
    configure()
    yield
    assert QThreadPool.globalInstance().waitForDone(TIMEOUT)


@pytest.fixture
def share(tmp_path: Path) -> Path:
    folder = tmp_path / "share"
    folder.mkdir()
    return folder


def page_of(window: MainWindow) -> BackupsPage:
    page = window.show_page("backups")
    assert isinstance(page, BackupsPage)
    return page


@sqlite_backups
def test_settings_are_saved_from_the_screen(
    main_window: MainWindow, prompter: ScriptedPrompter, share: Path
) -> None:
    page = page_of(main_window)
    assert "SQLite" in page.coverage.text()
    assert "nejsou nastaveny" in main_window.backup_controller.status()[0]
    prompter.file_answers.append(str(share))
    page._choose_folder()
    page.interval.setCurrentIndex(page.interval.findData(4))
    page.keep_last.setValue(5)
    page.include_scans.setChecked(False)
    page.save_button.click()
    assert settings.load() == BackupSettings(
        folder=str(share), interval_hours=4, keep_last=5, include_scans=False, on_close=False
    )
    assert page.settings_message.text() == "Nastavení uloženo."


@sqlite_backups
def test_backup_now_lists_the_verified_backup(
    qtbot: QtBot, main_window: MainWindow, share: Path
) -> None:
    page = page_of(main_window)
    page.folder.setText(str(share))
    with qtbot.waitSignal(main_window.backup_controller.backup_finished, timeout=TIMEOUT) as done:
        page.backup_button.click()
    assert isinstance(done.args[0], service.BackupResult)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT)
    assert "ověřeno" in page.model.index(0, 4).data()
    assert page.model.index(0, 1).data() == "přírůstková"
    label = main_window.backup_controller.label
    assert label is not None and label.text().startswith("Poslední záloha:")
    assert page.progress.isHidden()


@sqlite_backups
def test_list_model(qtmodeltester: ModelTester, main_window: MainWindow, share: Path) -> None:
    configure(folder=str(share))
    service.backup_now(main_window.ctx.db.url, settings.load())
    page = page_of(main_window)
    page.model.set_entries(service.list_backups(share), state.load().verifications)
    qtmodeltester.check(page.model)


@sqlite_backups
def test_share_offline_shows_a_czech_message(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    configure(folder=str(tmp_path / "offline" / "apk"))
    page = page_of(main_window)
    with qtbot.waitSignal(main_window.backup_controller.backup_finished, timeout=TIMEOUT):
        page.backup_button.click()
    assert any("není dostupná" in text for _title, text in prompter.messages)
    label = main_window.backup_controller.label
    assert label is not None and "žádná" in label.text()
    assert main_window.isEnabled() and page.backup_button.isEnabled()


@sqlite_backups
def test_overdue_backup_warns_in_the_status_bar(main_window: MainWindow, share: Path) -> None:
    configure(folder=str(share), interval_hours=24)
    old = (datetime.now().astimezone() - timedelta(days=3)).isoformat(timespec="seconds")
    state.save(state.BackupState(last_success_at=old))
    text, warning = main_window.backup_controller.status()
    assert warning and text.startswith("⚠ Poslední záloha") and "denně" in text


@sqlite_backups
def test_gui_does_not_freeze_during_a_backup(
    qtbot: QtBot, main_window: MainWindow, share: Path
) -> None:
    connection = sqlite3.connect(db_path(main_window))
    with connection:
        connection.execute("CREATE TABLE big (body BLOB)")
        connection.executemany(
            "INSERT INTO big VALUES (?)", [(os.urandom(64_000),) for _ in range(300)]
        )  # ~20 MB
    connection.close()
    configure(folder=str(share))
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(main_window.backup_controller.backup_finished, timeout=TIMEOUT):
        last[0] = time.perf_counter()
        assert main_window.backup_controller.start_backup()
        add_assistant(main_window)  # the GUI keeps writing while the backup runs
    timer.stop()
    assert len(gaps) > 5
    assert max(gaps) < 0.1, f"GUI blocked for {max(gaps) * 1000:.0f} ms"


@sqlite_backups
def test_restore_reopens_the_window_on_the_restored_data(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, share: Path
) -> None:
    configure(folder=str(share))
    before = assistants(main_window)
    service.backup_now(main_window.ctx.db.url, settings.load())
    add_assistant(main_window, "Po záloze")
    assert assistants(main_window) == before + 1
    page = page_of(main_window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT)
    page.table.selectRow(0)
    old_db = main_window.ctx.db
    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(main_window.backup_controller.restored, timeout=TIMEOUT) as done:
        page.restore_button.click()
    assert not isinstance(done.args[0], BaseException)
    confirm_text = prompter.messages[0][1]
    assert "Vytvořeno:" in confirm_text and "asistenti:" in confirm_text
    assert main_window.ctx.db is not old_db
    assert assistants(main_window) == before
    assert main_window.centralWidget().isEnabled()
    assert main_window.page("backups") is not page  # screens rebuilt over the restored data
    assert any("obnovena" in text for _t, text in prompter.messages)
    assert len(list(service.safety_dir().glob("apk-zaloha-*.zip"))) == 1
    add_assistant(main_window, "Po obnově")  # the reopened database accepts saves
    assert assistants(main_window) == before + 1


@sqlite_backups
def test_restore_cancelled_at_the_confirmation_changes_nothing(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, share: Path
) -> None:
    configure(folder=str(share))
    service.backup_now(main_window.ctx.db.url, settings.load())
    add_assistant(main_window)
    count = assistants(main_window)
    prompter.file_answers.append(str(service.list_backups(share)[0].path))
    prompter.confirm_answers.append(False)
    page = page_of(main_window)
    page.restore_file_button.click()
    qtbot.waitUntil(lambda: not main_window.backup_controller.busy, timeout=TIMEOUT)
    assert assistants(main_window) == count
    assert not list(service.safety_dir().glob("*.zip"))


@sqlite_backups
def test_backup_on_close_when_data_changed(
    qtbot: QtBot, main_window: MainWindow, share: Path
) -> None:
    configure(folder=str(share), on_close=True)
    service.backup_now(main_window.ctx.db.url, settings.load())
    add_assistant(main_window)
    with qtbot.waitSignal(main_window.backup_controller.backup_finished, timeout=TIMEOUT):
        assert not main_window.close()  # held until the backup is done
    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=TIMEOUT)
    assert len(service.list_backups(share)) == 2


@sqlite_backups
def test_no_backup_on_close_when_nothing_changed(main_window: MainWindow, share: Path) -> None:
    configure(folder=str(share))
    assert main_window.close()
    assert service.list_backups(share) == []


def test_progress_reaches_the_screen_at_most_every_50_ms() -> None:
    """A backup reports every 256 kB, thousands of times a second; each report repaints the
    screen on the GUI thread, which froze it for 100–400 ms (measured on 90 MB)."""
    from apk_desktop.ui.backup_controller import throttled

    clock = [0.0]
    shown: list[tuple[int, int, str]] = []
    report = throttled(lambda *args: shown.append(args), clock=lambda: clock[0])
    for step in range(1, 1001):  # 1000 chunks within 0.5 s
        clock[0] = step * 0.0005
        report(step, 1000, "Ukládám data do zálohy…")
    assert 5 <= len(shown) <= 12
    assert shown[-1] == (1000, 1000, "Ukládám data do zálohy…")  # the end is always shown
    report(0, 10, "Kopíruji zálohu do cílové složky…")  # a new step is shown at once
    assert shown[-1] == (0, 10, "Kopíruji zálohu do cílové složky…")


def test_export_archive_off_the_gui_thread(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    from apk_desktop.backup import reader

    page = page_of(main_window)
    target = tmp_path / "flash" / "pro kontrolu"
    target.parent.mkdir()
    prompter.file_answers.append(str(target))
    with qtbot.waitSignal(main_window.backup_controller.exported, timeout=TIMEOUT) as done:
        page.export_button.click()
        assert not page.export_button.isEnabled() and page.cancel_button.isEnabled()
    result = done.args[0]
    assert isinstance(result, service.BackupResult)
    assert result.path == target.with_name("pro kontrolu.zip")
    reader.verify(result.path, service.work_dir())
    assert any("Archiv byl uložen" in text for _t, text in prompter.messages)
    assert page.export_button.isEnabled()


@sqlite_backups
def test_both_kinds_listed_and_a_newer_backup_is_reported_on_verify(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, share: Path
) -> None:
    configure(folder=str(share))
    old = service.create_backup(db_path(main_window), share).path  # made by an older version
    connection = sqlite3.connect(db_path(main_window))
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    newer = service.backup_now(main_window.ctx.db.url, settings.load()).path
    page = page_of(main_window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=TIMEOUT)
    assert [page.model.entry(r).path for r in range(2)] == [newer, old]
    assert page.model.index(1, 1).data() == "archiv .zip"
    page.table.selectRow(0)
    with qtbot.waitSignal(main_window.backup_controller.verified, timeout=TIMEOUT):
        page.verify_button.click()
    assert any("neumí obnovit" in text for _t, text in prompter.messages)


@sqlite_backups
def test_status_bar_does_not_say_backing_up_while_the_restore_question_is_open(
    qtbot: QtBot,
    main_window: MainWindow,
    prompter: ScriptedPrompter,
    share: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configure(folder=str(share))
    service.backup_now(main_window.ctx.db.url, settings.load())
    label = main_window.backup_controller.label
    assert label is not None
    seen: list[str] = []

    def confirm(_parent: object, _title: str, _text: str) -> bool:
        seen.append(label.text())
        return False

    monkeypatch.setattr(prompter, "confirm", confirm)
    prompter.file_answers.append(str(service.list_backups(share)[0].path))
    page_of(main_window).restore_file_button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert seen[0].startswith("Poslední záloha:")
    qtbot.waitUntil(lambda: not main_window.backup_controller.busy, timeout=TIMEOUT)


# --- a server database: the server's backups apply; archive export and restore --------------

server_only = pytest.mark.postgres_only(reason="the Zálohy screen of a server database")


@server_only
def test_the_screen_of_a_server_database_says_the_server_backs_it_up(
    main_window: MainWindow,
) -> None:
    page = page_of(main_window)
    assert "zálohy serveru" in page.coverage.text() and "Exportovat archiv" in page.coverage.text()
    for hidden in (page.settings_box, page.backup_button, page.table, page.restore_button):
        assert hidden.isHidden()
    assert page.export_button.isEnabled() and page.restore_file_button.isEnabled()
    text, warning = main_window.backup_controller.status()
    assert "na serveru" in text and not warning
    assert not main_window.backup_controller.run_if_due()  # no folder backups on a schedule


@server_only
def test_restore_from_an_archive_replaces_the_server_data_and_reopens(
    qtbot: QtBot, main_window: MainWindow, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    before = assistants(main_window)
    archive = service.export_archive(main_window.ctx.db.url, tmp_path / "archiv.zip").path
    assert archive is not None
    add_assistant(main_window, "Po exportu")
    page = page_of(main_window)
    old_db = main_window.ctx.db
    prompter.file_answers.append(str(archive))
    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(main_window.backup_controller.restored, timeout=TIMEOUT) as done:
        page.restore_file_button.click()
    assert not isinstance(done.args[0], BaseException), done.args[0]
    assert main_window.ctx.db is not old_db and main_window.centralWidget().isEnabled()
    assert assistants(main_window) == before
    assert len(list(service.safety_dir().glob("apk-zaloha-*.zip"))) == 1
    add_assistant(main_window, "Po obnově")  # the reopened database accepts saves
    assert assistants(main_window) == before + 1


@sqlite_backups
def test_the_screen_shows_only_the_current_projects_backups(
    qtbot: QtBot, main_window: MainWindow, share: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from tests.project_pairs import add_project

    other = add_project(main_window.ctx.db, monkeypatch, date(2024, 11, 1), 2)
    configure(folder=str(share))
    service.backup_now(main_window.ctx.db.url, settings.load(), project_id=other)
    page = page_of(main_window)
    assert page.project_label.text() == (
        "<b>Projekt: Asistenti prevence kriminality Sokolov "
        "(reg. č. CZ.03.02.01/00/22_018/0000388)</b>"
    )
    with qtbot.waitSignal(main_window.backup_controller.backup_finished, timeout=TIMEOUT):
        page.backup_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT)
    assert len(service.list_backups(share)) == 2  # the other project's is there, not listed
    shown = page.model.index(0, 2).data()
    made = service.reader.read_manifest(share / "snapshots" / shown)
    assert made.data["project"]["id"] == main_window.ctx.project_id
    assert page.list_message.text() == "Záloh tohoto projektu ve složce: 1"
