from __future__ import annotations

import json
from pathlib import Path

from apk_desktop.backup import settings
from apk_desktop.backup.settings import BackupSettings


def test_defaults_when_missing() -> None:
    loaded = settings.load()
    assert loaded == BackupSettings()
    assert loaded.interval_hours == 24 and loaded.on_close and loaded.include_scans
    assert loaded.keep_last == 10 and loaded.keep_weekly == 8 and loaded.keep_monthly == 0
    assert loaded.policy.keep_monthly is None  # every month for the project's lifetime
    assert not loaded.is_configured


def test_round_trip_is_versioned_and_in_the_data_folder(isolated_folders: Path) -> None:
    wanted = BackupSettings(folder=r"\\server\share\apk", interval_hours=4, keep_last=5)
    settings.save(wanted)
    path = isolated_folders / settings.SETTINGS_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == settings.VERSION
    assert document["backup"]["folder"] == r"\\server\share\apk"
    assert settings.load() == wanted


def test_bad_values_fall_back_to_defaults() -> None:
    path = settings.settings_path()
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "backup": {
                    "folder": "D:/zalohy",
                    "interval_hours": 7,
                    "keep_last": -3,
                    "include_scans": "yes",
                    "unknown": 1,
                },
            }
        ),
        encoding="utf-8",
    )
    loaded = settings.load()
    assert loaded == BackupSettings(folder="D:/zalohy")
    path.write_text("{broken", encoding="utf-8")
    assert settings.load() == BackupSettings()


def test_zero_is_a_valid_count_and_one_bad_value_spoils_nothing_else() -> None:
    path = settings.settings_path()
    backup = {"interval_hours": "daily", "keep_weekly": 0, "keep_last": 3, "folder": "D:/z"}
    path.write_text(json.dumps({"version": 1, "backup": backup}), encoding="utf-8")
    assert settings.load() == BackupSettings(folder="D:/z", keep_last=3, keep_weekly=0)
    path.write_text(json.dumps({"backup": {"keep_last": 4}}), encoding="utf-8")  # no version
    assert settings.load().keep_last == 4


def test_the_file_is_readable_for_people() -> None:
    settings.save(BackupSettings(folder="\\\\server\\zálohy\\APK"))
    text = settings.settings_path().read_text(encoding="utf-8")
    assert '"folder": "\\\\\\\\server\\\\zálohy\\\\APK"' in text  # not \\u00e1
    assert '\n  "backup": {\n    "folder"' in text  # indented by two


def test_the_state_file_is_readable_for_people() -> None:
    from apk_desktop.backup import state

    state.save(state.BackupState(last_error="Složka není dostupná"))
    text = state.state_path().read_text(encoding="utf-8")
    assert '\n  "last_error": "Složka není dostupná",' in text
    assert state.load().last_error == "Složka není dostupná"
