"""``grant-access`` and friends on a SQLite file: there are no server roles to grant to."""

from __future__ import annotations

import pytest

from apk_desktop.__main__ import main
from tests.backends import TestDatabases


@pytest.mark.sqlite_only("a SQLite file has no roles")
@pytest.mark.parametrize(
    "command",
    [["grant-access", "mentor", "--project", "1"], ["revoke-access", "mentor"], ["list-access"]],
)
def test_access_commands_explain_they_are_for_a_server(
    databases: TestDatabases, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(["--db", databases.seeded(), *command]) == 1
    err = capsys.readouterr().err
    assert "jen v databázi na serveru PostgreSQL" in err and "Traceback" not in err
