"""The project settings screen ("Nastavení"): the project's facts, the logolink, area labels."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import project as project_service
from apk_desktop.domain.czech_format import format_date, format_money, parse_money
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.project import (
    MONEY_FIELDS,
    REGISTRATION_EXAMPLE,
    funding_sum_warning,
    parse_project_form,
)
from apk_desktop.ui.actions import store
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import DateField, FieldErrors, LimitedLineEdit
from apk_desktop.ui.publicity import PublicityNotice

WARNING_STYLE = "color: #8a5a00;"
TEXT_LABELS = {
    "name": "Název projektu:",
    "registration_number": "Registrační číslo:",
    "beneficiary": "Příjemce:",
    "programme": "Program:",
    "mentor_name": "Mentor:",
    "method": "Metodika:",
}
MONEY_LABELS = {
    "total_cost": "Celkové náklady (Kč):",
    "eu_contribution": "Příspěvek EU (Kč):",
    "national_sources": "Národní veřejné zdroje (Kč):",
    "own_financing": "Vlastní podíl (Kč):",
}


class ProjectSettingsPage(QWidget):
    """Edit the current project. Nothing is stored until „Uložit“; then all in one transaction."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.info: project_service.ProjectInfo | None = None
        self._loaded: dict[str, str] = {}

        content = self.content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(QLabel("<h2>Nastavení projektu</h2>"))

        project_box = QGroupBox("Projekt")
        project_form = QFormLayout(project_box)
        self.errors = FieldErrors(project_form)
        self.text: dict[str, QLineEdit] = {}
        for name, label in TEXT_LABELS.items():
            text_edit = LimitedLineEdit(f"project.{name}")
            text_edit.setObjectName(name)
            self.text[name] = text_edit
            self.errors.add_row(label, name, text_edit)
        self.text["registration_number"].setPlaceholderText(REGISTRATION_EXAMPLE)
        self.text["mentor_name"].setPlaceholderText(
            "jméno a příjmení mentora (tiskne se na listiny)"
        )
        self.period_start = DateField()
        self.period_end = DateField()
        self.errors.add_row("Začátek realizace:", "period_start", self.period_start)
        self.errors.add_row("Konec realizace:", "period_end", self.period_end)
        content_layout.addWidget(project_box)

        money_box = QGroupBox("Financování")
        money_form = QFormLayout(money_box)
        self.money_errors = FieldErrors(money_form)
        self.money: dict[str, QLineEdit] = {}
        for name, label in MONEY_LABELS.items():
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setMaximumWidth(200)
            edit.setPlaceholderText("13 676 292,00")
            edit.textChanged.connect(self._update_sum_warning)
            self.money[name] = edit
            self.money_errors.add_row(label, name, edit)
        self.sum_warning = QLabel()
        self.sum_warning.setStyleSheet(WARNING_STYLE)
        self.sum_warning.setWordWrap(True)
        money_form.addRow("", self.sum_warning)
        content_layout.addWidget(money_box)

        areas_box = QGroupBox("Vzdělávací oblasti")
        self.areas_form = QFormLayout(areas_box)
        self.area_errors = FieldErrors(self.areas_form)
        self.area_edits: dict[int, QLineEdit] = {}
        self.area_short_edits: dict[int, QLineEdit] = {}
        content_layout.addWidget(areas_box)

        logo_box = QGroupBox("Logo EU na listinách (logolink)")
        logo_layout = QVBoxLayout(logo_box)
        logo_help = QLabel(
            "Oficiální logolink programu (znak EU s textem „Spolufinancováno Evropskou unií“; "
            "PNG nebo JPG, barevný nebo černobílý) se zkopíruje do složky dat aplikace a tiskne "
            "se v záhlaví každé listiny."
        )
        logo_help.setWordWrap(True)  # a long line would widen the page past the window
        logo_layout.addWidget(logo_help)
        self.publicity = PublicityNotice()
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_status = QLabel()
        self.logo_status.setObjectName("logo_status")
        self.logo_status.setWordWrap(True)
        self.logo_error = QLabel()
        self.logo_error.setObjectName("logo_error")
        self.logo_error.setWordWrap(True)
        self.logo_error.setStyleSheet("color: #b00020;")
        self.logo_error.hide()
        self.choose_logo_button = QPushButton("Vybrat obrázek…")
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.clear_logo_button = QPushButton("Odebrat logo")
        self.clear_logo_button.clicked.connect(self.clear_logo)
        logo_buttons = QHBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.clear_logo_button)
        logo_buttons.addStretch(1)
        logo_layout.addWidget(self.logo_preview)
        logo_layout.addWidget(self.logo_status)
        logo_layout.addWidget(self.publicity)
        logo_layout.addWidget(self.logo_error)
        logo_layout.addLayout(logo_buttons)
        content_layout.addWidget(logo_box)
        content_layout.addStretch(1)

        self.logo_box = logo_box
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)

        self.status = QLabel()
        self.save_button = QPushButton("Uložit")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Vrátit změny")
        self.revert_button.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)
        self.load()

    # ---- load / state --------------------------------------------------------------------------

    def load(self) -> None:
        """Show what is stored (drops unsaved edits)."""
        with self.ctx.db.unit_of_work() as session:
            info = project_service.get_project_info(session, self.ctx.project_id)
        self.info = info
        for name, edit in self.text.items():
            edit.setText(str(getattr(info, name)))
        self.period_start.set_value(info.period_start)
        self.period_end.set_value(info.period_end)
        for name, edit in self.money.items():
            edit.setText(format_money(getattr(info, name)))
        self._build_area_rows(info)
        self._show_logo(info)
        for errors in self._forms():
            errors.clear()
            errors.mark_loaded()
        self.status.clear()
        self._loaded = self.form_texts()
        self._update_sum_warning()

    def _build_area_rows(self, info: project_service.ProjectInfo) -> None:
        if [a.id for a in info.areas] != list(self.area_edits):
            while self.areas_form.rowCount():
                self.areas_form.removeRow(0)
            self.area_errors = FieldErrors(self.areas_form)
            self.area_edits = {}
            self.area_short_edits = {}
            for number, area in enumerate(info.areas, start=1):
                short = LimitedLineEdit("area.short_label")
                short.setObjectName(f"area_short_{area.code}")
                short.setToolTip("Zkratka oblasti v seznamech, grafech a exportech")
                short.setMaximumWidth(90)
                edit = LimitedLineEdit("area.label")
                edit.setObjectName(f"area_{area.code}")
                edit.setToolTip("Celý název oblasti")
                row = QWidget()
                row_layout = QHBoxLayout(row)
                row_layout.setContentsMargins(0, 0, 0, 0)
                row_layout.addWidget(short)
                row_layout.addWidget(edit, 1)
                self.area_edits[area.id] = edit
                self.area_short_edits[area.id] = short
                self.area_errors.add_row(f"{number}. zkratka a název:", f"area_{area.id}", row)
            self._order_tabs()
        for area in info.areas:
            self.area_edits[area.id].setText(area.label)
            self.area_short_edits[area.id].setText(area.short_label)

    def _order_tabs(self) -> None:
        """Fields made after the page (the areas, when loaded) get Tab's place by the layout."""
        areas = [(self.area_short_edits[i], self.area_edits[i]) for i in self.area_edits]
        chain = [*self.money.values(), *itertools.chain(*areas), self.choose_logo_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _show_logo(self, info: project_service.ProjectInfo) -> None:
        """The stored logolink: a preview, how it prints, and the publicity notice if any."""
        self.logo_error.hide()
        self.clear_logo_button.setEnabled(bool(info.logo_path))
        check = project_service.logolink_check(info)
        self.publicity.show_check(check)
        printed = check.printed if check is not None else None
        self.logo_status.setText(f"Logolink pro tisk: {printed.describe()}." if printed else "")
        self.logo_status.setVisible(printed is not None)
        self.logo_preview.setVisible(check is None or printed is not None)  # else: the notice
        if check is None or printed is None:
            self.logo_preview.setText("<i>Logo není nastaveno.</i>")
            return
        pixmap = QPixmap(str(check.path))
        if pixmap.isNull():
            self.logo_preview.setText("<i>Náhled obrázku nelze zobrazit.</i>")
            return
        self.logo_preview.setPixmap(
            pixmap.scaledToHeight(60, Qt.TransformationMode.SmoothTransformation)
        )

    def show_logolink(self) -> None:
        """Scroll to the logolink (the dashboard's publicity notice leads here)."""
        self.content.adjustSize()  # lays out a page not shown yet, so it can scroll
        self.scroll_area.ensureWidgetVisible(self.logo_box, 0, 0)
        self.choose_logo_button.setFocus()

    def form_texts(self) -> dict[str, str]:
        texts = {name: edit.text() for name, edit in self.text.items()}
        texts.update({name: edit.text() for name, edit in self.money.items()})
        texts["period_start"] = self.period_start.text()
        texts["period_end"] = self.period_end.text()
        texts.update({f"area_{aid}": edit.text() for aid, edit in self.area_edits.items()})
        texts.update(
            {f"area_short_{aid}": edit.text() for aid, edit in self.area_short_edits.items()}
        )
        return texts

    def is_dirty(self) -> bool:
        return self.form_texts() != self._loaded

    def refresh(self) -> None:
        """Called when the screen is shown: reload unless the user has unsaved edits."""
        if not self.is_dirty():
            self.load()

    def can_close(self, question: str = "Zavřít aplikaci bez uložení?") -> bool:
        if not self.is_dirty():
            return True
        return self.ctx.prompter.confirm(
            self, "Neuložené změny", f"Nastavení projektu obsahuje neuložené změny. {question}"
        )

    def _update_sum_warning(self) -> None:
        try:
            amounts = [parse_money(self.money[name].text()) for name in MONEY_FIELDS]
        except ValidationError:
            self.sum_warning.clear()
            return
        total, eu, national, own = amounts
        self.sum_warning.setText(funding_sum_warning(total, eu, national, own) or "")

    # ---- actions -------------------------------------------------------------------------------

    def _seen_version(self) -> int | None:
        """The project's row version the form was filled from."""
        return self.info.row_version if self.info is not None else None

    def _forms(self) -> tuple[FieldErrors, ...]:
        return (self.errors, self.money_errors, self.area_errors)

    def _show_errors(self, errors: dict[str, str]) -> None:
        money = {k: v for k, v in errors.items() if k in MONEY_FIELDS}
        areas = {k: v for k, v in errors.items() if k.startswith("area_")}
        rest = {k: v for k, v in errors.items() if k not in money and k not in areas}
        self.errors.show(rest)
        self.money_errors.show(money)
        self.area_errors.show(areas)

    def save(self) -> bool:
        """Validate everything and store it in one transaction; True when stored."""
        texts = self.form_texts()
        self.status.clear()
        try:
            data = parse_project_form(texts)
        except ValidationError as exc:
            self._show_errors(exc.field_errors)
            return False
        labels = {aid: texts[f"area_{aid}"] for aid in self.area_edits}
        shorts = {aid: texts[f"area_short_{aid}"] for aid in self.area_short_edits}
        project_id, seen = self.ctx.project_id, self._seen_version()

        def action(session: Session) -> None:
            # the project's version is checked once: the areas' write below raises it again
            project_service.update_project(session, project_id, data, seen_version=seen)
            project_service.update_area_labels(session, project_id, labels, shorts)

        ok, _ = store(
            self,
            self.ctx,
            self._show_errors,
            action,
            changed="project",
            reload=self.load,
            forms=self._forms(),
        )
        if not ok:
            return False
        self.load()
        period = f"{format_date(data.period_start)} – {format_date(data.period_end)}"
        self.status.setText(f"Uloženo ({period}).")
        return True

    def choose_logo(self) -> None:
        path = self.ctx.prompter.open_file(
            self, "Vyberte logolink (PNG nebo JPG)", "Obrázky (*.png *.jpg *.jpeg)"
        )
        if not path:
            return
        source, project_id, seen = Path(path), self.ctx.project_id, self._seen_version()
        self._logo_action(
            lambda s: project_service.set_logo(s, project_id, source, seen_version=seen),
            refused=f"Obrázek „{source.name}“ nelze použít, logo zůstává beze změny:",
        )

    def clear_logo(self) -> None:
        if not self.ctx.prompter.confirm(
            self, "Odebrat logo", "Odebrat logo? Listiny se budou tisknout jen s textem."
        ):
            return
        project_id, seen = self.ctx.project_id, self._seen_version()
        self._logo_action(lambda s: project_service.clear_logo(s, project_id, seen_version=seen))

    def _logo_action(
        self, action: Callable[[Session], project_service.ProjectInfo], refused: str = ""
    ) -> None:
        def show(errors: dict[str, str]) -> None:
            text = " ".join(errors.values())
            if "logo" in errors:  # the image was refused
                text = f"{refused} {text}".strip()
            self.logo_error.setText(text)
            self.logo_error.setVisible(bool(text))

        ok, info = store(
            self,
            self.ctx,
            show,
            action,
            changed="project",
            reload=self.load,
            forms=self._forms(),
        )
        if ok and info is not None:
            self.info = info
            self._show_logo(info)
