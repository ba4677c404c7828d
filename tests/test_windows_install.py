"""The Windows installer and the app agree on folders (simulated: Inno Setup and Windows are not
available here): the app folder is the user's own (no administrator), the data folder lies
outside it, so uninstalling leaves the data where the uninstaller says it stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from platformdirs import windows

from apk_desktop import paths

ISS = Path(__file__).resolve().parent.parent / "packaging" / "windows" / "apk-desktop.iss"


def _simulate_windows(monkeypatch: pytest.MonkeyPatch, profile: Path) -> dict[str, Path]:
    """platformdirs as on Windows, with the user's known folders under ``profile``."""
    folders = {
        "CSIDL_LOCAL_APPDATA": profile / "AppData" / "Local",
        "CSIDL_APPDATA": profile / "AppData" / "Roaming",
    }
    monkeypatch.setattr(windows, "get_win_folder", lambda name: str(folders[name]))
    monkeypatch.setattr(
        paths,
        "user_data_path",
        lambda *args, **kwargs: windows.Windows(*args, **kwargs).user_data_path,
    )
    monkeypatch.delenv(paths.DATA_DIR_ENV)
    return folders


def _inno_path(value: str, iss: str, local_appdata: Path) -> Path:
    """Resolve the Inno Setup constants a per-user install uses ({userpf} is
    %LOCALAPPDATA%\\Programs) and the script's own #define."""
    app_name = re.search(r'^#define AppName "(.+)"$', iss, re.MULTILINE)
    assert app_name is not None
    constants = {
        "{userpf}": local_appdata / "Programs",
        "{localappdata}": local_appdata,
    }
    root, _, rest = value.partition("\\")
    return constants[root].joinpath(*rest.replace("{#AppName}", app_name[1]).split("\\"))


def test_data_folder_on_windows_is_local_appdata_apk_desktop(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folders = _simulate_windows(monkeypatch, tmp_path / "mentor")

    assert paths.base_data_dir() == folders["CSIDL_LOCAL_APPDATA"] / "APK Desktop"
    assert paths.base_data_dir().is_dir()


def test_the_installer_needs_no_administrator_and_keeps_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folders = _simulate_windows(monkeypatch, tmp_path / "mentor")
    local_appdata = folders["CSIDL_LOCAL_APPDATA"]
    iss = ISS.read_text(encoding="utf-8-sig")
    setting = dict(re.findall(r"^(\w+)=(.*)$", iss, re.MULTILINE))

    assert setting["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setting  # no offer to elevate
    app_folder = _inno_path(setting["DefaultDirName"], iss, local_appdata)
    data_folder = paths.base_data_dir()
    assert not data_folder.is_relative_to(app_folder)
    assert not app_folder.is_relative_to(data_folder)
    # Nothing in the script deletes the data folder on uninstall, and the goodbye message
    # names the folder the app really uses.
    assert "[UninstallDelete]" not in iss
    said = re.findall(r"\{localappdata\}\\\{#AppName\}", iss)
    assert said
    assert {_inno_path(text, iss, local_appdata) for text in said} == {data_folder}
