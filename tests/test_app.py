from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from apk_desktop import app as app_module
from apk_desktop import cli, instance_lock
from apk_desktop.app import build_main_window
from apk_desktop.db.open import open_database
from apk_desktop.domain.errors import ConflictError, StorageUnavailableError
from apk_desktop.logging_setup import configure_logging
from apk_desktop.paths import DB_ENV, default_db_path, looks_synced_or_remote, resolve_db_url
from apk_desktop.ui import error_presenter
from apk_desktop.ui.error_presenter import (
    COPY_DETAILS,
    UNEXPECTED_TEXT,
    install_excepthook,
    message_box_for,
)
from tests.backends import TestDatabases, db_name


def test_second_instance_is_refused(tmp_path: Path) -> None:
    first = instance_lock.acquire(tmp_path)
    assert first is not None
    try:
        assert instance_lock.acquire(tmp_path) is None
    finally:
        first.release()
    again = instance_lock.acquire(tmp_path)
    assert again is not None
    again.release()


def test_an_unusable_data_folder_is_a_czech_message(tmp_path: Path) -> None:
    blocker = tmp_path / "soubor"
    blocker.write_text("x")  # a file where the data folder should be
    with pytest.raises(StorageUnavailableError, match=r"Se složkou „.*soubor“"):
        instance_lock.acquire(blocker)


def test_db_option_env_and_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_db_url(None) == f"sqlite:///{default_db_path().resolve()}"
    target = tmp_path / "jinde" / "apk.sqlite3"
    assert resolve_db_url(str(target)) == f"sqlite:///{target.resolve()}"
    assert target.parent.is_dir()
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.sqlite3"))
    assert resolve_db_url(None).endswith("env.sqlite3")
    assert resolve_db_url(str(target)).endswith("apk.sqlite3")  # --db wins over the variable
    url = "postgresql+psycopg://mentor@db.example.cz/apk"
    assert resolve_db_url(url) == url
    monkeypatch.setenv(DB_ENV, url)
    assert resolve_db_url(None) == url


def test_unexpected_error_box_has_details(qtbot: QtBot) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        box = message_box_for(None, exc)
    qtbot.addWidget(box)
    assert box.text() == UNEXPECTED_TEXT
    assert box.icon() == QMessageBox.Icon.Critical
    assert "RuntimeError: boom" in box.detailedText()


def test_expected_error_box_is_plain(qtbot: QtBot) -> None:
    box = message_box_for(None, ConflictError("Pozice je obsazená."))
    qtbot.addWidget(box)
    assert box.text() == "Pozice je obsazená."
    assert box.detailedText() == ""


def test_a_new_database_starts_with_the_first_run_wizard(
    qtbot: QtBot, databases: TestDatabases, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apk_desktop.startup import project_id_of
    from apk_desktop.ui.first_run_wizard import TEMPLATE, FirstRunWizard

    def cancelled(wizard: FirstRunWizard) -> int:
        return 0

    def through_the_template(wizard: FirstRunWizard) -> int:
        wizard.restart()  # what exec() does first
        wizard.intro.buttons[TEMPLATE].click()
        for _ in range(3):
            wizard.next()
        wizard.accept()
        return 1

    url = databases.empty("new")
    monkeypatch.setattr(FirstRunWizard, "exec", cancelled)
    assert build_main_window(url) is None
    empty = open_database(url)
    assert project_id_of(empty) is None  # cancelled: still empty
    empty.dispose()

    monkeypatch.setattr(FirstRunWizard, "exec", through_the_template)
    window = build_main_window(url)
    assert window is not None
    qtbot.addWidget(window)
    try:
        assert window.ctx.project_id > 0
        assert db_name(url) in window.db_label.text()
        assert window.windowTitle() == "APK Desktop – Asistenti prevence kriminality Sokolov"
    finally:
        window.ctx.db.dispose()


# --- a database that cannot be opened: a Czech message, never a traceback -------------------


def test_missing_postgres_driver_is_a_czech_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on a machine without the driver
    with pytest.raises(StorageUnavailableError) as caught:
        open_database("postgresql+psycopg://mentor:tajne@127.0.0.1:1/apk")
    message = caught.value.message
    assert "není nainstalovaný ovladač „psycopg“" in message
    assert "tajne" not in message and "***" in message
    assert "psycopg" in caught.value.details


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("foo://server/apk", "tento typ databáze aplikace nezná"),
        ("postgresql+psycopg://mentor@server:port/apk", "není platná"),
    ],
)
def test_unknown_or_malformed_url_is_a_czech_message(url: str, expected: str) -> None:
    with pytest.raises(StorageUnavailableError, match=expected):
        open_database(url)


def test_unreachable_database_is_a_czech_message(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailableError, match="se nepodařilo otevřít") as caught:
        open_database(f"sqlite:///{tmp_path}")  # a folder, not a database file
    assert "unable to open database file" in caught.value.details


def test_db_path_in_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "soubor"
    blocker.write_text("x")
    with pytest.raises(StorageUnavailableError, match="nepodařilo vytvořit"):
        resolve_db_url(str(blocker / "podslozka" / "apk.sqlite3"))


@pytest.fixture
def gui_start(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """run_gui with the error presenter recorded instead of shown; global state restored."""
    shown: list[BaseException] = []
    monkeypatch.setattr(app_module, "present_error", lambda _parent, exc: shown.append(exc))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    monkeypatch.setattr(app_module, "install_czech_translations", lambda _app: None)
    yield shown
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_start_with_postgres_url_without_driver_explains_and_exits(
    gui_start: list[BaseException], monkeypatch: pytest.MonkeyPatch, isolated_folders: Path
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    code = app_module.run_gui(cli.parse(["--db", "postgresql+psycopg://u@127.0.0.1:1/x"]))
    assert code == 2
    assert len(gui_start) == 1
    assert isinstance(gui_start[0], StorageUnavailableError)
    assert "ovladač „psycopg“" in gui_start[0].message
    log_text = (isolated_folders / "logs" / "apk-desktop.log").read_text(encoding="utf-8")
    assert "starting APK Desktop" in log_text
    again = instance_lock.acquire(isolated_folders)  # the lock was released
    assert again is not None
    again.release()


def test_second_start_says_already_running(
    gui_start: list[BaseException], monkeypatch: pytest.MonkeyPatch, isolated_folders: Path
) -> None:
    said: list[str] = []
    monkeypatch.setattr(
        app_module.QMessageBox, "information", lambda _p, _t, text: said.append(text)
    )
    isolated_folders.mkdir(parents=True)
    first = instance_lock.acquire(isolated_folders)
    assert first is not None
    try:
        assert app_module.run_gui(cli.parse([])) == 1
    finally:
        first.release()
    assert said == [app_module.ALREADY_RUNNING]
    assert not (isolated_folders / "apk-desktop.sqlite3").exists()  # the database untouched


# --- the error presenter, the log file and the excepthook -------------------------------------


def test_unexpected_error_details_can_be_copied(qtbot: QtBot, isolated_folders: Path) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        box = message_box_for(None, exc)
    qtbot.addWidget(box)
    copy = next(b for b in box.buttons() if b.text() == COPY_DETAILS)
    copy.click()
    copied = QGuiApplication.clipboard().text()
    assert "RuntimeError: boom" in copied
    assert str(isolated_folders / "logs" / "apk-desktop.log") in copied
    assert copied == box.detailedText()


def test_errors_go_to_a_rotating_log_file(
    isolated_folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    boxes: list[str] = []

    class FakeBox:
        def __init__(self, text: str) -> None:
            self.text = text

        def exec(self) -> int:
            boxes.append(self.text)
            return 0

    monkeypatch.setattr(error_presenter, "message_box_for", lambda _p, exc: FakeBox(str(exc)))
    try:
        configure_logging()
        configure_logging()  # idempotent: one handler only
        rotating = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        assert len(rotating) == 1
        assert rotating[0].maxBytes > 0 and rotating[0].backupCount >= 1
        install_excepthook()
        try:
            raise ValueError("neočekávané")
        except ValueError as exc:
            sys.excepthook(ValueError, exc, exc.__traceback__)  # what Qt does for a slot
        for handler in rotating:
            handler.flush()
        log_text = (isolated_folders / "logs" / "apk-desktop.log").read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)
    assert boxes == ["neočekávané"]
    assert "unexpected error" in log_text
    assert "ValueError: neočekávané" in log_text  # the traceback is in the log


def test_qt_texts_are_czech(qapp: QApplication) -> None:
    translator = app_module.install_czech_translations(qapp)
    assert translator is not None
    try:
        box = QMessageBox()
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        assert yes is not None and "Ano" in yes.text()
        box.deleteLater()
    finally:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize(
    ("path", "unsafe"),
    [
        ("C:/Users/jana/OneDrive - Město/APK/apk.sqlite3", True),
        ("/home/jana/Dropbox/apk.sqlite3", True),
        ("\\\\server\\sdilene\\apk.sqlite3", True),
        ("//server/sdilene/apk.sqlite3", True),
        ("C:/Users/jana/AppData/Local/APK Desktop/apk-desktop.sqlite3", False),
        ("/home/jana/.local/share/APK Desktop/apk-desktop.sqlite3", False),
    ],
)
def test_synced_or_network_folder_is_recognised(path: str, unsafe: bool) -> None:
    assert looks_synced_or_remote(Path(path)) is unsafe


def test_mapped_network_drive_on_windows_is_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes
    from pathlib import PureWindowsPath
    from types import SimpleNamespace

    from apk_desktop import paths

    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return paths.DRIVE_REMOTE if root == "Z:\\" else 3  # 3 = a local fixed disk

    windll = SimpleNamespace(kernel32=SimpleNamespace(GetDriveTypeW=drive_type))
    monkeypatch.setattr(ctypes, "windll", windll, raising=False)  # no need to fake os.name
    assert looks_synced_or_remote(PureWindowsPath("Z:/APK/apk-desktop.sqlite3"))
    assert not looks_synced_or_remote(PureWindowsPath("C:/Users/jana/AppData/Local/APK/db"))
    assert asked == ["Z:\\", "C:\\"]


def test_network_and_removable_drives_on_windows_are_recognised() -> None:
    from pathlib import PureWindowsPath

    from apk_desktop import paths

    kinds = {"Z:\\": paths.DRIVE_REMOTE, "E:\\": paths.DRIVE_REMOVABLE, "C:\\": 3}  # 3 = fixed
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return kinds[root]

    def check(text: str) -> bool:
        return looks_synced_or_remote(PureWindowsPath(text), drive_type=drive_type)

    assert check("Z:/APK/apk-desktop.sqlite3")
    assert check("e:\\APK\\apk-desktop.sqlite3")
    assert not check("C:/Users/jana/AppData/Local/APK/db")
    assert not check("\\\\?\\C:\\Users\\jana\\AppData\\Local\\APK\\db")  # local, the long way
    assert check("\\\\?\\Z:\\APK\\db")
    assert asked == ["Z:\\", "E:\\", "C:\\", "C:\\", "Z:\\"]
    assert check("\\\\?\\UNC\\server\\share\\APK\\db")
    assert check("\\\\server\\share\\APK\\db")
    assert check("//server/share/APK/db")
    assert len(asked) == 5  # shares are recognised by their name, no drive to ask about


@pytest.mark.parametrize(
    ("path", "unsafe"),
    [
        ("C:/Users/jana/Nextcloud/APK/db", True),
        ("/home/jana/Nextcloud - Město/APK/db", True),
        ("/home/jana/ownCloud/APK/db", True),
        ("C:/Users/jana/Box/APK/db", True),
        ("/home/jana/Box Sync/APK/db", True),
        ("C:/Users/jana/SynologyDrive/APK/db", True),
        ("/home/jana/Synology Drive/APK/db", True),
        ("/home/jana/pCloudDrive/APK/db", True),
        ("P:/pCloud Drive/APK/db", True),
        ("/home/jana/MEGA/APK/db", True),
        ("C:/Users/jana/MEGAsync/APK/db", True),
        ("/home/jana/Inbox/APK/db", False),
        ("/home/jana/Sandbox/APK/db", False),
        ("/home/jana/Boxing club/APK/db", False),
        ("/home/jana/Megaprojekt/APK/db", False),
        ("/home/jana/Omega/APK/db", False),
        ("/home/jana/cloudy notes/APK/db", False),
    ],
)
def test_more_sync_clients_are_recognised(path: str, unsafe: bool) -> None:
    from pathlib import PurePosixPath, PureWindowsPath

    pure = PureWindowsPath(path) if ":" in path else PurePosixPath(path)
    assert looks_synced_or_remote(pure, mountinfo="", drive_type=lambda _root: 3) is unsafe


MOUNTINFO = """\
22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
25 22 0:23 / /proc rw,nosuid - proc proc rw
40 22 0:40 / /mnt/nas rw,relatime shared:20 - nfs4 nas:/export rw,vers=4.2
41 40 0:41 / /mnt/nas/local\\040disk rw,relatime - ext4 /dev/sdb1 rw
42 22 0:42 / /media/jana/Městský\\040disk rw - cifs //server/share rw
43 22 0:43 / /home/jana/remote rw,nosuid,nodev - fuse.sshfs jana@host:/ rw
44 22 0:44 / /run/user/1000/gvfs rw - fuse.gvfsd-fuse gvfsd-fuse rw
45 22 8:17 / /media/jana/USB rw - fuseblk /dev/sdb2 rw
46 22 0:46 / /mnt/c rw - 9p drvfs rw
47 22 0:47 / /mnt/smb rw - smb3 //server/x rw
48 22 0:48 / /home/jana/nas-backup rw - fuse rclone rw
"""


@pytest.mark.parametrize(
    ("path", "fs_type"),
    [
        ("/mnt/nas/APK/db", "nfs4"),
        ("/mnt/nas", "nfs4"),
        ("/mnt/nas/local disk/APK/db", None),  # a local disk mounted inside the share
        ("/mnt/nasty/APK/db", None),  # a prefix of the text, not of the path
        ("/media/jana/Městský disk/APK/db", "cifs"),
        ("/home/jana/remote/APK/db", "fuse.sshfs"),
        ("/run/user/1000/gvfs/smb-share:server=x/db", "fuse.gvfsd-fuse"),
        ("/media/jana/USB/APK/db", None),  # fuseblk: NTFS on a local disk
        ("/mnt/c/Users/jana/db", "9p"),
        ("/mnt/smb/db", "smb3"),
        ("/home/jana/nas-backup/db", "fuse"),
        ("/home/jana/.local/share/APK Desktop/db", None),
    ],
)
def test_network_and_fuse_mounts_on_linux_are_recognised(path: str, fs_type: str | None) -> None:
    from pathlib import PurePosixPath

    from apk_desktop import paths

    assert paths.remote_mount_type(PurePosixPath(path), MOUNTINFO) == fs_type
    assert looks_synced_or_remote(PurePosixPath(path), mountinfo=MOUNTINFO) is (fs_type is not None)


@pytest.mark.skipif(not Path("/proc/self/mountinfo").exists(), reason="Linux mount table")
def test_this_machines_mount_table_is_read(tmp_path: Path) -> None:
    from apk_desktop import paths

    table = Path("/proc/self/mountinfo").read_text()
    assert looks_synced_or_remote(tmp_path / "apk.sqlite3") is (
        paths.remote_mount_type(tmp_path.resolve(), table) is not None
    )
    assert not looks_synced_or_remote(tmp_path / "apk.sqlite3")  # the test folder is local


def test_the_mount_table_file_is_what_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apk_desktop import paths

    table = tmp_path / "mountinfo"
    share = tmp_path.resolve() / "share"
    table.write_text(
        f"22 1 253:1 / / rw - ext4 /dev/vda1 rw\n40 22 0:40 / {share} rw - nfs nas:/export rw\n"
    )
    monkeypatch.setattr(paths, "MOUNTINFO", table)
    assert looks_synced_or_remote(share / "APK" / "apk.sqlite3")
    assert not looks_synced_or_remote(tmp_path / "local" / "apk.sqlite3")


def test_the_main_window_opens_without_loading_the_printing_and_scanning_libraries(
    tmp_path: Path, databases: TestDatabases
) -> None:
    """reportlab, pypdf, Pillow, numpy, pypdfium2, zxing-cpp and pyphen load when first
    needed (a print, a scan import, the logolink check after the first paint), never while
    the window is built and shown: it shows sooner."""
    import os
    import subprocess

    from PIL import Image
    from sqlalchemy import select

    from apk_desktop.db.models import Project
    from apk_desktop.db.services import project as project_service

    db = databases.empty("apk")
    env = {**os.environ, "APK_DESKTOP_DATA_DIR": str(tmp_path / "data")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    init = [sys.executable, "-m", "apk_desktop", "--db", db, "init", "--template", "sokolov"]
    subprocess.run(init, env=env, check=True, capture_output=True)
    logo = tmp_path / "logolink.png"
    Image.new("RGB", (2400, 360), "navy").save(logo)
    database = open_database(db)
    with database.unit_of_work() as session:
        project_id = session.scalars(select(Project.id)).one()
        project_service.set_logo(session, project_id, logo)
    database.dispose()
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from apk_desktop.app import build_main_window\n"
        f"window = build_main_window({db!r})\n"
        "window.show()\n"
        "heavy = ('reportlab', 'pypdf', 'PIL', 'numpy', 'pypdfium2', 'zxingcpp', 'pyphen')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    assert run.stdout.strip().splitlines()[-1] == "[]"
