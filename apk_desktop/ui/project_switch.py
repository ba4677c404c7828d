"""Projekt › Přepnout projekt… and Nový projekt…: the main window moves to another project of
the same database. Every screen is built anew for it (nothing of the previous project stays in
a list, filter, chart, print cache or review), and the choice is remembered on this PC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from apk_desktop import startup
from apk_desktop.db.services.project import list_projects
from apk_desktop.ui.actions import read
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.first_run_wizard import FirstRunWizard
from apk_desktop.ui.project_chooser import ProjectChooser
from apk_desktop.ui.worker import busy

if TYPE_CHECKING:
    from apk_desktop.ui.main_window import MainWindow

SWITCH_TITLE = "Přepnout projekt"
ONLY_ONE = (
    "V databázi je jen otevřený projekt. Další projekt založíte volbou Projekt › Nový projekt…"
)
BUSY = "Právě běží úloha (tisk, načítání skenů nebo záloha). Projekt lze přepnout, až doběhne."
LEAVE_QUESTION = "Přepnout projekt bez uložení?"


def choose(window: MainWindow) -> ProjectChooser | None:
    """The projects to switch to, in a window-modal chooser; None when there is no other."""
    ctx = window.ctx
    try:
        projects = read(ctx, list_projects)
    except Exception as exc:  # the presenter logs and explains it
        present_error(window, exc)
        return None
    if len(projects) < 2:
        ctx.prompter.info(window, SWITCH_TITLE, ONLY_ONE)
        return None
    dialog = ProjectChooser(projects, window, current=ctx.project_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: switch(window, dialog.chosen))
    dialog.open()
    return dialog


def switch(window: MainWindow, project_id: int | None) -> bool:
    """Work on ``project_id`` from now on, unless it is open already, a task still runs, or
    the user keeps unsaved edits. True when switched."""
    ctx = window.ctx
    if project_id is None or project_id == ctx.project_id:
        return False
    if busy():
        ctx.prompter.warning(window, SWITCH_TITLE, BUSY)
        return False
    if not window.pages_can_close(LEAVE_QUESTION):
        return False
    window.reopen_database(ctx.db, project_id, announce=False)
    startup.remember_project(ctx.db, project_id)
    return True


def new_project(window: MainWindow) -> FirstRunWizard:
    """The first-run wizard's project and team pages for a further project; once saved, the
    window switches to it."""
    wizard = FirstRunWizard(window.ctx.db, window.ctx.prompter, window, another=True)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        if wizard.outcome is not None:
            switch(window, wizard.outcome.project_id)

    wizard.finished.connect(finished)
    wizard.open()
    return wizard
