"""The backup's Windows-only paths, checked here by simulating Windows: whether the process
that left a temporary file still runs (kernel32 faked), folder fsync, what counts as a full
backup folder path."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest

from apk_desktop.backup import atomic
from apk_desktop.backup.service import folder_problem

SYNCHRONIZE, QUERY_LIMITED_INFORMATION = 0x00100000, 0x1000
WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_FAILED = 0, 0x102, 0xFFFFFFFF
ACCESS_DENIED, INVALID_PARAMETER = 5, 87


class Kernel32:
    """OpenProcess / WaitForSingleObject / CloseHandle of one simulated process table."""

    def __init__(self, *, handle: int, wait: int = WAIT_TIMEOUT, error: int = 0) -> None:
        self.handle, self.wait, self.error = handle, wait, error
        self.opened: list[tuple[int, bool, int]] = []
        self.closed: list[int] = []

    def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
        self.opened.append((access, inherit, pid))
        return self.handle

    def WaitForSingleObject(self, handle: int, timeout: int) -> int:
        assert (handle, timeout) == (self.handle, 0)  # a look, never a wait
        return self.wait

    def CloseHandle(self, handle: int) -> None:
        self.closed.append(handle)


@pytest.fixture
def windows_api(monkeypatch: pytest.MonkeyPatch) -> Kernel32:
    kernel32 = Kernel32(handle=0)

    def load(name: str, *, use_last_error: bool) -> Kernel32:
        assert (name, use_last_error) == ("kernel32", True)
        return kernel32

    monkeypatch.setattr(ctypes, "WinDLL", load, raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: kernel32.error, raising=False)
    return kernel32


@pytest.mark.parametrize(
    ("handle", "wait", "error", "alive"),
    [
        (44, WAIT_TIMEOUT, 0, True),  # running: the wait times out
        (44, WAIT_OBJECT_0, 0, False),  # ended, its handle still held by someone
        (44, WAIT_FAILED, 0, True),  # unsure: its files wait until they are stale
        (0, 0, ACCESS_DENIED, True),  # another user's process
        (0, 0, INVALID_PARAMETER, False),  # no such process
    ],
)
def test_a_process_on_windows_is_alive_while_it_runs(
    windows_api: Kernel32, handle: int, wait: int, error: int, alive: bool
) -> None:
    windows_api.handle, windows_api.wait, windows_api.error = handle, wait, error
    pid = os.getpid() + 1
    assert atomic.process_alive(pid, windows=True) is alive
    assert windows_api.opened == [(SYNCHRONIZE | QUERY_LIMITED_INFORMATION, False, pid)]
    assert windows_api.closed == ([handle] if handle else [])


def test_this_process_is_alive_without_asking(windows_api: Kernel32) -> None:
    assert atomic.process_alive(os.getpid(), windows=True)
    assert windows_api.opened == []


def test_folders_are_fsynced_on_posix_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    monkeypatch.setattr(atomic.os, "fsync", synced.append)
    atomic.fsync_folder(tmp_path, windows=True)
    assert synced == []
    atomic.fsync_folder(tmp_path, windows=False)
    assert len(synced) == 1


@pytest.mark.parametrize(
    "folder",
    [
        r"D:\Zalohy\APK",
        r"\\server\sdilene\apk",
        r"\\server.mesto.local\apk$",
        "//server/sdilene/apk",
        r"\\?\D:\Zalohy",
        r"\\?\UNC\server\sdilene\apk",
        "e:/zalohy",
    ],
)
def test_full_windows_paths_are_backup_folders(folder: str) -> None:
    assert folder_problem(folder, windows=True) is None


@pytest.mark.parametrize(
    "folder", ["Zalohy", r"Zalohy\APK", r"\Zalohy", "D:", "D:Zalohy", r"\\server", "/mnt/zalohy"]
)
def test_partial_windows_paths_are_refused_with_a_windows_example(folder: str) -> None:
    problem = folder_problem(folder, windows=True)
    assert problem is not None and "není úplná" in problem
    assert r"D:\Zalohy\APK nebo \\server\sdilene\apk" in problem


def test_a_windows_share_on_linux_asks_for_a_mount() -> None:
    problem = folder_problem(r"\\server\sdilene\apk", windows=False)
    assert problem is not None and "Připojte sdílenou složku" in problem
    relative = folder_problem("zalohy", windows=False)
    assert relative is not None and "/mnt/zalohy/apk" in relative
    assert folder_problem("/mnt/zalohy/apk", windows=False) is None
    assert folder_problem(r"D:\Zalohy", windows=False) is not None
