"""Which backups to keep: the last N, every one younger than D days, one per week for W weeks,
one per month for M months (None = every month, for the project's lifetime). A pure function,
easy to test.

"Newest" is decided by the sequence number in the file name, not by the clock: if the PC's
clock is set back, the newest backup may carry an older date, and it must still be kept.
The newest backup known to be good (``verified``) is kept too, whatever the policy says: if
later ones turned out damaged, it may be the only one that can still be restored.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetentionPolicy:
    keep_last: int = 10
    keep_weekly: int = 8
    keep_monthly: int | None = None  # None: one per month, without limit; 0: none
    keep_days: int = 0  # every backup made within this many days before ``now``


@dataclass(frozen=True)
class Dated:
    name: str
    created_at: datetime
    sequence: int
    verified: bool = True  # False: its last verification failed


def _per_bucket(
    items: Sequence[Dated], key: Callable[[datetime], Hashable], limit: int | None
) -> set[str]:
    newest_in_bucket: dict[Hashable, Dated] = {}
    for item in items:
        bucket = key(item.created_at)
        current = newest_in_bucket.get(bucket)
        if current is None or item.sequence > current.sequence:
            newest_in_bucket[bucket] = item
    chosen = sorted(newest_in_bucket.values(), key=lambda d: d.sequence, reverse=True)
    if limit is not None:
        chosen = chosen[:limit]
    return {d.name for d in chosen}


def to_keep(
    items: Sequence[Dated], policy: RetentionPolicy, now: datetime | None = None
) -> set[str]:
    """The names to keep. ``now`` (the same kind of clock time as ``created_at``) is needed
    when the policy keeps days; a backup dated after ``now`` (clock set back) is young."""
    if not items:
        return set()
    ordered = sorted(items, key=lambda d: d.sequence, reverse=True)
    keep = {d.name for d in ordered[: max(policy.keep_last, 1)]}  # the newest always stays
    if policy.keep_days > 0:
        if now is None:
            raise ValueError("a policy that keeps days needs now")
        since = now - timedelta(days=policy.keep_days)
        keep |= {d.name for d in ordered if d.created_at >= since}
    newest_good = next((d for d in ordered if d.verified), None)
    if newest_good is not None:
        keep.add(newest_good.name)
    if policy.keep_weekly > 0:
        keep |= _per_bucket(ordered, lambda t: t.isocalendar()[:2], policy.keep_weekly)
    if policy.keep_monthly != 0:
        keep |= _per_bucket(ordered, lambda t: (t.year, t.month), policy.keep_monthly)
    return keep


def to_delete(
    items: Sequence[Dated], policy: RetentionPolicy, now: datetime | None = None
) -> list[str]:
    keep = to_keep(items, policy, now)
    return sorted(d.name for d in items if d.name not in keep)
