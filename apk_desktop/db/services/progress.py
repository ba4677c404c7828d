"""Progress towards goal 1: one assistant's history, and the team matrix first → latest.

The team query finds, per assistant and area, the first and the latest assessment with two
index seeks each (``ix_assessment_assistant_on`` + the unique (assessment, area) index) instead
of loading every assessment, so it stays fast with 100 000 assessments (see benchmarks/).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from apk_desktop.db.models import Assistant, EducationArea, Employment, Position, Project
from apk_desktop.db.models.assessments import Assessment, AssessmentLevel, AssessmentScale
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.czech_text import czech_sort_key
from apk_desktop.domain.errors import NotFoundError
from apk_desktop.domain.progress import (
    AreaProgress,
    Observation,
    area_progress,
    team_goal,
)
from apk_desktop.domain.progress_report import (
    AreaRef,
    AssistantProgress,
    EvidenceRow,
    PersonStatus,
    TeamProgress,
    TeamRow,
)


def project_areas(session: Session, project_id: int) -> tuple[AreaRef, ...]:
    rows = session.execute(
        select(EducationArea.id, EducationArea.code, EducationArea.label, EducationArea.short_label)
        .where(EducationArea.project_id == project_id)
        .order_by(EducationArea.sort_order, EducationArea.id)
    )
    return tuple(AreaRef(i, c, lb, short) for i, c, lb, short in rows)


def list_people(session: Session, project_id: int, today: date) -> list[PersonStatus]:
    """Everyone who has held a position in the project, current holders first by position."""
    return _people(session, project_id, today)


def _people(
    session: Session, project_id: int, today: date, only: int | None = None
) -> list[PersonStatus]:
    """Everyone who has held a position in the project, current holders first by position."""
    stmt = (
        select(
            Assistant.id,
            Assistant.first_name,
            Assistant.last_name,
            Position.number,
            Employment.start_date,
            Employment.end_date,
        )
        .join(Employment, Employment.assistant_id == Assistant.id)
        .join(Position, Employment.position_id == Position.id)
        .where(Assistant.project_id == project_id)
        .order_by(Employment.start_date, Employment.id)
    )
    if only is not None:
        stmt = stmt.where(Assistant.id == only)
    by_person: dict[int, list[tuple[str, int, date, date | None]]] = defaultdict(list)
    for aid, first, last, number, start, end in session.execute(stmt):
        by_person[aid].append((f"{first} {last}".strip(), number, start, end))
    people = []
    for aid, spans in by_person.items():
        current = next(
            (s for s in spans if s[2] <= today and (s[3] is None or today <= s[3])), None
        )
        shown = current or spans[-1]
        start = spans[0][2]
        end = spans[-1][3]
        period = f"{format_date(start)} – {format_date(end) if end else 'dosud'}"
        people.append(PersonStatus(aid, shown[0], shown[1], current is not None, period))
    people.sort(key=lambda p: (not p.current, p.position_number or 0, czech_sort_key(p.name)))
    return people


# One row per assistant × area; each scalar subquery reads only covering indexes and packs the
# first (latest) observation as "date|assessment id|level|scale id".
_ENDS_SQL = """
SELECT s.id, e.id,
    (SELECT a.assessed_on || '|' || a.id || '|' || l.level || '|' || a.scale_id
        FROM assessment AS a
        JOIN assessment_level AS l ON l.assessment_id = a.id AND l.area_id = e.id
        WHERE a.assistant_id = s.id
        ORDER BY a.assessed_on, a.id LIMIT 1),
    (SELECT a.assessed_on || '|' || a.id || '|' || l.level || '|' || a.scale_id
        FROM assessment AS a
        JOIN assessment_level AS l ON l.assessment_id = a.id AND l.area_id = e.id
        WHERE a.assistant_id = s.id
        ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1)
FROM assistant AS s JOIN education_area AS e ON e.project_id = s.project_id
WHERE s.project_id = :project_id
"""


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _ends(session: Session, project_id: int) -> dict[tuple[int, int], AreaProgress]:
    scales = {
        sid: (lo, hi)
        for sid, lo, hi in session.execute(
            select(AssessmentScale.id, AssessmentScale.min_level, AssessmentScale.max_level)
        )
    }
    result: dict[tuple[int, int], AreaProgress] = {}
    for aid, area, first_text, latest_text in session.execute(
        text(_ENDS_SQL), {"project_id": project_id}
    ):
        if first_text is None or latest_text is None:
            continue
        observations = []
        for packed in (first_text, latest_text):
            on, assessment_id, level, scale_id = str(packed).split("|")
            lo, hi = scales[int(scale_id)]
            observations.append(
                Observation(int(assessment_id), date.fromisoformat(on), int(level), lo, hi)
            )
        first, latest = observations
        # The team view only needs to know whether there were two or more assessments.
        count = 1 if first.assessment_id == latest.assessment_id else 2
        result[(aid, area)] = AreaProgress(area, first, latest, count)
    return result


def _positions(session: Session, project_id: int) -> int:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("Projekt už v databázi není.")
    return project.position_count


def team_progress(
    session: Session, project_id: int, today: date, *, with_evidence: bool = False
) -> TeamProgress:
    """The matrix assistants × areas (first → latest), goal 1 per person and for the team."""
    positions = _positions(session, project_id)
    areas = project_areas(session, project_id)
    ends = _ends(session, project_id)
    rows = []
    for person in _people(session, project_id, today):
        progress = tuple(
            ends.get((person.assistant_id, a.id)) or AreaProgress(a.id, None, None, 0)
            for a in areas
        )
        rows.append(TeamRow(person, progress))
    goal = team_goal([(r.person.current, r.meets) for r in rows], positions)
    evidence: tuple[EvidenceRow, ...] = ()
    if with_evidence:
        ids = {
            obs.assessment_id
            for r in rows
            for p in r.areas
            for obs in (p.first, p.latest)
            if obs is not None
        }
        evidence = tuple(_evidence(session, ids))
    return TeamProgress(areas, tuple(rows), goal, today, evidence)


def _evidence_rows(session: Session, condition: object) -> list[EvidenceRow]:
    stmt = (
        select(
            Assessment.id,
            Assessment.assistant_id,
            Assistant.first_name,
            Assistant.last_name,
            Assessment.assessed_on,
            Assessment.kind,
            Assessment.assessor,
            Assessment.method,
            AssessmentScale.min_level,
            AssessmentScale.max_level,
            AssessmentLevel.area_id,
            AssessmentLevel.level,
        )
        .join(Assistant, Assessment.assistant_id == Assistant.id)
        .join(AssessmentScale, Assessment.scale_id == AssessmentScale.id)
        .join(AssessmentLevel, AssessmentLevel.assessment_id == Assessment.id)
        .where(condition)  # type: ignore[arg-type]
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    found: dict[int, EvidenceRow] = {}
    for aid, pid, first, last, on, kind, who, how, lo, hi, area, level in session.execute(stmt):
        row = found.get(aid)
        if row is None:
            row = EvidenceRow(aid, pid, f"{first} {last}".strip(), on, kind, who, how, lo, hi, {})
            found[aid] = row
        row.levels[area] = level
    return list(found.values())


def _evidence(session: Session, ids: Iterable[int]) -> list[EvidenceRow]:
    ordered = sorted(ids)
    rows: list[EvidenceRow] = []
    for start in range(0, len(ordered), 900):
        rows += _evidence_rows(session, Assessment.id.in_(ordered[start : start + 900]))
    rows.sort(key=lambda r: (czech_sort_key(r.assistant_name), r.assessed_on, r.assessment_id))
    return rows


def assistant_progress(
    session: Session, project_id: int, assistant_id: int, today: date
) -> AssistantProgress:
    """One person's levels over time, first vs latest per area, and the evidence."""
    people = _people(session, project_id, today, only=assistant_id)
    if not people:
        assistant = session.get(Assistant, assistant_id)
        if assistant is None or assistant.project_id != project_id:
            raise NotFoundError("Asistent už v databázi není.")
        people = [PersonStatus(assistant.id, assistant.full_name, None, False, "")]
    areas = project_areas(session, project_id)
    history = _evidence_rows(session, Assessment.assistant_id == assistant_id)
    progress = tuple(
        area_progress(
            area.id,
            (
                Observation(
                    h.assessment_id, h.assessed_on, h.levels[area.id], h.scale_min, h.scale_max
                )
                for h in history
                if area.id in h.levels
            ),
        )
        for area in areas
    )
    return AssistantProgress(people[0], areas, progress, tuple(history))


@dataclass(frozen=True)
class AssessmentStatus:
    """What the dashboard needs about a current assistant's assessments."""

    assistant_id: int
    has_entry: bool
    last_assessed_on: date | None


def assessment_status(session: Session, project_id: int) -> dict[int, AssessmentStatus]:
    """For every assistant of the project: has an entry assessment? When was the latest?"""
    rows = session.execute(
        text(
            "SELECT s.id, "
            "(SELECT MAX(a.assessed_on) FROM assessment AS a WHERE a.assistant_id = s.id), "
            "EXISTS (SELECT 1 FROM assessment AS a "
            "        WHERE a.assistant_id = s.id AND a.kind = 'entry') "
            "FROM assistant AS s WHERE s.project_id = :project_id"
        ),
        {"project_id": project_id},
    )
    return {
        aid: AssessmentStatus(aid, bool(entry), _as_date(last) if last else None)
        for aid, last, entry in rows
    }


if TYPE_CHECKING:
    from apk_desktop.sheets.base import SheetHeader


def sheet_inputs(session: Session, project_id: int) -> tuple[SheetHeader, str]:
    """The header of the current project's sheets and the default scale's legend."""
    from apk_desktop.db.services.assessments import default_scale
    from apk_desktop.db.services.project import get_project_info, sheet_header

    header = sheet_header(get_project_info(session, project_id))
    scale = default_scale(session, project_id)
    legend = ", ".join(f"{lv.level} = {lv.label}" for lv in scale.levels)
    return header, legend
