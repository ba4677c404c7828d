from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import roster
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.roster import RosterPage, RosterTableModel
from apk_desktop.ui.roster_dialogs import AssistantDialog, ReplaceDialog
from tests.ui.conftest import ScriptedPrompter

TODAY = date(2024, 6, 3)


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> RosterPage:
    widget = RosterPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _select(page: RosterPage, position: int | None = None, last_name: str | None = None) -> None:
    for row in range(page.proxy.rowCount()):
        line = page.model.row_at(page.proxy.mapToSource(page.proxy.index(row, 0)).row())
        if (position is not None and line.position_number == position) or (
            last_name is not None and line.assistant and line.assistant.last_name == last_name
        ):
            page.table.selectRow(row)
            return
    raise AssertionError(f"row not found: {position} {last_name}")


def _fill(dialog: AssistantDialog, first: str, last: str, start: str = "01.04.2023") -> None:
    dialog.person.first_name.setText(first)
    dialog.person.last_name.setText(last)
    dialog.person.phone.setText("777 123 456")
    dialog.person.email.setText(f"{first.lower()}@email.cz")
    dialog.start_date.setText(start)


def _history(ctx: AppContext, position_number: int) -> list[roster.EmploymentView]:
    with ctx.db.unit_of_work() as s:
        rows = roster.list_positions(s, ctx.project_id, TODAY)
        pos = next(r for r in rows if r.number == position_number)
        return roster.employment_history(s, position_id=pos.position_id)


def test_model_is_consistent(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    with ctx.db.unit_of_work() as s:
        populate_sample(s, ctx.project_id)
        rows = roster.roster_rows(s, ctx.project_id, TODAY, include_archived=True)
    model = RosterTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == 10  # nine positions and the predecessor in position 4


def test_add_into_vacant_position_through_dialog(page: RosterPage, ctx: AppContext) -> None:
    _select(page, position=2)
    dialog = page.add_dialog()
    assert dialog.position.currentText() == "2 – neobsazeno"
    _fill(dialog, "Jana", "Nováková")
    assert dialog.save()
    history = _history(ctx, 2)
    assert [(h.assistant_name, h.start_date, h.end_date) for h in history] == [
        ("Jana Nováková", date(2023, 4, 1), None)
    ]
    # the page refreshed itself from the change event
    _select(page, last_name="Nováková")
    line = page.selected_row()
    assert line is not None and line.position_number == 2 and line.status == "Aktivní"


def test_invalid_input_shows_czech_messages_and_stores_nothing(
    page: RosterPage, ctx: AppContext
) -> None:
    dialog = page.add_dialog()
    dialog.person.first_name.setText("")
    dialog.person.last_name.setText("Nováková")
    dialog.person.email.setText("jana@")
    dialog.start_date.setText("01.04.2023")
    dialog.end_date.setText("01.03.2023")
    assert not dialog.save()
    assert dialog.errors.message("first_name") == "Zadejte jméno."
    assert "není platná e-mailová adresa" in dialog.errors.message("email")
    assert "nesmí být před jeho začátkem" in dialog.errors.message("end_date")
    assert dialog.isVisible() or not dialog.result()
    dialog.start_date.setText("31.02.2023")
    assert not dialog.save()
    assert "není platné datum" in dialog.errors.message("start_date")
    # the other fields' messages are shown with it, not one at a time
    assert dialog.errors.message("first_name") == "Zadejte jméno."
    assert "není platná e-mailová adresa" in dialog.errors.message("email")
    with ctx.db.unit_of_work() as s:
        assert roster.list_assistants(s, ctx.project_id, TODAY, include_archived=True) == []


def test_second_person_in_an_occupied_position_is_refused(
    page: RosterPage, ctx: AppContext
) -> None:
    first = page.add_dialog()
    _fill(first, "Jana", "Nováková")
    assert first.save()
    pos = first.position.currentData()
    second = page.add_dialog()
    second.position.setCurrentIndex(second.position.findData(pos))
    _fill(second, "Petr", "Svoboda", start="01.01.2024")
    assert not second.save()
    assert "může být v jednu chvíli jen jeden asistent" in second.errors.message("position")
    with ctx.db.unit_of_work() as s:
        names = [a.last_name for a in roster.list_assistants(s, ctx.project_id, TODAY)]
    assert names == ["Nováková"]


def test_edit_end_replace_and_archive(
    qtbot: QtBot, page: RosterPage, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    _select(page, position=4)
    add = page.add_dialog()
    _fill(add, "Radek", "Marek")
    assert add.save()

    # edit: Enter on the selected row opens the edit dialog; here we build it directly
    _select(page, position=4)
    edit = page.edit_dialog()
    assert edit is not None and edit.person.last_name.text() == "Marek"
    edit.person.phone.setText("+420 774 202 118")
    edit.employment_note.setText("plný úvazek")
    assert edit.save()
    with ctx.db.unit_of_work() as s:
        marek = roster.list_assistants(s, ctx.project_id, TODAY)[0]
    assert marek.phone == "+420 774 202 118"
    assert marek.employment is not None and marek.employment.note == "plný úvazek"

    # replace: Marek leaves on 31.12.2023, Černý starts on 01.01.2024
    _select(page, position=4)
    replace = page.replace_dialog()
    assert replace is not None
    replace.old_end.setText("31.12.2023")
    replace.person.first_name.setText("Tomáš")
    replace.person.last_name.setText("Černý")
    replace.start_date.setText("01.01.2024")
    assert replace.save()
    assert [(h.assistant_name, h.end_date) for h in _history(ctx, 4)] == [
        ("Radek Marek", date(2023, 12, 31)),
        ("Tomáš Černý", None),
    ]
    assert page.history.rowCount() == 2  # the selected position's history is shown

    # end employment of Černý
    _select(page, position=4)
    end = page.end_dialog()
    assert end is not None
    end.end_date.setText("31.05.2024")
    assert end.save()
    assert _history(ctx, 4)[-1].end_date == date(2024, 5, 31)

    # archive Marek (no running employment) with confirmation via the Delete key
    _select(page, last_name="Marek")
    prompter.confirm_answers.append(True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "Archivovat" in prompter.messages[-1][1]
    with ctx.db.unit_of_work() as s:
        visible = [a.last_name for a in roster.list_assistants(s, ctx.project_id, TODAY)]
    assert visible == ["Černý"]
    assert all(
        page.model.row_at(r).assistant is None
        or page.model.row_at(r).assistant.last_name != "Marek"  # type: ignore[union-attr]
        for r in range(page.model.rowCount())
    )
    page.show_archived.setChecked(True)
    _select(page, last_name="Marek")
    page.restore_selected()
    with ctx.db.unit_of_work() as s:
        assert len(roster.list_assistants(s, ctx.project_id, TODAY)) == 2


def test_archiving_an_employed_person_is_explained_not_done(
    page: RosterPage, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    add = page.add_dialog()
    _fill(add, "Jana", "Nováková")
    assert add.save()
    _select(page, last_name="Nováková")
    page.archive_selected()
    assert "platný pracovní poměr" in prompter.messages[-1][1]
    with ctx.db.unit_of_work() as s:
        assert len(roster.list_assistants(s, ctx.project_id, TODAY)) == 1


def test_filter_and_sort(page: RosterPage, ctx: AppContext) -> None:
    with ctx.db.unit_of_work() as s:
        populate_sample(s, ctx.project_id)
    page.refresh()
    assert page.proxy.rowCount() == 10
    page.filter_edit.setText("novák")
    assert page.proxy.rowCount() == 1
    page.filter_edit.clear()
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    first = page.model.row_at(page.proxy.mapToSource(page.proxy.index(0, 0)).row())
    assert first.assistant is not None and first.assistant.last_name == "Černý"


def test_wrapped_error_messages_are_not_cut_off(qtbot: QtBot, page: RosterPage) -> None:
    dialog = page.add_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.email.setText("jana@@seznam")
    dialog.start_date.setText("01.05.2024")
    dialog.end_date.setText("01.04.2024")
    assert not dialog.save()
    for name in ("email", "end_date", "first_name"):
        label = dialog.findChild(QLabel, f"error_{name}")
        assert label is not None and label.isVisible()
        qtbot.waitUntil(lambda lb=label: lb.height() >= lb.heightForWidth(lb.width()))


def test_keyboard_ctrl_n_and_enter_open_the_dialogs(
    qtbot: QtBot, page: RosterPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[AssistantDialog] = []
    monkeypatch.setattr(page, "_open", lambda dialog: opened.append(dialog))  # no exec()
    page.activateWindow()
    qtbot.waitActive(page)
    _select(page, position=3)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1 and opened[0].windowTitle() == "Nový asistent"
    assert opened[0].position.currentText() == "3 – neobsazeno"
    _fill(opened[0], "Jana", "Nováková")
    assert opened[0].save()
    _select(page, last_name="Nováková")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(opened) == 2 and opened[1].windowTitle() == "Upravit asistenta"
    assert opened[1].person.last_name.text() == "Nováková"
    for dialog in opened:
        dialog.deleteLater()


def test_focus_returns_to_the_table_after_a_dialog(
    page: RosterPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AssistantDialog, "exec", lambda _self: 0)  # cancelled at once
    page.add_button.setFocus()
    page.add_assistant()
    assert page.table.hasFocus() or page.focusWidget() is page.table


def test_roster_page_in_the_main_window(main_window: MainWindow) -> None:
    widget = main_window.show_page("assistants")
    assert isinstance(widget, RosterPage)
    assert widget.proxy.rowCount() == 9  # nine vacant positions after the seed


def test_filter_ignores_diacritics_and_case(page: RosterPage, ctx: AppContext) -> None:
    with ctx.db.unit_of_work() as s:
        populate_sample(s, ctx.project_id)
    page.refresh()
    page.filter_edit.setText("DVORA")
    assert page.proxy.rowCount() == 1
    found = page.model.row_at(page.proxy.mapToSource(page.proxy.index(0, 0)).row())
    assert found.assistant is not None and found.assistant.last_name == "Dvořáková"
    page.filter_edit.setText("prochazk")
    assert page.proxy.rowCount() == 1
    page.filter_edit.clear()
    assert page.proxy.rowCount() == 10


def test_ctrl_n_on_a_full_team_says_so_and_offers_to_replace(
    qtbot: QtBot, page: RosterPage, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ctx.db.unit_of_work() as s:
        populate_sample(s, ctx.project_id)
    page.refresh()
    opened: list[object] = []
    monkeypatch.setattr(page, "_open", lambda dialog: opened.append(dialog))  # no exec()
    prompter = ctx.prompter
    assert isinstance(prompter, ScriptedPrompter)
    page.table.clearSelection()
    page.add_assistant()
    assert opened == []
    assert prompter.messages[-1][0] == "Tým je plný"
    assert "Všech 9 pozic je obsazeno" in prompter.messages[-1][1]
    _select(page, last_name="Svoboda")
    prompter.confirm_answers.append(False)
    page.add_assistant()
    assert opened == []
    assert "Nahradit asistenta Petr Svoboda na pozici 2?" in prompter.messages[-1][1]
    prompter.confirm_answers.append(True)
    page.add_assistant()
    assert len(opened) == 1 and isinstance(opened[0], ReplaceDialog)
    for dialog in opened:
        dialog.deleteLater()  # type: ignore[attr-defined]


def test_full_team_message_uses_czech_plural(page: RosterPage, ctx: AppContext) -> None:
    from sqlalchemy import delete

    from apk_desktop.db.models import Position
    from apk_desktop.domain.roster import PersonData

    with ctx.db.unit_of_work() as s:
        s.execute(delete(Position).where(Position.number > 3))
        for number, row in enumerate(roster.list_positions(s, ctx.project_id, TODAY), start=1):
            person = PersonData("Jana", f"Nováková{number}")
            roster.hire(s, ctx.project_id, row.position_id, person, date(2023, 4, 1))
    page.refresh()
    page.table.clearSelection()
    page.add_assistant()
    prompter = ctx.prompter
    assert isinstance(prompter, ScriptedPrompter)
    assert prompter.messages[-1][1].startswith("Všechny 3 pozice jsou obsazené.")
