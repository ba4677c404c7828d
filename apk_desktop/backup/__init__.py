"""Backups of the SQLite store and the attached scans: create, verify, restore (no Qt here)."""
