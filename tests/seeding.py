"""Test databases holding the Sokolov template project (a new database is empty since the
first-run wizard; tests that need a project create it explicitly, as the wizard would)."""

from __future__ import annotations

from apk_desktop.db.database import Database
from apk_desktop.db.open import open_database
from apk_desktop.db.services.evidence import read_scan
from apk_desktop.db.services.sessions import EvidenceView
from apk_desktop.db.services.setup import create_template_project


def seed_template(db: Database) -> int:
    """Create the Projekt APK Sokolov in ``db``; returns its id."""
    with db.unit_of_work() as session:
        return create_template_project(session).id


def open_seeded(url: str) -> Database:
    """Open (migrate) the database at ``url`` and create the template project in it."""
    db = open_database(url)
    seed_template(db)
    return db


def stored_scan(db: Database, view: EvidenceView) -> bytes:
    """The stored bytes of an attached scan, wherever the database keeps them."""
    with db.unit_of_work() as session:
        return read_scan(session, view)
