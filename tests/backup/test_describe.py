"""The Czech description of a backup shown before a restore."""

from __future__ import annotations

from typing import Any

import pytest

from apk_desktop.backup.archive import Manifest
from apk_desktop.backup.describe import describe_manifest


def _manifest(scans: int) -> Manifest:
    members: dict[str, dict[str, Any]] = {"data.sqlite": {"size": 4096}}
    members |= {f"scans/2025/sken-{i}.pdf": {"size": 1024} for i in range(scans)}
    data = {
        "created_at": "2026-11-30T18:05:00",
        "app_version": "1.0",
        "schema_revision": "abc",
        "scans_included": True,
        "members": members,
        "counts": {
            "assistant": 9,
            "scale_level": 5,
            "session_area": 40,
            "key_activity": 4,
            "assessment_level": 90,
            "session_series": 1,
            "training_session": 12,
        },
    }
    return Manifest(data)


@pytest.mark.parametrize(
    ("scans", "text"),
    [(1, "Skeny: 1 soubor ("), (3, "Skeny: 3 soubory ("), (5, "Skeny: 5 souborů (")],
)
def test_scan_count_with_the_right_plural(scans: int, text: str) -> None:
    assert text in describe_manifest(_manifest(scans))


def test_internal_tables_are_not_listed() -> None:
    text = describe_manifest(_manifest(0))
    assert "  asistenti: 9" in text and "  akce (vzdělávání, supervize, mentoring): 12" in text
    for hidden in ("úrovně škál", "oblasti akcí", "klíčové", "úrovně hodnocení", "série"):
        assert hidden not in text
    assert "scale_level" not in text and "session_area" not in text
