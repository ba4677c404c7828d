"""At start, the password for the database server chosen in the wizard or Nastavení: it is
never stored, so the app asks each time (empty: the system's own, e.g. pgpass.conf)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.startup import ServerChoice
from apk_desktop.ui.forms import ERROR_STYLE


class ServerLogin(QDialog):
    def __init__(self, server: ServerChoice, problem: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("APK Desktop – přihlášení k serveru")
        layout = QVBoxLayout(self)
        host, database, user = (escape(x) for x in (server.host, server.database, server.user))
        intro = QLabel(
            f"Data jsou na databázovém serveru <b>{host}:{server.port}</b>, databáze "
            f"<b>{database}</b>. Zadejte heslo uživatele <b>{user}</b>."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = QLabel(problem)
        self.problem.setObjectName("login_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Heslo:", self.password)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        buttons.addButton("Přihlásit", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Ukončit", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


def ask_password(parent: QWidget | None, server: ServerChoice, problem: str = "") -> str | None:
    """The password typed, or None when the user chose Ukončit."""
    dialog = ServerLogin(server, problem, parent)
    try:
        return dialog.password.text() if dialog.exec() else None
    finally:
        dialog.deleteLater()
