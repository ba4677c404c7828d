"""Czech order and accent-free search in SQL, the same on SQLite and PostgreSQL.

``czech_key`` and ``czech_fold`` are SQL functions on both backends: registered from
``domain.czech_text`` on every SQLite connection (db.database), created by migration 0009 on
PostgreSQL. Keys compare by code point: PostgreSQL is told so (COLLATE "C"), whatever the
database's own collation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, func
from sqlalchemy.orm import Session

from apk_desktop.domain.czech_text import fold


def czech_order(session: Session, column: Any) -> Any:
    """``column`` in Czech alphabetical order: "Čermáková" after "Cibulka", "Chalupa" after
    "Hrubá"."""
    key = func.czech_key(column, type_=String)
    if session.get_bind().dialect.name == "sqlite":
        return key
    return key.collate("C")


def folded_contains(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case and diacritics ("dvora" finds "Dvořáček");
    LIKE wildcards in ``text`` are taken literally."""
    return func.czech_fold(column, type_=String).contains(fold(text), autoescape=True)
