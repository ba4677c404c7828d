"""Restoring one project's backup into a database that holds other projects as well.

The other projects must stay exactly as they are, so the restore does not swap in the backup's
database file: ``merge_project`` builds the new database in a temporary file (a snapshot of the
live one, in one transaction: the project's rows deleted, the backup's rows inserted, checked)
and that file is then swapped in like any restored database (restore.py: journal, safety
backup, rollback). The scans folder is built the same way: the backup's scans plus hard links
to (or copies of) the other projects' scans.

Rows keep their ids. When a backup's ids are taken by another project's rows (a backup from
another database), nothing is written and the user is told why."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, create_engine, select, text

from apk_desktop.backup import archive
from apk_desktop.backup.archive import Manifest
from apk_desktop.backup.describe import TABLE_LABELS
from apk_desktop.backup.errors import RestoreRefused
from apk_desktop.backup.projects import ProjectRef, manifest_project, projects_in
from apk_desktop.domain.stored_paths import resolve_stored_path

UNCHANGED = "Vaše současná data zůstala beze změny."
COLLISION = (
    "Zálohu projektu „{name}“ nelze obnovit do této databáze: čísla jejích záznamů už patří "
    "jinému projektu v databázi ({what}). Záloha nejspíš pochází z jiné databáze. Obnovte ji "
    "do prázdné databáze (např. na jiném počítači nebo do nové databáze). " + UNCHANGED
)
DAMAGED = (
    "Zálohu projektu „{name}“ nelze obnovit: její záznamy neodpovídají ostatním datům "
    "v databázi ({what}). " + UNCHANGED
)


def archive_project(manifest: Manifest, restored_db: Path) -> ProjectRef | None:
    """The project a backup holds: the one its manifest names; for an older backup the only
    project in its database. None: a whole database (several projects, or none)."""
    named = manifest_project(manifest)
    if named is not None:
        return named
    found = projects_in(restored_db).projects
    return found[0] if len(found) == 1 else None


def shares_database(project: ProjectRef | None, live_ids: list[int]) -> bool:
    """The live database holds projects other than the backup's: restore only its rows."""
    return project is not None and any(i != project.id for i in live_ids)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextlib.contextmanager
def _connected(merged: Path, restored_db: Path) -> Iterator[Connection]:
    # Foreign keys are not enforced meanwhile: every delete and insert is explicit, nothing
    # may cascade (the backup's own references were checked when it was migrated).
    engine = create_engine(f"sqlite:///{merged}")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("ATTACH DATABASE ? AS restored", (str(restored_db),))
            connection.commit()  # ATTACH is no write: this ends SQLAlchemy's autobegun block
            yield connection
    finally:
        engine.dispose()


def merge_project(live_db: Path, restored_db: Path, merged: Path, project: ProjectRef) -> None:
    """Write into ``merged`` (a new file) the live database with the rows of ``project``
    replaced by those of ``restored_db`` (the backup's database, migrated). RestoreRefused
    when the backup's rows would take the ids of other projects' rows."""
    from apk_desktop.db import project_scope

    archive.snapshot_database(live_db, merged)
    with _connected(merged, restored_db) as connection, connection.begin():
        _check_same_project(connection, project)
        project_scope.delete_project_rows(connection, project.id)
        _check_collisions(connection, project)
        expected = {}
        for table in project_scope.app_tables():
            columns = ", ".join(_quoted(c.name) for c in table.columns)
            name = _quoted(table.name)
            expected[table.name] = connection.execute(
                text(f"INSERT INTO main.{name} ({columns}) SELECT {columns} FROM restored.{name}")
            ).rowcount
        # Every restored row must be the project's now (not a stowaway of another project).
        found = project_scope.count_project_rows(connection, project.id)
        wrong = sorted(t for t, n in expected.items() if found[t] != n)
        if wrong:
            raise RestoreRefused(DAMAGED.format(name=project.name, what=_labels(wrong)))
    single = sqlite3.connect(merged)  # a self-contained file, as a restored database is
    try:
        single.execute("PRAGMA journal_mode=DELETE")
    finally:
        single.close()


def _labels(tables: list[str]) -> str:
    return ", ".join(TABLE_LABELS.get(t, t) for t in tables)


def _check_same_project(connection: Connection, project: ProjectRef) -> None:
    """The live project with the backup's id must be the backup's project (its name or its
    registration number), not another one that got the same number in another database."""
    row = connection.execute(
        text("SELECT name, registration_number FROM main.project WHERE id = :id"),
        {"id": project.id},
    ).one_or_none()
    if row is not None and project.name != row[0] and project.registration_number != row[1]:
        raise RestoreRefused(
            COLLISION.format(name=project.name, what=f"projekt „{row[0]}“ má stejné číslo")
        )


def _check_collisions(connection: Connection, project: ProjectRef) -> None:
    """No row of the backup may take the primary key of a row that stays (another project's)."""
    from apk_desktop.db import project_scope

    taken = []
    for table in project_scope.app_tables():
        name = _quoted(table.name)
        same = " AND ".join(
            f"m.{_quoted(c.name)} = r.{_quoted(c.name)}" for c in table.primary_key.columns
        )
        query = (
            f"SELECT EXISTS (SELECT 1 FROM restored.{name} r "
            f"WHERE EXISTS (SELECT 1 FROM main.{name} m WHERE {same}))"
        )
        if connection.exec_driver_sql(query).scalar():
            taken.append(table.name)
    if taken:
        raise RestoreRefused(COLLISION.format(name=project.name, what=_labels(taken)))


def other_projects_scans(merged: Path, project_id: int) -> set[str]:
    """The scans (relative paths) of the other projects' rows in ``merged``."""
    from apk_desktop.db import project_scope

    evidence = project_scope.app_table("evidence_file")
    engine = create_engine(f"sqlite:///{merged}")
    try:
        with engine.connect() as connection:
            query = select(evidence.c.relative_path).where(
                ~project_scope.owned_rows(evidence, project_id)
            )
            return {str(p) for p in connection.scalars(query)}
    finally:
        engine.dispose()


def keep_other_scans(
    merged: Path, project: ProjectRef, scans_dir: Path, restored_scans: Path
) -> None:
    """Put the other projects' scans next to the backup's in ``restored_scans`` (hard links,
    or copies where the disk cannot link): the folder that replaces the scans folder."""
    for relative in sorted(other_projects_scans(merged, project.id)):
        source = resolve_stored_path(scans_dir, relative)
        target = resolve_stored_path(restored_scans, relative)
        if target.exists():
            raise RestoreRefused(COLLISION.format(name=project.name, what=f"sken „{relative}“"))
        if not source.is_file():
            continue  # missing already: the restore does not make it worse
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
