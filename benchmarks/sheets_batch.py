"""Speed of the attendance sheets: one sheet after the first (target < 50 ms) and a batch of
100 sheets combined into one PDF (target < 2 s). Run: ``uv run python benchmarks/sheets_batch.py``.
"""

from __future__ import annotations

import statistics
import time as clock
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

from apk_desktop.sheets.attendance import (
    AttendanceSheetData,
    attendance_story,
    build_attendance_sheet,
)
from apk_desktop.sheets.base import SheetHeader, SheetInfo, build_sheets
from apk_desktop.sheets.supervision import SUPERVISION, RecordSheetData, build_record_sheet

HEADER = SheetHeader(
    "město Sokolov, Městská policie Sokolov",
    "Asistenti prevence kriminality Sokolov",
    "CZ.03.02.01/00/22_018/0000388",
)
SHEET = AttendanceSheetData(
    header=HEADER,
    sheet_id="PL-1",
    activity_code="KA04",
    activity_name="Vzdělávání a supervize APK",
    topic="Deeskalace konfliktů v SVL",
    areas=("Komunikační dovednosti", "Mediační dovednosti"),
    form="prezenčně",
    day=date(2025, 3, 12),
    start=time(9, 0),
    end=time(12, 0),
    hours=Decimal(4),
    hours_unit="teaching",
    place="Služebna MP Sokolov",
    lecturers=("Mgr. Alena Šťastná",),
    mentor="Bc. Pavel Mentor",
    participants=tuple((f"Účastník Příjmení {i}", f"APK – pozice {i}") for i in range(1, 10)),
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    started = clock.perf_counter()
    build_attendance_sheet(SHEET)
    first = clock.perf_counter() - started

    times = []
    for i in range(20):
        started = clock.perf_counter()
        build_attendance_sheet(replace(SHEET, sheet_id=f"PL-{i + 2}"))
        times.append(clock.perf_counter() - started)

    record = RecordSheetData(
        SUPERVISION,
        HEADER,
        "SUP-1",
        leader="PhDr. Karel Dohled",
        participants=SHEET.participants,
        topic="Zátěž",
        conclusions="Text.",
    )
    started = clock.perf_counter()
    build_record_sheet(record)
    record_time = clock.perf_counter() - started

    started = clock.perf_counter()
    sheets = [
        (SheetInfo(f"PL-{i}", i), attendance_story(replace(SHEET, sheet_id=f"PL-{i}")))
        for i in range(100)
    ]
    combined = build_sheets(HEADER, sheets, title="Prezenční listiny").pdf
    batch = clock.perf_counter() - started

    print(f"first attendance sheet (fonts loaded): {_ms(first)}")
    print(
        f"attendance sheet after the first: median {_ms(statistics.median(times))}, "
        f"max {_ms(max(times))}  (target < 50 ms)"
    )
    print(f"supervision record: {_ms(record_time)}")
    print(
        f"batch of 100 sheets in one PDF: {batch:.2f} s, {len(combined) / 1024:.0f} KiB"
        "  (target < 2 s)"
    )


if __name__ == "__main__":
    main()
