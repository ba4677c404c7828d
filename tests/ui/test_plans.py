from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apk_desktop.db.models.plans import Plan, PlanGoal
from apk_desktop.db.services import plans, roster
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.plans import GoalData, PlanData
from apk_desktop.domain.roster import PersonData
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pdf_preview import PdfPreviewDialog
from apk_desktop.ui.plan_dialogs import GoalDialog, PlanDialog, ReviewDialog, SignDialog
from apk_desktop.ui.plans import PlansPage
from tests.ui.conftest import ScriptedPrompter

TODAY = date(2023, 5, 2)


@pytest.fixture
def assistant_id(ctx: AppContext) -> int:
    with ctx.db.unit_of_work() as session:
        position = roster.list_positions(session, ctx.project_id, TODAY)[0]
        return roster.hire(
            session,
            ctx.project_id,
            position.position_id,
            PersonData("Jana", "Nováková"),
            date(2023, 4, 1),
        ).id


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext, assistant_id: int) -> PlansPage:
    widget = PlansPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _areas(ctx: AppContext) -> dict[str, int]:
    with ctx.db.unit_of_work() as session:
        info = project_service.get_project_info(session, ctx.project_id)
    return {a.code: a.id for a in info.areas}


def _drive(page: PlansPage, fill: Callable[[QDialog], None]) -> list[QDialog]:
    """Answer the next dialog the page opens: fill it and press Uložit (``save``)."""
    seen: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        seen.append(dialog)
        fill(dialog)
        return bool(dialog.save())  # type: ignore[attr-defined]

    page.run_dialog = run
    return seen


def _count(ctx: AppContext, model: type[Plan] | type[PlanGoal]) -> int:
    with ctx.db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_create_sign_and_revise_a_plan_through_the_dialogs(
    qtbot: QtBot, ctx: AppContext, page: PlansPage, assistant_id: int, prompter: ScriptedPrompter
) -> None:
    areas = _areas(ctx)
    assert page.selected_assistant_id() == assistant_id

    def new_plan(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanDialog)
        assert dialog.period_start.text() == "02.05.2023"  # suggested from "today"
        dialog.period_start.setText("1.4.2023")
        dialog.period_end.setText("31.3.2024")
        dialog.mentor_name.setText("Mgr. Pavel Kratochvíl")

    _drive(page, new_plan)
    page.new_button.click()
    assert page.detail is not None and page.detail.version == 1

    for code, text in (("FIN", "Umí sestavit rozpočet."), ("COMM", "Zvládá konflikt.")):

        def add_goal(dialog: QDialog, code: str = code, text: str = text) -> None:
            assert isinstance(dialog, GoalDialog)
            dialog.select_area(areas[code])
            dialog.goals.setPlainText(text)
            dialog.activity_boxes["training"].setChecked(True)
            dialog.deadline.setText("1.3.2024")

        _drive(page, add_goal)
        page.add_goal_button.click()
    assert page.goals.rowCount() == 2

    def add_review(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        dialog.review_date.setText("1.10.2023")

    _drive(page, add_review)
    page.add_review_button.click()
    assert page.reviews.rowCount() == 1

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignDialog)
        dialog.signed_on.setText("8.4.2023")

    _drive(page, sign)
    page.sign_button.click()
    signed_id = page.detail.id
    assert page.detail.signed and not page.sign_button.isEnabled()
    assert page.banner.isVisible() and "novou verzi 2" in page.banner.text()
    assert "hodnocení se zapisují k této verzi" in page.banner.text()

    # editing the signed plan: confirm, then the change lands in version 2
    page.goals.selectRow(0)

    def edit_goal(dialog: QDialog) -> None:
        assert isinstance(dialog, GoalDialog)
        dialog.goals.setPlainText("Umí sestavit rozpočet a splátkový kalendář.")

    _drive(page, edit_goal)
    prompter.confirm_answers.append(True)
    page.edit_goal_button.click()
    assert "novou verzi 2" in prompter.messages[-1][1]
    assert page.detail.version == 2 and not page.detail.signed
    assert page.plans.count() == 2

    with ctx.db.unit_of_work() as session:
        old = plans.get_plan(session, signed_id)
        new = plans.get_plan(session, page.detail.id)
    assert old.signed and old.summary.signed_on == date(2023, 4, 8)
    assert [g.goals for g in old.goals] == ["Umí sestavit rozpočet.", "Zvládá konflikt."]
    assert {g.goals for g in new.goals} == {
        "Umí sestavit rozpočet a splátkový kalendář.",
        "Zvládá konflikt.",
    }
    assert len(new.reviews) == 1 and new.summary.lineage_id == signed_id

    # the signed version, selected again, is read-only
    page.open_plan(signed_id)
    assert page.detail.id == signed_id and not page.add_goal_button.isEnabled()
    assert "nahrazena novější" in page.banner.text()


def _signed_plan(ctx: AppContext, assistant_id: int) -> int:
    areas = _areas(ctx)
    with ctx.db.unit_of_work() as session:
        plan = plans.create_plan(
            session, assistant_id, PlanData(date(2023, 4, 1), date(2024, 3, 31))
        )
        plans.add_goal(session, plan.id, GoalData(areas["FIN"], "Umí sestavit rozpočet."))
        return plans.mark_signed(session, plan.id, date(2023, 4, 8)).id


def test_reviews_on_a_signed_plan_need_no_new_version(
    qtbot: QtBot, ctx: AppContext, page: PlansPage, assistant_id: int, prompter: ScriptedPrompter
) -> None:
    signed_id = _signed_plan(ctx, assistant_id)
    page.open_plan(signed_id)
    assert page.detail is not None and page.detail.signed
    assert page.add_review_button.isEnabled() and not page.final_evaluation.isReadOnly()

    def add_review(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        assert dialog.findChild(QLabel, "signed_note") is None  # no "new version" note
        dialog.review_date.setText("1.10.2023")
        dialog.subject.setCurrentIndex(1)
        dialog.status.setCurrentIndex(dialog.status.findData("met"))
        dialog.note.setPlainText("Rozpočet sestavila sama.")

    seen = _drive(page, add_review)
    page.add_review_button.click()
    assert len(seen) == 1 and prompter.messages == []
    assert page.detail.id == signed_id and page.detail.signed and page.plans.count() == 1
    assert page.reviews.rowCount() == 1

    page.reviews.selectRow(0)

    def edit_review(dialog: QDialog) -> None:
        assert isinstance(dialog, ReviewDialog)
        dialog.note.setPlainText("Rozpočet i splátkový kalendář.")

    _drive(page, edit_review)
    page.edit_review_button.click()
    page.final_evaluation.setPlainText("Cíl splnila.")
    page.final_button.click()
    assert prompter.messages == []

    with ctx.db.unit_of_work() as session:
        stored = plans.get_plan(session, signed_id)
    assert stored.version == 1 and stored.summary.signed_on == date(2023, 4, 8)
    assert [(r.subject, r.status, r.note) for r in stored.reviews] == [
        ("Finanční gramotnost", "met", "Rozpočet i splátkový kalendář.")
    ]
    assert stored.final_evaluation == "Cíl splnila."
    assert _count(ctx, Plan) == 1

    # removing a review is confirmed like any delete, still on the same signed version
    page.reviews.selectRow(0)
    prompter.confirm_answers.append(True)
    page.remove_review()
    assert "Odebrat hodnocení ze dne 01.10.2023?" in prompter.messages[-1][1]
    assert page.detail.id == signed_id and page.detail.signed and page.reviews.rowCount() == 0
    assert _count(ctx, Plan) == 1


def test_invalid_input_shows_czech_message_and_saves_nothing(
    ctx: AppContext, page: PlansPage
) -> None:
    dialog = page.new_plan_dialog()
    assert dialog is not None
    dialog.period_start.setText("1.4.2023")
    dialog.period_end.setText("31.2.2024")
    assert not dialog.save()
    assert "není platné datum" in dialog.errors.message("period_end")
    dialog.period_end.setText("1.3.2023")
    assert not dialog.save()
    assert dialog.errors.message("period_end") == "Konec období musí být až po jeho začátku."
    assert _count(ctx, Plan) == 0
    dialog.period_end.setText("31.3.2024")
    assert dialog.save()
    page._after_change(dialog.detail.id if dialog.detail else None)

    goal = page.add_goal_dialog()
    assert goal is not None
    goal.goals.setPlainText("   ")
    goal.deadline.setText("1.6.2024")
    assert not goal.save()
    assert goal.errors.message("area_id") == "Vyberte vzdělávací oblast."
    assert goal.errors.message("goals") == "Zadejte alespoň jeden cíl pro tuto oblast."
    assert goal.errors.message("deadline").startswith("Termín musí ležet v období plánu")
    assert _count(ctx, PlanGoal) == 0

    overlap = page.new_plan_dialog()
    assert overlap is not None
    overlap.period_start.setText("1.10.2023")
    overlap.period_end.setText("30.9.2024")
    assert not overlap.save()
    assert "překrývá" in overlap.errors.message("period_start")
    assert _count(ctx, Plan) == 1

    sign = page.sign_dialog()
    assert sign is not None
    assert not sign.save()
    assert "žádný cíl" in sign.errors.message("signed_on")


def test_preview_builds_the_idp_and_copy_makes_a_new_plan(
    qtbot: QtBot, ctx: AppContext, page: PlansPage, prompter: ScriptedPrompter
) -> None:
    areas = _areas(ctx)
    dialog = page.new_plan_dialog()
    assert dialog is not None
    dialog.period_start.setText("1.4.2023")
    dialog.period_end.setText("31.3.2024")
    assert dialog.save()
    page._after_change(dialog.detail.id if dialog.detail else None)
    goal = page.add_goal_dialog()
    assert goal is not None
    goal.select_area(areas["DIG"])
    goal.goals.setPlainText("Používá e-mail.")
    assert goal.save()
    page._after_change(goal.detail.id if goal.detail else None)

    with qtbot.waitSignal(page.printer.shown, timeout=20_000):
        page.print_button.click()  # built off the GUI thread, then the preview
    preview = page.printer.last_preview
    assert isinstance(preview, PdfPreviewDialog)
    assert preview.document.pageCount() >= 1
    assert preview.suggested_name.startswith("IDP-")
    assert "Používá e-mail." in _pdf_text(preview.pdf)
    preview.close()

    copy = page.copy_plan_dialog()
    assert copy is not None
    assert (copy.period_start.text(), copy.period_end.text()) == ("01.04.2024", "31.03.2025")
    assert copy.save()
    assert copy.detail is not None and [g.goals for g in copy.detail.goals] == ["Používá e-mail."]
    page._after_change(copy.detail.id)
    assert page.plans.count() == 2 and page.detail is not None
    assert page.detail.id == copy.detail.id

    prompter.confirm_answers.append(True)
    page.delete_plan()
    assert page.plans.count() == 1


def test_select_assistant_shows_their_plans_or_the_empty_state(
    qtbot: QtBot, ctx: AppContext, page: PlansPage, assistant_id: int
) -> None:
    with ctx.db.unit_of_work() as session:
        position = roster.list_positions(session, ctx.project_id, TODAY)[1]
        other = roster.hire(
            session,
            ctx.project_id,
            position.position_id,
            PersonData("Petr", "Svoboda"),
            date(2023, 4, 1),
        ).id
        plan = plans.create_plan(session, other, PlanData(date(2023, 4, 1), date(2024, 3, 31)))
    page.refresh()
    assert page.select_assistant(other)
    assert page.selected_assistant_id() == other and page.selected_plan_id() == plan.id
    assert page.detail is not None and page.detail.assistant_name == "Petr Svoboda"
    assert page.select_assistant(assistant_id)  # no plan at all
    assert page.selected_assistant_id() == assistant_id and page.selected_plan_id() is None
    assert page.editor.isHidden() and not page.empty.isHidden()
    assert page.new_button.isEnabled()
    assert not page.select_assistant(999_999)
    assert page.selected_assistant_id() == assistant_id


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_main_window_shows_the_plans_page(main_window: MainWindow) -> None:
    widget = main_window.show_page("plans")
    assert isinstance(widget, PlansPage)
