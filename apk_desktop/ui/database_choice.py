"""Where the data live: this PC (SQLite) or a PostgreSQL server, with the connection form and
"Vyzkoušet připojení" (run off the GUI thread). Used by the first-run wizard and Nastavení."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.startup import ServerChoice
from apk_desktop.ui.forms import ERROR_STYLE
from apk_desktop.ui.worker import BackgroundTask, run_in_background

if TYPE_CHECKING:
    from apk_desktop.db.database import Database

LOCAL_TEXT = "Data v tomto počítači (doporučeno pro jednoho mentora)"
SERVER_TEXT = "Databázový server PostgreSQL"
LOCAL_HINT = (
    "Databáze je soubor ve složce dat aplikace na tomto počítači; zálohy se ukládají do "
    "nastavené složky (např. na sdílený disk města)."
)
SERVER_HINT = (
    "Data jsou na serveru, který spravuje IT města nebo kraje; skeny se ukládají také na "
    "server. Adresu, databázi a přihlašovací údaje vám dá správce IT. Heslo se neukládá: "
    "aplikace se na ně zeptá při každém spuštění."
)
OK_STYLE = "color: #1b6e20;"
HINT_STYLE = "color: #555555;"


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setContentsMargins(24, 0, 0, 6)
    return label


class DatabaseChoiceForm(QWidget):
    """The choice and the server's connection form. ``after_ok(url)`` (optional) runs on the
    worker thread after a successful test (the wizard opens the database there); its result is
    ``opened`` until taken. ``tested`` is emitted with the outcome of each test."""

    changed = Signal()
    tested = Signal(bool)

    def __init__(self, after_ok: Callable[[str], Database] | None = None) -> None:
        super().__init__()
        self._after_ok = after_ok
        self.checked_ok = False
        self.opened: Database | None = None
        self.task: BackgroundTask | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.local = QRadioButton(LOCAL_TEXT)
        self.local.setObjectName("choice_local")
        self.server = QRadioButton(SERVER_TEXT)
        self.server.setObjectName("choice_server")
        group = QButtonGroup(self)
        for button, hint in ((self.local, LOCAL_HINT), (self.server, SERVER_HINT)):
            button.setStyleSheet("font-weight: bold;")
            group.addButton(button)
            layout.addWidget(button)
            layout.addWidget(_hint(hint))
        self.local.setChecked(True)

        self.server_box = QWidget()
        form = QFormLayout(self.server_box)
        form.setContentsMargins(24, 0, 0, 0)
        self.host = QLineEdit()
        self.host.setObjectName("server_host")
        self.host.setPlaceholderText("např. db.mesto.cz")
        self.port = QSpinBox()
        self.port.setObjectName("server_port")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("apk")
        self.database.setObjectName("server_database")
        self.user = QLineEdit()
        self.user.setObjectName("server_user")
        self.user.setPlaceholderText("uživatelské jméno na serveru")
        self.password = QLineEdit()
        self.password.setObjectName("server_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.port.setMaximumWidth(100)  # a number of five digits, not a whole line
        for edit in (self.host, self.database, self.user, self.password):
            edit.setMaximumWidth(380)
        form.addRow("Server:", self.host)
        form.addRow("Port:", self.port)
        form.addRow("Databáze:", self.database)
        form.addRow("Uživatel:", self.user)
        form.addRow("Heslo:", self.password)
        self.test_button = QPushButton("Vyzkoušet připojení")
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test_connection)
        self.status = QLabel()
        self.status.setObjectName("connection_status")
        self.status.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        form.addRow("", self.status)
        layout.addWidget(self.server_box)

        for edit in (self.host, self.database, self.user, self.password):
            edit.textChanged.connect(self._edited)
        self.port.valueChanged.connect(self._edited)
        self.server.toggled.connect(self._edited)
        self._edited()

    def take(self) -> Database | None:
        """The database opened by the last successful test; the caller disposes it."""
        opened, self.opened = self.opened, None
        return opened

    def release(self) -> None:
        """Close the database the last test opened, unless it was taken."""
        if self.opened is not None:
            self.opened.dispose()
            self.opened = None

    def is_server(self) -> bool:
        return self.server.isChecked()

    def set_choice(self, choice: ServerChoice | None) -> None:
        if choice is not None:
            self.host.setText(choice.host)
            self.port.setValue(choice.port)
            self.database.setText(choice.database)
            self.user.setText(choice.user)
        (self.server if choice is not None else self.local).setChecked(True)

    def choice(self) -> ServerChoice | None:
        """The server as it would be remembered (no password); None for this PC."""
        if not self.is_server():
            return None
        return ServerChoice(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
        )

    def url(self) -> str:
        choice = self.choice()
        assert choice is not None
        return choice.url(self.password.text())

    def _edited(self) -> None:
        self._generation += 1  # an answer still under way is for what was there before
        self.server_box.setEnabled(self.is_server())
        self.checked_ok = False
        self.release()
        self.status.clear()
        complete = all(e.text().strip() for e in (self.host, self.database, self.user))
        self.test_button.setEnabled(complete and self.task is None)
        self.changed.emit()

    def test_connection(self) -> None:
        """Try the server off the GUI thread; the answer appears under the button."""
        from apk_desktop.db.connection import ConnectionCheck, check_server

        url, after_ok, generation = self.url(), self._after_ok, self._generation
        self.test_button.setEnabled(False)
        self.status.setStyleSheet(HINT_STYLE)
        self.status.setText("Zkouším připojení…")

        def work(_control: object) -> tuple[ConnectionCheck, Database | None]:
            check = check_server(url)
            return check, after_ok(url) if check.ok and after_ok is not None else None

        def done(result: tuple[ConnectionCheck, Database | None]) -> None:
            self._finished(generation, result[0].ok, result[0].message, result[1])

        def failed(exc: BaseException) -> None:
            from apk_desktop.domain.errors import AppError

            message = exc.message if isinstance(exc, AppError) else str(exc)
            self._finished(generation, False, message, None)

        self.task = run_in_background(work, done, failed)

    def _finished(self, generation: int, ok: bool, message: str, opened: Database | None) -> None:
        self.task = None
        self.test_button.setEnabled(True)
        if generation != self._generation:  # edited meanwhile: the answer is for old values
            if opened is not None:
                opened.dispose()
            return
        self.checked_ok, self.opened = ok, opened
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.status.setText(message)
        self.tested.emit(ok)
        self.changed.emit()
