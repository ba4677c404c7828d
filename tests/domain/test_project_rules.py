from __future__ import annotations

from datetime import date

from apk_desktop.domain.project import status_day


def test_status_day_stays_inside_the_project_period() -> None:
    start, end = date(2023, 4, 1), date(2026, 3, 31)
    assert status_day(date(2025, 6, 1), start, end) == date(2025, 6, 1)
    assert status_day(date(2026, 11, 25), start, end) == end
    assert status_day(date(2023, 1, 1), start, end) == start
