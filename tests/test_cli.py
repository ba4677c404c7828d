from __future__ import annotations

import re

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


def test_version_is_printed_with_exit_code_0(capsys: pytest.CaptureFixture[str]) -> None:
    from apk_desktop import __main__, __version__

    with pytest.raises(SystemExit) as done:
        __main__.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"APK Desktop {__version__}\n"


def test_help_names_the_version_option_in_czech(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse(["--help"])
    assert re.search(r"--version +zobrazí verzi aplikace a skončí", capsys.readouterr().out)
