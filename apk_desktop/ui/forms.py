"""Form helpers: Czech date fields, text fields held to their maximum length, error
messages shown beside the field they concern, and the user's own values kept beside the fields
after the record was loaded again (someone else changed it meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from apk_desktop.domain.czech_format import format_date, parse_date
from apk_desktop.domain.limits import max_length

ERROR_STYLE = "color: #b00020;"
YOURS_STYLE = "color: #1c4f8a; background: #eef4fb; padding: 2px 4px;"
YOURS_SHOWN = 400  # characters of a long text shown under its field (all of it in the tooltip)


class DateField(QLineEdit):
    """A date typed as 31.12.2025; may be left empty when ``required`` is False."""

    def __init__(self, value: date | None = None, *, required: bool = True) -> None:
        super().__init__(format_date(value))
        self.required = required
        self.setPlaceholderText("dd.mm.rrrr")
        self.setMaximumWidth(140)

    def value(self, field: str = "") -> date | None:
        """The parsed date; raises ValidationError (with ``field``) for bad text."""
        return parse_date(self.text(), field, required=self.required)

    def set_value(self, value: date | None) -> None:
        self.setText(format_date(value))


class LimitedLineEdit(QLineEdit):
    """A one-line text field that stops typing at the maximum length of field ``key``
    (domain/limits.py). A longer text stored before the limit existed is shown whole; saving
    it asks for a shorter one."""

    def __init__(self, key: str, text: str = "") -> None:
        super().__init__()
        self.limit = max_length(key)
        self.setMaxLength(self.limit)
        self.setText(text)

    def setText(self, text: str | None, /) -> None:
        self.setMaxLength(max(self.limit, len(text or "")))
        super().setText(text)


class LimitedTextEdit(QPlainTextEdit):
    """A multi-line text field with a character counter below it (``counter``), red over the
    maximum length of field ``key``; the service refuses a longer text with a message."""

    def __init__(self, key: str, text: str = "") -> None:
        super().__init__(text)
        self.limit = max_length(key)
        self.counter = QLabel()
        self.counter.setObjectName("counter")
        self.textChanged.connect(self._count)
        self._count()

    def _count(self) -> None:
        length = len(self.toPlainText())
        over = length > self.limit
        text = f"{length} / {self.limit} znaků"
        self.counter.setText(f"{text} – zkraťte text" if over else text)
        self.counter.setStyleSheet(ERROR_STYLE if over else "color: #666666;")


def _inputs(widget: QWidget) -> list[QWidget]:
    return [
        w
        for w in [widget, *widget.findChildren(QWidget)]
        if isinstance(w, QLineEdit | QPlainTextEdit | QComboBox | QAbstractSpinBox | QListWidget)
        or (isinstance(w, QAbstractButton) and w.isCheckable())
    ]


def _input_text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QListWidget):
        items = (widget.item(i) for i in range(widget.count()))
        checked = [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
        return ", ".join(checked)
    assert isinstance(widget, QAbstractButton)
    return widget.text() if widget.isChecked() else ""


def shown_text(widget: QWidget) -> str:
    """What a field shows, as text: a line's or a box's text, a combo's choice, the checked
    items or boxes; a field made of several inputs (time from – to) joins theirs with " – "."""
    texts = [_input_text(w) for w in _inputs(widget)]
    return " – ".join(t for t in texts if t) if len(texts) > 1 else "".join(texts)


def _on_edit(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call ``slot`` whenever the user changes ``widget`` or any input inside it."""
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLineEdit | QPlainTextEdit):
            child.textChanged.connect(slot)
        elif isinstance(child, QComboBox):
            child.currentIndexChanged.connect(slot)
        elif isinstance(child, QAbstractButton) and child.isCheckable():
            child.toggled.connect(slot)
        elif isinstance(child, QAbstractSpinBox):
            child.editingFinished.connect(slot)
        elif isinstance(child, QListWidget):
            child.itemChanged.connect(slot)


class FieldErrors:
    """Puts a red message under each field of a QFormLayout; ``""`` is the form-wide slot.
    ``show`` shows every message at once; each goes away as soon as its field is edited."""

    def __init__(self, form: QFormLayout) -> None:
        self._form = form
        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        self._yours: dict[str, QLabel] = {}
        self._loaded: dict[str, str] = {}
        self.general = QLabel()
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.hide()

    def add_row(self, label: str, name: str, widget: QWidget) -> None:
        """Add ``widget`` with an (initially hidden) error label below it."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        if isinstance(widget, LimitedTextEdit):
            layout.addWidget(widget.counter)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        layout.addWidget(error)
        yours = QLabel()
        yours.setObjectName(f"yours_{name}")
        yours.setStyleSheet(YOURS_STYLE)
        yours.setWordWrap(True)
        yours.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        yours.hide()
        layout.addWidget(yours)
        self._labels[name] = error
        self._fields[name] = widget
        self._yours[name] = yours
        self._form.addRow(label, box)
        self.clear_on_edit(widget, name)

    def clear_on_edit(self, widget: QWidget, name: str) -> None:
        """Hide the message of ``name`` when ``widget`` (or an input inside it) is edited."""
        _on_edit(widget, lambda: self._fixed(name))

    def _fixed(self, name: str) -> None:
        label = self._labels[name]
        if not label.isHidden():
            label.clear()
            label.hide()

    def show(self, errors: dict[str, str]) -> None:
        self.clear()
        unplaced = []
        for name, message in errors.items():
            label = self._labels.get(name)
            if label is None:
                unplaced.append(message)
            else:
                label.setText(message)
                label.show()
        if unplaced:
            self.general.setText("\n".join(unplaced))
            self.general.show()
        self._grow_window()

    def _grow_window(self) -> None:
        """Make the dialog tall enough for wrapped messages (Qt does not grow a window for
        height-for-width content by itself, so a two-line message would be cut off)."""
        owner = self._form.parentWidget()
        window = owner.window() if owner is not None else None
        layout = window.layout() if window is not None else None
        if not isinstance(window, QDialog) or layout is None or not layout.hasHeightForWidth():
            return
        layout.activate()
        needed = layout.totalHeightForWidth(window.width())
        if needed > window.height():
            window.resize(window.width(), needed)

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()
        self.general.clear()
        self.general.hide()

    def message(self, name: str) -> str:
        """The message shown for ``name`` (tests read it)."""
        label = self._labels.get(name, self.general if name == "" else None)
        return label.text() if label is not None and not label.isHidden() else ""

    # ---- the user's values beside a record loaded again ----------------------------------------

    def texts(self) -> dict[str, str]:
        """What each field shows now (``shown_text``), by field name."""
        return {name: shown_text(widget) for name, widget in self._fields.items()}

    def mark_loaded(self) -> None:
        """Remember what the fields show as the stored record (call after loading it), so
        ``edits`` can tell the user's changes from the values they left alone."""
        self._loaded = self.texts()
        for label in self._yours.values():
            label.clear()
            label.hide()

    def edits(self) -> dict[str, str]:
        """The fields the user changed since ``mark_loaded``, with what they show now."""
        return {
            name: text
            for name, text in self.texts().items()
            if name in self._loaded and text != self._loaded[name]
        }

    def show_yours(self, edits: dict[str, str]) -> None:
        """After the record was loaded again: under each field of ``edits`` (taken before the
        reload) that now shows something else, the user's own value, so nothing they typed is
        lost from sight."""
        now = self.texts()
        for name, text in edits.items():
            label = self._yours.get(name)
            if label is None or text == now.get(name):
                continue
            shown = text if len(text) <= YOURS_SHOWN else text[:YOURS_SHOWN] + "…"
            label.setText(f"Vaše neuložená hodnota: {shown or '(prázdné)'}")
            label.setToolTip(text)
            label.show()
        self._grow_window()

    def yours(self, name: str) -> str:
        """The user's own value shown under ``name`` after a reload (tests read it)."""
        label = self._yours.get(name)
        return label.toolTip() if label is not None and not label.isHidden() else ""
