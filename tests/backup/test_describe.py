"""The Czech description of a backup shown before a restore, and sizes in Czech."""

from __future__ import annotations

from typing import Any

import pytest

from apk_desktop.backup.archive import DB_MEMBER, FORMAT, Manifest
from apk_desktop.backup.describe import describe_manifest, format_size


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


def manifest(scans_included: bool) -> Manifest:
    members = {DB_MEMBER: {"size": 5000, "sha256": "0" * 64}}
    if scans_included:
        members["scans/2025/a.pdf"] = {"size": 1024, "sha256": "1" * 64}
        members["scans/2025/b.pdf"] = {"size": 2048, "sha256": "2" * 64}
    return Manifest(
        {
            "format": FORMAT,
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
            "Projekt: neuveden (starší záloha; patří prvnímu projektu v databázi)",
            "Vytvořeno: 05.01.2026 09:07",
            "Verze aplikace: 0.1.0, revize databáze: 0004",
            "Skeny: 2 soubory (3,0 kB)",
            "Záznamy:",
            "  asistenti: 20",
            "  zz_extra: 7",
        ]
    )


def test_a_backup_without_scans_described() -> None:
    lines = describe_manifest(manifest(False)).splitlines()[1:]
    assert lines[1] == "Verze aplikace: 0.1.0, revize databáze: —"
    assert lines[2] == "Skeny: nejsou součástí zálohy (současné skeny zůstanou)"


def test_the_project_of_a_backup_described() -> None:
    data = manifest(True).data
    named = {**data, "project": {"id": 2, "name": "APK Cheb", "registration_number": "CZ.1/2"}}
    assert (
        describe_manifest(Manifest(named)).splitlines()[0] == "Projekt: APK Cheb (reg. č. CZ.1/2)"
    )
    whole = {**data, "counts": {"project": 2, "assistant": 20}}
    assert describe_manifest(Manifest(whole)).splitlines()[0] == (
        "Projekty: celá databáze (2 projekty)"
    )
