"""First-run wizard: a database without a project starts here, three ways in. Its project and
team pages also found a further project in a database that has some (Projekt › Nový projekt…).

1. Můj projekt – the user's own facts, team, logolink and backup folder;
2. Projekt APK Sokolov jako vzor – the same pages pre-filled with the Sokolov project;
3. Vyzkoušet na ukázkových datech – a separate demo database (the real one stays empty).

Everything is validated by the rules Nastavení uses (``domain.project``), shown beside the
field; the project is stored in one transaction (``services.setup.create_project``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from apk_desktop.db.database import Database
from apk_desktop.domain.czech_format import format_date, format_money
from apk_desktop.domain.czech_text import plural
from apk_desktop.domain.errors import AppError, ValidationError
from apk_desktop.domain.project import (
    MONEY_FIELDS,
    REGISTRATION_EXAMPLE,
    ProjectData,
    logo_suffix_error,
    parse_project_form,
)
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.setup import ProjectSetup, parse_names
from apk_desktop.ui.error_presenter import present_error
from apk_desktop.ui.forms import ERROR_STYLE, DateField, FieldErrors, LimitedLineEdit
from apk_desktop.ui.prompter import Prompter
from apk_desktop.ui.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from apk_desktop.startup import ProjectChoice

INTRO, PROJECT, TEAM, SUMMARY, DEMO, LOCATION = range(6)
MY_PROJECT, TEMPLATE, TRY_DEMO = "own", "template", "demo"
HINT_STYLE = "color: #555555;"
NAMES_HINT = (
    "Jeden asistent na řádek ve tvaru „Jméno Příjmení“ (např. Jana Nováková); seznam lze "
    "vložit i z tabulky. Řádek s čárkou se čte jako „Příjmení, Jméno“. Nejvýše {count} "
    "asistentů; nastoupí ke dni zahájení projektu, data a kontakty upravíte na obrazovce "
    "Asistenti."
)


JOIN_ONE = "Tlačítkem Dokončit se k projektu připojíte."
JOIN_CHOSEN = "Tlačítkem Dokončit vyberete, ke kterému z projektů se připojíte."


@dataclass(frozen=True)
class Outcome:
    """What the wizard ended with: the database to work on and its project."""

    db: Database
    project_id: int
    demo: bool


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class LocationPage(QWizardPage):
    """Where the data live: this PC, or a server (tested, and opened, before going on). A
    server database that holds a project already is joined with Dokončit."""

    def __init__(self) -> None:
        super().__init__()
        from apk_desktop.ui.database_choice import DatabaseChoiceForm

        self.setTitle("Kde budou data")
        self.setSubTitle("Vyberte, kde bude aplikace data ukládat. Volbu lze později změnit.")
        layout = QVBoxLayout(self)
        self.form = DatabaseChoiceForm(after_ok=_open_checked)
        self.form.changed.connect(self.completeChanged)
        self.form.tested.connect(self._tested)
        layout.addWidget(self.form)
        layout.addStretch(1)
        self.server_db: Database | None = None  # taken from the form on Další/Dokončit
        self.server_project: ProjectChoice | None = None  # the server holds projects to join

    def _tested(self, ok: bool) -> None:
        self.server_project = None
        if ok and self.form.opened is not None:
            from apk_desktop.startup import choose_project

            choice = choose_project(self.form.opened)
            if choice.project_id is not None or choice.choices:
                self.server_project = choice
                join = JOIN_ONE if choice.project_id is not None else JOIN_CHOSEN
                self.form.status.setText(f"{self.form.status.text()} {join}")
        self.setFinalPage(self.server_project is not None)  # Dokončit instead of Další
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            not self.form.is_server()
            or self.form.opened is not None
            or (self.server_db is not None)
        )

    def nextId(self) -> int:
        if self.form.is_server() and self.server_project is not None:
            return -1
        return INTRO

    def validatePage(self) -> bool:
        if self.form.is_server() and self.form.opened is not None:
            if self.server_db is not None:  # opened before the user went back and tested again
                self.server_db.dispose()
            self.server_db = self.form.take()
        return True

    def release(self) -> None:
        """Close the server database (the wizard was cancelled, or the user went back)."""
        self.form.release()
        if self.server_db is not None:
            self.server_db.dispose()
            self.server_db = None


def _open_checked(url: str) -> Database:
    from apk_desktop.db.open import open_database

    return open_database(url)


class IntroPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Vítejte v APK Desktop")
        self.setSubTitle("Databáze je zatím prázdná. Vyberte, jak chcete začít.")
        layout = QVBoxLayout(self)
        self.choices = QButtonGroup(self)
        options = (
            (
                MY_PROJECT,
                "Můj projekt",
                "Zadáte název, registrační číslo, příjemce, období, mentora a asistenty "
                "svého projektu.",
            ),
            (
                TEMPLATE,
                "Projekt APK Sokolov jako vzor",
                "Údaje projektu APK Sokolov předvyplněné k vaší kontrole a úpravě "
                "(financování a oblasti pak upravíte v Nastavení).",
            ),
            (
                TRY_DEMO,
                "Vyzkoušet na ukázkových datech",
                "Samostatná ukázková databáze s rokem práce (plány, hodnocení, setkání, "
                "docházka, skeny). Vaše skutečná databáze zůstane prázdná.",
            ),
        )
        self.buttons: dict[str, QRadioButton] = {}
        for key, label, text in options:
            button = QRadioButton(label)
            button.setObjectName(f"choice_{key}")
            button.setStyleSheet("font-weight: bold;")
            self.choices.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            description = _hint(text)
            description.setContentsMargins(24, 0, 0, 10)
            layout.addWidget(description)
        self.buttons[MY_PROJECT].setChecked(True)
        layout.addStretch(1)

    def choice(self) -> str:
        return next(key for key, button in self.buttons.items() if button.isChecked())

    def nextId(self) -> int:
        return DEMO if self.choice() == TRY_DEMO else PROJECT


class ProjectPage(QWizardPage):
    """The project's facts, validated as in Nastavení when the user goes on."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Projekt")
        self.setSubTitle(
            "Údaje se tisknou v záhlaví všech listin. Financování doplníte později v Nastavení."
        )
        form = QFormLayout(self)
        self.errors = FieldErrors(form)
        self.text: dict[str, QLineEdit] = {}
        for name, label, placeholder in (
            ("name", "Název projektu:", "např. Asistenti prevence kriminality Kladno"),
            ("registration_number", "Registrační číslo:", f"např. {REGISTRATION_EXAMPLE}"),
            ("beneficiary", "Příjemce:", "např. město Kladno, prostřednictvím Městské policie"),
            ("mentor_name", "Mentor:", "jméno a příjmení mentora (tiskne se na listiny)"),
        ):
            edit = LimitedLineEdit(f"project.{name}")  # the limits Nastavení has
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            self.text[name] = edit
            self.errors.add_row(label, name, edit)
        self.period_start = DateField()
        self.period_start.setObjectName("period_start")
        self.period_end = DateField()
        self.period_end.setObjectName("period_end")
        self.errors.add_row("Začátek realizace:", "period_start", self.period_start)
        self.errors.add_row("Konec realizace:", "period_end", self.period_end)
        self._carried: ProjectData | None = None  # programme, method, money: not asked here
        self.data: ProjectData | None = None

    def fill(self, template: ProjectData, *, own: bool) -> None:
        """The template's facts to review, or empty fields for the user's own project."""
        zero = Decimal(0)
        self._carried = (
            replace(
                template,
                total_cost=zero,
                eu_contribution=zero,
                national_sources=zero,
                own_financing=zero,
            )
            if own
            else template
        )
        for name, edit in self.text.items():
            edit.setText("" if own else getattr(template, name))
        self.period_start.set_value(None if own else template.period_start)
        self.period_end.set_value(None if own else template.period_end)
        self.errors.clear()

    def texts(self) -> dict[str, str]:
        assert self._carried is not None
        texts = {name: edit.text() for name, edit in self.text.items()}
        texts["programme"] = self._carried.programme
        texts["method"] = self._carried.method
        texts["period_start"] = self.period_start.text()
        texts["period_end"] = self.period_end.text()
        for name in MONEY_FIELDS:
            texts[name] = format_money(getattr(self._carried, name))
        return texts

    def validatePage(self) -> bool:
        try:
            self.data = parse_project_form(self.texts())
        except ValidationError as exc:
            self.errors.show(exc.field_errors)
            return False
        self.errors.clear()
        return True


class TeamPage(QWizardPage):
    """The assistants (pasted as a list), the EU logolink and the backup folder."""

    def __init__(self, prompter: Prompter, position_count: int) -> None:
        super().__init__()
        self.prompter = prompter
        self.position_count = position_count
        self.setTitle("Asistenti, logo a zálohy")
        self.setSubTitle("Vše na této stránce je nepovinné a lze doplnit později.")
        self.form = QFormLayout(self)
        self.errors = FieldErrors(self.form)
        self.names = QPlainTextEdit()
        self.names.setObjectName("assistants")
        self.names.setPlaceholderText("Jana Nováková\nPetr Svoboda\n…")
        self.names.setTabChangesFocus(True)
        self.names.setMinimumHeight(120)  # takes the page's spare height
        self.count_label = _hint("")
        self.names.textChanged.connect(self._update_count)
        names_box = QWidget()
        names_layout = QVBoxLayout(names_box)
        names_layout.setContentsMargins(0, 0, 0, 0)
        names_layout.addWidget(self.names)
        names_layout.addWidget(self.count_label)
        names_layout.addWidget(_hint(NAMES_HINT.format(count=position_count)))
        self.errors.add_row("Asistenti:", "assistants", names_box)

        self.logo = QLineEdit()
        self.logo.setObjectName("logo")
        self.logo.setPlaceholderText("logolink programu (PNG nebo JPG)")
        logo_box = self._with_button(self.logo, self._choose_logo)
        self.choose_logo = logo_box.findChild(QPushButton)
        self.errors.add_row("Logo EU:", "logo", logo_box)
        self.backup = QLineEdit()
        self.backup.setObjectName("backup_folder")
        self.backup.setPlaceholderText("celá cesta, např. D:\\Zalohy\\APK nebo \\\\server\\apk")
        self.backup_box = self._with_button(self.backup, self._choose_folder)
        self.errors.add_row("Složka záloh:", "backup_folder", self.backup_box)
        self.people: tuple[PersonData, ...] = ()
        self._update_count()

    def leave_out_backups(self) -> None:
        """A further project: the database's backups are set up already (page Zálohy)."""
        self.setTitle("Asistenti a logo")
        row = self.backup_box.parentWidget()  # the field with its error label
        assert row is not None
        self.form.setRowVisible(row, False)

    def _with_button(self, edit: QLineEdit, slot: Callable[[], None]) -> QWidget:
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton("Vybrat…")
        button.clicked.connect(slot)
        layout.addWidget(button)
        return box

    def _choose_logo(self) -> None:
        path = self.prompter.open_file(self, "Logolink programu", "Obrázky (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)

    def _choose_folder(self) -> None:
        folder = self.prompter.choose_folder(self, "Složka záloh", self.backup.text())
        if folder:
            self.backup.setText(folder)

    def _update_count(self) -> None:
        people, problems = parse_names(self.names.toPlainText())
        text = f"Zadáno asistentů: {len(people)} z {self.position_count}."
        if problems:
            text += f" Nerozpoznané řádky: {len(problems)}."
        self.count_label.setText(text)

    def logo_path(self) -> Path | None:
        text = self.logo.text().strip()
        return Path(text) if text else None

    def backup_folder(self) -> str:
        return self.backup.text().strip()

    def validatePage(self) -> bool:
        from apk_desktop.backup.service import folder_problem

        errors: dict[str, str] = {}
        people, problems = parse_names(self.names.toPlainText())
        if problems:
            errors["assistants"] = "\n".join(problems)
        elif len(people) > self.position_count:
            errors["assistants"] = (
                f"Projekt má {plural(self.position_count, 'pozici', 'pozice', 'pozic')} asistentů, "
                f"zadáno je {plural(len(people), 'jméno', 'jména', 'jmen')}. Další asistenty "
                "přidáte na obrazovce Asistenti, až se pozice uvolní."
            )
        logo = self.logo_path()
        if logo is not None:
            message = logo_suffix_error(logo.name)
            if message is None and not logo.is_file():
                message = f"Soubor „{logo}“ neexistuje."
            if message:
                errors["logo"] = message
        if self.backup_folder():
            problem = folder_problem(self.backup_folder())
            if problem:
                errors["backup_folder"] = problem
        if errors:
            self.errors.show(errors)
            return False
        self.errors.clear()
        self.people = people
        return True


class SummaryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Kontrola a uložení")
        self.setSubTitle("Zkontrolujte údaje. Tlačítkem Dokončit se projekt uloží.")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.error = QLabel()
        self.error.setObjectName("save_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def nextId(self) -> int:
        return -1

    def show_setup(self, setup: ProjectSetup, backup_folder: str | None) -> None:
        """``backup_folder``: None for a further project (its row is left out)."""
        p = setup.project
        names = ", ".join(f"{a.first_name} {a.last_name}" for a in setup.assistants)
        rows: tuple[tuple[str, str], ...] = (
            ("Projekt", p.name),
            ("Registrační číslo", p.registration_number),
            ("Příjemce", p.beneficiary),
            ("Období", f"{format_date(p.period_start)} – {format_date(p.period_end)}"),
            ("Mentor", p.mentor_name or "(nevyplněno)"),
            ("Asistenti", f"{len(setup.assistants)}: {names}" if names else "(zatím žádní)"),
            ("Logo EU", str(setup.logo) if setup.logo else "(bez loga)"),
        )
        if backup_folder is not None:
            rows += (("Složka záloh", backup_folder or "(nastavíte později v Zálohách)"),)
        from html import escape

        self.summary.setText(
            "<table cellspacing='4'>"
            + "".join(f"<tr><td><b>{k}:</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
            + "</table>"
        )
        self.error.hide()


class DemoPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Vyzkoušet na ukázkových datech")
        self.setSubTitle("Ukázka běží ve vlastní databázi; vaše data zůstanou nedotčená.")
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                "Vytvoří se samostatná ukázková databáze (ve složce dat „ukazka“) s vymyšleným "
                "projektem a rokem práce: devět asistentů, plány rozvoje, hodnocení, setkání "
                "s docházkou a naskenovanými listinami.\n\n"
                "Okno aplikace i každá vytištěná listina ponesou označení UKÁZKA. Vaše skutečná "
                "databáze zůstane prázdná a nedotčená. Až budete chtít začít se skutečnými "
                "daty, zvolte v okně aplikace „Začít naostro…“."
            )
        )
        self.error = QLabel()
        self.error.setObjectName("demo_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    """Ends accepted with ``outcome`` set, or rejected with the database left as it was.
    ``another``: a further project in a database that has some ("Nový projekt…"): straight to
    the project's facts, no demo, no backup folder."""

    def __init__(
        self,
        db: Database,
        prompter: Prompter | None = None,
        parent: QWidget | None = None,
        *,
        another: bool = False,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.prompter = prompter or Prompter()
        self.another = another
        self.outcome: Outcome | None = None
        self.setWindowTitle("APK Desktop – " + ("nový projekt" if another else "první spuštění"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        fit_to_screen(self, QSize(820, 620))
        self.location = LocationPage()
        self.intro = IntroPage()
        self.project_page = ProjectPage()
        self.team_page = TeamPage(self.prompter, 9)
        self.summary_page = SummaryPage()
        self.demo_page = DemoPage()
        for page_id, page in (
            (INTRO, self.intro),
            (PROJECT, self.project_page),
            (TEAM, self.team_page),
            (SUMMARY, self.summary_page),
            (DEMO, self.demo_page),
            (LOCATION, self.location),
        ):
            self.setPage(page_id, page)
        self.first_db = db  # the database opened at start (this PC's)
        self.setStartId(PROJECT if another else LOCATION)  # another project: same database
        if another:
            self.team_page.leave_out_backups()
        self._filled_for: str | None = None
        self.currentIdChanged.connect(self._entered)

    def _entered(self, page_id: int) -> None:
        if page_id == INTRO:  # a server opened on the previous page, or back to this PC
            server = self.location.server_db if self.location.form.is_server() else None
            self.db = server or self.first_db
        if page_id == PROJECT and self._filled_for != self.intro.choice():
            from apk_desktop.db.seed import template_project

            self._filled_for = self.intro.choice()
            self.project_page.fill(template_project(), own=self._filled_for == MY_PROJECT)
        if page_id == SUMMARY:
            folder = None if self.another else self.team_page.backup_folder()
            self.summary_page.show_setup(self.setup(), folder)

    def setup(self) -> ProjectSetup:
        assert self.project_page.data is not None
        return ProjectSetup(
            self.project_page.data, self.team_page.people, self.team_page.logo_path()
        )

    def accept(self) -> None:
        if self.currentId() == DEMO:
            self._start_demo()
        elif self.currentId() == LOCATION:
            self._join_server()
        else:
            self._save_project()

    def _join_server(self) -> None:
        """The server's database holds a project: work on it from now on."""
        self.validateCurrentPage()  # takes the database the test opened
        db, choice = self.location.server_db, self.location.server_project
        assert db is not None and choice is not None
        project_id = choice.project_id
        if project_id is None:  # several, none worked on here yet: which one
            from apk_desktop.ui.project_chooser import chosen_project

            project_id = chosen_project(self, db, choice.choices)
            if project_id is None:
                return  # back in the wizard
        self._remember_server()
        self.outcome = Outcome(db, project_id, demo=False)
        super().accept()

    def _remember_server(self) -> None:
        from apk_desktop import startup

        try:
            startup.choose_database(self.location.form.choice())
        except OSError as exc:  # the data are fine; only the next start would not find them
            self.prompter.warning(
                self,
                "Kde budou data",
                f"Volbu databáze se nepodařilo uložit ({exc.strerror}). Nastavte ji prosím "
                "znovu v Nastavení.",
            )

    def _save_project(self) -> None:
        from apk_desktop.db.services.setup import create_project

        try:
            with self.db.unit_of_work() as session:
                info = create_project(session, self.setup(), another=self.another)
        except AppError as exc:
            details = exc.field_errors.values() if isinstance(exc, ValidationError) else ()
            self.summary_page.error.setText("\n".join(details) or exc.message)
            self.summary_page.error.show()
            return
        except Exception as exc:  # the presenter logs and explains it
            present_error(self, exc)
            return
        self._save_backup_folder()
        if self.db is not self.first_db:
            self._remember_server()
        self.outcome = Outcome(self.db, info.id, demo=False)
        super().accept()

    def _save_backup_folder(self) -> None:
        folder = self.team_page.backup_folder()
        if not folder:
            return
        from apk_desktop.backup import settings

        try:
            settings.save(replace(settings.load(), folder=folder))
        except OSError as exc:  # the project is stored; the folder can be set again later
            self.prompter.warning(
                self,
                "Složka záloh",
                f"Projekt je uložen, ale složku záloh se nepodařilo zapsat ({exc.strerror}). "
                "Nastavte ji prosím na stránce Zálohy.",
            )

    def _start_demo(self) -> None:
        from apk_desktop import startup
        from apk_desktop.ui.worker import run_with_progress

        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.demo_page.error.hide()

        def done(result: tuple[Database, int]) -> None:
            self.outcome = Outcome(result[0], result[1], demo=True)
            QWizard.accept(self)

        def failed(exc: BaseException) -> None:
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
            self.button(QWizard.WizardButton.BackButton).setEnabled(True)
            message = exc.message if isinstance(exc, AppError) else ""
            if not message:
                present_error(self, exc)
                return
            self.demo_page.error.setText(message)
            self.demo_page.error.show()

        self.demo_task = run_with_progress(
            self, "Připravuji ukázková data…", lambda _control: startup.open_demo(), done, failed
        )

    def reject(self) -> None:
        if self.prompter.confirm(
            self,
            "Ukončit průvodce",
            "Průvodce se zavře a nový projekt se nezaloží. Pokračovat?"
            if self.another
            else "Průvodce se zavře a databáze zůstane prázdná. Pokračovat?",
        ):
            super().reject()

    def done(self, result: int) -> None:
        if self.outcome is None or self.outcome.db is not self.location.server_db:
            self.location.release()  # a server tried but not chosen in the end
        super().done(result)
