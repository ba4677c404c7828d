"""Individual development plans (plán individuálního rozvoje, IDP): plain rules, no Qt, no SQL.

Terms used across the plan code:

* A **plan** is one row; its **lineage** is the original plan plus every revised version of it
  (``root_id`` points to the original, ``version`` counts 1, 2, …).
* A plan is **signed** once the printed sheet was signed (``signed_on``). A signed plan is never
  changed again: a change to it is made on a new, unsigned version (version + 1).
* The **current version** of a lineage is its highest version (signed or not).
* The **active plan** of an assistant on a day is the current version of the lineage whose period
  covers that day. Periods of different lineages of one assistant must not overlap, so there is
  at most one active plan per assistant and day.

Validation functions return ``{field: Czech message}`` (empty when all is well).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.limits import clean_text, max_length, unprintable_errors

# Planned activities of a goal: code -> Czech label (codes are stored, comma-separated).
ACTIVITY_KINDS: dict[str, str] = {
    "training": "vzdělávání/školení",
    "mentoring": "mentoring",
    "supervision": "supervize",
    "self_study": "samostudium",
    "practice": "praxe",
}

# Status of a goal (what the plan says about it now).
GOAL_STATUSES: dict[str, str] = {
    "planned": "naplánováno",
    "in_progress": "probíhá",
    "not_met": "nesplněno",
    "partly_met": "částečně splněno",
    "met": "splněno",
}
DEFAULT_GOAL_STATUS = "planned"

# Status of a review: "planned" means the review date is set but the review is not done yet.
REVIEW_STATUSES: dict[str, str] = {
    "planned": "naplánováno",
    "not_met": "nesplněno",
    "partly_met": "částečně splněno",
    "met": "splněno",
}
PLANNED_REVIEW = "planned"

MAX_TEXT = max_length("plan.note")
MAX_NAME = max_length("plan.mentor_name")


@dataclass(frozen=True)
class PlanData:
    """The plan's own fields, as the user types them."""

    period_start: date | None
    period_end: date | None
    mentor_name: str = ""
    police_head_name: str = ""
    include_police_head: bool = False  # print a signature line for the head of the MP
    note: str = ""

    def clean(self) -> PlanData:
        return PlanData(
            period_start=self.period_start,
            period_end=self.period_end,
            mentor_name=" ".join(clean_text("plan.mentor_name", self.mentor_name).split()),
            police_head_name=" ".join(
                clean_text("plan.police_head_name", self.police_head_name).split()
            ),
            include_police_head=self.include_police_head,
            note=clean_text("plan.note", self.note),
        )


@dataclass(frozen=True)
class GoalData:
    """One chosen education area of a plan with its goals and how they are to be reached."""

    area_id: int | None
    goals: str
    activities: tuple[str, ...] = ()
    activity_detail: str = ""
    responsible: str = ""
    deadline: date | None = None
    success_measure: str = ""
    status: str = DEFAULT_GOAL_STATUS

    def clean(self) -> GoalData:
        ordered = tuple(code for code in ACTIVITY_KINDS if code in set(self.activities))
        return GoalData(
            area_id=self.area_id,
            goals=clean_text("goal.goals", self.goals),
            activities=ordered,
            activity_detail=clean_text("goal.activity_detail", self.activity_detail),
            responsible=" ".join(clean_text("goal.responsible", self.responsible).split()),
            deadline=self.deadline,
            success_measure=clean_text("goal.success_measure", self.success_measure),
            status=self.status,
        )


@dataclass(frozen=True)
class ReviewData:
    """A review of the plan (``goal_id`` None) or of one of its goals."""

    review_date: date | None
    goal_id: int | None = None
    status: str = PLANNED_REVIEW
    note: str = ""

    def clean(self) -> ReviewData:
        note = clean_text("review.note", self.note)
        return ReviewData(self.review_date, self.goal_id, self.status, note)


def encode_activities(codes: Iterable[str]) -> str:
    return ",".join(code for code in ACTIVITY_KINDS if code in set(codes))


def decode_activities(text: str) -> tuple[str, ...]:
    codes = {part.strip() for part in text.split(",") if part.strip()}
    return tuple(code for code in ACTIVITY_KINDS if code in codes)


def activities_text(codes: Sequence[str]) -> str:
    """``("training", "practice")`` → ``"vzdělávání/školení, praxe"``."""
    return ", ".join(ACTIVITY_KINDS[code] for code in codes if code in ACTIVITY_KINDS)


def periods_overlap(start_a: date, end_a: date, start_b: date, end_b: date) -> bool:
    return start_a <= end_b and start_b <= end_a


def period_text(start: date, end: date) -> str:
    return f"{format_date(start)} – {format_date(end)}"


def validate_plan(data: PlanData, project_start: date, project_end: date) -> dict[str, str]:
    """Period present, end after start, both inside the project period; names not too long.
    Fields: period_start, period_end, mentor_name, police_head_name, note."""
    errors: dict[str, str] = {}
    start, end = data.period_start, data.period_end
    if start is None:
        errors["period_start"] = "Zadejte začátek období plánu."
    if end is None:
        errors["period_end"] = "Zadejte konec období plánu."
    if start is not None and end is not None and end <= start:
        errors["period_end"] = "Konec období musí být až po jeho začátku."
    project = period_text(project_start, project_end)
    if start is not None and not project_start <= start <= project_end:
        errors["period_start"] = f"Začátek plánu musí ležet v období projektu ({project})."
    if end is not None and "period_end" not in errors and not project_start <= end <= project_end:
        errors["period_end"] = f"Konec plánu musí ležet v období projektu ({project})."
    if len(data.mentor_name) > MAX_NAME:
        errors["mentor_name"] = f"Jméno mentora může mít nejvýše {MAX_NAME} znaků."
    if len(data.police_head_name) > MAX_NAME:
        errors["police_head_name"] = f"Jméno může mít nejvýše {MAX_NAME} znaků."
    if len(data.note) > MAX_TEXT:
        errors["note"] = f"Poznámka může mít nejvýše {MAX_TEXT} znaků."
    printable = unprintable_errors(
        {
            "mentor_name": data.mentor_name,
            "police_head_name": data.police_head_name,
            "note": data.note,
        }
    )
    return printable | errors


def validate_goal(
    data: GoalData,
    plan_start: date,
    plan_end: date,
    used_area_ids: Iterable[int] = (),
    area_labels: dict[int, str] | None = None,
) -> dict[str, str]:
    """An area chosen once per plan, a goal text, known activity kinds and status, a deadline
    inside the plan period. Fields: area_id, goals, activities, deadline, status, responsible,
    success_measure, activity_detail."""
    errors: dict[str, str] = {}
    if data.area_id is None:
        errors["area_id"] = "Vyberte vzdělávací oblast."
    elif data.area_id in set(used_area_ids):
        label = (area_labels or {}).get(data.area_id, "")
        named = f" „{label}“" if label else ""
        errors["area_id"] = (
            f"Oblast{named} už v plánu je. Doplňte cíle k ní, místo abyste ji přidávali znovu."
        )
    elif area_labels is not None and data.area_id not in area_labels:
        errors["area_id"] = "Tato vzdělávací oblast k projektu nepatří."
    if not data.goals:
        errors["goals"] = "Zadejte alespoň jeden cíl pro tuto oblast."
    elif len(data.goals) > MAX_TEXT:
        errors["goals"] = f"Cíle mohou mít nejvýše {MAX_TEXT} znaků."
    unknown = [code for code in data.activities if code not in ACTIVITY_KINDS]
    if unknown:
        errors["activities"] = "Neznámý druh aktivity."
    if data.status not in GOAL_STATUSES:
        errors["status"] = "Vyberte stav cíle."
    if data.deadline is not None and not plan_start <= data.deadline <= plan_end:
        errors["deadline"] = (
            f"Termín musí ležet v období plánu ({period_text(plan_start, plan_end)})."
        )
    for name, value in (
        ("activity_detail", data.activity_detail),
        ("success_measure", data.success_measure),
    ):
        if len(value) > MAX_TEXT:
            errors[name] = f"Text může mít nejvýše {MAX_TEXT} znaků."
    if len(data.responsible) > MAX_NAME:
        errors["responsible"] = f"Jméno může mít nejvýše {MAX_NAME} znaků."
    printable = unprintable_errors(
        {
            "goals": data.goals,
            "activity_detail": data.activity_detail,
            "success_measure": data.success_measure,
            "responsible": data.responsible,
        }
    )
    return printable | errors


def validate_review(data: ReviewData, plan_start: date, plan_end: date) -> dict[str, str]:
    """A date (from the plan start to a half year after its end), a known status.
    Fields: review_date, status, note."""
    errors: dict[str, str] = {}
    if data.review_date is None:
        errors["review_date"] = "Zadejte datum hodnocení."
    elif not plan_start <= data.review_date <= plan_end + timedelta(days=183):
        errors["review_date"] = (
            "Datum hodnocení musí ležet v období plánu "
            f"({period_text(plan_start, plan_end)}) nebo krátce po něm."
        )
    if data.status not in REVIEW_STATUSES:
        errors["status"] = "Vyberte stav hodnocení."
    if len(data.note) > MAX_TEXT:
        errors["note"] = f"Poznámka může mít nejvýše {MAX_TEXT} znaků."
    return unprintable_errors({"note": data.note}) | errors


def validate_signature(signed_on: date | None, goal_count: int) -> dict[str, str]:
    """A signature date, and something to sign. Fields: signed_on."""
    if signed_on is None:
        return {"signed_on": "Zadejte datum podpisu."}
    if goal_count == 0:
        return {"signed_on": "Plán zatím nemá žádný cíl – doplňte cíle, teprve pak ho podepište."}
    return {}


def next_period(
    start: date, end: date, project_start: date, project_end: date
) -> tuple[date, date] | None:
    """The period of a plan copied from one for ``start``–``end``: from the day after it, of the
    same length (whole months stay whole months: 1.4.–31.3. → 1.4.–31.3.), cut at the project
    end. None when the old plan already reaches the project end."""
    from dateutil.relativedelta import relativedelta

    new_start = max(end + timedelta(days=1), project_start)
    if new_start >= project_end:
        return None
    after = end + timedelta(days=1)
    span = relativedelta(after, start)
    if span.days == 0 and (span.months or span.years):
        new_end = new_start + span - timedelta(days=1)
    else:
        new_end = new_start + (end - start)
    return new_start, min(new_end, project_end)


def sheet_id(plan_id: int, version: int) -> str:
    """The identifier printed in the footer, e.g. ``IDP-12-v2``."""
    return f"IDP-{plan_id}-v{version}"
