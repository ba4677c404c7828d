"""The main window over the demo database: "UKÁZKA" in its title and one click („Začít
naostro…“) back to the first-run wizard on the real database, which the demo never touched."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from apk_desktop import APP_NAME
from apk_desktop.db.database import Database
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.first_run_wizard import TRY_DEMO, FirstRunWizard
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.project_chooser import chosen_project

DEMO_TITLE = f"{APP_NAME} – UKÁZKA (vymyšlená data)"


class DemoMode:
    """Attached to the main window while it shows the demo database."""

    def __init__(self, window: MainWindow, ctx: AppContext, real_url: str) -> None:
        self.window = window
        self.ctx = ctx
        self.real_url = real_url
        self.wizard: FirstRunWizard | None = None
        self._real_db: Database | None = None
        self.button = QPushButton("Začít naostro…")
        self.button.setObjectName("start_for_real")
        self.button.setToolTip("Opustit ukázková data a založit skutečný projekt ve vaší databázi.")
        self.button.clicked.connect(self.start_for_real)
        window.statusBar().addPermanentWidget(self.button)
        window.setWindowTitle(DEMO_TITLE)

    def start_for_real(self) -> None:
        """The real database: straight to its project if it holds one (the user picks one of
        several), else the wizard."""
        from apk_desktop.db.open import open_database
        from apk_desktop.startup import choose_project

        try:
            db = open_database(self.real_url)
            choice = choose_project(db)
        except Exception as exc:
            present_error(self.window, exc)
            return
        project_id = choice.project_id
        if project_id is None and choice.choices:
            project_id = chosen_project(self.window, db, choice.choices)
            if project_id is None:
                db.dispose()  # still in the demo
                return
        if project_id is not None:
            self._switch(db, project_id)
            return
        self._real_db = db
        self.wizard = FirstRunWizard(db, self.ctx.prompter, self.window)
        self.wizard.intro.buttons[TRY_DEMO].hide()  # already in the demo
        self.wizard.finished.connect(self._wizard_finished)
        self.wizard.open()

    def _wizard_finished(self, _result: int) -> None:
        wizard, db = self.wizard, self._real_db
        assert wizard is not None and db is not None
        self.wizard, self._real_db = None, None
        wizard.deleteLater()
        if wizard.outcome is None:  # cancelled
            db.dispose()  # still in the demo; the real database stays empty
            return
        self._switch(wizard.outcome.db, wizard.outcome.project_id)

    def _switch(self, db: Database, project_id: int) -> None:
        from apk_desktop import startup

        demo_db = self.ctx.db
        startup.leave_demo()
        self.window.reopen_database(db, project_id)
        demo_db.dispose()
        self.window.statusBar().removeWidget(self.button)
        self.button.deleteLater()
        self.window.demo_mode = None
