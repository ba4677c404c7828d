from __future__ import annotations

import pytest

from apk_desktop import cli


def test_usage_errors_are_czech_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as missing:
        cli.parse(["restore"])
    err = capsys.readouterr().err
    assert missing.value.code == 2
    assert "použití: apk-desktop restore" in err
    assert "chyba: chybí povinný argument: SOUBOR" in err

    with pytest.raises(SystemExit) as unknown:
        cli.parse(["--bogus"])
    assert unknown.value.code == 2
    assert "neznámé argumenty: --bogus" in capsys.readouterr().err


def test_help_is_czech(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse(["backup", "--help"])
    out = capsys.readouterr().out
    assert "použití:" in out and "volby:" in out and "usage" not in out
