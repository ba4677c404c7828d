"""O aplikaci: what the app is, its version, where its data, database and log are, and what it
runs on. Kopírovat údaje puts the same facts on the clipboard for an e-mail to support."""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from apk_desktop import APP_NAME, __version__, paths
from apk_desktop.logging_setup import LOG_FILE
from apk_desktop.ui.screen_fit import fit_to_screen

DESCRIPTION = (
    "Evidence mentora asistentů prevence kriminality: plány individuálního rozvoje, hodnocení "
    "a pokrok v pěti vzdělávacích oblastech, vzdělávání, mentoring a supervize s prezenčními "
    "listinami, načítání podepsaných listin a zálohy."
)
LICENCE = "Licence MIT. Písmo DejaVu a ikony Lucide pod svými svobodnými licencemi."
COPIED = "Údaje jsou ve schránce, vložte je do e-mailu."


@dataclass(frozen=True)
class AboutFacts:
    version: str
    data_dir: Path
    database: str  # a file path, or a server's URL without its password
    log_file: Path
    system: str
    python: str
    qt: str
    pyside: str

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Složka dat", str(self.data_dir)),
            ("Databáze", self.database),
            ("Protokol", str(self.log_file)),
            ("Systém", self.system),
            ("Python", self.python),
            ("Qt", self.qt),
            ("PySide6", self.pyside),
        ]

    @property
    def title(self) -> str:
        return f"{APP_NAME} {self.version}"

    def as_text(self) -> str:
        """The facts as plain lines, for an e-mail."""
        return "\n".join([self.title, *(f"{label}: {value}" for label, value in self.rows())])


def current_facts(database: str) -> AboutFacts:
    """The running app's facts; ``database`` is the open database's display name."""
    return AboutFacts(
        version=__version__,
        data_dir=paths.data_dir(),
        database=database,
        log_file=paths.logs_dir() / LOG_FILE,
        system=platform.platform(terse=True),
        python=platform.python_version(),
        qt=qVersion(),
        pyside=PySide6.__version__,
    )


class AboutDialog(QDialog):
    """The facts as a form with selectable values; Kopírovat údaje, Otevřít složku dat, Zavřít.
    ``open_url`` opens a folder (``QDesktopServices.openUrl``; tests pass their own)."""

    def __init__(
        self,
        facts: AboutFacts,
        open_url: Callable[[QUrl], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.facts = facts
        self.open_url = open_url
        self.setWindowTitle("O aplikaci")

        name = QLabel(facts.title)
        name.setStyleSheet("font-size: 16pt; font-weight: bold;")
        description = QLabel(DESCRIPTION)
        description.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for label, value in facts.rows():
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", field)
            self.values[label] = field
        licence = QLabel(LICENCE)
        licence.setWordWrap(True)
        licence.setStyleSheet("color: #555;")
        self.copied = QLabel("")
        self.copied.setStyleSheet("color: #2f6b2f;")

        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            "Kopírovat údaje", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.folder_button = buttons.addButton(
            "Otevřít složku dat", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = buttons.addButton("Zavřít", QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button.clicked.connect(self.copy_facts)
        self.folder_button.clicked.connect(self.open_data_folder)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(description)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(licence)
        layout.addStretch(1)
        layout.addWidget(self.copied)
        layout.addWidget(buttons)
        self.close_button.setDefault(True)
        fit_to_screen(self, QSize(640, self.sizeHint().height()))

    def copy_facts(self) -> None:
        QGuiApplication.clipboard().setText(self.facts.as_text())
        self.copied.setText(COPIED)

    def open_data_folder(self) -> None:
        self.open_url(QUrl.fromLocalFile(str(self.facts.data_dir)))
