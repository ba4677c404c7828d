from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import assessments as svc
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services.plans import populate_sample_plans
from apk_desktop.ui.assessments import AssessmentsPage
from apk_desktop.ui.dashboard import ITEM_ROLE, DashboardPage
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.project_settings import ProjectSettingsPage

GOAL_1 = (
    "„Devět asistentů prevence kriminality prokáže zvýšení znalostí, vědomostí a kompetencí "
    "minimálně dvou z pěti vzdělávacích oblastí“"
)


@pytest.fixture
def people(db: Database, project_id: int) -> list[int]:
    with db.unit_of_work() as session:
        ids = populate_sample(session, project_id)
        populate_sample_plans(session, project_id)
        return ids


def _dashboard(main_window: MainWindow, today: date) -> DashboardPage:
    page = main_window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    page._today = today
    page.refresh()
    return page


def test_shows_goal_1_verbatim_and_its_status(
    qtbot: QtBot, main_window: MainWindow, people: list[int]
) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    assert page.goal_text.text() == GOAL_1
    assert "NESPLNĚN" in page.goal_status.text()
    assert "0 z 9 asistentů splňuje cíl" in page.goal_status.text()
    assert page.not_meeting.count() == 9


def test_missing_assessment_opens_the_persons_records(
    qtbot: QtBot, main_window: MainWindow, db: Database, project_id: int, people: list[int]
) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    texts = [page.missing.item(i).text() for i in range(page.missing.count())]
    assert len(texts) == 9 and all("chybí vstupní hodnocení" in t for t in texts)
    entry = page.missing.item(0).data(ITEM_ROLE)
    page.open_item(entry)
    assessments = main_window.stack.currentWidget()
    assert isinstance(assessments, AssessmentsPage)
    assert assessments.tabs.currentWidget() is assessments.records
    assert assessments.records.selected_assistant() == entry.assistant_id


def test_plan_items_open_the_plan(qtbot: QtBot, main_window: MainWindow, people: list[int]) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    assert page.plans_due.count() >= 1
    entry = page.plans_due.item(0).data(ITEM_ROLE)
    assert entry.plan_id is not None and "revize plánu 30.09.2024" in entry.text
    page.open_item(entry)
    plans = main_window.stack.currentWidget()
    assert plans is main_window.page("plans")
    assert plans.selected_plan_id() == entry.plan_id  # type: ignore[attr-defined]


def test_person_without_a_plan_opens_the_plans_page_at_them(
    qtbot: QtBot, main_window: MainWindow, people: list[int]
) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    entries = [page.thin_plans.item(i).data(ITEM_ROLE) for i in range(page.thin_plans.count())]
    entry = next(e for e in entries if e.plan_id is None)
    assert "Tomáš Černý: nemá platný plán rozvoje" in entry.text
    # the box lists people without a plan too, and its heading says so
    assert page.boxes["thin"].title() == (
        "Bez platného plánu nebo s cíli v méně než dvou oblastech"
    )
    page.open_item(entry)
    plans = main_window.stack.currentWidget()
    assert isinstance(plans, PlansPage)
    assert plans.selected_assistant_id() == entry.assistant_id
    assert plans.selected_plan_id() is None and plans.new_button.isEnabled()


def test_reviews_of_people_who_left_are_not_listed(
    qtbot: QtBot, main_window: MainWindow, people: list[int]
) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    texts = [page.plans_due.item(i).text() for i in range(page.plans_due.count())]
    assert len(texts) == 8 and not any("Radek Marek" in t for t in texts)


def test_goal_item_opens_progress_and_status_follows_new_assessments(
    qtbot: QtBot, main_window: MainWindow, db: Database, project_id: int, people: list[int]
) -> None:
    with db.unit_of_work() as session:
        svc.populate_sample_assessments(session, project_id)
    page = _dashboard(main_window, date(2025, 11, 1))
    assert page.missing.count() == 1 and not page.missing.item(0).flags()  # placeholder only
    status = page.goal_status.text()
    assert "asistentů splňuje cíl" in status
    assert "NESPLNĚN" in status  # the sample has people with only one improved area
    entry = page.not_meeting.item(0).data(ITEM_ROLE)
    page.open_item(entry)
    assessments = main_window.stack.currentWidget()
    assert isinstance(assessments, AssessmentsPage)
    assert assessments.progress.current_assistant_id() == entry.assistant_id
    page = _dashboard(main_window, date(2025, 11, 1))
    page.open_progress(None)
    assessments = main_window.stack.currentWidget()
    assert isinstance(assessments, AssessmentsPage)
    assert assessments.progress.current_assistant_id() is None


def test_after_the_project_ends_the_final_team_is_shown(
    qtbot: QtBot, main_window: MainWindow, people: list[int]
) -> None:
    page = main_window.show_page("dashboard")
    assert isinstance(page, DashboardPage)
    page.refresh()  # the real "today" (the tests run after the seeded project's end)
    assert "z 9 asistentů" in page.goal_status.text()
    assert "31.03.2026" in page.goal_status.text()


def _set_logolink(main_window: MainWindow, path: Path, size: tuple[int, int]) -> None:
    from PIL import Image

    Image.new("RGB", size, "navy").save(path)
    ctx = main_window.ctx
    with ctx.db.unit_of_work() as session:
        project_service.set_logo(session, ctx.project_id, path)
    ctx.events.changed.emit("project")


def test_without_a_logolink_the_publicity_notice_leads_to_the_logo_field(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    assert not page.publicity.isHidden()
    assert "nesplňují pravidla publicity EU" in page.publicity.message
    assert page.publicity.button is not None
    qtbot.mouseClick(page.publicity.button, Qt.MouseButton.LeftButton)
    settings = main_window.stack.currentWidget()
    assert isinstance(settings, ProjectSettingsPage)
    assert settings.scroll_area.verticalScrollBar().value() > 0  # scrolled down to the logo
    viewport = settings.scroll_area.viewport()
    top_left = settings.logo_box.mapTo(viewport, settings.logo_box.rect().topLeft())
    assert viewport.rect().contains(top_left)


def test_the_notice_goes_with_a_good_logolink_and_warns_for_a_poor_one(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    page = _dashboard(main_window, date(2024, 9, 20))
    _set_logolink(main_window, tmp_path / "good.png", (2400, 400))
    qtbot.waitUntil(lambda: page.publicity.isHidden())  # checked once the page is painted
    assert page.publicity.message == ""
    _set_logolink(main_window, tmp_path / "square.png", (400, 400))
    qtbot.waitUntil(lambda: not page.publicity.isHidden())
    assert "není široký pruh" in page.publicity.message
