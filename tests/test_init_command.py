"""``apk-desktop init``: a project in an empty database without the window."""

from __future__ import annotations

import pytest

from apk_desktop.__main__ import main
from apk_desktop.db.open import open_database
from apk_desktop.db.seed import current_project
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services.assessments import count_assessments
from apk_desktop.db.services.sessions import count_sessions
from apk_desktop.db.services.setup import project_count
from tests.backends import TestDatabases


def _read(url: str) -> tuple[int, project_service.ProjectInfo, int, int]:
    db = open_database(url)
    try:
        with db.unit_of_work() as session:
            info = project_service.get_project_info(session, current_project(session).id)
            return (
                project_count(session),
                info,
                count_sessions(session, info.id),
                count_assessments(session, info.id),
            )
    finally:
        db.dispose()


def test_init_template_then_refuses_a_second_time(
    databases: TestDatabases, capsys: pytest.CaptureFixture[str]
) -> None:
    path = databases.empty("mesto")
    assert main(["--db", path, "init", "--template", "sokolov"]) == 0
    out = capsys.readouterr().out
    assert "Projekt založen: „Asistenti prevence kriminality Sokolov“" in out
    count, info, *_ = _read(path)
    assert count == 1 and not info.is_demo
    assert info.registration_number == "CZ.03.02.01/00/22_018/0000388"
    assert len(info.areas) == 5 and len(info.key_activities) == 5 and info.position_count == 9

    for option in (["--template", "sokolov"], ["--demo"]):
        assert main(["--db", path, "init", *option]) == 1
        err = capsys.readouterr().err
        assert "Chyba: Databáze už obsahuje projekt „Asistenti prevence kriminality Sokolov“" in err
        assert "Traceback" not in err
    assert _read(path)[:3] == (1, info, 0)  # untouched


def test_init_demo_through_the_environment(
    databases: TestDatabases, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = databases.empty("ukazka")
    monkeypatch.setenv("APK_DESKTOP_DB", path)
    assert main(["init", "--demo"]) == 0
    assert "Ukázková data založena" in capsys.readouterr().out
    count, info, sessions, assessments = _read(path)
    assert count == 1 and info.is_demo and "UKÁZKA" in info.name
    assert sessions > 40 and assessments > 20


def test_init_needs_a_way_in(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["init"])
    assert caught.value.code == 2
    assert "chyba:" in capsys.readouterr().err
