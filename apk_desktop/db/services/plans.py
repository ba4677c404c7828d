"""Individual development plans (IDP): reads, every change, the dashboard's checks and the data
for the printed sheet.

The content of a signed plan (period, signers, note, goals per area with their activities,
deadlines, success measures and statuses) is never changed: such a write to the current version
of a signed plan first makes a new, unsigned version (version + 1, goals and reviews copied) and
changes that. Reviews (průběžná hodnocení) and the final evaluation are records about the plan
made during and after its period, so they are written to the newest version itself, signed or
not, without a new version. Writes return the ``PlanDetail`` of the plan actually changed, so the
UI can select it. Older versions of a lineage (superseded by a newer one) refuse every change.

Changes of an existing plan, goal or review take the ``row_version`` the user saw
(``seen_version``; StaleRecordError when another PC changed it since). A change of the goals
counts as a change of their plan, since the plan's signature covers them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from apk_desktop.db.models import Assistant, EducationArea, Employment, Position, Project
from apk_desktop.db.models.plans import Plan, PlanGoal, PlanReview
from apk_desktop.db.versioning import check_version, touch
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.czech_text import czech_sort_key
from apk_desktop.domain.errors import ConflictError, NotFoundError, ValidationError, collect
from apk_desktop.domain.limits import clean_text, length_errors
from apk_desktop.domain.plans import (
    DEFAULT_GOAL_STATUS,
    GOAL_STATUSES,
    PLANNED_REVIEW,
    REVIEW_STATUSES,
    GoalData,
    PlanData,
    ReviewData,
    activities_text,
    decode_activities,
    encode_activities,
    next_period,
    period_text,
    periods_overlap,
    validate_goal,
    validate_plan,
    validate_review,
    validate_signature,
)

if TYPE_CHECKING:
    from apk_desktop.sheets.idp import IdpSheetData


# ---- views -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalView:
    """One chosen area of a plan with its goals."""

    id: int
    plan_id: int
    area_id: int
    area_code: str
    area_label: str
    goals: str
    activities: tuple[str, ...]
    activity_detail: str
    responsible: str
    deadline: date | None
    success_measure: str
    status: str
    row_version: int

    @property
    def activities_text(self) -> str:
        return activities_text(self.activities)

    @property
    def status_label(self) -> str:
        return GOAL_STATUSES.get(self.status, self.status)

    def data(self) -> GoalData:
        """The goal as form data (for an edit dialog)."""
        return GoalData(
            area_id=self.area_id,
            goals=self.goals,
            activities=self.activities,
            activity_detail=self.activity_detail,
            responsible=self.responsible,
            deadline=self.deadline,
            success_measure=self.success_measure,
            status=self.status,
        )


@dataclass(frozen=True)
class ReviewView:
    """A review of the whole plan (``goal_id`` None) or of one goal's area."""

    id: int
    plan_id: int
    goal_id: int | None
    subject: str  # the area label, or "Celý plán"
    review_date: date
    status: str
    note: str
    row_version: int

    @property
    def status_label(self) -> str:
        return REVIEW_STATUSES.get(self.status, self.status)

    def data(self) -> ReviewData:
        return ReviewData(self.review_date, self.goal_id, self.status, self.note)


WHOLE_PLAN = "Celý plán"


@dataclass(frozen=True)
class PlanSummary:
    """One version of a plan, as listed under an assistant."""

    id: int
    assistant_id: int
    lineage_id: int
    version: int
    period_start: date
    period_end: date
    signed_on: date | None
    is_current_version: bool  # the newest version of its lineage
    goal_count: int
    row_version: int  # optimistic lock of this version's row (not the plan's version number)

    @property
    def signed(self) -> bool:
        return self.signed_on is not None

    @property
    def period_text(self) -> str:
        return period_text(self.period_start, self.period_end)

    @property
    def state_text(self) -> str:
        if self.signed_on is not None:
            state = f"podepsáno {format_date(self.signed_on)}"
        else:
            state = "návrh"
        if not self.is_current_version:
            state += ", nahrazeno novější verzí"
        return state

    @property
    def label(self) -> str:
        """Short, for the list: ``01.04.2023 – 31.03.2024 · v2 · podepsáno 08.04.2023``."""
        state = f"podepsáno {format_date(self.signed_on)}" if self.signed_on else "návrh"
        older = " · starší verze" if not self.is_current_version else ""
        return f"{self.period_text} · v{self.version} · {state}{older}"


@dataclass(frozen=True)
class PlanDetail:
    """Everything about one version of a plan."""

    summary: PlanSummary
    project_id: int
    assistant_name: str
    mentor_name: str
    police_head_name: str
    include_police_head: bool
    note: str
    final_evaluation: str
    goals: tuple[GoalView, ...]
    reviews: tuple[ReviewView, ...]

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def version(self) -> int:
        return self.summary.version

    @property
    def row_version(self) -> int:
        return self.summary.row_version

    @property
    def signed(self) -> bool:
        return self.summary.signed

    @property
    def editable(self) -> bool:
        """True for the newest version. On a signed one, a change of its content makes a new
        version first; reviews and the final evaluation are recorded on it directly."""
        return self.summary.is_current_version

    def data(self) -> PlanData:
        s = self.summary
        return PlanData(
            period_start=s.period_start,
            period_end=s.period_end,
            mentor_name=self.mentor_name,
            police_head_name=self.police_head_name,
            include_police_head=self.include_police_head,
            note=self.note,
        )


@dataclass(frozen=True)
class ReviewDue:
    """Dashboard item: a planned (not yet done) review due soon or overdue."""

    assistant_id: int
    assistant_name: str
    plan_id: int
    review_id: int
    review_date: date
    subject: str
    overdue: bool


@dataclass(frozen=True)
class TooFewPlanAreas:
    """Dashboard item: an assistant whose active plan has goals in fewer areas than required
    (``plan_id`` None: no active plan at all)."""

    assistant_id: int
    assistant_name: str
    plan_id: int | None
    area_count: int


# ---- internal helpers --------------------------------------------------------------------------


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError("Plán rozvoje už v databázi není.")
    return plan


def _assistant(session: Session, assistant_id: int) -> Assistant:
    assistant = session.get(Assistant, assistant_id)
    if assistant is None:
        raise NotFoundError("Asistent už v databázi není.")
    return assistant


def _project_of(session: Session, assistant: Assistant) -> Project:
    project = session.get(Project, assistant.project_id)
    assert project is not None
    return project


def _lineage(session: Session, lineage_id: int) -> list[Plan]:
    return list(
        session.scalars(
            select(Plan)
            .where((Plan.id == lineage_id) | (Plan.root_id == lineage_id))
            .order_by(Plan.version)
        )
    )


def _latest_version(session: Session, lineage_id: int) -> int:
    return max(p.version for p in _lineage(session, lineage_id))


def _current_versions(session: Session, assistant_id: int) -> list[Plan]:
    """The newest version of every lineage of the assistant."""
    plans = session.scalars(select(Plan).where(Plan.assistant_id == assistant_id))
    newest: dict[int, Plan] = {}
    for plan in plans:
        known = newest.get(plan.lineage_id)
        if known is None or plan.version > known.version:
            newest[plan.lineage_id] = plan
    return sorted(newest.values(), key=lambda p: p.period_start)


def _areas(session: Session, project_id: int) -> dict[int, EducationArea]:
    return {
        a.id: a
        for a in session.scalars(
            select(EducationArea).where(EducationArea.project_id == project_id)
        )
    }


def _summary(plan: Plan, latest: int) -> PlanSummary:
    return PlanSummary(
        id=plan.id,
        assistant_id=plan.assistant_id,
        lineage_id=plan.lineage_id,
        version=plan.version,
        period_start=plan.period_start,
        period_end=plan.period_end,
        signed_on=plan.signed_on,
        is_current_version=plan.version == latest,
        goal_count=len(plan.goals),
        row_version=plan.row_version,
    )


def _goal_view(goal: PlanGoal, areas: Mapping[int, EducationArea]) -> GoalView:
    area = areas[goal.area_id]
    return GoalView(
        id=goal.id,
        plan_id=goal.plan_id,
        area_id=goal.area_id,
        area_code=area.code,
        area_label=area.label,
        goals=goal.goals,
        activities=decode_activities(goal.activities),
        activity_detail=goal.activity_detail,
        responsible=goal.responsible,
        deadline=goal.deadline,
        success_measure=goal.success_measure,
        status=goal.status,
        row_version=goal.row_version,
    )


def _sorted_goals(plan: Plan, areas: Mapping[int, EducationArea]) -> list[PlanGoal]:
    return sorted(plan.goals, key=lambda g: (areas[g.area_id].sort_order, g.area_id))


def _detail(session: Session, plan: Plan) -> PlanDetail:
    session.flush()
    session.refresh(plan)
    assistant = _assistant(session, plan.assistant_id)
    areas = _areas(session, assistant.project_id)
    goals = _sorted_goals(plan, areas)
    labels = {g.id: areas[g.area_id].label for g in goals}
    reviews = sorted(plan.reviews, key=lambda r: (r.review_date, r.id))
    return PlanDetail(
        summary=_summary(plan, _latest_version(session, plan.lineage_id)),
        project_id=assistant.project_id,
        assistant_name=assistant.full_name,
        mentor_name=plan.mentor_name,
        police_head_name=plan.police_head_name,
        include_police_head=plan.include_police_head,
        note=plan.note,
        final_evaluation=plan.final_evaluation,
        goals=tuple(_goal_view(g, areas) for g in goals),
        reviews=tuple(
            ReviewView(
                id=r.id,
                plan_id=r.plan_id,
                goal_id=r.goal_id,
                subject=labels.get(r.goal_id, WHOLE_PLAN) if r.goal_id else WHOLE_PLAN,
                review_date=r.review_date,
                status=r.status,
                note=r.note,
                row_version=r.row_version,
            )
            for r in reviews
        ),
    )


def _copy_goal(goal: PlanGoal, plan_id: int, *, shift: relativedelta | None = None) -> PlanGoal:
    deadline = goal.deadline
    if shift is not None and deadline is not None:
        deadline = deadline + shift
    return PlanGoal(
        plan_id=plan_id,
        area_id=goal.area_id,
        goals=goal.goals,
        activities=goal.activities,
        activity_detail=goal.activity_detail,
        responsible=goal.responsible,
        deadline=deadline,
        success_measure=goal.success_measure,
        status=goal.status if shift is None else DEFAULT_GOAL_STATUS,
    )


def _new_version(session: Session, plan: Plan) -> Plan:
    """An unsigned copy (version + 1) of a signed plan, with its goals and reviews."""
    copy = Plan(
        assistant_id=plan.assistant_id,
        root_id=plan.lineage_id,
        previous_id=plan.id,
        version=plan.version + 1,
        period_start=plan.period_start,
        period_end=plan.period_end,
        mentor_name=plan.mentor_name,
        police_head_name=plan.police_head_name,
        include_police_head=plan.include_police_head,
        note=plan.note,
        final_evaluation=plan.final_evaluation,
        signed_on=None,
    )
    session.add(copy)
    session.flush()
    goal_ids: dict[int, int] = {}
    for goal in plan.goals:
        new_goal = _copy_goal(goal, copy.id)
        session.add(new_goal)
        session.flush()
        goal_ids[goal.id] = new_goal.id
    for review in plan.reviews:
        session.add(
            PlanReview(
                plan_id=copy.id,
                goal_id=goal_ids.get(review.goal_id) if review.goal_id else None,
                review_date=review.review_date,
                status=review.status,
                note=review.note,
            )
        )
    session.flush()
    session.refresh(copy)
    return copy


def _newest(session: Session, plan_id: int) -> Plan:
    """Plan ``plan_id`` when it is the newest version of its lineage (signed or not), for
    recording reviews and the final evaluation. Superseded versions refuse changes."""
    plan = _plan(session, plan_id)
    if plan.version != _latest_version(session, plan.lineage_id):
        raise ConflictError(
            "Tato verze plánu už byla nahrazena novější. Upravujte nejnovější verzi."
        )
    return plan


def _for_edit(session: Session, plan_id: int) -> Plan:
    """The plan whose content to change: ``plan_id`` itself when unsigned, else a new version
    of it. Superseded versions refuse changes."""
    plan = _newest(session, plan_id)
    if plan.signed_on is not None:
        return _new_version(session, plan)
    return plan


def _matching_goal(plan: Plan, session: Session, goal_id: int) -> PlanGoal:
    """Goal ``goal_id`` of ``plan``, or, when ``plan`` is a version just made from the goal's
    signed plan, the goal of ``plan`` for the same area."""
    original = session.get(PlanGoal, goal_id)
    if original is None:
        raise NotFoundError("Cíl už v databázi není.")
    if original.plan_id == plan.id:
        return original
    if plan.root_id is not None and original.plan_id == plan.previous_id:
        for goal in plan.goals:
            if goal.area_id == original.area_id:
                return goal
    raise NotFoundError("Cíl do tohoto plánu nepatří.")


def _check_period(
    session: Session,
    assistant: Assistant,
    data: PlanData,
    lineage_id: int | None,
    goals: list[PlanGoal] | None = None,
) -> None:
    project = _project_of(session, assistant)
    errors = validate_plan(data, project.period_start, project.period_end)
    collect(errors)
    start, end = data.period_start, data.period_end
    assert start is not None and end is not None
    for other in _current_versions(session, assistant.id):
        if other.lineage_id == lineage_id:
            continue
        if periods_overlap(start, end, other.period_start, other.period_end):
            raise ValidationError(
                {
                    "period_start": "Období se překrývá s jiným plánem tohoto asistenta "
                    f"({period_text(other.period_start, other.period_end)}). Asistent může mít "
                    "v jednu chvíli jen jeden platný plán."
                }
            )
    for goal in goals or []:
        if goal.deadline is not None and not start <= goal.deadline <= end:
            raise ValidationError(
                {
                    "period_end": f"Termín cíle ({format_date(goal.deadline)}) by ležel mimo "
                    "období plánu. Upravte nejdříve termín cíle."
                }
            )


def _apply_plan_data(plan: Plan, data: PlanData) -> None:
    assert data.period_start is not None and data.period_end is not None
    plan.period_start = data.period_start
    plan.period_end = data.period_end
    plan.mentor_name = data.mentor_name
    plan.police_head_name = data.police_head_name
    plan.include_police_head = data.include_police_head
    plan.note = data.note


# ---- reads -------------------------------------------------------------------------------------


def list_plans(session: Session, assistant_id: int) -> list[PlanSummary]:
    """Every version of every plan of the assistant: newest period first, then newest version."""
    plans = list(
        session.scalars(
            select(Plan).where(Plan.assistant_id == assistant_id).options(selectinload(Plan.goals))
        )
    )
    latest: dict[int, int] = {}
    for plan in plans:
        latest[plan.lineage_id] = max(latest.get(plan.lineage_id, 0), plan.version)
    plans.sort(key=lambda p: (p.period_start, p.lineage_id, p.version), reverse=True)
    return [_summary(p, latest[p.lineage_id]) for p in plans]


def get_plan(session: Session, plan_id: int) -> PlanDetail:
    return _detail(session, _plan(session, plan_id))


def active_plan(session: Session, assistant_id: int, on: date) -> PlanSummary | None:
    """The current version of the plan whose period covers ``on`` (at most one exists)."""
    for plan in _current_versions(session, assistant_id):
        if plan.period_start <= on <= plan.period_end:
            return _summary(plan, plan.version)
    return None


def suggested_period(session: Session, assistant_id: int, today: date) -> tuple[date, date]:
    """Period offered for a new plan: after the assistant's last plan (same length), else from
    ``today`` (kept inside the project) for a year."""
    assistant = _assistant(session, assistant_id)
    project = _project_of(session, assistant)
    plans = _current_versions(session, assistant_id)
    if plans:
        last = plans[-1]
        found = next_period(
            last.period_start, last.period_end, project.period_start, project.period_end
        )
        if found is not None:
            return found
    start = min(max(today, project.period_start), project.period_end - timedelta(days=1))
    end = min(start.replace(year=start.year + 1) - timedelta(days=1), project.period_end)
    return start, end


# ---- writes ------------------------------------------------------------------------------------


def create_plan(session: Session, assistant_id: int, data: PlanData) -> PlanDetail:
    """A new, empty plan (version 1) for the assistant."""
    data = data.clean()
    assistant = _assistant(session, assistant_id)
    _check_period(session, assistant, data, None)
    plan = Plan(assistant_id=assistant_id, version=1, final_evaluation="")
    _apply_plan_data(plan, data)
    session.add(plan)
    session.flush()
    return _detail(session, plan)


def copy_as_new_plan(session: Session, plan_id: int, data: PlanData) -> PlanDetail:
    """A new plan (new lineage, version 1) with the goals of ``plan_id``: statuses reset,
    deadlines moved with the period (dropped when they would fall outside it); no reviews."""
    data = data.clean()
    source = _plan(session, plan_id)
    assistant = _assistant(session, source.assistant_id)
    _check_period(session, assistant, data, None)
    assert data.period_start is not None and data.period_end is not None
    plan = Plan(assistant_id=source.assistant_id, version=1, previous_id=source.id)
    _apply_plan_data(plan, data)
    session.add(plan)
    session.flush()
    shift = relativedelta(data.period_start, source.period_start)
    for goal in source.goals:
        new_goal = _copy_goal(goal, plan.id, shift=shift)
        if new_goal.deadline is not None and not (
            data.period_start <= new_goal.deadline <= data.period_end
        ):
            new_goal.deadline = None
        session.add(new_goal)
    return _detail(session, plan)


def update_plan(
    session: Session, plan_id: int, data: PlanData, *, seen_version: int | None = None
) -> PlanDetail:
    """Change the period, signers or note (of a new version when ``plan_id`` is signed).
    ``seen_version``: the ``row_version`` the form showed (StaleRecordError when it changed)."""
    data = data.clean()
    plan = _plan(session, plan_id)
    check_version(plan, seen_version)
    assistant = _assistant(session, plan.assistant_id)
    _check_period(session, assistant, data, plan.lineage_id, list(plan.goals))
    plan = _for_edit(session, plan_id)
    _apply_plan_data(plan, data)
    return _detail(session, plan)


def set_final_evaluation(
    session: Session, plan_id: int, text: str, *, seen_version: int | None = None
) -> PlanDetail:
    text = clean_text("plan.final_evaluation", text)
    collect(length_errors({"final_evaluation": ("plan.final_evaluation", text)}))
    plan = _newest(session, plan_id)  # recorded on a signed version too, no new version
    check_version(plan, seen_version)
    plan.final_evaluation = text
    return _detail(session, plan)


def _check_goal(session: Session, plan: Plan, data: GoalData, ignore_goal: int | None) -> None:
    assistant = _assistant(session, plan.assistant_id)
    areas = _areas(session, assistant.project_id)
    used = [g.area_id for g in plan.goals if g.id != ignore_goal]
    collect(
        validate_goal(
            data,
            plan.period_start,
            plan.period_end,
            used,
            {a.id: a.label for a in areas.values()},
        )
    )


def add_goal(session: Session, plan_id: int, data: GoalData) -> PlanDetail:
    """Add a chosen area with its goals (each area at most once per plan)."""
    data = data.clean()
    _check_goal(session, _plan(session, plan_id), data, None)
    plan = _for_edit(session, plan_id)
    goal = PlanGoal(plan_id=plan.id)
    _apply_goal_data(goal, data)
    session.add(goal)
    touch(plan)  # the goals are what a signature covers
    return _detail(session, plan)


def _apply_goal_data(goal: PlanGoal, data: GoalData) -> None:
    assert data.area_id is not None
    goal.area_id = data.area_id
    goal.goals = data.goals
    goal.activities = encode_activities(data.activities)
    goal.activity_detail = data.activity_detail
    goal.responsible = data.responsible
    goal.deadline = data.deadline
    goal.success_measure = data.success_measure
    goal.status = data.status


def _goal(session: Session, goal_id: int, seen_version: int | None) -> PlanGoal:
    goal = session.get(PlanGoal, goal_id)
    if goal is None:
        raise NotFoundError("Cíl už v databázi není.")
    check_version(goal, seen_version)
    return goal


def update_goal(
    session: Session, goal_id: int, data: GoalData, *, seen_version: int | None = None
) -> PlanDetail:
    data = data.clean()
    original = _goal(session, goal_id, seen_version)
    _check_goal(session, _plan(session, original.plan_id), data, goal_id)
    plan = _for_edit(session, original.plan_id)
    _apply_goal_data(_matching_goal(plan, session, goal_id), data)
    touch(plan)
    return _detail(session, plan)


def remove_goal(session: Session, goal_id: int, *, seen_version: int | None = None) -> PlanDetail:
    """Remove an area with its goals; its reviews become reviews of the whole plan."""
    original = _goal(session, goal_id, seen_version)
    plan = _for_edit(session, original.plan_id)
    goal = _matching_goal(plan, session, goal_id)
    for review in plan.reviews:
        if review.goal_id == goal.id:
            review.goal_id = None
    plan.goals.remove(goal)
    touch(plan)
    return _detail(session, plan)


def _check_review(session: Session, plan: Plan, data: ReviewData) -> None:
    collect(validate_review(data, plan.period_start, plan.period_end))
    if data.goal_id is not None and data.goal_id not in {g.id for g in plan.goals}:
        raise ValidationError({"goal_id": "Vybraný cíl do tohoto plánu nepatří."})


def add_review(session: Session, plan_id: int, data: ReviewData) -> PlanDetail:
    """Record a review (or plan one: status "planned") on the newest version, signed or not."""
    data = data.clean()
    plan = _newest(session, plan_id)
    _check_review(session, plan, data)
    assert data.review_date is not None
    session.add(
        PlanReview(
            plan_id=plan.id,
            goal_id=data.goal_id,
            review_date=data.review_date,
            status=data.status,
            note=data.note,
        )
    )
    return _detail(session, plan)


def _review(session: Session, review_id: int, seen_version: int | None) -> PlanReview:
    review = session.get(PlanReview, review_id)
    if review is None:
        raise NotFoundError("Hodnocení už v databázi není.")
    check_version(review, seen_version)
    return review


def update_review(
    session: Session, review_id: int, data: ReviewData, *, seen_version: int | None = None
) -> PlanDetail:
    """Change a review of the newest version, signed or not (no new version)."""
    data = data.clean()
    review = _review(session, review_id, seen_version)
    plan = _newest(session, review.plan_id)
    _check_review(session, plan, data)
    assert data.review_date is not None
    review.review_date = data.review_date
    review.goal_id = data.goal_id
    review.status = data.status
    review.note = data.note
    return _detail(session, plan)


def remove_review(
    session: Session, review_id: int, *, seen_version: int | None = None
) -> PlanDetail:
    """Remove a review of the newest version, signed or not (no new version)."""
    review = _review(session, review_id, seen_version)
    plan = _newest(session, review.plan_id)
    plan.reviews.remove(review)
    return _detail(session, plan)


def mark_signed(
    session: Session, plan_id: int, signed_on: date | None, *, seen_version: int | None = None
) -> PlanDetail:
    """Record that the printed plan was signed; from now on its content is frozen (reviews and
    the final evaluation are still recorded on it). ``seen_version``: the plan (with its goals)
    as printed and shown; StaleRecordError when it changed since."""
    plan = _plan(session, plan_id)
    check_version(plan, seen_version)
    if plan.signed_on is not None:
        raise ConflictError(f"Tato verze plánu už je podepsaná ({format_date(plan.signed_on)}).")
    if plan.version != _latest_version(session, plan.lineage_id):
        raise ConflictError("Podepsat lze jen nejnovější verzi plánu.")
    collect(validate_signature(signed_on, len(plan.goals)))
    plan.signed_on = signed_on
    return _detail(session, plan)


def delete_draft(session: Session, plan_id: int, *, seen_version: int | None = None) -> int | None:
    """Delete an unsigned newest version. Returns the id of the version now current in its
    lineage (None when the whole plan is gone)."""
    plan = _plan(session, plan_id)
    check_version(plan, seen_version)
    if plan.signed_on is not None:
        raise ConflictError("Podepsaný plán nelze smazat – zůstává v evidenci.")
    lineage = _lineage(session, plan.lineage_id)
    if plan.version != lineage[-1].version:
        raise ConflictError("Smazat lze jen nejnovější verzi plánu.")
    for other in session.scalars(select(Plan).where(Plan.previous_id == plan.id)):
        other.previous_id = None
    session.delete(plan)
    session.flush()
    return lineage[-2].id if len(lineage) > 1 else None


# ---- dashboard ---------------------------------------------------------------------------------


def _current_plans_of_project(session: Session, project_id: int) -> list[tuple[Plan, Assistant]]:
    rows = session.execute(
        select(Plan, Assistant)
        .join(Assistant, Plan.assistant_id == Assistant.id)
        .where(Assistant.project_id == project_id, Assistant.archived_at.is_(None))
        .options(selectinload(Plan.goals), selectinload(Plan.reviews))
    )
    newest: dict[int, tuple[Plan, Assistant]] = {}
    for plan, assistant in rows:
        known = newest.get(plan.lineage_id)
        if known is None or plan.version > known[0].version:
            newest[plan.lineage_id] = (plan, assistant)
    return list(newest.values())


def plans_due_for_review(
    session: Session, project_id: int, today: date, days: int = 14
) -> list[ReviewDue]:
    """Planned (not yet done) reviews of current plan versions due by ``today + days``,
    including overdue ones, of people employed ``today`` (not of those who have left);
    earliest first."""
    horizon = today + timedelta(days=days)
    areas = _areas(session, project_id)
    employed = set(
        session.scalars(
            select(Employment.assistant_id)
            .join(Position, Employment.position_id == Position.id)
            .where(
                Position.project_id == project_id,
                Employment.start_date <= today,
                (Employment.end_date.is_(None)) | (Employment.end_date >= today),
            )
        )
    )
    due: list[ReviewDue] = []
    for plan, assistant in _current_plans_of_project(session, project_id):
        if assistant.id not in employed:
            continue
        goal_areas = {g.id: areas[g.area_id].label for g in plan.goals}
        for review in plan.reviews:
            if review.status != PLANNED_REVIEW or review.review_date > horizon:
                continue
            due.append(
                ReviewDue(
                    assistant_id=assistant.id,
                    assistant_name=assistant.full_name,
                    plan_id=plan.id,
                    review_id=review.id,
                    review_date=review.review_date,
                    subject=goal_areas.get(review.goal_id, WHOLE_PLAN)
                    if review.goal_id
                    else WHOLE_PLAN,
                    overdue=review.review_date < today,
                )
            )
    due.sort(key=lambda d: (d.review_date, czech_sort_key(d.assistant_name), d.review_id))
    return due


def assistants_with_too_few_plan_areas(
    session: Session, project_id: int, today: date, minimum: int = 2
) -> list[TooFewPlanAreas]:
    """People employed ``today`` whose active plan has goals in fewer than ``minimum`` areas,
    or who have no active plan; by position number."""
    employed = session.execute(
        select(Assistant)
        .join(Employment, Employment.assistant_id == Assistant.id)
        .join(Position, Employment.position_id == Position.id)
        .where(
            Position.project_id == project_id,
            Employment.start_date <= today,
            (Employment.end_date.is_(None)) | (Employment.end_date >= today),
        )
        .order_by(Position.number)
    ).scalars()
    active: dict[int, Plan] = {}
    for plan, assistant in _current_plans_of_project(session, project_id):
        if plan.period_start <= today <= plan.period_end:
            active[assistant.id] = plan
    result: list[TooFewPlanAreas] = []
    seen: set[int] = set()
    for assistant in employed:
        if assistant.id in seen:
            continue
        seen.add(assistant.id)
        found = active.get(assistant.id)
        count = len({g.area_id for g in found.goals if g.goals.strip()}) if found else 0
        if count < minimum:
            result.append(
                TooFewPlanAreas(
                    assistant_id=assistant.id,
                    assistant_name=assistant.full_name,
                    plan_id=found.id if found else None,
                    area_count=count,
                )
            )
    return result


# ---- the printed sheet -------------------------------------------------------------------------


def idp_sheet_data(session: Session, plan_id: int) -> IdpSheetData:
    """Everything the IDP sheet prints, as plain data (no ORM objects), including the entry
    (vstupní) level per area when the assistant has an entry assessment."""
    from apk_desktop.db.services.assessments import entry_levels_text
    from apk_desktop.db.services.project import get_project_info, sheet_header
    from apk_desktop.sheets.idp import IdpGoal, IdpReview, IdpSheetData

    detail = get_plan(session, plan_id)
    plan = _plan(session, plan_id)
    assistant = _assistant(session, plan.assistant_id)
    project = _project_of(session, assistant)
    levels = entry_levels_text(session, assistant.id)
    position = session.scalar(
        select(Position.number)
        .join(Employment, Employment.position_id == Position.id)
        .where(
            Employment.assistant_id == assistant.id,
            Employment.start_date <= plan.period_end,
            (Employment.end_date.is_(None)) | (Employment.end_date >= plan.period_start),
        )
        .order_by(Employment.start_date.desc())
        .limit(1)
    )
    return IdpSheetData(
        header=sheet_header(get_project_info(session, project.id)),
        plan_id=detail.id,
        version=detail.version,
        assistant_name=detail.assistant_name,
        position_number=position,
        mentor_name=detail.mentor_name or project.mentor_name,
        period_start=detail.summary.period_start,
        period_end=detail.summary.period_end,
        signed_on=detail.summary.signed_on,
        note=detail.note,
        goals=tuple(
            IdpGoal(
                area_label=g.area_label,
                goals=g.goals,
                activities=g.activities_text,
                activity_detail=g.activity_detail,
                responsible=g.responsible,
                deadline=g.deadline,
                success_measure=g.success_measure,
                status=g.status_label,
                entry_level=levels.get(g.area_id, ""),
            )
            for g in detail.goals
        ),
        reviews=tuple(
            IdpReview(r.review_date, r.subject, r.status_label, r.note) for r in detail.reviews
        ),
        final_evaluation=detail.final_evaluation,
        include_police_head=detail.include_police_head,
        police_head_name=detail.police_head_name,
        show_entry_levels=bool(levels),
    )


# ---- sample data -------------------------------------------------------------------------------

_SAMPLE_GOALS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "FIELD": (
        "Zná zákon o obecní policii v rozsahu potřebném pro práci APK a umí popsat své "
        "kompetence.\nSamostatně vede záznam o výkonu služby.",
        ("training", "mentoring", "practice"),
        "Úvodní kurz APK, společné obchůzky s mentorem.",
        "Test znalostí min. 70 %, bezchybné záznamy za poslední měsíc.",
    ),
    "FIN": (
        "Umí vysvětlit rizika půjček a exekucí a nasměrovat občana na dluhovou poradnu.",
        ("training", "self_study"),
        "Kurz finanční gramotnosti (8 h), samostudium materiálů poradny.",
        "Modelová situace zvládnutá při hodnocení mentorem.",
    ),
    "COMM": (
        "Zvládá komunikaci s agresivním a podnapilým občanem bez eskalace konfliktu.",
        ("training", "supervision", "practice"),
        "Výcvik komunikačních dovedností, skupinová supervize.",
        "Pozorování mentorem při výkonu služby: 3 situace bez eskalace.",
    ),
    "MED": (
        "Umí vést jednoduchou mediaci sousedského sporu za přítomnosti mentora.",
        ("training", "mentoring"),
        "Kurz základů mediace (16 h).",
        "Dvě asistované mediace s kladným hodnocením mentora.",
    ),
    "DIG": (
        "Samostatně používá služební telefon, e-mail a tabulkový záznam o činnosti.",
        ("self_study", "practice"),
        "Individuální zaškolení, práce se sdílenými tabulkami.",
        "Měsíční výkaz odevzdaný elektronicky bez chyb.",
    ),
}


def populate_sample_plans(session: Session, project_id: int) -> list[int]:
    """Sample plans for demos and benchmarks (not used by the app): for every assistant
    employed at the project start, a signed first-year plan in two or three areas with done
    reviews, and a copied second-year draft with planned reviews. Returns the new plan ids."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("Projekt už v databázi není.")
    areas = sorted(_areas(session, project_id).values(), key=lambda a: a.sort_order)
    by_code = {a.code: a for a in areas}
    employed = session.scalars(
        select(Assistant)
        .join(Employment, Employment.assistant_id == Assistant.id)
        .where(Assistant.project_id == project_id, Employment.start_date == project.period_start)
        .order_by(Assistant.id)
    ).all()
    mentor = project.mentor_name or "Mgr. Pavel Kratochvíl"
    ids: list[int] = []
    start = project.period_start
    end = min(start.replace(year=start.year + 1) - timedelta(days=1), project.period_end)
    for index, assistant in enumerate(employed):
        codes = ["FIELD", "COMM", ("FIN", "MED", "DIG")[index % 3]]
        codes = [c for c in codes if c in by_code] or [a.code for a in areas[:2]]
        first = create_plan(session, assistant.id, PlanData(start, end, mentor_name=mentor))
        for code in codes:
            goals, kinds, detail, measure = _SAMPLE_GOALS.get(
                code, ("Rozvíjí znalosti v oblasti.", ("training",), "", "")
            )
            add_goal(
                session,
                first.id,
                GoalData(
                    by_code[code].id,
                    goals,
                    kinds,
                    detail,
                    mentor,
                    end - timedelta(days=30),
                    measure,
                    "in_progress",
                ),
            )
        add_review(
            session,
            first.id,
            ReviewData(start + timedelta(days=182), None, "partly_met", "Plní průběžně."),
        )
        signed = mark_signed(session, first.id, start + timedelta(days=7))
        ids.append(signed.id)
        found = next_period(start, end, project.period_start, project.period_end)
        if found is None:
            continue
        second = copy_as_new_plan(session, signed.id, PlanData(*found, mentor_name=mentor))
        add_review(
            session,
            second.id,
            ReviewData(found[0] + timedelta(days=182), None, PLANNED_REVIEW, ""),
        )
        ids.append(second.id)
    session.flush()
    return ids
