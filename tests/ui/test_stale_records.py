"""A form opened on a record, the record changed behind its back by another app instance (a
second ``Database`` on the same database), then saved: the user is told "Záznam mezitím změnil
někdo jiný." and offered "Načíst znovu"; reloading shows the other's values, with the user's
own value kept under the field. Nothing of the refused save is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from apk_desktop.db.database import Database
from apk_desktop.db.services import assessments, attendance, plans, roster, sessions
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.plans import GoalData
from apk_desktop.domain.project import ProjectData
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.sessions import Attendance, AttendanceEntry
from apk_desktop.ui.assessments import AssessmentDialog, AssessmentRecords
from apk_desktop.ui.attendance_dialog import AttendanceDialog
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import FieldErrors
from apk_desktop.ui.plan_dialogs import GoalDialog, PlanDialog, ReviewDialog, SignDialog
from apk_desktop.ui.plans import PlansPage
from apk_desktop.ui.project_settings import ProjectSettingsPage
from apk_desktop.ui.prompter import Prompter
from apk_desktop.ui.roster import RosterPage
from apk_desktop.ui.roster_dialogs import AssistantDialog, EndEmploymentDialog
from apk_desktop.ui.session_dialogs import SessionDialog
from apk_desktop.ui.sessions import SessionsPage
from apk_desktop.ui.stale import CANCEL, RELOAD
from tests.db.records_helpers import ON, World, assessment_input, make_world
from tests.ui.conftest import ScriptedPrompter

MINE = "Moje neuložená úprava"
THEIRS = "Uložil kolega na jiném počítači"
STALE = "Záznam mezitím změnil někdo jiný."

Field = QLineEdit | QPlainTextEdit


@pytest.fixture
def world(ctx: AppContext) -> World:
    return make_world(ctx.db, ctx.project_id)


@pytest.fixture
def other_pc(db: Database) -> Iterator[Database]:
    database = Database(db.url)
    yield database
    database.dispose()


def _text(field: Field) -> str:
    return field.text() if isinstance(field, QLineEdit) else field.toPlainText()


def _type(field: Field, text: str) -> None:
    if isinstance(field, QLineEdit):
        field.setText(text)
    else:
        field.setPlainText(text)


def _detail(ctx: AppContext, w: World) -> plans.PlanDetail:
    with ctx.db.unit_of_work() as s:
        return plans.get_plan(s, w.plan)


def _areas(ctx: AppContext) -> list[project_service.AreaInfo]:
    with ctx.db.unit_of_work() as s:
        return list(project_service.get_project_info(s, ctx.project_id).areas)


def _save_project(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        info = project_service.get_project_info(s, w.project)
        data = ProjectData(**{f: getattr(info, f) for f in ProjectData.__dataclass_fields__})
        project_service.update_project(s, w.project, replace(data, mentor_name=value))


def _save_assessment(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        view = assessments.get_assessment(s, w.assessment)
        data = assessment_input(view.assistant_id, view.scale_id, dict(view.levels), value)
        assessments.update_assessment(s, w.project, w.assessment, data)


def _save_goal(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        goal = next(g for g in plans.get_plan(s, w.plan).goals if g.id == w.goal)
        plans.update_goal(s, w.goal, replace(goal.data(), goals=value))


def _save_review(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        review = next(r for r in plans.get_plan(s, w.plan).reviews if r.id == w.review)
        plans.update_review(s, w.review, replace(review.data(), note=value))


def _save_plan(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        plans.update_plan(s, w.plan, replace(plans.get_plan(s, w.plan).data(), note=value))


def _save_session(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        data = sessions.get_session(s, w.session).to_data()
        sessions.update_session(s, w.session, replace(data, topic=value))


def _save_person(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        roster.update_assistant(s, w.assistant, PersonData("Jana", "Nováková", note=value))


def _save_attendance(db: Database, w: World, value: str) -> None:
    with db.unit_of_work() as s:
        entry = AttendanceEntry(w.assistant, Attendance.PRESENT, None, value)
        attendance.record_attendance(s, w.session, [entry])


@dataclass(frozen=True)
class Form:
    """A form opened on one record: the field the test types into (and its name in the
    form's FieldErrors, None when the form has none), how another PC changes that value."""

    name: str
    open: Callable[[AppContext, World], QWidget]
    field: Callable[[QWidget], Field]
    errors: Callable[[QWidget], FieldErrors] | None
    field_name: str
    other_saves: Callable[[Database, World, str], None]

    def __str__(self) -> str:
        return self.name


def _attr(*names: str) -> Callable[[QWidget], Field]:
    def get(widget: object) -> Field:
        for name in names:
            widget = getattr(widget, name)
        assert isinstance(widget, QLineEdit | QPlainTextEdit)
        return widget

    return get


def _errors(widget: QWidget) -> FieldErrors:
    errors = getattr(widget, "errors")  # noqa: B009 - every form here names them so
    assert isinstance(errors, FieldErrors)
    return errors


FORMS = [
    Form(
        "assistant",
        lambda ctx, w: AssistantDialog(ctx, assistant_id=w.assistant, today=ON),
        _attr("person", "note"),
        _errors,
        "note",
        _save_person,
    ),
    Form(
        "session",
        lambda ctx, w: SessionDialog(ctx, None, w.session),
        _attr("topic"),
        _errors,
        "topic",
        _save_session,
    ),
    Form(
        "assessment",
        lambda ctx, w: AssessmentDialog(ctx, assessment_id=w.assessment, today=ON),
        _attr("note"),
        _errors,
        "note",
        _save_assessment,
    ),
    Form(
        "plan",
        lambda ctx, w: PlanDialog(
            ctx,
            None,
            assistant_id=w.assistant,
            assistant_name="Jana Nováková",
            initial=_detail(ctx, w).data(),
            plan=_detail(ctx, w),
        ),
        _attr("note"),
        _errors,
        "note",
        _save_plan,
    ),
    Form(
        "goal",
        lambda ctx, w: GoalDialog(
            ctx, None, _detail(ctx, w), _areas(ctx), _detail(ctx, w).goals[0]
        ),
        _attr("goals"),
        _errors,
        "goals",
        _save_goal,
    ),
    Form(
        "review",
        lambda ctx, w: ReviewDialog(ctx, None, _detail(ctx, w), _detail(ctx, w).reviews[0]),
        _attr("note"),
        _errors,
        "note",
        _save_review,
    ),
    Form(
        "project settings",
        lambda ctx, w: ProjectSettingsPage(ctx),
        lambda page: page.text["mentor_name"],  # type: ignore[attr-defined]
        _errors,
        "mentor_name",
        _save_project,
    ),
    Form(
        "attendance",
        lambda ctx, w: AttendanceDialog(ctx, w.session),
        lambda dialog: dialog.rows[dialog.view.participants[0].assistant_id].note,  # type: ignore[attr-defined]
        None,
        "",
        _save_attendance,
    ),
]


def _open(qtbot: QtBot, ctx: AppContext, world: World, form: Form) -> tuple[QWidget, Field]:
    widget = form.open(ctx, world)
    qtbot.addWidget(widget)
    widget.show()
    return widget, form.field(widget)


def _save(widget: QWidget) -> bool:
    saved = widget.save()  # type: ignore[attr-defined]
    assert isinstance(saved, bool)
    return saved


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_reloading_shows_the_others_values_and_keeps_mine_beside_them(
    qtbot: QtBot,
    ctx: AppContext,
    prompter: ScriptedPrompter,
    other_pc: Database,
    world: World,
    form: Form,
) -> None:
    widget, field = _open(qtbot, ctx, world, form)
    _type(field, MINE)
    form.other_saves(other_pc, world, THEIRS)

    assert not _save(widget)
    assert prompter.choices == [(RELOAD, CANCEL)]
    _title, text = prompter.messages[-1]
    assert text.startswith(STALE)
    field = form.field(widget)  # (the attendance rows are made anew)
    assert _text(field) == THEIRS  # "Načíst znovu" (the scripted answer) showed the stored value
    if form.errors is not None:
        assert form.errors(widget).yours(form.field_name) == MINE
        assert (
            f"Vaše neuložená hodnota: {MINE}"
            in widget.findChild(QWidget, f"yours_{form.field_name}").text()
        )  # type: ignore[union-attr]

    # loaded again, the user decides: their value saved over the colleague's, on purpose
    _type(field, MINE)
    assert _save(widget)
    reopened, field = _open(qtbot, ctx, world, form)
    assert _text(field) == MINE
    reopened.close()


@pytest.mark.parametrize("form", FORMS, ids=str)
def test_cancel_keeps_what_the_user_typed_and_stores_nothing(
    qtbot: QtBot,
    ctx: AppContext,
    prompter: ScriptedPrompter,
    other_pc: Database,
    world: World,
    form: Form,
) -> None:
    widget, field = _open(qtbot, ctx, world, form)
    _type(field, MINE)
    form.other_saves(other_pc, world, THEIRS)
    prompter.choice_answers.append(False)  # "Zrušit"

    assert not _save(widget)
    assert _text(field) == MINE
    assert widget.isVisible()
    _other, stored = _open(qtbot, ctx, world, form)
    assert _text(stored) == THEIRS
    prompter.choice_answers.append(False)
    assert not _save(widget)  # saving again is refused again: no silent overwrite


def test_only_the_fields_the_user_changed_show_their_value(
    qtbot: QtBot, ctx: AppContext, other_pc: Database, world: World
) -> None:
    dialog = AssistantDialog(ctx, assistant_id=world.assistant, today=ON)
    qtbot.addWidget(dialog)
    dialog.person.phone.setText("777 000 111")
    with other_pc.unit_of_work() as s:
        roster.update_assistant(
            s, world.assistant, PersonData("Jana", "Nováková", phone="608 111 222", note=THEIRS)
        )
    assert not dialog.save()
    assert dialog.person.note.toPlainText() == THEIRS
    assert dialog.errors.yours("phone") == "777 000 111"
    assert dialog.errors.yours("note") == ""  # the colleague's change, untouched here


def test_signing_a_plan_whose_goals_changed_meanwhile_shows_the_new_goals_first(
    qtbot: QtBot, ctx: AppContext, prompter: ScriptedPrompter, other_pc: Database, world: World
) -> None:
    dialog = SignDialog(ctx, None, _detail(ctx, world), date(2023, 5, 1))
    qtbot.addWidget(dialog)
    assert "1 oblast s cíli" in dialog.info.text()
    with other_pc.unit_of_work() as s:
        plans.add_goal(s, world.plan, GoalData(world.area, "Naslouchá."))
    assert not dialog.save()
    assert prompter.choices == [(RELOAD, CANCEL)]
    assert "2 oblasti s cíli" in dialog.info.text()
    assert not _detail(ctx, world).signed
    assert dialog.save()
    assert _detail(ctx, world).signed


def test_archiving_someone_changed_meanwhile_offers_to_reload_the_list(
    qtbot: QtBot, ctx: AppContext, prompter: ScriptedPrompter, other_pc: Database, world: World
) -> None:
    page = RosterPage(ctx, today=lambda: ON)
    qtbot.addWidget(page)
    page.show()
    for row in range(page.proxy.rowCount()):
        line = page.model.row_at(page.proxy.mapToSource(page.proxy.index(row, 0)).row())
        if line.assistant is not None and line.assistant.id == world.loose:
            page.table.selectRow(row)
    with other_pc.unit_of_work() as s:
        roster.update_assistant(s, world.loose, PersonData("Karel", "Volný", note=THEIRS))

    page.archive_selected()
    assert prompter.choices == [(RELOAD, CANCEL)]
    assert prompter.messages[-1][1].startswith(f"{STALE} Nic se nezměnilo.")
    with ctx.db.unit_of_work() as s:
        assert not roster.get_assistant(s, world.loose, ON).archived
    selected = page.selected_row()
    assert selected is not None and selected.assistant is not None
    assert selected.assistant.note == THEIRS  # the list was read again
    page.archive_selected()  # now with the version shown
    with ctx.db.unit_of_work() as s:
        assert roster.get_assistant(s, world.loose, ON).archived


def test_a_final_evaluation_saved_meanwhile_is_not_overwritten(
    qtbot: QtBot, ctx: AppContext, prompter: ScriptedPrompter, other_pc: Database, world: World
) -> None:
    page = PlansPage(ctx, today=lambda: ON)
    qtbot.addWidget(page)
    page.show()
    assert page.select_assistant(world.assistant)
    page.final_evaluation.setPlainText(MINE)
    with other_pc.unit_of_work() as s:
        plans.set_final_evaluation(s, world.plan, THEIRS)

    page.final_button.click()
    assert prompter.choices == [(RELOAD, CANCEL)]
    assert "vaše úpravy se zahodí" in prompter.messages[-1][1]
    assert page.final_evaluation.toPlainText() == THEIRS
    assert _detail(ctx, world).final_evaluation == THEIRS


def test_deleting_an_assessment_changed_meanwhile_is_refused(
    qtbot: QtBot, ctx: AppContext, prompter: ScriptedPrompter, other_pc: Database, world: World
) -> None:
    records = AssessmentRecords(ctx, today=ON)
    qtbot.addWidget(records)
    records.show()
    records.show_assistant(world.assistant)
    records.view.selectRow(0)
    _save_assessment(other_pc, world, THEIRS)

    records.delete_selected()  # the scripted prompter confirms the deletion
    assert prompter.choices == [(RELOAD, CANCEL)]
    with ctx.db.unit_of_work() as s:
        assert assessments.get_assessment(s, world.assessment).note == THEIRS
    assert records.model.rows[0].note == THEIRS  # the list was read again


def test_archiving_a_session_changed_meanwhile_is_refused(
    qtbot: QtBot, ctx: AppContext, prompter: ScriptedPrompter, other_pc: Database, world: World
) -> None:
    page = SessionsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.select(world.session)
    _save_session(other_pc, world, THEIRS)

    page.archive_selected()
    assert prompter.choices == [(RELOAD, CANCEL)]
    with ctx.db.unit_of_work() as s:
        assert not sessions.get_session(s, world.session).archived
    row = page.selected_row()
    assert row is not None and row.topic == THEIRS


def test_ending_an_employment_changed_meanwhile_shows_the_stored_one(
    qtbot: QtBot, ctx: AppContext, prompter: ScriptedPrompter, other_pc: Database, world: World
) -> None:
    with ctx.db.unit_of_work() as s:
        shown = roster.get_assistant(s, world.assistant, ON).employment
    assert shown is not None
    dialog = EndEmploymentDialog(ctx, None, shown, today=ON)
    qtbot.addWidget(dialog)
    dialog.end_date.setText("30.06.2024")
    with other_pc.unit_of_work() as s:
        roster.end_employment(s, world.employment, date(2024, 5, 31))

    assert not dialog.save()
    assert prompter.choices == [(RELOAD, CANCEL)]
    assert dialog.end_date.text() == "31.05.2024"
    assert dialog.errors.yours("end_date") == "30.06.2024"


def test_the_real_question_names_its_buttons_and_escape_cancels(qtbot: QtBot) -> None:
    seen: list[list[str]] = []

    def answer(key: Qt.Key | None) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append([b.text() for b in box.buttons()])
        if key is None:
            box.defaultButton().click()
        else:
            qtbot.keyClick(box, key)

    QTimer.singleShot(0, lambda: answer(None))
    assert Prompter().choose(None, "Titulek", STALE, RELOAD, CANCEL)
    QTimer.singleShot(0, lambda: answer(Qt.Key.Key_Escape))
    assert not Prompter().choose(None, "Titulek", STALE, RELOAD, CANCEL)
    assert [sorted(texts) for texts in seen] == [sorted([RELOAD, CANCEL])] * 2


def test_a_record_removed_before_it_could_be_loaded_again_is_explained(
    qtbot: QtBot,
    ctx: AppContext,
    prompter: ScriptedPrompter,
    other_pc: Database,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detail = _detail(ctx, world)
    dialog = ReviewDialog(ctx, None, detail, detail.reviews[0])
    qtbot.addWidget(dialog)
    dialog.note.setPlainText(MINE)
    _save_review(other_pc, world, THEIRS)

    def remove_then_reload(*_args: object) -> bool:
        with other_pc.unit_of_work() as s:
            plans.remove_review(s, world.review)
        return True

    monkeypatch.setattr(prompter, "choose", remove_then_reload)
    assert not dialog.save()
    assert prompter.messages[-1] == ("Záznam byl mezitím změněn", "Hodnocení už v databázi není.")
    assert dialog.note.toPlainText() == MINE  # the form stays as the user left it
