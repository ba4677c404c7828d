"""A server database's URL: its password never reaches the status bar, a message or the log."""

from __future__ import annotations

from pathlib import Path

import pytest

from apk_desktop.__main__ import main
from apk_desktop.db.database import Database

PASSWORD = "Tajne-heslo9"


def test_the_status_bar_name_hides_the_password() -> None:
    db = Database(f"postgresql+psycopg://mentor:{PASSWORD}@db.mesto.cz:5433/apk")
    try:
        assert db.display_name == "postgresql+psycopg://mentor:***@db.mesto.cz:5433/apk"
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (f"postgresql+psycopg://mentor:{PASSWORD}@127.0.0.1:1/apk", "se nepodařilo otevřít"),
        (f"postgresql+psycopg://mentor:{PASSWORD}@server:port/apk", "není platná"),
        (f"postgresql+psycopg://mentor:{PASSWORD}@127.0.0.1/apk?bogus=1", "nepodařilo otevřít"),
        (f"foo://mentor:{PASSWORD}@server/apk", "typ databáze aplikace nezná"),
    ],
    ids=["server-down", "bad-port", "bad-option", "unknown-kind"],
)
def test_a_failed_open_never_shows_or_logs_the_password(
    url: str, said: str, isolated_folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", url, "init", "--template", "sokolov"]) == 1
    err = capsys.readouterr().err
    assert said in err and "***" in err
    log = (isolated_folders / "logs" / "apk-desktop.log").read_text(encoding="utf-8")
    assert PASSWORD not in err + log
