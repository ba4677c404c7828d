"""Plan or edit a session (all fields, areas as checkboxes, invited assistants as a checklist of
those employed on the date), optionally as a recurring series with a preview of the dates."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.domain.czech_format import format_date, format_hours, parse_hours
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.recurrence import (
    ORDINAL_LABELS,
    WEEKDAY_LABELS,
    Frequency,
    HolidayPolicy,
    RecurrencePlan,
    RecurrenceRule,
    plan_dates,
)
from apk_desktop.domain.sessions import (
    HourUnit,
    SessionData,
    SessionForm,
    SessionKind,
    SupervisionForm,
    SupervisorType,
    format_time,
    parse_time,
    suggest_hours,
    validate_session,
)
from apk_desktop.ui.actions import read, store
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import DateField, FieldErrors, LimitedLineEdit, LimitedTextEdit
from apk_desktop.ui.screen_fit import fit_to_screen


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def preview_text(plan: RecurrencePlan) -> str:
    """Every date of the series, one a line, holidays moved or left out marked."""
    moved_to = {new: old for old, new in plan.moved}
    moved_from = {old for old, _ in plan.moved}
    lines: list[tuple[date, str]] = []
    for day in plan.dates:
        line = f"{format_date(day)} {WEEKDAY_LABELS[day.weekday()]}"
        if day in moved_to:
            old = moved_to[day]
            reason = next(s.reason for s in plan.skipped if s.day == old)
            line += f" – přesunuto z {format_date(old)} ({reason})"
        elif day.weekday() >= 5:
            line += " – víkend"
        lines.append((day, line))
    for skipped in plan.skipped:
        if skipped.day not in moved_from:
            lines.append((skipped.day, f"{skipped.text} – vynecháno, svátek"))
    head = f"{len(plan.dates)} setkání ({plan.description})"
    left_out = len(plan.skipped) - len(plan.moved)
    if left_out:
        head += f", vynecháno kvůli svátku: {left_out}"
    return "\n".join([head + ":"] + [text for _, text in sorted(lines)])


class SessionDialog(QDialog):
    """New session (``session_id`` None) or edit. ``save()`` stores and returns True, or shows
    the Czech messages beside the fields and stores nothing."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        session_id: int | None = None,
        *,
        day: date | None = None,
        kind: SessionKind = SessionKind.TRAINING,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session_id = session_id
        self.saved_ids: tuple[int, ...] = ()
        self.setWindowTitle("Upravit setkání" if session_id else "Naplánovat setkání")
        info = read(ctx, lambda s: project_service.get_project_info(s, ctx.project_id))
        self._mentor = info.mentor_name
        view = (
            read(ctx, lambda s: session_service.get_session(s, session_id)) if session_id else None
        )
        self.view = view

        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.kind = _combo([(k.label, k) for k in SessionKind])
        self.date = DateField(day)
        self.time_from = QLineEdit()
        self.time_to = QLineEdit()
        for edit in (self.time_from, self.time_to):
            edit.setPlaceholderText("hh:mm")
            edit.setMaximumWidth(80)
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.time_from)
        row.addWidget(QLabel("–"))
        row.addWidget(self.time_to)
        row.addStretch(1)
        self.hours = QLineEdit()
        self.hours.setMaximumWidth(80)
        self.hour_unit = _combo([(u.label, u) for u in HourUnit])
        hours_box = QWidget()
        row = QHBoxLayout(hours_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hours)
        row.addWidget(self.hour_unit)
        row.addStretch(1)
        self.form = _combo([(f.label, f) for f in SessionForm])
        self.place = LimitedLineEdit("session.place")
        self.lecturer = LimitedLineEdit("session.lecturer")
        self.lecturer.setPlaceholderText("Jméno lektora / supervizora (více jmen oddělte čárkou)")
        self.topic = LimitedLineEdit("session.topic")
        self.area_boxes: dict[int, QCheckBox] = {}
        areas = QWidget()
        area_layout = QVBoxLayout(areas)
        area_layout.setContentsMargins(0, 0, 0, 0)
        for area in info.areas:
            box = QCheckBox(area.label)
            self.area_boxes[area.id] = box
            area_layout.addWidget(box)
        self.participants = QListWidget()
        self.participants.setObjectName("participants")
        self.participants.setMinimumHeight(150)
        self.select_all = QPushButton("Vybrat všechny")
        self.select_all.clicked.connect(self._select_all)
        self.dropped = QLabel()
        self.dropped.setObjectName("participants_dropped")
        self.dropped.setWordWrap(True)
        self.dropped.hide()
        participants = QWidget()
        participant_layout = QVBoxLayout(participants)
        participant_layout.setContentsMargins(0, 0, 0, 0)
        participant_layout.addWidget(self.participants)
        participant_layout.addWidget(self.dropped)
        participant_layout.addWidget(self.select_all, 0, Qt.AlignmentFlag.AlignLeft)
        self.supervision_form = _combo([("—", None)] + [(f.label, f) for f in SupervisionForm])
        self.supervisor_type = _combo([("—", None)] + [(t.label, t) for t in SupervisorType])
        self.conclusions = LimitedTextEdit("session.conclusions")
        self.agreed_steps = LimitedTextEdit("session.agreed_steps")
        self.next_meeting = DateField(required=False)
        self.private_note = LimitedTextEdit("session.private_note")
        self.private_note.setPlaceholderText(
            "Důvěrné – netiskne se, pokud si to výslovně nevyžádáte."
        )
        for text_edit in (self.conclusions, self.agreed_steps, self.private_note):
            text_edit.setMaximumHeight(70)

        self.errors.add_row("Druh", "kind", self.kind)
        self.errors.add_row("Datum", "date", self.date)
        self.errors.add_row("Čas od – do", "time_from", times)
        self.errors.add_row("", "time_to", QWidget())
        self.errors.clear_on_edit(self.time_to, "time_to")
        self.errors.add_row("Počet hodin", "hours", hours_box)
        self.errors.add_row("Forma", "form", self.form)
        self.errors.add_row("Místo", "place", self.place)
        self.errors.add_row("Lektor / supervizor", "lecturer", self.lecturer)
        self.errors.add_row("Téma", "topic", self.topic)
        self.errors.add_row("Vzdělávací oblasti", "areas", areas)
        self.errors.add_row("Pozvaní účastníci", "participants", participants)
        self.errors.add_row("Forma supervize", "supervision_form", self.supervision_form)
        self.errors.add_row("Supervizor", "supervisor_type", self.supervisor_type)
        self.errors.add_row("Závěry", "conclusions", self.conclusions)
        self.errors.add_row("Dohodnuté kroky", "agreed_steps", self.agreed_steps)
        self.errors.add_row("Další setkání", "next_meeting", self.next_meeting)
        self.errors.add_row("Důvěrná poznámka", "private_note", self.private_note)

        self.repeat = QGroupBox("Opakovat podle pravidla")
        self.repeat.setCheckable(True)
        self.repeat.setChecked(False)
        self.repeat.setVisible(session_id is None)
        repeat_form = QFormLayout(self.repeat)
        self.repeat_errors = FieldErrors(repeat_form)
        self.frequency = _combo([(f.label, f) for f in (Frequency.MONTHLY, Frequency.WEEKLY)])
        self.interval = QSpinBox()
        self.interval.setRange(1, 12)
        self.interval.setPrefix("každý ")
        self.nth = _combo(
            [("stejné datum v měsíci", None)]
            + [(f"{label} v měsíci", nth) for nth, label in ORDINAL_LABELS.items()]
        )
        self.weekday = _combo([(label, i) for i, label in enumerate(WEEKDAY_LABELS)])
        self.holiday_policy = _combo(
            [
                ("vynechat", HolidayPolicy.SKIP),
                ("přesunout na další pracovní den", HolidayPolicy.NEXT_WORKDAY),
            ]
        )
        self.count = QSpinBox()
        self.count.setRange(0, 120)
        self.count.setSpecialValueText("—")
        self.until = DateField(required=False)
        self.repeat_errors.add_row("Frekvence", "frequency", self.frequency)
        self.repeat_errors.add_row("Opakovat", "interval", self.interval)
        self.repeat_errors.add_row("Týden v měsíci", "nth", self.nth)
        self.repeat_errors.add_row("Den v týdnu", "weekday", self.weekday)
        self.repeat_errors.add_row("Svátky", "holiday_policy", self.holiday_policy)
        self.repeat_errors.add_row("Počet setkání", "count", self.count)
        self.repeat_errors.add_row("nebo až do", "until", self.until)
        self.preview = QLabel()
        self.preview.setObjectName("recurrence_preview")
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        repeat_form.addRow("Termíny", self.preview)
        repeat_form.addRow(self.repeat_errors.general)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addWidget(self.errors.general)
        body_layout.addWidget(self.repeat)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Uložit")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Zrušit")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(720, 860))

        self._checked: set[int] = set()
        self._people: dict[int, roster.ActiveAssistant] = {}
        self._unit_chosen = False  # the user picked the unit: a kind change keeps it
        self.hour_unit.activated.connect(self._choose_unit)
        if view is not None:
            self._load(view)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.date.editingFinished.connect(self.reload_participants)
        for signal in (
            self.time_from.editingFinished,
            self.time_to.editingFinished,
            self.hour_unit.currentIndexChanged,
        ):
            signal.connect(self._suggest_hours)
        self.date.editingFinished.connect(self._follow_start_weekday)
        self.frequency.currentIndexChanged.connect(self._frequency_changed)
        self.nth.currentIndexChanged.connect(self._frequency_changed)
        for signal in (
            self.repeat.toggled,
            self.frequency.currentIndexChanged,
            self.interval.valueChanged,
            self.nth.currentIndexChanged,
            self.weekday.currentIndexChanged,
            self.holiday_policy.currentIndexChanged,
            self.count.valueChanged,
            self.until.editingFinished,
            self.date.editingFinished,
        ):
            signal.connect(self.update_preview)
        if view is None:
            _select(self.kind, kind)
        self._kind_changed()
        self._follow_start_weekday()
        self._frequency_changed()
        self.reload_participants()
        self.errors.mark_loaded()

    # ---- filling -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the session as stored now (someone else changed it meanwhile)."""
        session_id = self.session_id
        assert session_id is not None
        self.view = view = read(self.ctx, lambda s: session_service.get_session(s, session_id))
        self._load(view)
        self.participants.clear()  # ticks come from the stored session, not the list shown
        self._kind_changed()
        self.reload_participants()
        self.errors.mark_loaded()

    def _load(self, view: session_service.SessionView) -> None:
        _select(self.kind, view.kind)
        self.date.set_value(view.date)
        self.time_from.setText(format_time(view.time_from))
        self.time_to.setText(format_time(view.time_to))
        self.hours.setText(format_hours(view.hours))
        _select(self.hour_unit, view.hour_unit)
        _select(self.form, view.form)
        self.place.setText(view.place)
        self.lecturer.setText(view.lecturer)
        self.topic.setText(view.topic)
        stored_areas = {area.id for area in view.areas}
        for area_id, box in self.area_boxes.items():
            box.setChecked(area_id in stored_areas)
        self._checked = {p.assistant_id for p in view.participants}
        _select(self.supervision_form, view.supervision_form)
        _select(self.supervisor_type, view.supervisor_type)
        self.conclusions.setPlainText(view.conclusions)
        self.agreed_steps.setPlainText(view.agreed_steps)
        self.next_meeting.set_value(view.next_meeting)
        self.private_note.setPlainText(view.private_note)

    def selected_kind(self) -> SessionKind:
        return SessionKind(self.kind.currentData())  # Qt hands enums back as plain str

    def _kind_changed(self) -> None:
        kind = self.selected_kind()
        if self.session_id is None and not self._unit_chosen:
            _select(self.hour_unit, kind.default_hour_unit)
        for combo in (self.supervision_form, self.supervisor_type):
            combo.setEnabled(kind.is_supervision)
            if not kind.is_supervision:
                combo.setCurrentIndex(0)
        for edit in (self.conclusions, self.agreed_steps, self.next_meeting):
            edit.setEnabled(kind.has_record)
        self.participants.setEnabled(kind.for_assistants)
        if kind.is_mentoring and not self.lecturer.text().strip():
            self.lecturer.setPlaceholderText(self._mentor or "Mentor")

    def _choose_unit(self) -> None:
        self._unit_chosen = True

    def _suggest_hours(self) -> None:
        try:
            start = parse_time(self.time_from.text(), required=False)
            end = parse_time(self.time_to.text(), required=False)
        except ValidationError:
            return
        if start and end and start < end:
            unit = self.hour_unit.currentData()
            self.hours.setPlaceholderText(format_hours(suggest_hours(start, end, unit)))

    def reload_participants(self) -> None:
        """The checklist: assistants employed on the date (checked ones kept)."""
        self._checked |= self.checked_participants()
        self._checked -= self._unchecked_now()
        try:
            day = self.date.value() or date.today()
        except ValidationError:
            return
        people = read(self.ctx, lambda s: roster.active_assistants(s, self.ctx.project_id, day))
        self._explain_dropped(day, {p.assistant_id for p in people})
        self._people.update({p.assistant_id: p for p in people})
        self.participants.clear()
        for person in people:
            item = QListWidgetItem(f"{person.full_name} (pozice {person.position_number})")
            item.setData(Qt.ItemDataRole.UserRole, person.assistant_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = person.assistant_id in self._checked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.participants.addItem(item)

    def _explain_dropped(self, day: date, employed: set[int]) -> None:
        """Say who was ticked but is not employed on ``day`` (kept ticked for another date)."""
        reasons = []
        for assistant_id in sorted(self._checked - employed):
            person = self._people.get(assistant_id)
            if person is None:
                continue
            if day < person.start_date:
                why = f"nastupuje až {format_date(person.start_date)}"
            elif person.end_date is not None and day > person.end_date:
                why = f"pracovní poměr skončil {format_date(person.end_date)}"
            else:
                why = "v ten den není zaměstnán(a)"
            reasons.append(f"{person.full_name} ({why})")
        self.dropped.setText(
            f"Nejsou v týmu k {format_date(day)}, proto nejsou pozváni: " + ", ".join(reasons)
            if reasons
            else ""
        )
        self.dropped.setVisible(bool(reasons))

    def _select_all(self) -> None:
        self.set_participants({int(item.data(Qt.ItemDataRole.UserRole)) for item in self._items()})

    def _items(self) -> list[QListWidgetItem]:
        return [self.participants.item(i) for i in range(self.participants.count())]

    def _unchecked_now(self) -> set[int]:
        return {
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState() != Qt.CheckState.Checked
        }

    def checked_participants(self) -> set[int]:
        return {
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        }

    def set_participants(self, assistant_ids: set[int]) -> None:
        """Tick exactly these assistants in the checklist (tests and "select all")."""
        for item in self._items():
            wanted = int(item.data(Qt.ItemDataRole.UserRole)) in assistant_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    # ---- reading -------------------------------------------------------------------------------

    def data(self, errors: dict[str, str]) -> SessionData:
        """The form as SessionData; input errors (bad date/time/number) go into ``errors``."""

        def get(name: str, parse: object) -> object:
            try:
                return parse()  # type: ignore[operator]
            except ValidationError as exc:
                errors[name] = exc.message
                return None

        day = get("date", lambda: self.date.value("date"))
        start = get("time_from", lambda: parse_time(self.time_from.text(), "time_from"))
        end = get("time_to", lambda: parse_time(self.time_to.text(), "time_to"))
        hours = get("hours", lambda: parse_hours(self.hours.text(), "hours"))
        next_meeting = get("next_meeting", lambda: self.next_meeting.value("next_meeting"))
        kind = self.selected_kind()
        return SessionData(
            kind=kind,
            date=day if isinstance(day, date) else None,
            time_from=start if isinstance(start, time) else None,
            time_to=end if isinstance(end, time) else None,
            hours=hours if isinstance(hours, Decimal) else None,
            hour_unit=HourUnit(self.hour_unit.currentData()),
            place=self.place.text(),
            form=SessionForm(self.form.currentData()),
            lecturer=self.lecturer.text(),
            topic=self.topic.text(),
            area_ids=tuple(i for i, box in self.area_boxes.items() if box.isChecked()),
            participant_ids=(
                tuple(sorted(self.checked_participants())) if kind.for_assistants else ()
            ),
            supervision_form=(
                SupervisionForm(self.supervision_form.currentData())
                if self.supervision_form.currentData()
                else None
            ),
            supervisor_type=(
                SupervisorType(self.supervisor_type.currentData())
                if self.supervisor_type.currentData() and kind.is_supervision
                else None
            ),
            conclusions=self.conclusions.toPlainText() if kind.has_record else "",
            agreed_steps=self.agreed_steps.toPlainText() if kind.has_record else "",
            next_meeting=(
                next_meeting if isinstance(next_meeting, date) and kind.has_record else None
            ),
            private_note=self.private_note.toPlainText(),
        )

    def rule(self, errors: dict[str, str]) -> RecurrenceRule:
        start = None
        try:
            start = self.date.value("date")
        except ValidationError as exc:
            errors.update(exc.field_errors)
        until = None
        try:
            until = self.until.value("until")
        except ValidationError as exc:
            errors.update(exc.field_errors)
        frequency = Frequency(self.frequency.currentData())
        nth = self.nth.currentData() if frequency is Frequency.MONTHLY else None
        return RecurrenceRule(
            frequency=frequency,
            start=start,
            until=until,
            count=self.count.value() or None,
            interval=self.interval.value(),
            weekday=self.weekday.currentData()
            if nth is not None or frequency is Frequency.WEEKLY
            else None,
            nth=nth,
            holiday_policy=HolidayPolicy(self.holiday_policy.currentData()),
        )

    def _follow_start_weekday(self) -> None:
        """The weekday offered follows the first session's date (the user may pick another)."""
        try:
            start = self.date.value()
        except ValidationError:
            return
        if start is not None:
            _select(self.weekday, start.weekday())

    def _frequency_changed(self) -> None:
        monthly = Frequency(self.frequency.currentData()) is Frequency.MONTHLY
        self.interval.setSuffix(". měsíc" if monthly else ". týden")
        self.nth.setEnabled(monthly)
        self.weekday.setEnabled(not monthly or self.nth.currentData() is not None)

    def update_preview(self) -> None:
        """The dates the rule gives, with the Czech public holidays it skips."""
        if not self.repeat.isChecked():
            self.preview.clear()
            return
        errors: dict[str, str] = {}
        rule = self.rule(errors)
        if errors:
            self.preview.setText("Nejdříve zadejte platné datum prvního setkání.")
            return
        try:
            plan = plan_dates(rule)
        except ValidationError as exc:
            self.preview.setText(exc.message)
            return
        self.preview.setText(preview_text(plan))

    # ---- saving --------------------------------------------------------------------------------

    def save(self) -> bool:
        self.errors.clear()
        self.repeat_errors.clear()
        errors: dict[str, str] = {}
        data = self.data(errors)
        repeating = self.repeat.isChecked() and self.session_id is None
        rule = self.rule(errors) if repeating else None
        if errors:  # with the other fields' messages, so all are shown at once
            self._show(validate_session(data.clean()) | errors)
            return False
        session_id, project_id = self.session_id, self.ctx.project_id
        seen = self.view.row_version if self.view is not None else None

        def action(session: Session) -> tuple[int, ...]:
            if session_id is not None:
                view = session_service.update_session(session, session_id, data, seen_version=seen)
                return (view.id,)
            if rule is not None:
                return session_service.create_series(session, project_id, data, rule).session_ids
            return (session_service.create_session(session, project_id, data).id,)

        ok, ids = store(
            self,
            self.ctx,
            self._show,
            action,
            changed="sessions",
            reload=self.reload if session_id is not None else None,
            forms=(self.errors,),
        )
        if not ok or ids is None:
            return False
        self.saved_ids = ids
        return True

    def _show(self, errors: dict[str, str]) -> None:
        rule_fields = {"start", "until", "count", "interval", "weekday", "month_day", "nth"}
        rule_errors = {k: v for k, v in errors.items() if k in rule_fields}
        if "start" in rule_errors:
            rule_errors[""] = rule_errors.pop("start")
        self.errors.show({k: v for k, v in errors.items() if k not in rule_fields})
        self.repeat_errors.show(rule_errors)

    def error(self, field: str) -> str:
        """The message shown for ``field`` (tests read it)."""
        return self.errors.message(field) or self.repeat_errors.message(field)

    def _accept(self) -> None:
        if self.save():
            self.accept()
