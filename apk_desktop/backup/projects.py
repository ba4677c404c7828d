"""The project a backup belongs to, and a SQLite snapshot of one project's rows.

A database may hold several projects; a backup or an export holds one (``db.project_scope``
says which rows are its). While the database holds only that project, the snapshot is the whole
file as before (the same bytes, the same speed); otherwise ``copy_project`` copies the
project's rows into a new file with the live database's own schema (its ``CREATE`` statements,
so the revision and every index are the same), all read inside one read transaction.

A manifest names its project (id, name, registration number). One without (made before
projects were kept apart) belongs to the database's first project."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apk_desktop.backup.archive import Manifest, ScanFile
from apk_desktop.backup.errors import BackupError

SYSTEM_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True)
class ProjectRef:
    id: int
    name: str
    registration_number: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "registration_number": self.registration_number}

    @property
    def label(self) -> str:
        """For the user: „name (reg. č. …)“."""
        number = f" (reg. č. {self.registration_number})" if self.registration_number else ""
        return f"{self.name}{number}"


def manifest_project(manifest: Manifest) -> ProjectRef | None:
    """The project a backup names; None for an old one (and for a whole database)."""
    data = manifest.data.get("project")
    if not isinstance(data, dict):
        return None
    try:
        return ProjectRef(
            int(data["id"]), str(data.get("name", "")), str(data.get("registration_number", ""))
        )
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class ProjectFilter:
    """The backups of one project: those naming it, and old ones when it is the first."""

    project_id: int
    takes_unmarked: bool  # the database's first project: old backups are its

    def matches(self, manifest: Manifest) -> bool:
        project = manifest_project(manifest)
        return project.id == self.project_id if project else self.takes_unmarked


@dataclass(frozen=True)
class DatabaseProjects:
    projects: tuple[ProjectRef, ...]  # by id
    current_id: int | None  # the project marked current, else the first

    def choose(self, project_id: int | None) -> ProjectRef | None:
        """The project ``project_id`` (None: the current one); None in a database without one."""
        wanted = project_id if project_id is not None else self.current_id
        for project in self.projects:
            if project.id == wanted:
                return project
        if project_id is None:
            return None
        raise BackupError(f"Projekt č. {project_id} v databázi není; není co zálohovat.")

    def filter_for(self, project_id: int) -> ProjectFilter:
        first = self.projects[0].id if self.projects else project_id
        return ProjectFilter(project_id, project_id == first)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)


def projects_in(db_path: Path) -> DatabaseProjects:
    """The projects in a SQLite file (none when it has no project table yet)."""
    connection = _read_only(db_path)
    try:
        known = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'project'"
        ).fetchone()
        if known is None:  # an empty database
            return DatabaseProjects((), None)
        rows = connection.execute(
            "SELECT id, name, registration_number, is_current FROM project ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    projects = tuple(ProjectRef(int(r[0]), str(r[1]), str(r[2])) for r in rows)
    current = next((int(r[0]) for r in rows if r[3]), projects[0].id if projects else None)
    return DatabaseProjects(projects, current)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_project(db_path: Path, dest: Path, project_id: int) -> None:
    """Write the rows of project ``project_id`` into ``dest`` (a new file): the live database's
    schema, its alembic revision, and per table the rows ``project_scope`` assigns to the
    project, in primary-key order (the same data give the same file, so an unchanged project
    is not backed up again)."""
    from apk_desktop.db import project_scope

    source = _read_only(db_path)
    try:
        schema = source.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).fetchall()
    finally:
        source.close()
    tables = [name for kind, name, _sql in schema if kind == "table"]
    scoped = {t.name: t for t in project_scope.app_tables()}
    unknown = sorted(set(tables) - set(scoped) - SYSTEM_TABLES)
    if unknown:
        raise BackupError(
            "Databáze obsahuje tabulky, které tato verze aplikace nezná "
            f"({', '.join(unknown)}); zálohu jednoho projektu z ní nelze vytvořit."
        )
    target = sqlite3.connect(dest)
    try:
        for kind, _name, sql in schema:
            if kind == "table":
                target.execute(sql)
        target.commit()
    finally:
        target.close()

    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        connection.execute("ATTACH DATABASE ? AS snap", (f"{dest.as_uri()}?mode=rw",))
        # a private temporary file: no journal, no fsyncs (a crash leaves a partial file)
        connection.execute("PRAGMA snap.journal_mode=OFF")
        connection.execute("PRAGMA snap.synchronous=OFF")
        connection.execute("BEGIN")  # one read transaction: one consistent picture
        for name in tables:
            quoted = _quoted(name)
            if name in SYSTEM_TABLES:
                connection.execute(f"INSERT INTO snap.{quoted} SELECT * FROM main.{quoted}")
                continue
            table = scoped[name]
            columns = ", ".join(_quoted(c.name) for c in table.columns)
            query = project_scope.project_rows(table, project_id).with_only_columns(*table.columns)
            compiled = query.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
            connection.execute(f"INSERT INTO snap.{quoted} ({columns}) {compiled}")
        connection.execute("COMMIT")
        connection.execute("DETACH DATABASE snap")
    finally:
        connection.close()

    target = sqlite3.connect(dest)
    try:
        for kind, _name, sql in schema:
            if kind != "table":  # indexes after the rows: faster
                target.execute(sql)
        target.commit()
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def evidence_paths(db_path: Path) -> set[str]:
    """The scans (relative paths) the database's rows refer to."""
    connection = _read_only(db_path)
    try:
        return {str(r[0]) for r in connection.execute("SELECT relative_path FROM evidence_file")}
    finally:
        connection.close()


def scans_of(db_path: Path, scans: list[ScanFile]) -> list[ScanFile]:
    """Those of ``scans`` that the database's rows refer to."""
    wanted = evidence_paths(db_path)
    return [s for s in scans if s.relative in wanted]
