"""Dialogs of the roster screen: add/edit a person, end an employment, replace a person.

Each dialog's ``save()`` runs one unit of work; bad input shows Czech messages beside the
fields (or above the buttons for clashes) and stores nothing. Tests fill the widgets and call
``save()`` directly instead of ``exec()``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import roster
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from apk_desktop.domain.roster import PersonData, validate_person
from apk_desktop.ui.actions import read, store
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import DateField, FieldErrors, LimitedLineEdit, LimitedTextEdit
from apk_desktop.ui.screen_fit import ScrollBody, fit_to_screen


class PersonFields:
    """Name, birth date, phone, e-mail and note, each with its error slot in ``form``."""

    def __init__(self, form: QFormLayout, errors: FieldErrors) -> None:
        self.first_name = LimitedLineEdit("person.first_name")
        self.last_name = LimitedLineEdit("person.last_name")
        self.birth_date = DateField(required=False)
        self.phone = LimitedLineEdit("person.phone")
        self.phone.setPlaceholderText("+420 777 123 456")
        self.email = LimitedLineEdit("person.email")
        self.email.setPlaceholderText("nepovinné")
        self.note = LimitedTextEdit("person.note")
        self.note.setFixedHeight(60)
        errors.add_row("Jméno:", "first_name", self.first_name)
        errors.add_row("Příjmení:", "last_name", self.last_name)
        errors.add_row("Datum narození:", "birth_date", self.birth_date)
        errors.add_row("Telefon:", "phone", self.phone)
        errors.add_row("E-mail:", "email", self.email)
        errors.add_row("Poznámka:", "note", self.note)

    def load(self, person: roster.AssistantView) -> None:
        self.first_name.setText(person.first_name)
        self.last_name.setText(person.last_name)
        self.birth_date.set_value(person.birth_date)
        self.phone.setText(person.phone)
        self.email.setText(person.email)
        self.note.setPlainText(person.note)

    def value(self, errors: dict[str, str]) -> PersonData:
        """The typed person; a bad birth date goes into ``errors`` instead of raising."""
        birth = _date_or_error(self.birth_date, "birth_date", errors)
        person = PersonData(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            birth_date=birth,
            phone=self.phone.text(),
            email=self.email.text(),
            note=self.note.toPlainText(),
        )
        if errors:  # show the rule errors (empty name…) together with the format errors
            for name, message in validate_person(person.clean()).items():
                errors.setdefault(name, message)
        return person


def _date_or_error(field: DateField, name: str, errors: dict[str, str]) -> date | None:
    try:
        return field.value(name)
    except ValidationError as exc:
        errors.update(exc.field_errors)
        return None


class _RosterDialog(QDialog):
    """Common frame: a form with error slots, OK/Cancel, and a guarded ``save()``."""

    def __init__(self, ctx: AppContext, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.errors = FieldErrors(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setText("Uložit")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Zrušit")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _finish_layout(self) -> None:
        self._layout.addWidget(ScrollBody(self.form, self.errors.general), 1)
        self._layout.addWidget(self.buttons)
        fit_to_screen(self)

    def _store(self, action: Callable[[Session], object], input_errors: dict[str, str]) -> bool:
        """Run ``action`` in one transaction unless input errors are known already; show
        every problem in the dialog. True (and the dialog accepted) on success."""
        ok, _ = store(
            self,
            self.ctx,
            self.errors,
            action,
            changed="roster",
            input_errors=input_errors,
            reload=self.reload,
        )
        if ok:
            self.accept()
        return ok

    def reload(self) -> None:
        """Show the record as stored now (someone else changed it since the dialog opened)."""

    def save(self) -> bool:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError


class AssistantDialog(_RosterDialog):
    """A new person into a position (``assistant_id`` None), or a person's details together
    with the dates of the employment the roster shows for them (edit)."""

    JOB_FIELDS = ("position", "start_date", "end_date", "employment_note")

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        assistant_id: int | None = None,
        position_id: int | None = None,
        today: date | None = None,
    ) -> None:
        title = "Nový asistent" if assistant_id is None else "Upravit asistenta"
        super().__init__(ctx, parent, title)
        self.assistant_id = assistant_id
        self.today = today or date.today()
        self.person = PersonFields(self.form, self.errors)
        self.view: roster.AssistantView | None = None
        self.employment: roster.EmploymentView | None = None

        self.job_heading = QLabel("<b>Pracovní poměr</b>")
        self.form.addRow(self.job_heading)
        self.position = QComboBox()
        self.start_date = DateField(self.today)
        self.end_date = DateField(required=False)
        self.end_date.setPlaceholderText("nepovinné")
        self.employment_note = LimitedLineEdit("employment.note")
        self.errors.add_row("Pozice:", "position", self.position)
        self.errors.add_row("Nástup:", "start_date", self.start_date)
        self.errors.add_row("Konec:", "end_date", self.end_date)
        self.errors.add_row("Poznámka k poměru:", "employment_note", self.employment_note)

        positions = roster_positions(ctx, self.today)
        for row in positions:
            holder = row.assistant_name or "neobsazeno"
            self.position.addItem(f"{row.number} – {holder}", row.position_id)
        if assistant_id is not None:
            self.reload()
            if self.employment is None:
                first_job_row = self.form.rowCount() - len(self.JOB_FIELDS) - 1
                for row_index in range(first_job_row, self.form.rowCount()):
                    self.form.setRowVisible(row_index, False)
            self.position.setEnabled(False)  # a move is a replacement, not an edit
        else:
            first_vacant = next((r.position_id for r in positions if r.vacant), None)
            self._select_position(position_id or first_vacant)
        self._finish_layout()
        self.person.first_name.setFocus()

    def reload(self) -> None:
        """Read the person (and the employment shown) and fill the form with them."""
        assistant_id, today = self.assistant_id, self.today
        assert assistant_id is not None
        view = read(self.ctx, lambda s: roster.get_assistant(s, assistant_id, today))
        self.view = view
        self.person.load(view)
        self.employment = view.employment
        if self.employment is not None:
            self._select_position(self.employment.position_id)
            self.start_date.set_value(self.employment.start_date)
            self.end_date.set_value(self.employment.end_date)
            self.employment_note.setText(self.employment.note)
        self.errors.mark_loaded()

    def _select_position(self, position_id: int | None) -> None:
        index = self.position.findData(position_id)
        if index >= 0:
            self.position.setCurrentIndex(index)

    def save(self) -> bool:
        errors: dict[str, str] = {}
        person = self.person.value(errors)
        start = _date_or_error(self.start_date, "start_date", errors)
        end = _date_or_error(self.end_date, "end_date", errors)
        note = self.employment_note.text()
        position_id: int | None = self.position.currentData()
        assistant_id = self.assistant_id
        view, employment = self.view, self.employment
        if assistant_id is None and position_id is None:
            errors["position"] = "Vyberte pozici."

        def action(session: Session) -> None:
            if assistant_id is None:
                assert position_id is not None
                try:
                    roster.hire(session, self.ctx.project_id, position_id, person, start, end, note)
                except ConflictError as exc:  # the position is held then: say so beside it
                    raise ValidationError({"position": exc.message}) from exc
                return
            found: dict[str, str] = {}
            seen = view.row_version if view is not None else None
            try:
                roster.update_assistant(session, assistant_id, person, seen_version=seen)
            except ValidationError as exc:
                found.update(exc.field_errors)
            if employment is not None:
                try:
                    roster.update_employment(
                        session,
                        employment.id,
                        start,
                        end,
                        note,
                        seen_version=employment.row_version,
                    )
                except ValidationError as exc:
                    found.update(exc.field_errors)
            if found:
                raise ValidationError(found)

        return self._store(action, errors)


def roster_positions(ctx: AppContext, on: date) -> list[roster.PositionRow]:
    with ctx.db.unit_of_work() as session:
        return roster.list_positions(session, ctx.project_id, on)


class EndEmploymentDialog(_RosterDialog):
    """End a person's running employment on a chosen last day."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        employment: roster.EmploymentView,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, "Ukončit pracovní poměr")
        self.employment = employment
        self.info = QLabel()
        self._layout.addWidget(self.info)
        self.end_date = DateField(employment.end_date or today or date.today())
        self.errors.add_row("Poslední den:", "end_date", self.end_date)
        self._show_employment()
        self._finish_layout()

    def _show_employment(self) -> None:
        employment = self.employment
        self.info.setText(
            f"<b>{employment.assistant_name}</b>, pozice č. {employment.position_number}, "
            f"nástup {format_date(employment.start_date)}"
        )
        self.errors.mark_loaded()

    def reload(self) -> None:
        employment_id, assistant_id = self.employment.id, self.employment.assistant_id
        history = read(self.ctx, lambda s: roster.employment_history(s, assistant_id=assistant_id))
        found = next((e for e in history if e.id == employment_id), None)
        if found is None:
            raise NotFoundError("Pracovní poměr už v databázi není.")
        self.employment = found
        if found.end_date is not None:
            self.end_date.set_value(found.end_date)
        self._show_employment()

    def save(self) -> bool:
        errors: dict[str, str] = {}
        end = _date_or_error(self.end_date, "end_date", errors)
        if end is None and not errors:
            errors["end_date"] = "Zadejte poslední den pracovního poměru."
        employment_id, seen = self.employment.id, self.employment.row_version
        return self._store(
            lambda s: roster.end_employment(s, employment_id, end, seen_version=seen), errors
        )


class ReplaceDialog(_RosterDialog):
    """The person in a position leaves; a new person starts (history is kept)."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        position: roster.PositionRow,
        today: date | None = None,
    ) -> None:
        super().__init__(ctx, parent, f"Nahradit asistenta na pozici č. {position.number}")
        self.position = position
        self.today = today = today or date.today()
        self.holder = QLabel()
        self._layout.addWidget(self.holder)
        self.old_end = DateField(today)
        self.errors.add_row("Poslední den dosavadního:", "old_end", self.old_end)
        self.person = PersonFields(self.form, self.errors)
        self.start_date = DateField(today + timedelta(days=1))
        self.errors.add_row("Nástup nového:", "start_date", self.start_date)
        self.old_end.editingFinished.connect(self._suggest_start)
        self._show_holder()
        self._finish_layout()

    def _show_holder(self) -> None:
        name = self.position.assistant_name or "pozice je neobsazená"
        self.holder.setText(f"Dosavadní asistent: <b>{name}</b>")
        self.errors.mark_loaded()

    def reload(self) -> None:
        position_id = self.position.position_id
        self.position = next(
            r for r in roster_positions(self.ctx, self.today) if r.position_id == position_id
        )
        self._show_holder()

    def _suggest_start(self) -> None:
        try:
            end = self.old_end.value("old_end")
        except ValidationError:
            return
        if end is not None:
            self.start_date.set_value(end + timedelta(days=1))

    def save(self) -> bool:
        errors: dict[str, str] = {}
        old_end = _date_or_error(self.old_end, "old_end", errors)
        person = self.person.value(errors)
        start = _date_or_error(self.start_date, "start_date", errors)
        position_id = self.position.position_id
        held, version = self.position.employment_id, self.position.employment_version
        seen = (held, version) if held is not None and version is not None else None
        return self._store(
            lambda s: roster.replace_assistant(
                s, position_id, old_end, person, start, seen_employment=seen
            ),
            errors,
        )
