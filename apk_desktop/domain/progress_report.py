"""What a progress summary shows (plain values): the areas, each person's progress and the
assessments behind it. Filled by ``db.services.progress``; shown by the progress view and
printed by ``sheets.progress``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apk_desktop.domain.progress import (
    KIND_LABELS,
    AreaProgress,
    TeamGoal,
    improved_count,
    meets_goal,
)


@dataclass(frozen=True)
class AreaRef:
    id: int
    code: str  # internal
    label: str
    short_label: str = ""  # what charts, sheets and exports show


@dataclass(frozen=True)
class EvidenceRow:
    """One assessment behind the numbers: when, what kind, by whom, how."""

    assessment_id: int
    assistant_id: int
    assistant_name: str
    assessed_on: date
    kind: str
    assessor: str
    method: str
    scale_min: int
    scale_max: int
    levels: dict[int, int]  # area id → level

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class PersonStatus:
    """Who the person is in the project: position, period, whether they are in it now."""

    assistant_id: int
    name: str
    position_number: int | None
    current: bool
    period_text: str


@dataclass(frozen=True)
class TeamRow:
    person: PersonStatus
    areas: tuple[AreaProgress, ...]  # in the project's area order

    @property
    def improved(self) -> int:
        return improved_count(self.areas)

    @property
    def meets(self) -> bool:
        return meets_goal(self.areas)


@dataclass(frozen=True)
class TeamProgress:
    areas: tuple[AreaRef, ...]
    rows: tuple[TeamRow, ...]
    goal: TeamGoal
    today: date
    evidence: tuple[EvidenceRow, ...] = ()  # filled when asked for (prints)


@dataclass(frozen=True)
class AssistantProgress:
    person: PersonStatus
    areas: tuple[AreaRef, ...]
    progress: tuple[AreaProgress, ...]  # in area order
    history: tuple[EvidenceRow, ...]  # oldest first

    @property
    def improved(self) -> int:
        return improved_count(self.progress)

    @property
    def meets(self) -> bool:
        return meets_goal(self.progress)
