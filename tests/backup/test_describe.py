"""What the screen and the command line say about a backup."""

from __future__ import annotations

import pytest

from apk_desktop.backup import archive
from apk_desktop.backup.describe import describe_manifest, format_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1,0 kB"),
        (1536, "1,5 kB"),
        (1024**2 - 1, "1024,0 kB"),
        (5 * 1024**2 + 300 * 1024, "5,3 MB"),
        (3 * 1024**3, "3,0 GB"),
        (2048 * 1024**3, "2048,0 GB"),
    ],
)
def test_sizes_in_czech(size: int, text: str) -> None:
    assert format_size(size) == text


def manifest(scans_included: bool) -> archive.Manifest:
    members = {archive.DB_MEMBER: {"size": 5000, "sha256": "0" * 64}}
    if scans_included:
        members["scans/2025/a.pdf"] = {"size": 1024, "sha256": "1" * 64}
        members["scans/2025/b.pdf"] = {"size": 2048, "sha256": "2" * 64}
    return archive.Manifest(
        {
            "format": archive.FORMAT,
            "format_version": 1,
            "app_version": "0.1.0",
            "created_at": "2026-01-05T09:07:00+01:00",
            "schema_revision": "0004" if scans_included else None,
            "counts": {"zz_extra": 7, "assistant": 20},
            "scans_included": scans_included,
            "members": members,
        }
    )


def test_a_backup_described() -> None:
    assert describe_manifest(manifest(True)) == "\n".join(
        [
            "Vytvořeno: 05.01.2026 09:07",
            "Verze aplikace: 0.1.0, revize databáze: 0004",
            "Skeny: 2 souborů (3,0 kB)",
            "Záznamy:",
            "  asistenti: 20",
            "  zz_extra: 7",
        ]
    )


def test_a_backup_without_scans_described() -> None:
    lines = describe_manifest(manifest(False)).splitlines()
    assert lines[1] == "Verze aplikace: 0.1.0, revize databáze: —"
    assert lines[2] == "Skeny: nejsou součástí zálohy (současné skeny zůstanou)"
