"""``apk-desktop backup | restore | verify``: messages and exit codes for Task Scheduler/cron."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.backup import settings
from apk_desktop.backup.cli_commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED
from apk_desktop.backup.service import list_backups
from tests.backup.conftest import Live, dump


def test_backup_verify_restore(live: Live, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(live.db_path), "backup", "--to", str(live.share)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Záloha vytvořena a ověřena" in out
    path = list_backups(live.share)[0].path
    assert main(["verify", str(path)]) == EXIT_OK
    assert "Záloha je v pořádku" in capsys.readouterr().out
    rows = dump(live.db_path)
    connection = sqlite3.connect(live.db_path)
    with connection:
        connection.execute("DELETE FROM zz_extra")
    connection.close()
    live.db.dispose()
    assert main(["--db", str(live.db_path), "restore", str(path), "--yes"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Data byla obnovena" in out and "asistenti: 20" in out
    assert dump(live.db_path) == rows


def test_backup_uses_the_configured_folder(live: Live, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(live.db_path), "backup"]) == EXIT_FAILED
    assert "není nastavena" in capsys.readouterr().err
    settings.save(settings.BackupSettings(folder=str(live.share)))
    assert main(["--db", str(live.db_path), "backup", "--if-changed"]) == EXIT_OK
    assert main(["--db", str(live.db_path), "backup", "--if-changed"]) == EXIT_OK
    assert "nezměnila" in capsys.readouterr().out
    assert len(list_backups(live.share)) == 1


def test_failures_have_czech_messages_and_codes(
    live: Live, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "offline" / "apk"
    assert main(["--db", str(live.db_path), "backup", "--to", str(missing)]) == EXIT_FAILED
    assert "není dostupná" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "nothing.zip")]) == EXIT_FAILED
    assert "neexistuje" in capsys.readouterr().err
    main(["--db", str(live.db_path), "backup", "--to", str(live.share)])
    path = list_backups(live.share)[0].path
    data = path.read_bytes()
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data[: len(data) - 100])
    assert main(["verify", str(damaged)]) == EXIT_VERIFY_FAILED
    assert "poškozená" in capsys.readouterr().err
    assert main(["--db", str(live.db_path), "restore", str(damaged), "--yes"]) == (
        EXIT_VERIFY_FAILED
    )
    with pytest.raises(SystemExit) as usage:
        main(["restore"])
    assert usage.value.code == EXIT_USAGE


def test_restore_asks_first(
    live: Live, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--db", str(live.db_path), "backup", "--to", str(live.share)])
    path = list_backups(live.share)[0].path
    rows = dump(live.db_path)
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    assert main(["--db", str(live.db_path), "restore", str(path)]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert "Vytvořeno:" in captured.out and "zrušena" in captured.err
    assert dump(live.db_path) == rows
