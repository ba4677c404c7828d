"""Assessment scales and assessments: record one, record a whole team at once, list, edit, delete.

Validation: the level lies on the assessment's scale, the date lies within the project period
and within the person's employment, and nobody has two entry (vstupní) assessments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from apk_desktop.db.models import Assistant, EducationArea, Project
from apk_desktop.db.models.assessments import (
    Assessment,
    AssessmentLevel,
    AssessmentScale,
    ScaleLevel,
)
from apk_desktop.db.services.roster import employment_on
from apk_desktop.db.versioning import check_version, touch
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import NotFoundError, collect
from apk_desktop.domain.limits import clean_text, length_error, length_errors
from apk_desktop.domain.progress import (
    DEFAULT_SCALE_LEVELS,
    DEFAULT_SCALE_NAME,
    KIND_LABELS,
    validate_header,
    validate_level,
)


@dataclass(frozen=True)
class ScaleLevelInfo:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class ScaleInfo:
    id: int
    name: str
    min_level: int
    max_level: int
    is_default: bool
    levels: tuple[ScaleLevelInfo, ...]

    @property
    def range_text(self) -> str:
        return f"{self.min_level}–{self.max_level}"

    def label_of(self, level: int) -> str:
        return next((lv.label for lv in self.levels if lv.level == level), "")


@dataclass(frozen=True)
class AssessmentInput:
    """What the user entered for one assessment; ``levels`` maps an area id to a level."""

    assistant_id: int
    assessed_on: date | None
    kind: str
    assessor: str
    method: str
    scale_id: int
    levels: Mapping[int, int]
    note: str = ""


@dataclass(frozen=True)
class TeamHeader:
    """What a team assessment shares: date, kind, assessor, method, scale."""

    assessed_on: date | None
    kind: str
    assessor: str
    method: str
    scale_id: int
    note: str = ""


@dataclass(frozen=True)
class AssessmentView:
    id: int
    assistant_id: int
    assistant_name: str
    assessed_on: date
    kind: str
    assessor: str
    method: str
    note: str
    scale_id: int
    scale_name: str
    scale_min: int
    scale_max: int
    row_version: int
    levels: Mapping[int, int] = field(default_factory=dict)  # area id → level

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


# ---- scales ------------------------------------------------------------------------------------


def _scale_info(scale: AssessmentScale) -> ScaleInfo:
    return ScaleInfo(
        id=scale.id,
        name=scale.name,
        min_level=scale.min_level,
        max_level=scale.max_level,
        is_default=scale.is_default,
        levels=tuple(ScaleLevelInfo(lv.level, lv.label, lv.description) for lv in scale.levels),
    )


def create_default_scale(session: Session, project_id: int) -> ScaleInfo:
    """Add the default 1–5 scale with Czech level descriptions to a project."""
    scale = AssessmentScale(
        project_id=project_id,
        name=DEFAULT_SCALE_NAME,
        min_level=DEFAULT_SCALE_LEVELS[0][0],
        max_level=DEFAULT_SCALE_LEVELS[-1][0],
        is_default=True,
    )
    scale.levels = [
        ScaleLevel(level=lv, label=lb, description=d) for lv, lb, d in DEFAULT_SCALE_LEVELS
    ]
    session.add(scale)
    session.flush()
    return _scale_info(scale)


def ensure_default_scales(session: Session) -> int:
    """Give every project without a scale the default one (run on opening). Returns how many."""
    has_scale = exists().where(AssessmentScale.project_id == Project.id)
    missing = list(session.scalars(select(Project.id).where(~has_scale)))
    for project_id in missing:
        create_default_scale(session, project_id)
    return len(missing)


def list_scales(session: Session, project_id: int) -> list[ScaleInfo]:
    """The project's scales, the default one first."""
    scales = session.scalars(
        select(AssessmentScale)
        .where(AssessmentScale.project_id == project_id)
        .options(selectinload(AssessmentScale.levels))
        .order_by(AssessmentScale.is_default.desc(), AssessmentScale.id)
    )
    return [_scale_info(s) for s in scales]


def default_scale(session: Session, project_id: int) -> ScaleInfo:
    scales = list_scales(session, project_id)
    if not scales:
        return create_default_scale(session, project_id)
    return scales[0]


def create_scale(
    session: Session, project_id: int, name: str, levels: Mapping[int, str]
) -> ScaleInfo:
    """Declare another scale (e.g. 1–10); ``levels`` maps each level to its label."""
    errors: dict[str, str] = {}
    name = clean_text("scale.name", name)
    levels = {lv: clean_text("scale.level_label", lb) for lv, lb in levels.items()}
    if not name:
        errors["name"] = "Zadejte název škály."
    if len(levels) < 2:
        errors["levels"] = "Škála musí mít alespoň dvě úrovně."
    errors |= length_errors({"name": ("scale.name", name)})
    level_errors = [length_error("scale.level_label", label) for label in levels.values()]
    if message := next((m for m in level_errors if m), None):
        errors["levels"] = f"Název úrovně: {message}"
    collect(errors)
    scale = AssessmentScale(
        project_id=project_id,
        name=name,
        min_level=min(levels),
        max_level=max(levels),
        is_default=False,
    )
    scale.levels = [ScaleLevel(level=lv, label=lb, description="") for lv, lb in levels.items()]
    session.add(scale)
    session.flush()
    return _scale_info(scale)


# ---- reads -------------------------------------------------------------------------------------


def _view(assessment: Assessment, assistant: Assistant, scale: AssessmentScale) -> AssessmentView:
    return AssessmentView(
        id=assessment.id,
        assistant_id=assistant.id,
        assistant_name=assistant.full_name,
        assessed_on=assessment.assessed_on,
        kind=assessment.kind,
        assessor=assessment.assessor,
        method=assessment.method,
        note=assessment.note,
        scale_id=scale.id,
        scale_name=scale.name,
        scale_min=scale.min_level,
        scale_max=scale.max_level,
        row_version=assessment.row_version,
        levels={lv.area_id: lv.level for lv in assessment.levels},
    )


def list_assessments(
    session: Session, project_id: int, assistant_id: int | None = None, limit: int | None = 500
) -> list[AssessmentView]:
    """Assessments, newest first (of one person when ``assistant_id`` is given)."""
    stmt = (
        select(Assessment, Assistant, AssessmentScale)
        .join(Assistant, Assessment.assistant_id == Assistant.id)
        .join(AssessmentScale, Assessment.scale_id == AssessmentScale.id)
        .where(Assistant.project_id == project_id)
        .options(selectinload(Assessment.levels))
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )
    if assistant_id is not None:
        stmt = stmt.where(Assessment.assistant_id == assistant_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_view(a, p, s) for a, p, s in session.execute(stmt)]


def get_assessment(session: Session, assessment_id: int) -> AssessmentView:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFoundError("Hodnocení už v databázi není.")
    assistant = session.get(Assistant, assessment.assistant_id)
    scale = session.get(AssessmentScale, assessment.scale_id)
    assert assistant is not None and scale is not None
    return _view(assessment, assistant, scale)


# ---- validation and writes ---------------------------------------------------------------------


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("Projekt už v databázi není.")
    return project


def _scale(session: Session, project_id: int, scale_id: int) -> AssessmentScale:
    scale = session.get(AssessmentScale, scale_id)
    if scale is None or scale.project_id != project_id:
        raise NotFoundError("Škála hodnocení už v databázi není.")
    return scale


def _area_ids(session: Session, project_id: int) -> set[int]:
    return set(
        session.scalars(select(EducationArea.id).where(EducationArea.project_id == project_id))
    )


def _person_errors(
    session: Session,
    assistant: Assistant,
    assessed_on: date | None,
    kind: str,
    ignore_id: int | None,
) -> dict[str, str]:
    """Employment on the day and the single entry assessment rule."""
    errors: dict[str, str] = {}
    if assessed_on is not None and not employment_on(session, assistant.id, assessed_on):
        errors["assessed_on"] = (
            f"{assistant.full_name} nebyl(a) {format_date(assessed_on)} zaměstnán(a) "
            "jako asistent(ka)."
        )
    if kind == "entry":
        stmt = select(Assessment.assessed_on).where(
            Assessment.assistant_id == assistant.id, Assessment.kind == "entry"
        )
        if ignore_id is not None:
            stmt = stmt.where(Assessment.id != ignore_id)
        other = session.scalar(stmt.limit(1))
        if other is not None:
            errors["kind"] = (
                f"{assistant.full_name} už má vstupní hodnocení ({format_date(other)}). "
                "Vstupní hodnocení může být jen jedno – zvolte průběžné nebo závěrečné."
            )
    return errors


def _level_errors(
    levels: Mapping[int, int], scale: AssessmentScale, area_ids: set[int]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not levels:
        errors["levels"] = "Zadejte úroveň alespoň v jedné oblasti."
    for area_id, level in levels.items():
        if area_id not in area_ids:
            errors[f"level_{area_id}"] = "Tato vzdělávací oblast k projektu nepatří."
            continue
        message = validate_level(level, scale.min_level, scale.max_level)
        if message:
            errors[f"level_{area_id}"] = message
    return errors


def _assistant(session: Session, project_id: int, assistant_id: int) -> Assistant:
    assistant = session.get(Assistant, assistant_id)
    if assistant is None or assistant.project_id != project_id:
        raise NotFoundError("Asistent už v databázi není.")
    return assistant


def _validate(
    session: Session, project: Project, data: AssessmentInput, ignore_id: int | None = None
) -> tuple[Assistant, AssessmentScale]:
    assistant = _assistant(session, project.id, data.assistant_id)
    scale = _scale(session, project.id, data.scale_id)
    errors = validate_header(
        assessed_on=data.assessed_on,
        kind=data.kind,
        assessor=data.assessor,
        method=data.method,
        period=(project.period_start, project.period_end),
        today=date.today(),
        note=data.note,
    )
    for name, message in _person_errors(
        session, assistant, data.assessed_on, data.kind, ignore_id
    ).items():
        errors.setdefault(name, message)
    errors.update(_level_errors(data.levels, scale, _area_ids(session, project.id)))
    collect(errors)
    return assistant, scale


def create_assessment(session: Session, project_id: int, data: AssessmentInput) -> AssessmentView:
    """Record one assessment with its levels (validated as a whole)."""
    project = _project(session, project_id)
    assistant, scale = _validate(session, project, data)
    assert data.assessed_on is not None
    assessment = Assessment(
        assistant_id=assistant.id,
        assessed_on=data.assessed_on,
        kind=data.kind,
        assessor=clean_text("assessment.assessor", data.assessor),
        method=clean_text("assessment.method", data.method),
        note=clean_text("assessment.note", data.note),
        scale_id=scale.id,
    )
    assessment.levels = [
        AssessmentLevel(area_id=area_id, level=level) for area_id, level in data.levels.items()
    ]
    session.add(assessment)
    session.flush()
    return _view(assessment, assistant, scale)


def _assessment(session: Session, assessment_id: int, seen_version: int | None) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFoundError("Hodnocení už v databázi není.")
    check_version(assessment, seen_version)
    return assessment


def update_assessment(
    session: Session,
    project_id: int,
    assessment_id: int,
    data: AssessmentInput,
    *,
    seen_version: int | None = None,
) -> AssessmentView:
    """Replace the facts and levels of an assessment. ``seen_version``: the ``row_version``
    the form showed (StaleRecordError when another PC changed it since)."""
    assessment = _assessment(session, assessment_id, seen_version)
    project = _project(session, project_id)
    assistant, scale = _validate(session, project, data, ignore_id=assessment_id)
    assert data.assessed_on is not None
    assessment.assistant_id = assistant.id
    assessment.assessed_on = data.assessed_on
    assessment.kind = data.kind
    assessment.assessor = clean_text("assessment.assessor", data.assessor)
    assessment.method = clean_text("assessment.method", data.method)
    assessment.note = clean_text("assessment.note", data.note)
    assessment.scale_id = scale.id
    existing = {lv.area_id: lv for lv in assessment.levels}
    for area_id, row in existing.items():
        if area_id not in data.levels:
            assessment.levels.remove(row)
    for area_id, level in data.levels.items():
        if area_id in existing:
            existing[area_id].level = level
        else:
            assessment.levels.append(AssessmentLevel(area_id=area_id, level=level))
    touch(assessment)  # the levels are part of it
    session.flush()
    return _view(assessment, assistant, scale)


def delete_assessment(
    session: Session, assessment_id: int, *, seen_version: int | None = None
) -> None:
    assessment = _assessment(session, assessment_id, seen_version)
    session.delete(assessment)
    session.flush()


def save_team_assessment(
    session: Session,
    project_id: int,
    header: TeamHeader,
    rows: Mapping[int, Mapping[int, int]],
) -> list[int]:
    """Record an assessment for every assistant in ``rows`` (assistant id → area id → level)
    in one transaction: all are stored, or none. Rows without any level are skipped.

    Field errors: the header's own names (``assessed_on``…) and ``row_<assistant id>`` with
    the person's name in the message."""
    project = _project(session, project_id)
    scale = _scale(session, project_id, header.scale_id)
    errors = validate_header(
        assessed_on=header.assessed_on,
        kind=header.kind,
        assessor=header.assessor,
        method=header.method,
        period=(project.period_start, project.period_end),
        today=date.today(),
        note=header.note,
    )
    filled = {aid: levels for aid, levels in rows.items() if levels}
    if not filled:
        errors["rows"] = "Zadejte úrovně alespoň u jednoho asistenta."
    area_ids = _area_ids(session, project_id)
    people: dict[int, Assistant] = {}
    for assistant_id, levels in filled.items():
        assistant = _assistant(session, project_id, assistant_id)
        people[assistant_id] = assistant
        row_errors = _person_errors(session, assistant, header.assessed_on, header.kind, None)
        row_errors.update(_level_errors(levels, scale, area_ids))
        if row_errors:
            name = assistant.full_name
            errors[f"row_{assistant_id}"] = " ".join(  # the name once, at the start
                message if message.startswith(name) else f"{name}: {message}"
                for message in dict.fromkeys(row_errors.values())
            )
    collect(errors)
    assert header.assessed_on is not None
    created: list[Assessment] = []
    for assistant_id, levels in filled.items():
        assessment = Assessment(
            assistant_id=assistant_id,
            assessed_on=header.assessed_on,
            kind=header.kind,
            assessor=clean_text("assessment.assessor", header.assessor),
            method=clean_text("assessment.method", header.method),
            note=clean_text("assessment.note", header.note),
            scale_id=scale.id,
        )
        assessment.levels = [AssessmentLevel(area_id=a, level=lv) for a, lv in levels.items()]
        session.add(assessment)
        created.append(assessment)
    session.flush()
    return [a.id for a in created]


def count_assessments(session: Session, project_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Assessment.id))
            .join(Assistant, Assessment.assistant_id == Assistant.id)
            .where(Assistant.project_id == project_id)
        )
        or 0
    )


def entry_levels_text(session: Session, assistant_id: int) -> dict[int, str]:
    """The entry (vstupní) level per area id as printable text, e.g. ``{3: "2 – základní
    úroveň"}``; {} without an entry assessment (a person has at most one)."""
    assessment = session.scalar(
        select(Assessment)
        .where(Assessment.assistant_id == assistant_id, Assessment.kind == "entry")
        .options(selectinload(Assessment.levels))
    )
    if assessment is None:
        return {}
    scale = session.get(AssessmentScale, assessment.scale_id)
    assert scale is not None
    labels = {lv.level: lv.label for lv in scale.levels}
    return {
        lv.area_id: f"{lv.level} – {labels[lv.level]}" if lv.level in labels else str(lv.level)
        for lv in assessment.levels
    }


def populate_sample_assessments(
    session: Session, project_id: int, until: date = date(2025, 10, 31)
) -> list[int]:
    """Demo data (screenshots, manual testing): an entry, interim and final assessment for
    everyone employed in the project, with varied progress, the last ones on ``until`` at the
    latest. Call after ``populate_sample``."""
    from datetime import timedelta

    from apk_desktop.db.models import Employment, Position

    scale = default_scale(session, project_id)
    areas = sorted(_area_ids(session, project_id))
    employments = session.execute(
        select(Employment.assistant_id, Employment.start_date, Employment.end_date)
        .join(Position, Employment.position_id == Position.id)
        .where(Position.project_id == project_id)
        .order_by(Position.number, Employment.start_date)
    ).all()
    project = _project(session, project_id)
    assessors = ("Mgr. Jiří Dvořák (mentor)", "Bc. Šárka Říhová (lektorka)")
    created: list[int] = []
    for index, (assistant_id, start, end) in enumerate(employments):
        last = min(end or project.period_end, until)
        span = (last - start).days
        base = [1 + (index + k) % 3 for k in range(len(areas))]
        steps = [(7, "entry", "vstupní test", 0)]
        steps.append((span // 2, "interim", "pozorování při výkonu práce", 1))
        steps.append((span - 3, "final" if end else "interim", "rozhovor", 2))
        for day, kind, method, step in steps:
            levels = {}
            for k, area_id in enumerate(areas):
                improving = 1 if index % 4 == 1 else 2 + index % 3
                gain = step if (index + k) % 5 < improving else 0
                if index % 4 == 3 and k == 4 and step:
                    gain = -1  # one later assessment lower than the first
                levels[area_id] = max(1, min(5, base[k] + gain))
            view = create_assessment(
                session,
                project_id,
                AssessmentInput(
                    assistant_id,
                    start + timedelta(days=day),
                    kind,
                    assessors[step % 2],
                    method,
                    scale.id,
                    levels,
                ),
            )
            created.append(view.id)
    return created
