"""Killed share of mutants per module, from ``mutmut results --all true`` on stdin."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout", "segfault"}  # the tests noticed the mutant


def main() -> int:
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.split(".x_", 1)[0].split(".xǁ", 1)[0]
        per_module[module][status] += 1
    total: Counter[str] = Counter()
    for module in sorted(per_module):
        counts = per_module[module]
        total += counts
        print(_line(module, counts))
    print(_line("TOTAL", total))
    return 0


def _line(label: str, counts: Counter[str]) -> str:
    all_ = sum(counts.values())
    killed = sum(counts[s] for s in KILLED)
    share = 100 * killed / all_ if all_ else 0.0
    others = ", ".join(f"{s} {n}" for s, n in sorted(counts.items()) if s not in KILLED)
    return f"{label:45} {killed:5}/{all_:<5} {share:5.1f} %  {others}"


if __name__ == "__main__":
    sys.exit(main())
