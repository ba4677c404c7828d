"""One "as of" day on every screen and print: today, kept inside the project period."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.project import ProjectData
from apk_desktop.ui.assessments import AssessmentDialog
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.dashboard import DashboardPage
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.print_page import PrintPage
from apk_desktop.ui.roster import RosterPage
from apk_desktop.ui.team_grid import TeamAssessmentWidget

ENDED = date(2024, 3, 31)  # before the real today: the project is over


def test_every_screen_and_dialog_uses_the_same_as_of_day(qtbot: QtBot, ctx: AppContext) -> None:
    with ctx.db.unit_of_work() as session:
        info = project_service.get_project_info(session, ctx.project_id)
        facts = ProjectData(
            **{name: getattr(info, name) for name in ProjectData.__dataclass_fields__}
        )
        project_service.update_project(session, ctx.project_id, replace(facts, period_end=ENDED))
        populate_sample(session, ctx.project_id)
    dashboard = DashboardPage(ctx)
    dialog = AssessmentDialog(ctx)
    grid = TeamAssessmentWidget(ctx)
    roster_page, plans_page, print_page = RosterPage(ctx), PlansPage(ctx), PrintPage(ctx)
    for widget in (dashboard, dialog, grid, roster_page, plans_page, print_page):
        qtbot.addWidget(widget)
    assert dashboard.today == ENDED
    assert dialog.assessed_on.value() == ENDED  # not the real today, after the project's end
    assert grid.date_field.value() == ENDED
    assert roster_page.today() == plans_page.today() == print_page.today() == ENDED
    assert print_page.as_of.value() == ENDED


def test_a_future_assessment_date_is_refused_beside_the_field(
    qtbot: QtBot, ctx: AppContext
) -> None:
    today = date.today()
    with ctx.db.unit_of_work() as session:
        info = project_service.get_project_info(session, ctx.project_id)
        facts = ProjectData(
            **{name: getattr(info, name) for name in ProjectData.__dataclass_fields__}
        )
        longer = replace(facts, period_end=today + timedelta(days=800))
        project_service.update_project(session, ctx.project_id, longer)
        person = populate_sample(session, ctx.project_id)[0]
    dialog = AssessmentDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.assessed_on.value() == today  # the as-of day inside the period
    dialog.set_assistant(person)
    dialog.set_kind("entry")
    dialog.assessed_on.setText(format_date(today + timedelta(days=384)))  # a year's typo
    dialog.assessor.setText("Mentor")
    dialog.method.setCurrentText("vstupní test")
    dialog.set_level(next(iter(dialog.level_boxes)), 2)
    assert not dialog.save()
    assert "v budoucnosti" in dialog.errors.message("assessed_on")
    dialog.assessed_on.setText(format_date(today))
    assert dialog.save()
