"""The one source of a session's sheet id (printed in the footer, shown in the list)."""

from __future__ import annotations

from apk_desktop.domain.sessions import SessionKind, parse_sheet_id, sheet_id, sheet_prefix


def test_sheet_id_by_kind() -> None:
    assert sheet_id(SessionKind.TRAINING, 17) == "PL-17"
    assert sheet_id(SessionKind.MENTOR_TRAINING, 3) == "PL-3"
    assert sheet_id(SessionKind.ASSISTANT_SUPERVISION, 5) == "SUP-5"
    assert sheet_id(SessionKind.MENTOR_SUPERVISION, 6) == "SUP-6"
    assert sheet_id(SessionKind.MENTORING_INDIVIDUAL, 8) == "MEN-8"
    assert sheet_id(SessionKind.MENTORING_GROUP, 9) == "MEN-9"
    assert {sheet_prefix(k) for k in SessionKind} == {"PL", "SUP", "MEN"}


def test_parse_sheet_id_reads_typed_ids_back() -> None:
    for kind in SessionKind:
        assert parse_sheet_id(sheet_id(kind, 123)) == (sheet_prefix(kind), 123)
    assert parse_sheet_id(" pl - 17 ") == ("PL", 17)
    assert parse_sheet_id("sup-5") == ("SUP", 5)
    for text in ("", "PL", "PL-", "S-000017", "PL-17x", "PL-BLANK-2025-03-12", "Téma PL-17"):
        assert parse_sheet_id(text) is None
