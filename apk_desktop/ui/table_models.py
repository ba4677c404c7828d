"""What the thin table models over service rows share."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from apk_desktop.domain.czech_text import matches

# Rows a ResizeToContents header measures for its column widths: measuring every line of a
# large table on each layout pass took seconds (benchmarks/screens_large.py).
WIDTH_SAMPLE_ROWS = 100


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


def wrap_label(text: str, width: int = 18) -> str:
    """Break a long area label into header lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def area_columns_header(
    fixed: Sequence[str],
    area_labels: Sequence[str],
    section: int,
    orientation: Qt.Orientation,
    role: int,
) -> str | None:
    """``headerData`` of a table with fixed columns followed by one column per education area:
    the area's label wrapped onto lines, in full as the tooltip."""
    if orientation != Qt.Orientation.Horizontal:
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        if section < len(fixed):
            return fixed[section]
        return wrap_label(area_labels[section - len(fixed)])
    if role == Qt.ItemDataRole.ToolTipRole and section >= len(fixed):
        return area_labels[section - len(fixed)]
    return None


class CzechFilterProxy(QSortFilterProxyModel):
    """A proxy whose fixed-string filter ignores diacritics and case ("dvora" shows Dvořáček)
    and matches the text shown in any column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._query = ""

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._query = text.strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._query:
            return True
        model = self.sourceModel()
        for column in range(model.columnCount(source_parent)):
            shown = model.data(model.index(source_row, column, source_parent))
            if isinstance(shown, str) and matches(shown, self._query):
                return True
        return False
