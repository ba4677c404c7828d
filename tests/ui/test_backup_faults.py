"""Real storage faults during a backup started from the window: a Czech message, never the
unexpected-error dialog."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from apk_desktop import paths
from apk_desktop.backup import service, settings
from apk_desktop.backup.settings import BackupSettings
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.ui import backup_controller
from apk_desktop.ui.backups import BackupsPage
from apk_desktop.ui.main_window import MainWindow
from tests.backup.conftest import add_rows
from tests.ui.conftest import ScriptedPrompter

pytestmark = pytest.mark.sqlite_only(reason="backups of the SQLite file into a folder")

TIMEOUT = 30_000


@pytest.fixture
def full_work_folder() -> Iterator[Path]:
    """The local work folder on a real 256 kB filesystem: a snapshot of the database fills it."""
    if os.name != "posix" or shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    work = paths.data_dir() / "backup-work"
    work.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(work)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield work
    finally:
        assert QThreadPool.globalInstance().waitForDone(TIMEOUT)
        subprocess.run(["umount", str(work)], check=False)


def test_disk_full_during_the_snapshot_is_a_czech_message(
    qtbot: QtBot,
    main_window: MainWindow,
    prompter: ScriptedPrompter,
    full_work_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unexpected: list[BaseException] = []
    monkeypatch.setattr(backup_controller, "present_error", lambda _p, e: unexpected.append(e))
    add_rows(service.sqlite_path(main_window.ctx.db.url), count=300)  # ~600 kB to snapshot
    share = tmp_path / "share"
    share.mkdir()
    settings.save(BackupSettings(folder=str(share), on_close=False))
    controller = main_window.backup_controller
    with qtbot.waitSignal(controller.backup_finished, timeout=TIMEOUT) as done:
        assert controller.start_backup()
    error = done.args[0]
    assert isinstance(error, StorageUnavailableError), error
    assert "není dost místa" in error.message and str(full_work_folder) in error.message
    assert not unexpected
    assert os.listdir(share) == []


def test_a_relative_folder_is_refused_in_the_settings(
    main_window: MainWindow,
    prompter: ScriptedPrompter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = tmp_path / "current-directory"
    here.mkdir()
    monkeypatch.chdir(here)
    page = main_window.show_page("backups")
    assert isinstance(page, BackupsPage)
    page.folder.setText("zalohy")
    page.save_button.click()
    assert any("není úplná" in text for _title, text in prompter.messages)
    assert settings.load().folder == ""  # not saved
    page.backup_button.click()  # "Zálohovat nyní" with the same text
    assert not main_window.backup_controller.busy
    assert os.listdir(here) == []
    page.folder.setText(str(tmp_path / "share"))
    page.save_button.click()
    assert settings.load().folder == str(tmp_path / "share")
