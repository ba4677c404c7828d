"""Retention: last N + weekly + monthly; the newest (by sequence) always stays."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from apk_desktop.backup.retention import Dated, RetentionPolicy, to_delete, to_keep


def daily(days: int, start: datetime = datetime(2024, 1, 1, 18, 0)) -> list[Dated]:
    return [Dated(f"b{i:04d}", start + timedelta(days=i), i + 1) for i in range(days)]


def test_last_weekly_monthly() -> None:
    items = daily(400)
    keep = to_keep(items, RetentionPolicy(keep_last=10, keep_weekly=8, keep_monthly=None))
    newest_ten = {d.name for d in items[-10:]}
    assert newest_ten <= keep
    months = {(d.created_at.year, d.created_at.month) for d in items}
    kept_months = {(d.created_at.year, d.created_at.month) for d in items if d.name in keep}
    assert kept_months == months  # one per month for the whole lifetime
    weeks = sorted({d.created_at.isocalendar()[:2] for d in items})[-8:]
    kept_weeks = {d.created_at.isocalendar()[:2] for d in items if d.name in keep}
    assert set(weeks) <= kept_weeks
    assert len(keep) < 10 + 8 + 14 + 1


def test_limits_and_no_monthly() -> None:
    items = daily(100)
    keep = to_keep(items, RetentionPolicy(keep_last=3, keep_weekly=0, keep_monthly=0))
    assert keep == {"b0097", "b0098", "b0099"}
    keep = to_keep(items, RetentionPolicy(keep_last=1, keep_weekly=0, keep_monthly=2))
    assert keep == {"b0099", "b0090"}  # newest; newest of March (this) and of February


def test_newest_survives_a_clock_set_back() -> None:
    items = daily(30)
    # The clock was set back two years; the newest backup carries the oldest date.
    newest = Dated("after-clock-change", datetime(2022, 1, 1, 9, 0), 999)
    keep = to_keep([*items, newest], RetentionPolicy(keep_last=1, keep_weekly=0, keep_monthly=0))
    assert keep == {"after-clock-change"}
    deleted = to_delete(
        [*items, newest], RetentionPolicy(keep_last=0, keep_weekly=0, keep_monthly=0)
    )
    assert "after-clock-change" not in deleted


def test_empty() -> None:
    assert to_keep([], RetentionPolicy()) == set()


def test_three_years_of_daily_backups() -> None:
    """Daily backups over 3 years: the last 10, one per week for 8 weeks, one per month for
    the whole project — and nothing else."""
    items = daily(3 * 365 + 1)
    policy = RetentionPolicy(keep_last=10, keep_weekly=8, keep_monthly=None)
    keep = to_keep(items, policy)
    by_name = {d.name: d for d in items}
    newest_ten = {d.name for d in items[-10:]}
    weekly = {}  # newest backup of each ISO week
    monthly = {}  # newest backup of each month
    for d in items:
        weekly[d.created_at.isocalendar()[:2]] = d.name
        monthly[(d.created_at.year, d.created_at.month)] = d.name
    last_8_weeks = {weekly[w] for w in sorted(weekly)[-8:]}
    every_month = set(monthly.values())
    assert len(every_month) == 36  # 1.1.2024 … 31.12.2026
    assert keep == newest_ten | last_8_weeks | every_month
    assert items[-1].name in keep
    assert to_delete(items, policy) == sorted(set(by_name) - keep)
    # Month after month the newest of each month survives, so the oldest months stay covered.
    assert monthly[(2024, 1)] in keep


def test_the_only_verified_backup_is_never_deleted() -> None:
    items = daily(60)
    # Only an old backup passed its verification; every later one failed (e.g. bit rot on
    # the share). The one good backup must stay whatever the policy says.
    good = items[5]
    marked = [Dated(d.name, d.created_at, d.sequence, verified=d is good) for d in items]
    for policy in (RetentionPolicy(1, 0, 0), RetentionPolicy(10, 8, None), RetentionPolicy()):
        keep = to_keep(marked, policy)
        assert good.name in keep
        assert marked[-1].name in keep  # and the newest, as always
        assert good.name not in to_delete(marked, policy)


def test_days_keep_every_young_backup_and_the_newest_few() -> None:
    """Safety backups before a restore: every one younger than 30 days, and the 3 newest even
    when they are older (an app not restored for months)."""
    policy = RetentionPolicy(keep_last=3, keep_weekly=0, keep_monthly=0, keep_days=30)
    items = daily(100)  # b0000 … b0099, one a day
    now = items[-1].created_at + timedelta(hours=1)
    keep = to_keep(items, policy, now)
    assert keep == {d.name for d in items[-30:]}  # made within the last 30 days
    months_later = now + timedelta(days=365)
    assert to_keep(items, policy, months_later) == {"b0097", "b0098", "b0099"}
    four_in_a_row = items[:4]
    assert to_delete(four_in_a_row, policy, four_in_a_row[-1].created_at) == []
    with pytest.raises(ValueError, match="needs now"):
        to_keep(items, policy)


def test_days_are_kept_up_to_the_exact_moment() -> None:
    items = daily(10)
    now = items[-1].created_at
    one_day = RetentionPolicy(keep_last=1, keep_weekly=0, keep_monthly=0, keep_days=1)
    assert to_keep(items, one_day, now) == {"b0008", "b0009"}  # b0008: exactly a day old
    two_days = RetentionPolicy(keep_last=1, keep_weekly=0, keep_monthly=0, keep_days=2)
    assert to_keep(items, two_days, now) == {"b0007", "b0008", "b0009"}


def test_nothing_verified_keeps_the_policy() -> None:
    items = [Dated(d.name, d.created_at, d.sequence, verified=False) for d in daily(5)]
    assert to_keep(items, RetentionPolicy(keep_last=2, keep_weekly=0, keep_monthly=0)) == {
        "b0003",
        "b0004",
    }
