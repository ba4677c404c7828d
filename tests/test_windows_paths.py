"""Windows-only paths, checked on any system by simulating Windows: the data folder the system
gives the app, and the drives and shares where a live SQLite database is unsafe."""

from __future__ import annotations

import ctypes
from pathlib import Path, PureWindowsPath

import platformdirs.windows
import pytest

from apk_desktop import paths

LOCAL = r"C:\Users\jana\AppData\Local"
ROAMING = r"C:\Users\jana\AppData\Roaming"


def test_the_data_folder_on_windows_is_local_not_roaming(monkeypatch: pytest.MonkeyPatch) -> None:
    known = {"CSIDL_LOCAL_APPDATA": LOCAL, "CSIDL_APPDATA": ROAMING}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", known.__getitem__)
    folder = PureWindowsPath(paths.system_data_dir(platformdirs.windows.Windows))
    assert folder == PureWindowsPath(LOCAL, "APK Desktop")


def test_the_override_wins_over_the_system_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    assert paths.base_data_dir() == tmp_path / "data"
    assert (tmp_path / "data").is_dir()


class Drives:
    """GetDriveTypeW as a test sets it: ``kinds`` by root folder, a fixed disk (3) otherwise."""

    def __init__(self, kinds: dict[str, int] | None = None) -> None:
        self.kinds = kinds or {}
        self.asked: list[str] = []

    def __call__(self, root: str) -> int:
        self.asked.append(root)
        return self.kinds.get(root, 3)

    def unsafe(self, text: str) -> bool:
        return paths.looks_synced_or_remote(PureWindowsPath(text), drive_type=self)


@pytest.mark.parametrize(
    ("kind", "unsafe"),
    [(0, False), (1, False), (2, True), (3, False), (4, True), (5, False), (6, False)],
)
def test_only_removable_and_network_drives_count(kind: int, unsafe: bool) -> None:
    """GetDriveTypeW: 0 unknown, 1 no root folder, 2 removable, 3 fixed, 4 remote (a mapped
    network drive), 5 CD-ROM, 6 RAM disk."""
    assert Drives({"D:\\": kind}).unsafe("D:/APK/apk-desktop.sqlite3") is unsafe


def test_device_paths_and_drive_relative_paths_ask_about_their_drive() -> None:
    drives = Drives({"Z:\\": paths.DRIVE_REMOTE})
    assert drives.unsafe("\\\\.\\Z:\\APK\\db")
    assert not drives.unsafe("\\\\.\\C:\\APK\\db")
    assert not drives.unsafe("//?/C:/Users/jana/AppData/Local/APK/db")
    assert drives.unsafe("z:APK\\db")  # relative to drive Z's current folder
    assert drives.asked == ["Z:\\", "C:\\", "C:\\", "Z:\\"]


@pytest.mark.parametrize(
    "text",
    [
        "\\\\?\\unc\\server\\share\\APK\\db",
        "\\\\.\\UNC\\server\\share\\APK\\db",
        "\\\\server.mesto.local\\apk$\\db",
        "C:\\Users\\jana\\OneDrive - Město Sokolov\\APK\\db",
        "D:\\Dropbox\\APK\\db",
    ],
)
def test_shares_and_synced_folders_are_known_by_name(text: str) -> None:
    drives = Drives()
    assert drives.unsafe(text)
    assert drives.asked == []


def test_a_path_without_a_drive_asks_nothing() -> None:
    drives = Drives()
    assert not drives.unsafe("APK\\apk-desktop.sqlite3")
    assert not drives.unsafe("\\APK\\apk-desktop.sqlite3")
    assert drives.asked == []


def test_without_the_windows_api_a_drive_is_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(ctypes, "windll", raising=False)
    assert not paths.looks_synced_or_remote(PureWindowsPath("Z:/APK/apk-desktop.sqlite3"))
