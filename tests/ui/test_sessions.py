from __future__ import annotations

import io
import os
import threading
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from apk_desktop.db.database import Database
from apk_desktop.db.models.sessions import TrainingSession
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import evidence, roster
from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import sessions as session_service
from apk_desktop.domain.recurrence import Frequency, HolidayPolicy
from apk_desktop.domain.sessions import (
    Attendance,
    HourUnit,
    SessionData,
    SessionKind,
    SupervisionForm,
)
from apk_desktop.paths import scans_dir
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.session_dialogs import SessionDialog
from apk_desktop.ui.sessions import SessionsPage
from tests.ui.conftest import ScriptedPrompter

DAY = date(2025, 3, 12)


def _people(db: Database, project_id: int, day: date = DAY) -> list[roster.ActiveAssistant]:
    with db.unit_of_work() as session:
        populate_sample(session, project_id)
        return roster.active_assistants(session, project_id, day)


def _area_ids(db: Database, project_id: int, *codes: str) -> tuple[int, ...]:
    with db.unit_of_work() as session:
        info = project_service.get_project_info(session, project_id)
    return tuple(info.area(code).id for code in codes)


def _create(ctx: AppContext, **changes: object) -> int:
    values: dict[str, object] = dict(
        kind=SessionKind.TRAINING,
        date=DAY,
        time_from=time(9),
        time_to=time(12),
        place="Služebna MP",
        lecturer="Mgr. Alena Šťastná",
        topic="Deeskalace",
        area_ids=_area_ids(ctx.db, ctx.project_id, "COMM"),
    )
    values.update(changes)
    with ctx.db.unit_of_work() as session:
        return session_service.create_session(
            session,
            ctx.project_id,
            SessionData(**values),  # type: ignore[arg-type]
        ).id


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _page(main_window: MainWindow) -> SessionsPage:
    page = main_window.show_page("sessions")
    assert isinstance(page, SessionsPage)
    return page


def _fill(dialog: SessionDialog, **texts: str) -> None:
    for name, text in texts.items():
        widget = getattr(dialog, name)
        widget.setText(text)


def test_session_models_pass_the_model_tester(
    qtmodeltester: ModelTester, main_window: MainWindow, ctx: AppContext
) -> None:
    people = _people(ctx.db, ctx.project_id)
    for hour in (8, 13, 15):
        _create(
            ctx,
            time_from=time(hour),
            time_to=time(hour + 1),
            participant_ids=(people[0].assistant_id,),
        )
    page = _page(main_window)
    page.refresh()
    assert page.model.rowCount() == 3
    qtmodeltester.check(page.model)
    page.tabs.setCurrentWidget(page.missing_table)
    assert page.missing_model.rowCount() == 3
    qtmodeltester.check(page.missing_model)
    page.tabs.setCurrentWidget(page.hours_table)
    qtmodeltester.check(page.hours_model)
    page.tabs.setCurrentWidget(page.table)
    page.model.sort(0)
    assert [r.time_from.hour for r in page.model.rows] == [8, 13, 15]


def test_plan_print_record_attendance_attach_scan_and_see_hours(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    people = _people(ctx.db, ctx.project_id)
    page = _page(main_window)
    dialog = page.plan_dialog()
    qtbot.addWidget(dialog)
    dialog.date.set_value(DAY)
    dialog.reload_participants()
    _fill(
        dialog,
        time_from="9:00",
        time_to="12:00",
        place="Služebna MP Sokolov",
        lecturer="Mgr. Alena Šťastná",
        topic="Komunikace v SVL",
    )
    comm, med = _area_ids(ctx.db, ctx.project_id, "COMM", "MED")
    dialog.area_boxes[comm].setChecked(True)
    dialog.area_boxes[med].setChecked(True)
    assert dialog.participants.count() == 9  # everyone employed that day
    dialog.set_participants({p.assistant_id for p in people})
    assert dialog.save(), dialog.errors.general.text()
    (session_id,) = dialog.saved_ids
    assert page.select(session_id)
    row = page.selected_row()
    assert (
        row is not None and row.evidence_text(datetime.now()) == "chybí" and row.hours == Decimal(4)
    )

    # print its sheet: a prezenční listina with the invited assistants
    with qtbot.waitSignal(page.printer.shown, timeout=20_000):
        page.print_selected()  # built off the GUI thread
    preview = page.printer.last_preview
    assert preview is not None and preview.document.pageCount() == 1
    text = _pdf_text(preview.pdf)
    assert "Prezenční listina" in text and "Komunikace v SVL" in text
    assert f"Identifikátor listu: PL-{session_id}" in text
    assert all(p.full_name in text for p in people)
    assert "APK – pozice 9" in text
    preview.close()

    # record attendance: one partial, one excused, the rest present
    attendance = page.attendance_dialog()
    assert attendance is not None
    qtbot.addWidget(attendance)
    attendance.mark_all_present()
    first, second = people[0].assistant_id, people[1].assistant_id
    attendance.rows[first].hours.setText("9")  # longer than the session
    attendance.rows[second].hours.setText("x")
    assert not attendance.save()
    assert "(4 vyuč. h)" in attendance.rows[first].error.text()
    assert not attendance.rows[first].error.isHidden()
    assert not attendance.rows[second].error.isHidden()
    attendance.rows[first].hours.setText("2")  # fixed: its message goes, the other stays
    assert attendance.rows[first].error.isHidden()
    assert not attendance.rows[second].error.isHidden()
    attendance.rows[second].hours.clear()
    attendance.rows[second].set_status(Attendance.EXCUSED)
    assert attendance.save(), attendance.error()
    page.tabs.setCurrentWidget(page.hours_table)
    hours = {(r.assistant_id, r.area_code): r.teaching_hours for r in page.hours_model.rows}
    assert hours[(first, "COMM")] == Decimal(2) and hours[(first, "MED")] == Decimal(2)
    assert (second, "COMM") not in hours
    assert hours[(people[2].assistant_id, "COMM")] == Decimal(4)
    page.tabs.setCurrentWidget(page.table)

    # the session is missing its signed sheet until a scan is attached
    page.tabs.setCurrentWidget(page.missing_table)
    assert session_id in [r.id for r in page.missing_model.rows]
    page.tabs.setCurrentWidget(page.table)
    scan = tmp_path / "podepsana-listina.pdf"
    scan.write_bytes(preview.pdf)
    prompter.file_answers.append(str(scan))
    assert page.select(session_id)
    with qtbot.waitSignal(page.scans.finished, timeout=20_000) as attached:
        assert page.attach_scan() is not None
    assert attached.args == [True]
    assert prompter.messages[-1] == (
        "Podepsaný sken",
        "Sken „podepsana-listina.pdf“ je přiložen k setkání „Komunikace v SVL“ z 12.03.2025.",
    )
    assert page.select(session_id)
    row = page.selected_row()
    assert row is not None and row.evidence_text(datetime.now()) == "doloženo"
    page.tabs.setCurrentWidget(page.missing_table)
    assert session_id not in [r.id for r in page.missing_model.rows]
    page.tabs.setCurrentWidget(page.table)
    evidence_cell = page.model.index(page.model.rows.index(row), page.model.EVIDENCE_COLUMN)
    assert evidence_cell.data() == "doloženo"


def test_bad_input_shows_czech_messages_and_saves_nothing(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    people = _people(ctx.db, ctx.project_id)
    page = _page(main_window)
    dialog = page.plan_dialog()
    qtbot.addWidget(dialog)
    dialog.date.set_value(DAY)
    dialog.reload_participants()
    _fill(
        dialog, time_from="12:00", time_to="9:00", place="Služebna", lecturer="Lektor", topic="Téma"
    )
    dialog.area_boxes[_area_ids(ctx.db, ctx.project_id, "FIN")[0]].setChecked(True)
    dialog.set_participants({people[0].assistant_id})
    assert not dialog.save()
    assert "Konec musí být později" in dialog.error("time_to")

    _fill(dialog, time_from="9:00", time_to="10:00", hours="5")
    assert not dialog.save()
    assert "neodpovídá" in dialog.error("hours") and dialog.error("time_to") == ""

    _fill(dialog, hours="abc")
    assert not dialog.save()
    assert "není číslo" in dialog.error("hours")
    assert page.model.rowCount() == 0
    for typed in ("NaN", "Infinity", "-inf"):  # Decimals, but not hours: no crash, a message
        _fill(dialog, hours=typed)
        assert not dialog.save()
        assert dialog.error("hours") == f"„{typed}“ není číslo. Zadejte hodiny jako 1,5."
    assert page.model.rowCount() == 0
    _fill(dialog, hours="")

    # a participant in an overlapping session
    _create(ctx, time_from=time(9, 30), time_to=time(11), participant_ids=(people[0].assistant_id,))
    _fill(dialog, hours="")
    assert not dialog.save()
    assert "jiné setkání" in dialog.error("participants")

    # a participant not employed on the date: the predecessor in position 4 left in 2024
    with ctx.db.unit_of_work() as session:
        early = roster.active_assistants(session, ctx.project_id, date(2023, 5, 2))
    predecessor = next(p for p in early if p.position_number == 4)
    dialog.date.set_value(date(2023, 5, 2))
    dialog.reload_participants()
    dialog.set_participants({predecessor.assistant_id})
    dialog.date.set_value(DAY)  # typed later, without reloading the checklist
    assert not dialog.save()
    assert "nebyl(a) 12.03.2025 zaměstnán(a)" in dialog.error("participants")
    page.refresh()
    assert page.model.rowCount() == 1  # only the session made directly above

    # a bad scan
    bad = tmp_path / "sken.pdf"
    bad.write_bytes(b"not a pdf at all")
    prompter.file_answers.append(str(bad))
    page.select(page.model.rows[0].id)
    with qtbot.waitSignal(page.scans.finished, timeout=20_000) as attached:
        assert page.attach_scan() is not None
    assert attached.args == [False]
    assert "není čitelné PDF" in prompter.messages[-1][1]

    # a FIFO named like a scan neither hangs the window nor is accepted
    fifo = tmp_path / "roura.pdf"
    os.mkfifo(fifo)
    prompter.file_answers.append(str(fifo))
    with qtbot.waitSignal(page.scans.finished, timeout=20_000) as attached:
        assert page.attach_scan() is not None
    assert attached.args == [False]
    assert "není obyčejný soubor" in prompter.messages[-1][1]
    assert page.model.rows[0].evidence_count == 0


def test_recurring_sessions_preview_skips_czech_holidays(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    people = _people(ctx.db, ctx.project_id)
    page = _page(main_window)
    dialog = page.plan_dialog()
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(SessionKind.ASSISTANT_SUPERVISION))
    dialog.supervision_form.setCurrentIndex(
        dialog.supervision_form.findData(SupervisionForm.SKUPINOVA)
    )
    dialog.date.set_value(date(2025, 5, 1))  # Svátek práce
    dialog.reload_participants()
    _fill(
        dialog,
        time_from="13:00",
        time_to="14:30",
        place="MěÚ",
        lecturer="PhDr. Karel Dohled",
        topic="Skupinová supervize",
    )
    dialog.hour_unit.setCurrentIndex(1)  # clock hours
    dialog.area_boxes[_area_ids(ctx.db, ctx.project_id, "COMM")[0]].setChecked(True)
    dialog.set_participants({p.assistant_id for p in people[:3]})
    dialog.repeat.setChecked(True)
    dialog.frequency.setCurrentIndex(dialog.frequency.findData(Frequency.MONTHLY))
    dialog.count.setValue(3)
    dialog.update_preview()
    preview = dialog.preview.text()
    assert "01.06.2025" in preview and "01.07.2025" in preview
    assert "01.05.2025 (Svátek práce) – vynecháno, svátek" in preview
    assert dialog.save(), dialog.errors.general.text()
    assert len(dialog.saved_ids) == 2
    page.refresh()
    assert {r.date for r in page.model.rows} == {date(2025, 6, 1), date(2025, 7, 1)}


def test_month_batch_is_built_off_the_gui_thread_into_one_preview(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    people = _people(ctx.db, ctx.project_id)
    ids = [
        _create(ctx, date=date(2025, 3, day), participant_ids=(people[0].assistant_id,))
        for day in (3, 17)
    ]
    supervision = _create(
        ctx,
        kind=SessionKind.ASSISTANT_SUPERVISION,
        date=date(2025, 3, 20),
        supervision_form=SupervisionForm.INDIVIDUALNI,
        participant_ids=(people[1].assistant_id,),
        private_note="Tajné",
        conclusions="Závěr pro poskytovatele",
    )
    _create(ctx, date=date(2025, 4, 2), participant_ids=(people[0].assistant_id,))
    page = _page(main_window)
    page.month_filter.setCurrentIndex(page.month_filter.findData("2025-03-01"))
    assert page.model.rowCount() == 3
    task = page.printer.month_batch(2025, 3)
    assert task is not None
    qtbot.waitUntil(lambda: page.printer.last_preview is not None, timeout=20_000)
    preview = page.printer.last_preview
    assert preview is not None
    text = _pdf_text(preview.pdf)
    for session_id in ids:
        assert f"PL-{session_id}" in text
    assert f"SUP-{supervision}" in text and "Záznam ze supervize" in text
    assert "Závěr pro poskytovatele" in text and "Tajné" not in text
    assert "02.04.2025" not in text


def test_private_note_printed_only_when_the_user_says_so(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext, prompter: ScriptedPrompter
) -> None:
    people = _people(ctx.db, ctx.project_id)
    session_id = _create(
        ctx,
        kind=SessionKind.MENTORING_INDIVIDUAL,
        lecturer="",
        participant_ids=(people[0].assistant_id,),
        private_note="Jen pro mentora",
    )
    page = _page(main_window)
    page.select(session_id)
    prompter.confirm_answers.append(False)
    with qtbot.waitSignal(page.printer.shown, timeout=20_000):
        page.print_selected()
    assert page.printer.last_preview is not None
    text = _pdf_text(page.printer.last_preview.pdf)
    assert "Záznam z mentoringu" in text and f"MEN-{session_id}" in text
    assert "Jen pro mentora" not in text
    prompter.confirm_answers.append(True)
    with qtbot.waitSignal(page.printer.shown, timeout=20_000):
        page.print_selected()
    assert "Jen pro mentora" in _pdf_text(page.printer.last_preview.pdf)


def test_filters_and_exports(
    main_window: MainWindow, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    people = _people(ctx.db, ctx.project_id)
    _create(ctx, topic="Finance domácnosti", participant_ids=(people[0].assistant_id,))
    _create(
        ctx,
        kind=SessionKind.MENTOR_TRAINING,
        topic="Vedení týmu",
        date=date(2025, 4, 8),
        area_ids=(),
    )
    page = _page(main_window)
    assert page.model.rowCount() == 2
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(SessionKind.MENTOR_TRAINING))
    assert [r.topic for r in page.model.rows] == ["Vedení týmu"]
    page.kind_filter.setCurrentIndex(0)
    page.text_filter.setText("finance")
    page.refresh()
    assert [r.topic for r in page.model.rows] == ["Finance domácnosti"]
    page.text_filter.setText("DOMACNOST")  # no accents, other case
    page.refresh()
    assert [r.topic for r in page.model.rows] == ["Finance domácnosti"]
    areas = page.model.index(0, [c.title for c in page.model.columns].index("Oblasti"))
    assert page.model.data(areas) == "KOM"  # the Czech short label, not the code COMM
    page.text_filter.clear()
    page.refresh()

    prompter.file_answers.append(str(tmp_path / "setkani"))
    csv_path = page.export_csv()
    assert csv_path == tmp_path / "setkani.csv"
    content = csv_path.read_bytes().decode("utf-8-sig")
    assert "Finance domácnosti" in content and "Vedení týmu" in content
    attendance = (tmp_path / "setkani-dochazka.csv").read_bytes()
    hours = (tmp_path / "setkani-hodiny.csv").read_bytes()
    assert attendance.startswith(b"\xef\xbb\xbf") and hours.startswith(b"\xef\xbb\xbf")
    assert ";" in attendance.decode("utf-8-sig").splitlines()[0]
    assert "setkani-hodiny.csv" in prompter.messages[-1][1]
    prompter.file_answers.append(str(tmp_path / "setkani.xlsx"))
    xlsx_path = page.export_xlsx()
    assert xlsx_path is not None and xlsx_path.stat().st_size > 0
    assert prompter.messages[-1] == (
        "Export",
        f"Uložen soubor setkani.xlsx do složky {tmp_path}.",
    )


def test_supervisor_type_is_chosen_in_the_dialog_and_kept_on_edit(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    from apk_desktop.domain.sessions import SupervisorType

    people = _people(ctx.db, ctx.project_id)
    page = _page(main_window)
    dialog = page.plan_dialog()
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(SessionKind.MENTOR_SUPERVISION))
    assert dialog.supervisor_type.isEnabled()
    dialog.date.set_value(DAY)
    _fill(dialog, time_from="9:00", time_to="10:30", place="MěÚ", lecturer="PhDr. Karel Dohled")
    _fill(dialog, topic="Supervize mentora")
    dialog.supervisor_type.setCurrentIndex(dialog.supervisor_type.findData(SupervisorType.EXTERNI))
    dialog.supervision_form.setCurrentIndex(
        dialog.supervision_form.findData(SupervisionForm.INDIVIDUALNI)
    )
    assert dialog.save(), dialog.errors.general.text()
    (session_id,) = dialog.saved_ids
    with ctx.db.unit_of_work() as session:
        assert session_service.get_session(session, session_id).supervisor_type is (
            SupervisorType.EXTERNI
        )

    edit = SessionDialog(ctx, page, session_id)
    qtbot.addWidget(edit)
    assert edit.supervisor_type.currentData() == SupervisorType.EXTERNI
    edit.topic.setText("Supervize mentora – případ")
    assert edit.save(), edit.errors.general.text()
    with ctx.db.unit_of_work() as session:
        view = session_service.get_session(session, session_id)
    assert view.supervisor_type is SupervisorType.EXTERNI and view.topic.endswith("případ")

    training = page.plan_dialog()
    qtbot.addWidget(training)
    training.kind.setCurrentIndex(training.kind.findData(SessionKind.TRAINING))
    assert not training.supervisor_type.isEnabled()
    assert people  # the roster is there; training has no supervisor type to choose


def test_progress_tab_shows_which_sessions_served_an_improved_area(
    main_window: MainWindow, ctx: AppContext
) -> None:
    from apk_desktop.db.services import assessments
    from apk_desktop.db.services import attendance as attendance_service

    people = _people(ctx.db, ctx.project_id)
    jana = people[0].assistant_id
    comm, fin = _area_ids(ctx.db, ctx.project_id, "COMM", "FIN")
    with ctx.db.unit_of_work() as session:
        scale = assessments.default_scale(session, ctx.project_id)
        for day, kind, level in ((date(2025, 1, 10), "entry", 2), (date(2025, 6, 10), "final", 4)):
            assessments.create_assessment(
                session,
                ctx.project_id,
                assessments.AssessmentInput(
                    jana, day, kind, "Mentor", "pozorování", scale.id, {comm: level, fin: 3}
                ),
            )
    served = _create(ctx, topic="Aktivní naslouchání", participant_ids=(jana,))
    _create(
        ctx,
        topic="Rozpočet domácnosti",
        date=date(2025, 3, 20),
        area_ids=(fin,),
        participant_ids=(jana,),
    )
    with ctx.db.unit_of_work() as session:
        attendance_service.mark_all_present(session, served)

    page = _page(main_window)
    page.tabs.setCurrentWidget(page.progress_view)
    view = page.progress_view
    view.person.setCurrentIndex(view.person.findData(jana))
    rows = {(r.area_label, r.topic): r for r in view.model.rows}
    row = rows[("Komunikační dovednosti", "Aktivní naslouchání")]
    assert row.improved and row.progress_text == "2 → 4" and row.hours_text == "4 vyuč. h"
    assert ("Finanční gramotnost", "") in rows  # no attended session (not recorded yet)
    assert not rows[("Finanční gramotnost", "")].improved
    texts = [view.model.index(0, c).data() for c in range(view.model.columnCount())]
    assert "Komunikační dovednosti" in " ".join(str(t) for t in texts) or view.model.rowCount() > 1
    assert "Zlepšil(a) se v 1 z 5 oblastí: Komunikační dovednosti" in view.summary.text()


class HeldReads:
    """The picked file, read for real, but every read after the first waits for ``released``:
    the test can look at the progress and press Zrušit while the import is in the middle."""

    def __init__(self, real: io.BufferedReader, released: threading.Event) -> None:
        self.real = real
        self.released = released
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        if self.reads:
            assert self.released.wait(20)
        self.reads += 1
        return self.real.read(size)

    def fileno(self) -> int:
        return self.real.fileno()

    def __enter__(self) -> HeldReads:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def test_attaching_a_scan_shows_progress_and_can_be_cancelled(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    prompter: ScriptedPrompter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = _people(ctx.db, ctx.project_id)
    session_id = _create(ctx, participant_ids=(people[0].assistant_id,))
    page = _page(main_window)
    page.refresh()
    assert page.select(session_id)
    big = tmp_path / "velky-sken.pdf"
    big.write_bytes(b"%PDF-1.7\n" + bytes(3 * evidence.CHUNK_SIZE))
    released = threading.Event()
    real_open = evidence.open_regular
    monkeypatch.setattr(evidence, "open_regular", lambda p: HeldReads(real_open(p), released))
    prompter.file_answers.append(str(big))

    task = page.attach_scan()
    assert task is not None
    assert page.attach_scan() is None  # one import at a time
    dialog = page.findChild(QProgressDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=20_000)
    assert dialog.maximum() == big.stat().st_size
    assert dialog.labelText() == "Čtu sken…"
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Zrušit"
    cancel.click()
    released.set()
    with qtbot.waitSignal(page.scans.finished, timeout=20_000) as finished:
        pass
    assert finished.args == [False]
    assert prompter.messages == []  # cancelling is not an error
    with ctx.db.unit_of_work() as session:
        assert session_service.get_session(session, session_id).evidence == ()
    assert not [p for p in scans_dir().rglob("*") if p.is_file()]


def test_text_fields_stop_at_their_limits_and_count_characters(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    page = _page(main_window)
    dialog = page.plan_dialog()
    qtbot.addWidget(dialog)
    dialog.topic.setFocus()
    qtbot.keyClicks(dialog.topic, "x" * 600)
    assert len(dialog.topic.text()) == 500
    dialog.conclusions.setPlainText("y" * 4001)
    counter = dialog.conclusions.counter
    assert counter.text() == "4001 / 4000 znaků – zkraťte text"
    dialog.conclusions.setPlainText("Závěr\x0b")
    assert counter.text() == "6 / 4000 znaků"


@pytest.mark.sqlite_only(reason="SQLite ignores VARCHAR lengths: only there can old rows be longer")
def test_an_older_session_with_a_longer_topic_opens_whole_and_must_be_shortened(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    people = _people(ctx.db, ctx.project_id)
    page = _page(main_window)
    session_id = _create(ctx, participant_ids=(people[0].assistant_id,))
    long_topic = "Dlouhé téma " * 100
    with ctx.db.unit_of_work() as session:
        record = session.get(TrainingSession, session_id)
        assert record is not None
        record.topic = long_topic
    editor = SessionDialog(ctx, page, session_id)
    qtbot.addWidget(editor)
    assert editor.topic.text() == long_topic
    assert not editor.save()
    assert (
        editor.error("topic") == "Text může mít nejvýše 500 znaků (nyní 1199). Zkraťte ho prosím."
    )


def _repeat(dialog: SessionDialog, start: date, count: int, **combos: object) -> str:
    dialog.date.set_value(start)
    dialog.date.editingFinished.emit()
    dialog.repeat.setChecked(True)
    for name, value in combos.items():
        combo = getattr(dialog, name)
        combo.setCurrentIndex(combo.findData(value))
    dialog.count.setValue(count)
    dialog.update_preview()
    return str(dialog.preview.text())


def test_monthly_series_over_holidays_moves_or_says_what_was_skipped(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    dialog = _page(main_window).plan_dialog()
    qtbot.addWidget(dialog)
    moved = _repeat(
        dialog, date(2026, 12, 1), 6, holiday_policy=HolidayPolicy.NEXT_WORKDAY
    ).splitlines()
    assert moved[0].startswith("6 setkání")
    assert len(moved) == 7  # every date on its own line
    assert "04.01.2027 pondělí – přesunuto z 01.01.2027" in moved[2]
    assert "03.05.2027 pondělí – přesunuto z 01.05.2027" in moved[6]
    skipped = _repeat(dialog, date(2026, 12, 1), 6, holiday_policy=HolidayPolicy.SKIP)
    assert skipped.startswith("4 setkání (měsíčně, 1. den v měsíci), vynecháno kvůli svátku: 2")
    assert "01.01.2027 (" in skipped and "01.05.2027 (" in skipped
    assert skipped.count("vynecháno, svátek") == 2
    assert "01.08.2027 neděle – víkend" in _repeat(dialog, date(2027, 8, 1), 1)


def test_series_on_the_first_tuesday_every_two_months(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    people = _people(ctx.db, ctx.project_id)
    page = _page(main_window)
    dialog = page.plan_dialog()
    qtbot.addWidget(dialog)
    _fill(dialog, time_from="09:00", time_to="10:30", place="MěÚ", lecturer="L", topic="T")
    dialog.area_boxes[_area_ids(ctx.db, ctx.project_id, "COMM")[0]].setChecked(True)
    dialog.interval.setValue(2)
    preview = _repeat(dialog, date(2025, 9, 2), 3, nth=1, weekday=1)
    assert preview.splitlines() == [
        "3 setkání (každý 2. měsíc, první úterý v měsíci):",
        "02.09.2025 úterý",
        "04.11.2025 úterý",
        "06.01.2026 úterý",
    ]
    dialog.set_participants({people[0].assistant_id})
    assert dialog.save(), dialog.error("participants")
    page.refresh()
    assert {r.date for r in page.model.rows} == {
        date(2025, 9, 2),
        date(2025, 11, 4),
        date(2026, 1, 6),
    }


def test_a_session_not_yet_held_is_planned_not_missing_its_sheet(
    main_window: MainWindow, ctx: AppContext
) -> None:
    people = _people(ctx.db, ctx.project_id)
    _create(ctx, participant_ids=(people[0].assistant_id,))  # 12.03.2025 9:00–12:00
    page = _page(main_window)
    model = page.model
    index = model.index(0, model.EVIDENCE_COLUMN)
    model.clock = lambda: datetime(2025, 3, 11, 18, 0)
    assert model.data(index) == "naplánováno"
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is None
    model.clock = lambda: datetime(2025, 3, 12, 12, 0)
    assert model.data(index) == "chybí"
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None


def test_hour_unit_follows_the_kind_until_the_user_picks_one(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    dialog = _page(main_window).plan_dialog()
    qtbot.addWidget(dialog)

    def pick(kind: SessionKind) -> object:
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        return dialog.hour_unit.currentData()

    assert pick(SessionKind.TRAINING) == HourUnit.TEACHING
    assert pick(SessionKind.MENTORING_INDIVIDUAL) == HourUnit.CLOCK
    assert pick(SessionKind.ASSISTANT_SUPERVISION) == HourUnit.CLOCK
    dialog.hour_unit.setCurrentIndex(dialog.hour_unit.findData(HourUnit.TEACHING))
    dialog.hour_unit.activated.emit(dialog.hour_unit.currentIndex())  # as a user's pick
    assert pick(SessionKind.MENTORING_GROUP) == HourUnit.TEACHING


def test_select_all_and_who_a_date_change_leaves_out_and_why(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    _people(ctx.db, ctx.project_id)
    dialog = _page(main_window).plan_dialog()
    qtbot.addWidget(dialog)

    def move_to(day: date) -> None:
        dialog.date.set_value(day)
        dialog.date.editingFinished.emit()

    move_to(date(2023, 12, 15))
    qtbot.mouseClick(dialog.select_all, Qt.MouseButton.LeftButton)
    assert len(dialog.checked_participants()) == dialog.participants.count() == 9
    assert dialog.dropped.isHidden()
    move_to(date(2024, 3, 1))  # Radek Marek left position 4, Tomáš Černý took it
    assert not dialog.dropped.isHidden()
    text = dialog.dropped.text()
    assert "Nejsou v týmu k 01.03.2024" in text
    assert "Radek Marek (pracovní poměr skončil 01.01.2024)" in text
    assert len(dialog.checked_participants()) == 8  # Černý is new on this day: not ticked
    qtbot.mouseClick(dialog.select_all, Qt.MouseButton.LeftButton)
    move_to(date(2023, 6, 1))
    assert "Tomáš Černý (nastupuje až 02.01.2024)" in dialog.dropped.text()
    assert "Radek" not in dialog.dropped.text()


def test_an_empty_form_shows_every_message_at_once(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    _people(ctx.db, ctx.project_id)
    dialog = _page(main_window).plan_dialog()
    qtbot.addWidget(dialog)
    _fill(dialog, time_from="9.x")  # unreadable time, everything else empty
    assert not dialog.save()
    assert dialog.error("time_from") != ""
    for field in ("time_to", "place", "topic", "lecturer", "areas", "participants"):
        assert dialog.error(field) != "", field
    _fill(dialog, topic="Deeskalace")
    assert dialog.error("topic") == "" and dialog.error("place") != ""
    _fill(dialog, time_to="10:00")
    assert dialog.error("time_to") == ""
