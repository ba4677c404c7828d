"""Every dialog of the app is usable on a 1280×720 screen: its buttons lie on the screen."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QPushButton, QScrollArea, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import apk_desktop.ui
from apk_desktop.db.database import Database
from apk_desktop.db.demo import populate_demo
from apk_desktop.db.models.sessions import TrainingSession
from apk_desktop.db.open import open_database
from apk_desktop.db.services import plans, roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.signed_sheets import (
    Problem,
    ProblemKind,
    RowProposal,
    ScannedPage,
    SheetProposal,
    StackProposal,
    UnmatchedPage,
    WalkInRow,
)
from apk_desktop.domain.sessions import Attendance
from apk_desktop.sheets.base import SheetHeader, build_pdf
from apk_desktop.sheets.parts import para, title
from apk_desktop.ui.about_dialog import AboutDialog, current_facts
from apk_desktop.ui.assessments import AssessmentDialog
from apk_desktop.ui.attendance_dialog import AttendanceDialog
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.first_run_wizard import PROJECT, FirstRunWizard
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pdf_preview import PdfPreviewDialog
from apk_desktop.ui.plan_dialogs import GoalDialog, PlanDialog, ReviewDialog, SignDialog
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.project_chooser import ProjectChooser
from apk_desktop.ui.roster_dialogs import AssistantDialog, EndEmploymentDialog, ReplaceDialog
from apk_desktop.ui.session_dialogs import SessionDialog
from apk_desktop.ui.signed_review import SignedReviewDialog
from tests.backends import TestDatabases
from tests.ui.conftest import ScriptedPrompter

SCREEN = QRect(0, 0, 1280, 720)
DialogFactory = Callable[["Scene"], list[QDialog]]


def _dialog_classes() -> set[type[QDialog]]:
    """Every concrete QDialog (QWizard included) defined in apk_desktop/ui."""
    found: set[type[QDialog]] = set()
    for module_info in pkgutil.iter_modules(apk_desktop.ui.__path__):
        module = importlib.import_module(f"apk_desktop.ui.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, QDialog)
                and cls.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found.add(cls)
    return found


class Scene:
    """The demo project's year of work in a main window on the 1280×720 screen."""

    def __init__(self, window: MainWindow, ctx: AppContext, db: Database) -> None:
        self.window = window
        self.ctx = ctx
        self.db = db

    def sessions(self) -> list[session_service.SessionView]:
        with self.ctx.db.unit_of_work() as session:
            ids = session.scalars(select(TrainingSession.id)).all()
            return [session_service.get_session(session, i) for i in ids]

    def plans_page(self) -> PlansPage:
        page = self.window.show_page("plans")
        assert isinstance(page, PlansPage)
        with self.ctx.db.unit_of_work() as session:
            people = roster.active_assistants(session, self.ctx.project_id, date.today())
            with_plans = [p for p in people if plans.list_plans(session, p.assistant_id)]
        assert page.select_assistant(with_plans[0].assistant_id) and page.detail is not None
        return page


def _roster(scene: Scene) -> list[QDialog]:
    with scene.ctx.db.unit_of_work() as session:
        positions = roster.list_positions(session, scene.ctx.project_id, date.today())
        held = next(p for p in positions if not p.vacant)
        assert held.assistant_id is not None
        employment = roster.employment_history(session, assistant_id=held.assistant_id)[-1]
    return [
        AssistantDialog(scene.ctx, scene.window),
        AssistantDialog(scene.ctx, scene.window, assistant_id=held.assistant_id),
        EndEmploymentDialog(scene.ctx, scene.window, employment),
        ReplaceDialog(scene.ctx, scene.window, held),
    ]


def _sessions(scene: Scene) -> list[QDialog]:
    busiest = max(scene.sessions(), key=lambda view: len(view.participants))
    new = SessionDialog(scene.ctx, scene.window)
    return [new, SessionDialog(scene.ctx, scene.window, busiest.id)]


def _attendance(scene: Scene) -> list[QDialog]:
    busiest = max(scene.sessions(), key=lambda view: len(view.participants))
    return [AttendanceDialog(scene.ctx, busiest.id, scene.window)]


def _plans(scene: Scene) -> list[QDialog]:
    page = scene.plans_page()
    page.goals.selectRow(0)
    made = [
        page.new_plan_dialog(),
        page.edit_plan_dialog(),
        page.add_goal_dialog(),
        page.edit_goal_dialog(),
        page.add_review_dialog(),
    ]
    assert page.detail is not None
    made.append(SignDialog(scene.ctx, page, page.detail, date.today()))
    assert all(dialog is not None for dialog in made)
    return [dialog for dialog in made if dialog is not None]


def _assessment(scene: Scene) -> list[QDialog]:
    return [AssessmentDialog(scene.ctx, scene.window)]


def _preview(scene: Scene) -> list[QDialog]:
    header = SheetHeader("město Sokolov", "Asistenti prevence kriminality", "CZ.0")
    pdf = build_pdf(header, [title("Náhled"), para("Text")], sheet_id="T-1", title="Náhled")
    return [PdfPreviewDialog(pdf, "Náhled", "nahled.pdf", scene.ctx.prompter, scene.window)]


def _signed_review(scene: Scene) -> list[QDialog]:
    """A stack with the busiest session's sheet (each row a scanned cell, one walk-in, a long
    list of problems) and a page to assign by hand."""
    busiest = max(scene.sessions(), key=lambda view: len(view.participants))
    cell = io.BytesIO()
    Image.new("L", (300, 60), 230).save(cell, "PNG")
    png = cell.getvalue()
    rows = tuple(
        RowProposal(n, 1, p.assistant_id, p.full_name, True, Attendance.PRESENT, 0.9, n != 2, png)
        for n, p in enumerate(busiest.participants, start=1)
    )
    problems = tuple(
        Problem(kind, "Vysvětlení problému na celý řádek. " * 3) for kind in ProblemKind
    )
    sheet = SheetProposal(
        busiest.sheet_id,
        busiest.id,
        busiest.kind,
        busiest.topic,
        busiest.date,
        2,
        (),
        rows,
        (WalkInRow(len(rows) + 1, 2, 0.8, False, png),),
        problems,
        1,
    )
    page = ScannedPage(Path("sken.pdf"), 3, None, 0.0, False)
    stack = StackProposal(
        scene.ctx.project_id,
        (Path("sken.pdf"),),
        (sheet,),
        (UnmatchedPage(page, png, "Kód listu se nepodařilo přečíst."),),
        (),
        (),
        3,
    )
    return [SignedReviewDialog(scene.ctx, stack, scene.window)]


def _about(scene: Scene) -> list[QDialog]:
    facts = current_facts(scene.ctx.db.display_name)
    return [AboutDialog(facts, scene.window.open_url, scene.window)]


def _wizard(scene: Scene) -> list[QDialog]:
    return [FirstRunWizard(scene.db, scene.ctx.prompter, scene.window)]


def _project_chooser(scene: Scene) -> list[QDialog]:
    from apk_desktop.db.services.project import list_projects

    with scene.ctx.db.unit_of_work() as session:
        projects = list_projects(session)
    return [
        ProjectChooser(projects, scene.window),  # at start
        ProjectChooser(projects, scene.window, current=scene.ctx.project_id),  # switching
    ]


FACTORIES: dict[type[QDialog], DialogFactory] = {
    AssistantDialog: _roster,
    EndEmploymentDialog: _roster,
    ReplaceDialog: _roster,
    SessionDialog: _sessions,
    AttendanceDialog: _attendance,
    PlanDialog: _plans,
    GoalDialog: _plans,
    ReviewDialog: _plans,
    SignDialog: _plans,
    AssessmentDialog: _assessment,
    PdfPreviewDialog: _preview,
    FirstRunWizard: _wizard,
    SignedReviewDialog: _signed_review,
    AboutDialog: _about,
    ProjectChooser: _project_chooser,
}


@pytest.fixture
def scene(qtbot: QtBot, databases: TestDatabases, prompter: ScriptedPrompter) -> Iterator[Scene]:
    db = open_database(databases.migrated("demo"))
    with db.unit_of_work() as session:
        project_id = populate_demo(session).id
    ctx = AppContext(db=db, project_id=project_id, prompter=prompter)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield Scene(window, ctx, db)
    db.dispose()


def _outside_screen(dialog: QDialog) -> list[str]:
    """Push buttons of ``dialog`` (not scrolled with a form) that are not wholly on screen."""
    area = dialog.screen().availableGeometry()
    wrong = []
    for button in dialog.findChildren(QPushButton):
        if not button.isVisibleTo(dialog) or _in_scroll_area(button, dialog):
            continue
        rect = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
        if not area.contains(rect):
            wrong.append(f"{dialog.windowTitle()}: {button.text()} at {rect}")
    return wrong


def _in_scroll_area(widget: QWidget, dialog: QDialog) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not dialog:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def test_every_dialog_has_its_buttons_on_a_1280x720_screen(qtbot: QtBot, scene: Scene) -> None:
    assert QGuiApplication.primaryScreen().availableGeometry() == SCREEN
    assert set(FACTORIES) == _dialog_classes(), "a new dialog needs a factory here"
    wrong: list[str] = []
    seen: set[type[QDialog]] = set()
    for factory in dict.fromkeys(FACTORIES.values()):
        for dialog in factory(scene):
            seen.add(type(dialog))
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            if isinstance(dialog, FirstRunWizard):  # the longest page, the project's data
                dialog.setStartId(PROJECT)
                dialog.restart()
                assert dialog.button(QWizard.WizardButton.NextButton).isVisible()
            assert area_holds(dialog), f"{dialog.windowTitle()} is larger than the screen"
            wrong += _outside_screen(dialog)
            dialog.close()
    assert seen == set(FACTORIES)
    assert wrong == []


def area_holds(dialog: QDialog) -> bool:
    area = dialog.screen().availableGeometry()
    return dialog.frameGeometry().width() <= area.width() and (
        dialog.frameGeometry().height() <= area.height()
    )
