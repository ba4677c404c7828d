"""What the thin table models over service rows share."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt


def header_title(
    titles: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """A model's ``headerData``: the column's title for the horizontal header's display role,
    else None (no row numbers; an unknown section has no title)."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None
