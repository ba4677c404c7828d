"""The Windows installer (packaging/windows/apk-desktop.iss) and the app agree on folders,
checked by simulating Windows (Inno Setup cannot run here): the app is installed in the user's
own folder (no administrator), the data folder lies outside it, and the uninstaller's message
names the folder the app really uses, which it leaves in place."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

import platformdirs.windows
import pytest

from apk_desktop import paths

ISS = Path(__file__).resolve().parent.parent / "packaging" / "windows" / "apk-desktop.iss"
LOCAL = r"C:\Users\jana\AppData\Local"
ROAMING = r"C:\Users\jana\AppData\Roaming"
# Inno Setup's constants in a per-user install (PrivilegesRequired=lowest).
INNO_CONSTANTS = {"{userpf}": LOCAL + r"\Programs", "{localappdata}": LOCAL}


def _resolve(value: str, iss: str) -> PureWindowsPath:
    app_name = re.search(r'^#define AppName "(.+)"$', iss, re.MULTILINE)
    assert app_name is not None
    for constant, folder in INNO_CONSTANTS.items():
        value = value.replace(constant, folder)
    return PureWindowsPath(value.replace("{#AppName}", app_name[1]))


def test_the_installer_needs_no_administrator_and_keeps_the_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    known = {"CSIDL_LOCAL_APPDATA": LOCAL, "CSIDL_APPDATA": ROAMING}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", known.__getitem__)
    data_folder = PureWindowsPath(paths.system_data_dir(platformdirs.windows.Windows))
    iss = ISS.read_text(encoding="utf-8-sig")
    setting = dict(re.findall(r"^(\w+)=(.*)$", iss, re.MULTILINE))

    assert setting["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setting  # no offer to elevate
    app_folder = _resolve(setting["DefaultDirName"], iss)
    assert app_folder.is_relative_to(LOCAL)  # the user's own folder
    assert not data_folder.is_relative_to(app_folder)
    assert not app_folder.is_relative_to(data_folder)
    assert "[UninstallDelete]" not in iss
    said = re.findall(r"\{localappdata\}\\[^\s']+", iss)
    assert said
    assert {_resolve(text.rstrip(";."), iss) for text in said} == {data_folder}
