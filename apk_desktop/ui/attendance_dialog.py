"""Record attendance after a session: přítomen / omluven / nepřítomen per participant, partial
hours, a note; walk-ins can be added. Stored all at once, or not at all."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.db.services import attendance as attendance_service
from apk_desktop.db.services import roster
from apk_desktop.db.services import sessions as session_service
from apk_desktop.domain.czech_format import format_date, format_hours, parse_hours
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.sessions import Attendance, AttendanceEntry, attendance_errors
from apk_desktop.ui.actions import read, store
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import ERROR_STYLE, LimitedLineEdit
from apk_desktop.ui.screen_fit import ScrollBody, fit_to_screen


class _Row:
    def __init__(self, assistant_id: int, name: str, position: str) -> None:
        self.assistant_id = assistant_id
        self.name = QLabel(name)
        self.position = QLabel(position)
        self.status = QComboBox()
        self.status.addItem("—", None)
        for status in Attendance:
            self.status.addItem(status.label, status)
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("celé")
        self.hours.setMaximumWidth(70)
        self.note = LimitedLineEdit("attendance.note")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        for signal in (
            self.status.currentIndexChanged,
            self.hours.textChanged,
            self.note.textChanged,
        ):
            signal.connect(self.error.hide)  # the message goes once the row is edited

    def set_status(self, status: Attendance | None) -> None:
        self.status.setCurrentIndex(max(self.status.findData(status), 0))

    def remove(self) -> None:
        """Take the row's widgets out of the dialog."""
        for widget in (self.name, self.position, self.status, self.hours, self.note, self.error):
            widget.setParent(None)
            widget.deleteLater()


class AttendanceDialog(QDialog):
    def __init__(self, ctx: AppContext, session_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session_id = session_id
        view = read(ctx, lambda s: session_service.get_session(s, session_id))
        self.view = view
        self.setWindowTitle("Docházka")
        self.rows: dict[int, _Row] = {}

        title = QLabel()
        self.grid = QGridLayout()
        self.hours_header = QLabel()
        headers = (QLabel("<b>Účastník</b>"), QLabel("<b>Pozice</b>"), QLabel("<b>Účast</b>"))
        for column, label in enumerate((*headers, self.hours_header, QLabel("<b>Poznámka</b>"))):
            self.grid.addWidget(label, 0, column)
        self.walk_in = QComboBox()
        self.add_button = add = QPushButton("Přidat neplánovaného účastníka")
        add.clicked.connect(self.add_walk_in)
        self.title = title
        self._fill(view)
        all_present = QPushButton("Všichni přítomni")
        all_present.clicked.connect(self.mark_all_present)
        extra = QHBoxLayout()
        extra.addWidget(all_present)
        extra.addStretch(1)
        extra.addWidget(self.walk_in)
        extra.addWidget(add)

        self.general = QLabel()
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Uložit docházku")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Zrušit")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addLayout(self.grid)
        rows_layout.addStretch(1)
        layout.addWidget(ScrollBody(rows), 1)
        layout.addLayout(extra)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        fit_to_screen(self, self.sizeHint().expandedTo(QSize(900, 520)))

    def _fill(self, view: session_service.SessionView) -> None:
        """Show the session's participants with the attendance stored for them."""
        self.view = view
        self.title.setText(
            f"<b>{view.topic}</b> – {format_date(view.date)}, "
            f"{view.time_from:%H:%M}–{view.time_to:%H:%M}, "
            f"{format_hours(view.hours)} {view.hour_unit.short}"
        )
        self.hours_header.setText(f"<b>Hodiny ({view.hour_unit.short})</b>")
        for old in self.rows.values():
            old.remove()
        self.rows.clear()
        for participant in view.participants:
            row = self._add_row(
                participant.assistant_id, participant.full_name, participant.position_text
            )
            row.set_status(participant.status)
            if participant.hours_attended is not None:
                row.hours.setText(format_hours(participant.hours_attended))
            row.note.setText(participant.note)
        self.walk_in.clear()
        ctx = self.ctx
        people = read(ctx, lambda s: roster.active_assistants(s, ctx.project_id, view.date))
        for person in people:
            if person.assistant_id not in self.rows:
                self.walk_in.addItem(
                    f"{person.full_name} (pozice {person.position_number})",
                    (
                        person.assistant_id,
                        person.full_name,
                        f"APK – pozice {person.position_number}",
                    ),
                )
        self.add_button.setEnabled(self.walk_in.count() > 0)

    def reload(self) -> None:
        """Show the attendance as stored now (someone else changed the session meanwhile)."""
        session_id = self.session_id
        self._fill(read(self.ctx, lambda s: session_service.get_session(s, session_id)))

    def _add_row(self, assistant_id: int, name: str, position: str) -> _Row:
        row = _Row(assistant_id, name, position)
        line = 1 + 2 * len(self.rows)
        for column, widget in enumerate((row.name, row.position, row.status, row.hours, row.note)):
            self.grid.addWidget(widget, line, column)
        self.grid.addWidget(row.error, line + 1, 0, 1, 5)
        self.rows[assistant_id] = row
        return row

    def add_walk_in(self) -> _Row | None:
        value = self.walk_in.currentData()
        if value is None:
            return None
        assistant_id, name, position = value
        self.walk_in.removeItem(self.walk_in.currentIndex())
        row = self._add_row(assistant_id, f"{name} (neplánovaně)", position)
        row.set_status(Attendance.PRESENT)
        return row

    def mark_all_present(self) -> None:
        for row in self.rows.values():
            row.set_status(Attendance.PRESENT)
            row.hours.clear()

    def entries(self, errors: dict[str, str]) -> list[AttendanceEntry]:
        result = []
        for row in self.rows.values():
            field = attendance_service.attendance_field(row.assistant_id)
            hours: Decimal | None = None
            try:
                hours = parse_hours(row.hours.text(), field)
            except ValidationError as exc:
                errors.update(exc.field_errors)
            status = row.status.currentData()
            result.append(
                AttendanceEntry(
                    row.assistant_id, Attendance(status) if status else None, hours, row.note.text()
                )
            )
        return result

    def save(self) -> bool:
        self._show({})
        errors: dict[str, str] = {}
        entries = self.entries(errors)
        if errors:  # with the other rows' messages, so all are shown at once
            for entry in entries:
                field = attendance_service.attendance_field(entry.assistant_id)
                if field not in errors:
                    errors |= attendance_errors(entry, self.view.hours, self.view.hour_unit, field)
            self._show(errors)
            return False
        session_id, seen = self.session_id, self.view.row_version
        ok, _ = store(
            self,
            self.ctx,
            self._show,
            lambda s: attendance_service.record_attendance(
                s, session_id, entries, seen_version=seen
            ),
            changed="sessions",
            reload=self.reload,
            forms=(),
        )
        return ok

    def _show(self, errors: dict[str, str]) -> None:
        unplaced: list[str] = []
        fields = {attendance_service.attendance_field(i): r for i, r in self.rows.items()}
        for row in self.rows.values():
            row.error.clear()
            row.error.hide()
        for name, message in errors.items():
            target = fields.get(name)
            if target is None:
                unplaced.append(message)
            else:
                target.error.setText(message)
                target.error.show()
        self.general.setText("\n".join(unplaced))
        self.general.setVisible(bool(unplaced))

    def error(self, assistant_id: int | None = None) -> str:
        """The message shown for a row (or the general one); tests read it."""
        label = self.rows[assistant_id].error if assistant_id is not None else self.general
        return label.text() if not label.isHidden() else ""

    def _accept(self) -> None:
        if self.save():
            self.accept()
