"""Every sheet id printed reads back into what it prints (``apk-desktop print``, scans)."""

from __future__ import annotations

from datetime import date

import pytest

from apk_desktop.domain.sheet_refs import (
    BlankSheetRef,
    PlanSheetRef,
    ProgressSheetRef,
    RecordKind,
    SessionSheetRef,
    blank_sheet_id,
    format_ref,
    parse_sheet_ref,
    progress_sheet_id,
    record_of,
)

REFS = {
    "PL-12": SessionSheetRef("PL", 12),
    "SUP-3": SessionSheetRef("SUP", 3),
    "MEN-7": SessionSheetRef("MEN", 7),
    "SUP-3-D": SessionSheetRef("SUP", 3, annex=True),
    "IDP-2-v1": PlanSheetRef(2, 1),
    "PL-BLANK-2026-03-02": BlankSheetRef("PL", date(2026, 3, 2)),
    "SUP-BLANK-BEZ-DATA": BlankSheetRef("SUP", None),
    "MEN-BLANK-2025-06-03": BlankSheetRef("MEN", date(2025, 6, 3)),
    "POK-A5-20260301": ProgressSheetRef(5, date(2026, 3, 1)),
    "POK-TYM-20260301": ProgressSheetRef(None, date(2026, 3, 1)),
}


@pytest.mark.parametrize(("text", "ref"), REFS.items())
def test_each_id_reads_back_and_formats_the_same(text: str, ref: object) -> None:
    assert parse_sheet_ref(text) == ref
    assert format_ref(parse_sheet_ref(text)) == text  # type: ignore[arg-type]
    assert parse_sheet_ref(f"  {text.lower()} ") == ref


def test_formatters_match_what_the_sheets_print() -> None:
    assert blank_sheet_id("PL", date(2026, 3, 2)) == "PL-BLANK-2026-03-02"
    assert blank_sheet_id("SUP", None) == "SUP-BLANK-BEZ-DATA"
    assert progress_sheet_id(5, date(2026, 3, 1)) == "POK-A5-20260301"
    assert progress_sheet_id(None, date(2026, 3, 1)) == "POK-TYM-20260301"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PL",
        "XY-12",
        "PL-BLANK-2026-02-30",
        "PL-BLANK-26-03-02",
        "KA-BLANK-2026-03-02",
        "IDP-2",
        "IDP-2-1",
        "POK-TYM-20261301",
        "POK-A-20260301",
        "POK-B5-20260301",
        "PL-12 x",
        "PL-12-D",  # a prezenční listina has no confidential annex
    ],
)
def test_anything_else_is_none(text: str) -> None:
    assert parse_sheet_ref(text) is None


def test_the_record_a_sheet_belongs_to() -> None:
    assert record_of(REFS["SUP-3"]) == (RecordKind.SESSION, 3)
    assert record_of(REFS["SUP-3-D"]) == (RecordKind.SESSION, 3)
    assert record_of(REFS["IDP-2-v1"]) == (RecordKind.PLAN, 2)
    assert record_of(REFS["POK-A5-20260301"]) == (RecordKind.ASSISTANT, 5)
    for blank in ("PL-BLANK-2026-03-02", "POK-TYM-20260301"):
        assert record_of(REFS[blank]) == (None, None)
