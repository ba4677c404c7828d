"""The exact Czech texts of the backup commands and errors: help, prompts, results."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.backup import settings, state
from apk_desktop.backup.cli_commands import EXIT_FAILED, EXIT_OK
from apk_desktop.backup.errors import (
    BackupCancelled,
    RestoreRefused,
    is_sqlite_storage_error,
    storage_error,
)
from apk_desktop.backup.evidence_paths import check_evidence_paths
from apk_desktop.backup.service import list_backups
from tests.backup.conftest import Live

KEPT = " Vaše data v aplikaci zůstala beze změny."


@pytest.mark.parametrize(
    ("command", "texts"),
    [
        ("backup", ["--to SLOŽKA", "cílová složka (výchozí: složka nastavená v aplikaci)",
                    "zálohovat jen tehdy, když se data od poslední zálohy změnila"]),
        ("restore", ["SOUBOR", "soubor zálohy (.zip)", "neptat se na potvrzení"]),
        ("verify", ["SOUBOR", "soubor zálohy (.zip)"]),
    ],
)  # fmt: skip
def test_help_in_czech(command: str, texts: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long lines
    for text in texts:
        assert text in out


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (errno.ENOSPC, "Na disku se složkou „X“ není dost místa. Uvolněte místo nebo zvolte "
                       "jinou složku."),
        (errno.EACCES, "Do složky „X“ nemáte oprávnění zapisovat nebo z ní číst. Požádejte "
                       "správce IT o oprávnění ke změně obsahu složky."),
        (errno.EROFS, "Do složky „X“ nemáte oprávnění"),
        (errno.ENOENT, "Složka „X“ není dostupná – chybí, nebo je síťové umístění odpojené. "
                       "Zkontrolujte připojení k síti a nastavení složky záloh."),
        (errno.EHOSTDOWN, "Složka „X“ není dostupná"),
        (errno.EIO, "Se složkou „X“ se přerušilo spojení nebo do ní nelze zapsat "
                    "(Input/output error)."),
    ],
)  # fmt: skip
def test_storage_error_texts(code: int, text: str) -> None:
    exc = OSError(code, "Input/output error" if code == errno.EIO else "x")
    error = storage_error(exc, "X")
    assert error.message.startswith(text) and error.message.endswith(KEPT)
    assert error.details == str(exc)


def test_storage_error_by_exception_type() -> None:
    assert "nemáte oprávnění" in storage_error(PermissionError("denied"), "X").message
    assert "není dostupná" in storage_error(FileNotFoundError("gone"), "X").message
    assert "není dostupná" in storage_error(NotADirectoryError("file"), "X").message
    assert "přerušilo spojení" in storage_error(OSError("odd"), "X").message


@pytest.mark.parametrize("answer", ["a", "A", " ano ", "Ano", "y", "YES"])
def test_restore_accepts_a_yes(
    live: Live, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], answer: str
) -> None:
    main(["--db", str(live.db_path), "backup", "--to", str(live.share)])
    path = list_backups(live.share)[0].path
    prompts: list[str] = []

    def reply(prompt: str) -> str:
        prompts.append(prompt)
        return answer

    monkeypatch.setattr("builtins.input", reply)
    live.db.dispose()
    capsys.readouterr()
    assert main(["--db", str(live.db_path), "restore", str(path)]) == EXIT_OK
    assert prompts == [
        "Obnovit data z této zálohy? Současná data se nejdřív uloží do zálohy před obnovou. [a/N] "
    ]
    lines = capsys.readouterr().out.splitlines()
    assert "Data byla obnovena ze zálohy." in lines


@pytest.mark.parametrize("answer", ["n", "", "ne", "x", None])
def test_restore_stops_at_anything_else(
    live: Live, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], answer: str
) -> None:
    main(["--db", str(live.db_path), "backup", "--to", str(live.share)])
    path = list_backups(live.share)[0].path

    def reply(_prompt: str) -> str:
        if answer is None:
            raise EOFError  # no terminal (Task Scheduler without --yes)
        return answer

    monkeypatch.setattr("builtins.input", reply)
    assert main(["--db", str(live.db_path), "restore", str(path)]) == EXIT_FAILED
    assert capsys.readouterr().err.splitlines() == ["Obnova zrušena, data se nezměnila."]


def test_backup_messages(live: Live, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):  # without --if-changed every run makes a backup
        assert main(["--db", str(live.db_path), "backup", "--to", str(live.share)]) == EXIT_OK
    assert len(list_backups(live.share)) == 2
    capsys.readouterr()
    args = ["--db", str(live.db_path), "backup", "--to", str(live.share), "--if-changed"]
    settings.save(settings.BackupSettings(folder=str(live.share)))
    state.save(state.BackupState())
    assert main(args) == EXIT_OK
    assert main(args) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "Data se od poslední zálohy nezměnila; nová záloha není potřeba."


def delete(db: Path, where: str) -> None:
    connection = sqlite3.connect(db)
    with connection:
        connection.execute(f"DELETE FROM evidence_file WHERE {where}")
    connection.close()


def test_bad_scan_paths_are_listed_up_to_ten(tmp_path: Path) -> None:
    db = tmp_path / "restored.sqlite3"
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("CREATE TABLE evidence_file (id INTEGER PRIMARY KEY, relative_path)")
        connection.executemany(
            "INSERT INTO evidence_file VALUES (?, ?)",
            [(1, "2025/ok.pdf"), *((i, f"../../x{i}") for i in range(2, 14))],
        )
    connection.close()
    with pytest.raises(RestoreRefused) as caught:
        check_evidence_paths(db)
    lines = caught.value.message.splitlines()
    assert lines[0] == (
        "Zálohu nelze obnovit: databáze v ní obsahuje neplatné cesty ke skenům, které vedou "
        "mimo složku skenů (záloha je poškozená nebo upravená):"
    )
    assert [line.split(":")[0] for line in lines[1:11]] == [f"sken č. {i}" for i in range(2, 12)]
    assert "„../../x2“" in lines[1]
    assert lines[11:] == ["… a dalších 2", "Vaše současná data zůstala beze změny."]
    delete(db, "id > 11")
    with pytest.raises(RestoreRefused) as ten:
        check_evidence_paths(db)
    assert ten.value.message.splitlines()[11:] == ["Vaše současná data zůstala beze změny."]
    delete(db, "id > 1")
    check_evidence_paths(db)  # only good paths: fine


def sqlite_failure(tmp_path: Path, what: str) -> sqlite3.Error:
    """A real error from SQLite itself."""
    try:
        if what == "cannot-open":
            sqlite3.connect(tmp_path).execute("SELECT 1")  # a folder, not a file
        elif what == "read-only":
            db = tmp_path / "ro.sqlite3"
            sqlite3.connect(db).close()
            connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
            try:
                connection.execute("CREATE TABLE t (x)")
            finally:
                connection.close()
        else:
            connection = sqlite3.connect(":memory:")
            try:
                connection.execute("SELEKT 1")
            finally:
                connection.close()
    except sqlite3.Error as exc:
        return exc
    raise AssertionError("SQLite did not fail")


def test_sqlite_errors_of_the_disk_are_told_apart(tmp_path: Path) -> None:
    assert is_sqlite_storage_error(sqlite_failure(tmp_path, "cannot-open"))
    assert is_sqlite_storage_error(sqlite_failure(tmp_path, "read-only"))
    assert not is_sqlite_storage_error(sqlite_failure(tmp_path, "syntax"))
    assert not is_sqlite_storage_error(OSError(errno.ENOSPC, "full"))  # not from SQLite


def test_a_cancelled_operation_says_nothing_changed() -> None:
    assert BackupCancelled().message == (
        "Operace byla zrušena. Data ani dřívější zálohy se nezměnily."
    )
