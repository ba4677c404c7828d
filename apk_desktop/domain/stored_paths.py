"""Paths of attached scans as the database stores them: relative to the scans folder.

A database can come from a backup someone else made, so a stored path is never trusted: it must
be a plain relative POSIX path (no drive, no backslash, no ``..``) and, once resolved (symlinks
followed), it must still lie inside the scans folder. Plain Python, shared by the services and
by restore (which checks a restored database before it goes live).
"""

from __future__ import annotations

import re
from pathlib import Path

from apk_desktop.domain.errors import AppError

_DRIVE = re.compile(r"^[A-Za-z]:")


class InvalidStoredPathError(AppError):
    """A stored scan path that points outside the scans folder (or is not a path at all)."""


def stored_path_problem(relative: str) -> str | None:
    """Why ``relative`` is not an acceptable stored scan path (Czech), or None when it is.

    Checks the text only; ``resolve_stored_path`` also follows symlinks."""
    if not relative or not relative.strip():
        return "cesta je prázdná"
    if "\x00" in relative:
        return "cesta obsahuje nepovolený znak"
    if "\\" in relative:
        return "cesta obsahuje zpětné lomítko"
    if relative.startswith("/") or _DRIVE.match(relative):
        return "cesta není relativní ke složce skenů"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "cesta vede mimo složku skenů"
    return None


def resolve_stored_path(root: Path, relative: str) -> Path:
    """The absolute path of a stored scan under ``root``; InvalidStoredPathError (Czech) when
    the stored text is not a plain relative path or resolves outside ``root``."""
    problem = stored_path_problem(relative)
    if problem is None:
        base = root.resolve()
        target = base / relative
        try:
            target.resolve().relative_to(base)
        except ValueError:
            problem = "cesta vede přes odkaz mimo složku skenů"
        except (OSError, RuntimeError):  # a symlink loop
            problem = "cestu nelze vyhodnotit"
        else:
            return target
    raise InvalidStoredPathError(
        f"Uložená cesta ke skenu „{relative}“ je neplatná ({problem}). Se souborem se nic "
        "nedělá; sken přiložte znovu."
    )
