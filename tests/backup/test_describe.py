"""The Czech description of a backup says "1 soubor", "2 soubory", "5 souborů"."""

from __future__ import annotations

import pytest

from apk_desktop.backup.archive import Manifest
from apk_desktop.backup.describe import describe_manifest


@pytest.mark.parametrize(
    ("scans", "line"), [(1, "Skeny: 1 soubor (10 B)"), (2, "Skeny: 2 soubory (20 B)"),
                        (5, "Skeny: 5 souborů (50 B)")]
)  # fmt: skip
def test_scan_count_uses_czech_plural(scans: int, line: str) -> None:
    manifest = Manifest(
        {
            "created_at": "2026-04-01T10:00:00",
            "app_version": "1.0",
            "schema_revision": "0006",
            "counts": {},
            "scans_included": True,
            "members": {f"scans/{i}.pdf": {"size": 10} for i in range(scans)},
        }
    )
    assert line in describe_manifest(manifest).splitlines()
