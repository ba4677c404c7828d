"""Nastavení › Kde jsou data: this PC or a PostgreSQL server for the next start, and moving
the data between them ("Přesunout data na server…" / "Přesunout data do tohoto počítače…")
off the GUI thread, with the comparison shown and the offer to switch to the new database."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from apk_desktop import paths, startup
from apk_desktop.domain.errors import AppError
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.database_choice import OK_STYLE, DatabaseChoiceForm
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.forms import ERROR_STYLE
from apk_desktop.ui.worker import BackgroundTask, Cancelled, TaskControl, run_with_progress

if TYPE_CHECKING:
    from apk_desktop.db.database import Database
    from apk_desktop.db.move import MoveReport

TITLE = "Kde jsou data"
TO_SERVER = "Přesunout data na server…"
TO_LOCAL = "Přesunout data do tohoto počítače…"


def report_html(report: MoveReport) -> str:
    """The comparison as a small table for a message box."""
    rows = "".join(
        f"<tr><td>{escape(t.table)}</td><td align='right'>{t.source}</td>"
        f"<td align='right'>{t.target}</td><td>{'' if t.ok else '≠'}</td></tr>"
        for t in report.tables
    )
    return (
        "<table cellspacing='2'><tr><th align='left'>Tabulka</th><th>Zdroj</th><th>Cíl</th>"
        f"<th></th></tr>{rows}</table><p>{escape(report.scans_line())}</p>"
    )


class DatabaseSection(QGroupBox):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(TITLE)
        self.ctx = ctx
        self.task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        self.current = QLabel()
        self.current.setObjectName("database_current")
        self.current.setWordWrap(True)
        layout.addWidget(self.current)
        self.form = DatabaseChoiceForm()
        self.form.set_choice(startup.load().server)
        self.form.changed.connect(self._update)
        layout.addWidget(self.form)
        self.save_button = QPushButton("Použít od příštího spuštění")
        self.save_button.setObjectName("save_database_choice")
        self.save_button.clicked.connect(self.save_choice)
        self.move_button = QPushButton()
        self.move_button.setObjectName("move_data")
        self.move_button.clicked.connect(self.move_data)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.move_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("database_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.show_current()

    def show_current(self) -> None:
        db = self.ctx.db
        where = "v tomto počítači, v souboru" if db.is_sqlite else "na serveru"
        self.current.setText(
            f"Aplikace nyní pracuje s daty {where} <b>{escape(db.display_name)}</b>."
        )
        self.move_button.setText(TO_SERVER if db.is_sqlite else TO_LOCAL)
        self._update()

    def _update(self) -> None:
        server = self.form.is_server()
        self.save_button.setEnabled(not server or self.form.checked_ok)
        to_server = self.ctx.db.is_sqlite
        self.move_button.setEnabled(self.task is None and (not to_server or self.form.checked_ok))
        self.move_button.setToolTip(
            "Nejdřív vyberte databázový server a vyzkoušejte připojení." if to_server else ""
        )

    def _say(self, text: str, *, ok: bool) -> None:
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.status.setText(text)

    def save_choice(self) -> None:
        try:
            startup.choose_database(self.form.choice())
        except OSError as exc:
            self._say(f"Volbu se nepodařilo uložit ({exc.strerror}).", ok=False)
            return
        where = "na serveru" if self.form.is_server() else "v tomto počítači"
        self._say(f"Uloženo: od příštího spuštění aplikace pracuje s daty {where}.", ok=True)

    def move_data(self) -> None:
        from apk_desktop.db.move import move_data

        source = self.ctx.db.url
        if self.ctx.db.is_sqlite:
            target, server = self.form.url(), self.form.choice()
            where = f"na server {server.host if server else ''}"
        else:
            target, server = f"sqlite:///{paths.default_db_path()}", None
            where = f"do tohoto počítače ({paths.default_db_path()})"
        if not self.ctx.prompter.confirm(
            self,
            TITLE,
            f"Zkopírovat všechna data a skeny {where}? Cílová databáze musí být prázdná; "
            "současná data zůstanou beze změny. Během přesunu nic neukládejte.",
        ):
            return
        scans = paths.scans_dir()

        def work(control: TaskControl) -> MoveReport:
            return move_data(
                source,
                target,
                source_scans=scans,
                target_scans=scans,
                progress=control.progress,
                cancel=lambda: control.cancelled,
            )

        self.status.clear()
        self.task = run_with_progress(
            self,
            "Přesouvám data…",
            work,
            lambda report: self._moved(report, target, server),
            self._failed,
        )
        self._update()

    def _failed(self, exc: BaseException) -> None:
        from apk_desktop.db.move import MoveCancelled, MoveError

        self.task = None
        self._update()
        if isinstance(exc, Cancelled | MoveCancelled):
            self._say(MoveCancelled().message, ok=False)
            return
        if isinstance(exc, MoveError) and exc.report is not None:
            problems = "<br>".join(escape(p) for p in exc.report.problems()[:10])
            self._say(exc.message, ok=False)
            self.ctx.prompter.warning(
                self, TITLE, f"{escape(exc.message)}{report_html(exc.report)}<p>{problems}</p>"
            )
            return
        if isinstance(exc, AppError):
            self._say(exc.message, ok=False)
            return
        present_error(self, exc)

    def _moved(self, report: MoveReport, target: str, server: startup.ServerChoice | None) -> None:
        self.task = None
        self._update()
        self._say("Data byla přesunuta a zkontrolována.", ok=True)
        if not self.ctx.prompter.choose(
            self,
            TITLE,
            "Data byla přesunuta a zkontrolována:"
            f"{report_html(report)}Přepnout aplikaci na novou databázi?",
            "Přepnout",
            "Zůstat u současné",
        ):
            return
        self._switch(target, server)

    def _switch(self, target: str, server: startup.ServerChoice | None) -> None:
        from apk_desktop.db.open import open_database

        try:
            db: Database = open_database(target)
            project_id = startup.project_id_of(db)
            startup.choose_database(server)
        except (AppError, OSError) as exc:
            present_error(self, exc)
            return
        from apk_desktop.ui.main_window import MainWindow

        window, old = self.window(), self.ctx.db
        assert isinstance(window, MainWindow)
        window.reopen_database(db, project_id)  # rebuilds every screen, this one too
        old.dispose()
