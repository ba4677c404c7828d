"""Refuse a restored database whose scan paths lead outside the scans folder.

Read with plain sqlite3 before the restored database goes live, so a tampered backup can never
make "remove evidence" (or any later read) touch a file outside the data folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from apk_desktop.backup.errors import RestoreRefused
from apk_desktop.domain.stored_paths import stored_path_problem

SHOWN = 10  # bad entries named in the message; the rest are counted


def check_evidence_paths(db_path: Path) -> None:
    """RestoreRefused (Czech, listing the bad entries) when any stored scan path is invalid."""
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT id, relative_path FROM evidence_file ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    bad = [
        f"sken č. {row_id}: „{relative}“ ({problem})"
        for row_id, relative in rows
        if (problem := stored_path_problem(str(relative))) is not None
    ]
    if bad:
        more = f"\n… a dalších {len(bad) - SHOWN}" if len(bad) > SHOWN else ""
        raise RestoreRefused(
            "Zálohu nelze obnovit: databáze v ní obsahuje neplatné cesty ke skenům, které vedou "
            "mimo složku skenů (záloha je poškozená nebo upravená):\n"
            + "\n".join(bad[:SHOWN])
            + more
            + "\nVaše současná data zůstala beze změny."
        )
