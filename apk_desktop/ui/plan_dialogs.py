"""Dialogs of the development-plans screen: plan period and signers, a goal (one area), a review,
the signature date.

Each dialog's ``save()`` runs one unit of work; bad input shows Czech messages beside the fields
(or above the buttons for clashes) and stores nothing. On success ``detail`` holds the plan as
stored (a new version when the goals or plan data of a signed plan changed; a review is recorded
on the signed version itself). Tests fill the widgets and call ``save()``
directly instead of ``exec()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import plans
from apk_desktop.db.services.project import AreaInfo
from apk_desktop.domain.czech_text import plural
from apk_desktop.domain.errors import NotFoundError, ValidationError
from apk_desktop.domain.plans import (
    ACTIVITY_KINDS,
    DEFAULT_GOAL_STATUS,
    GOAL_STATUSES,
    PLANNED_REVIEW,
    REVIEW_STATUSES,
    GoalData,
    PlanData,
    ReviewData,
)
from apk_desktop.ui.actions import read, store
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.forms import DateField, FieldErrors, LimitedLineEdit, LimitedTextEdit
from apk_desktop.ui.screen_fit import ScrollBody, fit_to_screen

SIGNED_NOTE = (
    "Tato verze plánu je podepsaná. Uložením vznikne nová verze {version}; "
    "podepsaná verze zůstane beze změny."
)


def _date_or_error(field: DateField, name: str, errors: dict[str, str]) -> date | None:
    try:
        return field.value(name)
    except ValidationError as exc:
        errors.update(exc.field_errors)
        return None


def _text_box(key: str, height: int = 70) -> LimitedTextEdit:
    box = LimitedTextEdit(key)
    box.setFixedHeight(height)
    box.setTabChangesFocus(True)
    return box


class _PlanDialogBase(QDialog):
    """A form with error slots, Uložit/Zrušit, and a guarded ``save()``."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None, title: str, signed_version: int | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: plans.PlanDetail | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(620)
        self._layout = QVBoxLayout(self)
        if signed_version is not None:
            note = QLabel(SIGNED_NOTE.format(version=signed_version + 1))
            note.setObjectName("signed_note")
            note.setWordWrap(True)
            note.setStyleSheet("background: #fff4d6; padding: 6px;")
            self._layout.addWidget(note)
        self.form = QFormLayout()
        self.errors = FieldErrors(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Uložit")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Zrušit")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def _finish_layout(self) -> None:
        self._layout.addWidget(ScrollBody(self.form, self.errors.general), 1)
        self._layout.addWidget(self.buttons)
        fit_to_screen(self)

    def _store(
        self,
        action: Callable[[Session], plans.PlanDetail],
        input_errors: dict[str, str],
        *,
        edits: bool = True,
    ) -> bool:
        """Save in one unit of work; ``edits``: the dialog changes a stored record, which it
        loads again (``reload``) when someone else changed it meanwhile."""
        ok, detail = store(
            self,
            self.ctx,
            self.errors,
            action,
            changed="plans",
            input_errors=input_errors,
            reload=self.reload if edits else None,
        )
        if not ok:
            return False
        self.detail = detail
        self.accept()
        return True

    def _read_plan(self, plan_id: int) -> plans.PlanDetail:
        return read(self.ctx, lambda s: plans.get_plan(s, plan_id))

    def reload(self) -> None:  # pragma: no cover - every editing dialog overrides it
        raise NotImplementedError

    def save(self) -> bool:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError


class PlanDialog(_PlanDialogBase):
    """New plan, a copy as a new plan (``copy_from``), or the plan's own fields (``plan``)."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        *,
        assistant_id: int,
        assistant_name: str,
        initial: PlanData,
        plan: plans.PlanDetail | None = None,
        copy_from: plans.PlanDetail | None = None,
    ) -> None:
        if plan is not None:
            title = f"Údaje plánu – {assistant_name}"
        elif copy_from is not None:
            title = f"Nový plán podle předchozího – {assistant_name}"
        else:
            title = f"Nový plán rozvoje – {assistant_name}"
        super().__init__(ctx, parent, title, plan.version if plan and plan.signed else None)
        self.assistant_id = assistant_id
        self.plan = plan
        self.copy_from = copy_from
        if copy_from is not None:
            hint = QLabel(
                f"Cíle se zkopírují z plánu {copy_from.summary.period_text} "
                f"(verze {copy_from.version}); jejich stav se nastaví na „naplánováno“."
            )
            hint.setWordWrap(True)
            self._layout.addWidget(hint)
        self.period_start = DateField()
        self.period_end = DateField()
        self.mentor_name = LimitedLineEdit("plan.mentor_name")
        self.include_police_head = QCheckBox("Tisknout i podpis vedoucího městské policie")
        self.police_head_name = LimitedLineEdit("plan.police_head_name")
        self.police_head_name.setPlaceholderText("nepovinné")
        self.note = _text_box("plan.note", 60)
        self.errors.add_row("Začátek období:", "period_start", self.period_start)
        self.errors.add_row("Konec období:", "period_end", self.period_end)
        self.errors.add_row("Mentor/ka:", "mentor_name", self.mentor_name)
        self.errors.add_row("", "include_police_head", self.include_police_head)
        self.errors.add_row("Vedoucí MP:", "police_head_name", self.police_head_name)
        self.errors.add_row("Poznámka:", "note", self.note)
        self._fill(initial)
        self._finish_layout()

    def _fill(self, data: PlanData) -> None:
        self.period_start.set_value(data.period_start)
        self.period_end.set_value(data.period_end)
        self.mentor_name.setText(data.mentor_name)
        self.include_police_head.setChecked(data.include_police_head)
        self.police_head_name.setText(data.police_head_name)
        self.note.setPlainText(data.note)
        self.errors.mark_loaded()

    def reload(self) -> None:
        assert self.plan is not None
        self.plan = self._read_plan(self.plan.id)
        self._fill(self.plan.data())

    def value(self, errors: dict[str, str]) -> PlanData:
        return PlanData(
            period_start=_date_or_error(self.period_start, "period_start", errors),
            period_end=_date_or_error(self.period_end, "period_end", errors),
            mentor_name=self.mentor_name.text(),
            police_head_name=self.police_head_name.text(),
            include_police_head=self.include_police_head.isChecked(),
            note=self.note.toPlainText(),
        )

    def save(self) -> bool:
        errors: dict[str, str] = {}
        data = self.value(errors)
        plan, source = self.plan, self.copy_from
        if plan is not None:
            return self._store(
                lambda s: plans.update_plan(s, plan.id, data, seen_version=plan.row_version),
                errors,
            )
        if source is not None:
            return self._store(
                lambda s: plans.copy_as_new_plan(s, source.id, data), errors, edits=False
            )
        assistant_id = self.assistant_id
        return self._store(lambda s: plans.create_plan(s, assistant_id, data), errors, edits=False)


class GoalDialog(_PlanDialogBase):
    """One chosen education area of a plan with its goals, activities, deadline and status."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        plan: plans.PlanDetail,
        areas: Sequence[AreaInfo],
        goal: plans.GoalView | None = None,
    ) -> None:
        title = "Upravit cíle v oblasti" if goal else "Přidat oblast a cíle"
        super().__init__(ctx, parent, title, plan.version if plan.signed else None)
        self.plan = plan
        self.goal = goal
        self.area = QComboBox()
        self.area.addItem("– vyberte oblast –", None)
        for area in areas:
            self.area.addItem(area.label, area.id)
        self.goals = _text_box("goal.goals", 90)
        self.goals.setPlaceholderText("Co bude asistent/ka znát nebo umět (každý cíl na řádek)")
        kinds = QWidget()
        kinds_layout = QGridLayout(kinds)
        kinds_layout.setContentsMargins(0, 0, 0, 0)
        self.activity_boxes: dict[str, QCheckBox] = {}
        for index, (code, label) in enumerate(ACTIVITY_KINDS.items()):
            box = QCheckBox(label)
            self.activity_boxes[code] = box
            kinds_layout.addWidget(box, index // 3, index % 3)
        self.activity_detail = _text_box("goal.activity_detail", 50)
        self.activity_detail.setPlaceholderText("např. kurz finanční gramotnosti (8 h)")
        self.responsible = LimitedLineEdit("goal.responsible")
        self.deadline = DateField(required=False)
        self.success_measure = _text_box("goal.success_measure", 50)
        self.status = QComboBox()
        for code, label in GOAL_STATUSES.items():
            self.status.addItem(label, code)
        self.errors.add_row("Vzdělávací oblast:", "area_id", self.area)
        self.errors.add_row("Cíle:", "goals", self.goals)
        self.errors.add_row("Plánované aktivity:", "activities", kinds)
        self.errors.add_row("Upřesnění aktivit:", "activity_detail", self.activity_detail)
        self.errors.add_row("Odpovědná osoba:", "responsible", self.responsible)
        self.errors.add_row("Termín:", "deadline", self.deadline)
        self.errors.add_row("Měřítko úspěchu:", "success_measure", self.success_measure)
        self.errors.add_row("Stav:", "status", self.status)
        self._fill(goal.data() if goal else GoalData(area_id=None, goals=""))
        self._finish_layout()

    def _fill(self, data: GoalData) -> None:
        self.area.setCurrentIndex(max(self.area.findData(data.area_id), 0))
        self.goals.setPlainText(data.goals)
        for code, box in self.activity_boxes.items():
            box.setChecked(code in data.activities)
        self.activity_detail.setPlainText(data.activity_detail)
        self.responsible.setText(data.responsible)
        self.deadline.set_value(data.deadline)
        self.success_measure.setPlainText(data.success_measure)
        self.status.setCurrentIndex(max(self.status.findData(data.status), 0))
        self.errors.mark_loaded()

    def reload(self) -> None:
        assert self.goal is not None
        goal_id = self.goal.id
        self.plan = self._read_plan(self.plan.id)
        goal = next((g for g in self.plan.goals if g.id == goal_id), None)
        if goal is None:
            raise NotFoundError("Cíl už v databázi není.")
        self.goal = goal
        self._fill(goal.data())

    def select_area(self, area_id: int) -> None:
        self.area.setCurrentIndex(self.area.findData(area_id))

    def value(self, errors: dict[str, str]) -> GoalData:
        return GoalData(
            area_id=self.area.currentData(),
            goals=self.goals.toPlainText(),
            activities=tuple(c for c, box in self.activity_boxes.items() if box.isChecked()),
            activity_detail=self.activity_detail.toPlainText(),
            responsible=self.responsible.text(),
            deadline=_date_or_error(self.deadline, "deadline", errors),
            success_measure=self.success_measure.toPlainText(),
            status=self.status.currentData() or DEFAULT_GOAL_STATUS,
        )

    def save(self) -> bool:
        errors: dict[str, str] = {}
        data = self.value(errors)
        goal, plan_id = self.goal, self.plan.id
        if goal is not None:
            return self._store(
                lambda s: plans.update_goal(s, goal.id, data, seen_version=goal.row_version),
                errors,
            )
        return self._store(lambda s: plans.add_goal(s, plan_id, data), errors, edits=False)


class ReviewDialog(_PlanDialogBase):
    """A review of the whole plan or of one area: date, status (or only planned), note."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None,
        plan: plans.PlanDetail,
        review: plans.ReviewView | None = None,
        today: date | None = None,
    ) -> None:
        title = "Upravit hodnocení plánu" if review else "Přidat hodnocení plánu"
        super().__init__(ctx, parent, title, None)  # recorded on a signed version too
        self.plan = plan
        self.review = review
        self.review_date = DateField()
        self.subject = QComboBox()
        self.subject.addItem(plans.WHOLE_PLAN, None)
        for goal in plan.goals:
            self.subject.addItem(goal.area_label, goal.id)
        self.status = QComboBox()
        for code, label in REVIEW_STATUSES.items():
            shown = f"{label} (hodnocení teprve proběhne)" if code == PLANNED_REVIEW else label
            self.status.addItem(shown, code)
        self.note = _text_box("review.note", 80)
        self.errors.add_row("Datum:", "review_date", self.review_date)
        self.errors.add_row("Oblast / cíl:", "goal_id", self.subject)
        self.errors.add_row("Stav:", "status", self.status)
        self.errors.add_row("Poznámka:", "note", self.note)
        self._fill(review.data() if review else ReviewData(today))
        self._finish_layout()

    def _fill(self, data: ReviewData) -> None:
        self.review_date.set_value(data.review_date)
        self.subject.setCurrentIndex(max(self.subject.findData(data.goal_id), 0))
        self.status.setCurrentIndex(max(self.status.findData(data.status), 0))
        self.note.setPlainText(data.note)
        self.errors.mark_loaded()

    def reload(self) -> None:
        assert self.review is not None
        review_id = self.review.id
        self.plan = self._read_plan(self.plan.id)
        review = next((r for r in self.plan.reviews if r.id == review_id), None)
        if review is None:
            raise NotFoundError("Hodnocení už v databázi není.")
        self.review = review
        self._fill(review.data())

    def value(self, errors: dict[str, str]) -> ReviewData:
        return ReviewData(
            review_date=_date_or_error(self.review_date, "review_date", errors),
            goal_id=self.subject.currentData(),
            status=self.status.currentData() or PLANNED_REVIEW,
            note=self.note.toPlainText(),
        )

    def save(self) -> bool:
        errors: dict[str, str] = {}
        data = self.value(errors)
        review, plan_id = self.review, self.plan.id
        if review is not None:
            return self._store(
                lambda s: plans.update_review(s, review.id, data, seen_version=review.row_version),
                errors,
            )
        return self._store(lambda s: plans.add_review(s, plan_id, data), errors, edits=False)


class SignDialog(_PlanDialogBase):
    """Record the date the printed plan was signed by the assistant and the mentor."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None, plan: plans.PlanDetail, today: date
    ) -> None:
        super().__init__(ctx, parent, "Označit plán jako podepsaný", None)
        self.plan = plan
        self.info = QLabel()
        self.info.setWordWrap(True)
        self._layout.addWidget(self.info)
        self.signed_on = DateField(today)
        self.errors.add_row("Datum podpisu:", "signed_on", self.signed_on)
        self._show_plan()
        self._finish_layout()

    def _show_plan(self) -> None:
        plan = self.plan
        self.info.setText(
            f"Plán {plan.summary.period_text}, verze {plan.version} – {plan.assistant_name}, "
            f"{plural(len(plan.goals), 'oblast', 'oblasti', 'oblastí')} s cíli.\n"
            "Obsah podepsané verze se už nebude měnit: úpravy cílů a údajů plánu vytvoří novou "
            "verzi. Průběžná a závěrečná hodnocení se zapisují k této verzi."
        )
        self.errors.mark_loaded()

    def reload(self) -> None:
        self.plan = self._read_plan(self.plan.id)
        self._show_plan()

    def save(self) -> bool:
        errors: dict[str, str] = {}
        signed_on = _date_or_error(self.signed_on, "signed_on", errors)
        plan_id, seen = self.plan.id, self.plan.row_version
        return self._store(
            lambda s: plans.mark_signed(s, plan_id, signed_on, seen_version=seen), errors
        )
