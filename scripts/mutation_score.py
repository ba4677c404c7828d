"""Killed share of mutants per module, from ``mutmut results --all true`` on stdin.

"run" counts the mutants mutmut actually ran; "no tests" are mutants of code that no test in
the test process reaches (Windows-only code, code run only in subprocesses of the kill and
full-disk tests), "not checked" ones a run stopped before reaching."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout", "segfault"}  # the tests noticed the mutant
NOT_RUN = {"no tests", "not checked", "skipped"}


def main() -> int:
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.split(".x_", 1)[0].split(".xǁ", 1)[0]
        per_module[module][status] += 1
    total: Counter[str] = Counter()
    print(f"{'module':38} {'killed/run':>12} {'share':>7}  not run")
    for module in sorted(per_module):
        counts = per_module[module]
        total += counts
        print(_line(module, counts))
    print(_line("TOTAL", total))
    return 0


def _line(label: str, counts: Counter[str]) -> str:
    killed = sum(counts[s] for s in KILLED)
    run = sum(n for s, n in counts.items() if s not in NOT_RUN)
    share = f"{100 * killed / run:5.1f} %" if run else "    – "
    others = ", ".join(f"{s} {counts[s]}" for s in sorted(NOT_RUN) if counts[s])
    return f"{label:38} {killed:>5}/{run:<6} {share}  {others}"


if __name__ == "__main__":
    sys.exit(main())
