"""Which project to work on, when a database holds several: at start (Enter opens the chosen
one, Esc ends the app) and from Projekt › Přepnout projekt… (Esc keeps the open project)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from apk_desktop import APP_NAME
from apk_desktop.db.services.project import ProjectSummary
from apk_desktop.ui.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from apk_desktop.db.database import Database

COLUMNS = ("Projekt", "Registrační číslo", "Období realizace")
AT_START = "Databáze obsahuje několik projektů. Vyberte, se kterým chcete pracovat."
SWITCHING = (
    "Vyberte projekt, se kterým chcete pracovat. Všechny obrazovky, tisk a exporty "
    "se přepnou na něj."
)
CURRENT_MARK = " (otevřený)"


class ProjectChooser(QDialog):
    """The projects as a list with their registration numbers and periods; ``chosen`` is the
    project picked (set when the dialog is accepted)."""

    def __init__(
        self,
        projects: Sequence[ProjectSummary],
        parent: QWidget | None = None,
        *,
        current: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("project_chooser")
        self.chosen: int | None = None
        switching = current is not None
        self.setWindowTitle("Přepnout projekt" if switching else f"{APP_NAME} – výběr projektu")
        intro = QLabel(SWITCHING if switching else AT_START)
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("projects")
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName("Projekty v databázi")
        for project in projects:
            mark = CURRENT_MARK if project.id == current else ""
            item = QTreeWidgetItem(
                [project.name + mark, project.registration_number, project.period]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, project.id)
            item.setToolTip(0, project.name)
            self.list.addTopLevelItem(item)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Enter reaches the default button; not itemActivated, which Enter fires as well
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.accept())

        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton(
            "Přepnout" if switching else "Otevřít", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button.setDefault(True)
        self.cancel_button = buttons.addButton(
            "Zrušit" if switching else "Ukončit", QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(760, 360))
        self._select_first_other(current)
        self.list.setFocus()

    def _select_first_other(self, current: int | None) -> None:
        """The first project that is not open: switching between two takes Enter only."""
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) != current:
                self.list.setCurrentItem(item)
                return

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = int(item.data(0, Qt.ItemDataRole.UserRole))
        super().accept()


def chosen_project(
    parent: QWidget | None,
    db: Database,
    projects: Sequence[ProjectSummary],
    shown: Callable[[QDialog], None] | None = None,
) -> int | None:
    """Ask which of ``projects`` to open (modal); the answer is remembered for ``db`` on this
    PC. None when the user leaves without choosing."""
    from apk_desktop.startup import remember_project
    from apk_desktop.ui.startup_marks import when_first_exposed

    dialog = ProjectChooser(projects, parent)
    if shown is not None:
        when_first_exposed(dialog, lambda: shown(dialog))
    dialog.exec()
    dialog.deleteLater()
    if dialog.chosen is not None:
        remember_project(db, dialog.chosen)
    return dialog.chosen
