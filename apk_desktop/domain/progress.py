"""Progress rules for project goal 1: per area, first vs latest assessment; who meets the goal.

Decisions (also in the README):

* **First vs latest.** Per assistant and area, the *first* assessment is the earliest one that
  rated the area (by date, then by record order); the *latest* is the most recent one. Every
  kind counts (vstupní, průběžné, závěrečné); the entry assessment is normally the first.
* **Improved** when the latest level is higher than the first, compared on a normalised scale:
  ``(level - min) / (max - min)`` of the scale each assessment was made on. So if the scale
  changed (e.g. 1–5 to 1–10), 3 of 1–5 (0.5) vs 6 of 1–10 (0.56) counts as improved, while
  3 of 1–5 vs 5 of 1–10 (0.44) does not. With only one assessment of an area there is nothing
  to compare: not improved. A later level lower than the first is "declined", not improved.
* **An assistant meets goal 1** when at least two areas improved.
* **The team meets goal 1** when every assistant *currently in a position* meets it (and there
  is at least one). A person who left mid-project is still shown with their own progress but
  does not count for the team; their successor is evaluated on their own assessments only.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from apk_desktop.domain.czech_text import plural, plural_form
from apk_desktop.domain.limits import clean_text, length_errors

GOAL_1_TEXT = (
    "„Devět asistentů prevence kriminality prokáže zvýšení znalostí, vědomostí a kompetencí "
    "minimálně dvou z pěti vzdělávacích oblastí“"
)
GOAL_MIN_AREAS = 2
MISSING_AFTER_MONTHS = 3
_EPSILON = 1e-9

KIND_LABELS: dict[str, str] = {
    "entry": "vstupní",
    "interim": "průběžné",
    "final": "závěrečné",
}
METHOD_SUGGESTIONS: tuple[str, ...] = (
    "vstupní test",
    "pozorování při výkonu práce",
    "rozhovor",
    "závěrečný test",
    "sebehodnocení",
    "modelová situace",
)

# The default scale, seeded for every project (the scale is data: a project may add another).
DEFAULT_SCALE_NAME = "Výchozí škála 1–5"
DEFAULT_SCALE_LEVELS: tuple[tuple[int, str, str], ...] = (
    (1, "začátečník", "Oblast zná jen okrajově; potřebuje soustavné vedení a kontrolu."),
    (2, "základní úroveň", "Zná základní pojmy; v jednoduchých situacích je uplatní s pomocí."),
    (3, "samostatný", "Běžné situace zvládá samostatně a správně."),
    (4, "pokročilý", "Zvládá i složité a nečekané situace; umí poradit kolegům."),
    (5, "expert", "Oblast ovládá výborně; je vzorem, může předávat zkušenosti a školit."),
)


class Trend(Enum):
    """How one area developed between the first and the latest assessment."""

    NONE = "none"  # never assessed
    SINGLE = "single"  # assessed once: nothing to compare
    SAME = "same"
    IMPROVED = "improved"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return {
            Trend.NONE: "nehodnoceno",
            Trend.SINGLE: "jen jedno hodnocení",
            Trend.SAME: "beze změny",
            Trend.IMPROVED: "zlepšení",
            Trend.DECLINED: "zhoršení",
        }[self]


@dataclass(frozen=True)
class Observation:
    """One level in one area at one assessment, with the scale it was given on."""

    assessment_id: int
    on: date
    level: int
    scale_min: int
    scale_max: int

    @property
    def normalised(self) -> float:
        return normalise(self.level, self.scale_min, self.scale_max)

    def level_text(self, shown_scale: tuple[int, int] | None = None) -> str:
        """ "3", or "3 (1–10)" when the scale differs from ``shown_scale``."""
        if shown_scale is None or shown_scale == (self.scale_min, self.scale_max):
            return str(self.level)
        return f"{self.level} ({self.scale_min}–{self.scale_max})"


def normalise(level: int, scale_min: int, scale_max: int) -> float:
    """Position of ``level`` on its scale as 0.0–1.0."""
    if scale_max <= scale_min:
        raise ValueError("scale_max must be greater than scale_min")
    return (level - scale_min) / (scale_max - scale_min)


@dataclass(frozen=True)
class AreaProgress:
    area_id: int
    first: Observation | None
    latest: Observation | None
    count: int

    @property
    def trend(self) -> Trend:
        if self.first is None or self.latest is None:
            return Trend.NONE
        if self.count < 2 or self.first.assessment_id == self.latest.assessment_id:
            return Trend.SINGLE
        difference = self.latest.normalised - self.first.normalised
        if difference > _EPSILON:
            return Trend.IMPROVED
        if difference < -_EPSILON:
            return Trend.DECLINED
        return Trend.SAME

    @property
    def improved(self) -> bool:
        return self.trend is Trend.IMPROVED

    def text(self) -> str:
        """ "2 → 4", "3" (single), or "–" (never assessed)."""
        if self.first is None or self.latest is None:
            return "–"
        if self.trend is Trend.SINGLE:
            return self.first.level_text()
        shown = (self.first.scale_min, self.first.scale_max)
        return f"{self.first.level_text()} → {self.latest.level_text(shown)}"


def area_progress(area_id: int, observations: Iterable[Observation]) -> AreaProgress:
    """First vs latest of the observations of one area (any order)."""
    ordered = sorted(observations, key=lambda o: (o.on, o.assessment_id))
    if not ordered:
        return AreaProgress(area_id, None, None, 0)
    return AreaProgress(area_id, ordered[0], ordered[-1], len(ordered))


def improved_count(areas: Iterable[AreaProgress]) -> int:
    return sum(1 for area in areas if area.improved)


def meets_goal(areas: Iterable[AreaProgress], minimum: int = GOAL_MIN_AREAS) -> bool:
    """An assistant meets goal 1 when at least ``minimum`` areas improved."""
    return improved_count(areas) >= minimum


@dataclass(frozen=True)
class TeamGoal:
    """Goal 1 for the team: only people currently in a position count."""

    counted: int  # assistants currently in a position
    meeting: int  # of them, how many meet the goal
    positions: int  # the project's number of positions (9)

    @property
    def meets(self) -> bool:
        return self.counted > 0 and self.meeting == self.counted

    def text(self) -> str:
        """ "7 z 9 asistentů splňuje cíl"."""
        return f"{self.meeting} z {self.counted} {_assistants_word(self.counted)} splňuje cíl"


def _assistants_word(count: int) -> str:
    return plural_form(count, "asistenta", "asistentů", "asistentů")  # genitive: "z 1 asistenta"


def team_goal(members: Sequence[tuple[bool, bool]], positions: int) -> TeamGoal:
    """``members``: (is currently in a position, meets the goal) for each person shown."""
    counted = [meets for current, meets in members if current]
    return TeamGoal(counted=len(counted), meeting=sum(counted), positions=positions)


# ---- validation --------------------------------------------------------------------------------


def validate_level(level: int, scale_min: int, scale_max: int) -> str | None:
    """A Czech message when ``level`` is outside the scale, else None."""
    if scale_min <= level <= scale_max:
        return None
    return f"Úroveň {level} není na škále {scale_min}–{scale_max}."


def validate_header(
    *,
    assessed_on: date | None,
    kind: str,
    assessor: str,
    method: str,
    period: tuple[date, date],
    today: date,
    note: str = "",
) -> dict[str, str]:
    """Field errors of the parts every assessment has (date, kind, assessor, method, note).
    An assessment dated after ``today`` is refused: a planned assessment is not one yet."""
    errors: dict[str, str] = {}
    if assessed_on is None:
        errors["assessed_on"] = "Zadejte datum hodnocení."
    elif assessed_on > today:
        errors["assessed_on"] = (
            f"Datum hodnocení {assessed_on:%d.%m.%Y} je v budoucnosti (dnes je {today:%d.%m.%Y}). "
            "Zapište hodnocení až ve chvíli, kdy proběhlo."
        )
    elif not period[0] <= assessed_on <= period[1]:
        errors["assessed_on"] = (
            f"Datum musí ležet v období projektu ({period[0]:%d.%m.%Y} – {period[1]:%d.%m.%Y})."
        )
    if kind not in KIND_LABELS:
        errors["kind"] = "Vyberte druh hodnocení (vstupní, průběžné, závěrečné)."
    if not assessor.strip():
        errors["assessor"] = "Zadejte, kdo hodnotil."
    if not method.strip():
        errors["method"] = "Zadejte metodu hodnocení."
    too_long = length_errors(
        {
            "assessor": ("assessment.assessor", clean_text("assessment.assessor", assessor)),
            "method": ("assessment.method", clean_text("assessment.method", method)),
            "note": ("assessment.note", clean_text("assessment.note", note)),
        }
    )
    return errors | too_long


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def missing_assessment_reason(
    has_entry: bool, last_assessed_on: date | None, today: date, months: int = MISSING_AFTER_MONTHS
) -> str | None:
    """Why a current assistant needs an assessment, or None when nothing is missing."""
    if not has_entry:
        return "chybí vstupní hodnocení"
    if last_assessed_on is None or last_assessed_on < months_before(today, months):
        return f"bez hodnocení déle než {plural(months, 'měsíc', 'měsíce', 'měsíců')}"
    return None
