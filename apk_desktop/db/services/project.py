"""Project settings: read everything about a project, edit its facts, areas and logolink."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from apk_desktop.db.models import EducationArea, KeyActivity, Project
from apk_desktop.db.versioning import check_version, touch
from apk_desktop.domain.czech_text import fold
from apk_desktop.domain.errors import NotFoundError, ValidationError, collect
from apk_desktop.domain.limits import clean_text, length_error
from apk_desktop.domain.project import (
    ProjectData,
    clean_project,
    logo_suffix_error,
    status_day,
    validate_project,
)
from apk_desktop.paths import data_dir

if TYPE_CHECKING:
    from apk_desktop.sheets.base import SheetHeader
    from apk_desktop.sheets.logolink import LogolinkCheck

LOGO_FOLDER = "logo"
MAX_LOGO_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class AreaInfo:
    """One education area (vzdělávací oblast) of a project."""

    id: int
    code: str  # internal
    label: str
    sort_order: int
    short_label: str = ""  # what lists, charts and exports show


@dataclass(frozen=True)
class KeyActivityInfo:
    """One key activity (KA01…) of a project."""

    id: int
    code: str
    label: str


@dataclass(frozen=True)
class ProjectInfo:
    """Every fact of a project, its areas (in display order) and key activities (by code)."""

    id: int
    name: str
    registration_number: str
    beneficiary: str
    programme: str
    method: str
    mentor_name: str
    period_start: date
    period_end: date
    total_cost: Decimal
    eu_contribution: Decimal
    national_sources: Decimal
    own_financing: Decimal
    position_count: int
    logo_path: str  # as stored: relative to the data folder, "" when none
    is_current: bool
    is_demo: bool
    areas: tuple[AreaInfo, ...]
    key_activities: tuple[KeyActivityInfo, ...]
    row_version: int  # of the project row; renaming an area counts as a change of it

    @property
    def logo_file(self) -> Path | None:
        """The copied logolink image in the data folder, or None if unset or missing."""
        if not self.logo_path:
            return None
        path = data_dir() / self.logo_path
        return path if path.is_file() else None

    def area(self, code: str) -> AreaInfo:
        """The area with ``code`` (KeyError when the project has none such)."""
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)

    def key_activity(self, code: str) -> KeyActivityInfo:
        for activity in self.key_activities:
            if activity.code == code:
                return activity
        raise KeyError(code)


@dataclass(frozen=True)
class ProjectSummary:
    """A project as the chooser lists it."""

    id: int
    name: str
    registration_number: str
    period_start: date
    period_end: date
    is_demo: bool = False

    @property
    def period(self) -> str:
        from apk_desktop.domain.czech_format import format_date

        return f"{format_date(self.period_start)} – {format_date(self.period_end)}"

    @property
    def label(self) -> str:
        """One line naming the project: for lists, messages and the window title."""
        return f"{self.name} ({self.registration_number})"


def list_projects(session: Session) -> list[ProjectSummary]:
    """Every project the session can see (on a server, row-level security hides other
    cities'), in Czech alphabetical order of their names."""
    from apk_desktop.domain.czech_text import czech_sort_key

    rows = session.execute(
        select(
            Project.id,
            Project.name,
            Project.registration_number,
            Project.period_start,
            Project.period_end,
            Project.is_demo,
        )
    )
    projects = [ProjectSummary(*row) for row in rows]
    return sorted(projects, key=lambda p: (czech_sort_key(p.name), p.id))


def _project(session: Session, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("Projekt už v databázi není.")
    return project


def _info(session: Session, project: Project) -> ProjectInfo:
    areas = session.scalars(
        select(EducationArea)
        .where(EducationArea.project_id == project.id)
        .order_by(EducationArea.sort_order, EducationArea.id)
    )
    activities = session.scalars(
        select(KeyActivity).where(KeyActivity.project_id == project.id).order_by(KeyActivity.code)
    )
    return ProjectInfo(
        id=project.id,
        name=project.name,
        registration_number=project.registration_number,
        beneficiary=project.beneficiary,
        programme=project.programme,
        method=project.method,
        mentor_name=project.mentor_name,
        period_start=project.period_start,
        period_end=project.period_end,
        total_cost=Decimal(project.total_cost),
        eu_contribution=Decimal(project.eu_contribution),
        national_sources=Decimal(project.national_sources),
        own_financing=Decimal(project.own_financing),
        position_count=project.position_count,
        logo_path=project.logo_path,
        is_current=project.is_current,
        is_demo=project.is_demo,
        areas=tuple(AreaInfo(a.id, a.code, a.label, a.sort_order, a.short_label) for a in areas),
        key_activities=tuple(KeyActivityInfo(k.id, k.code, k.label) for k in activities),
        row_version=project.row_version,
    )


def get_project_info(session: Session, project_id: int) -> ProjectInfo:
    """Everything about the project: its facts, areas (id, code, label) and key activities."""
    return _info(session, _project(session, project_id))


def sheet_header(info: ProjectInfo) -> SheetHeader:
    """The header every printed sheet of the project shows; the logolink only when its file
    is still in the data folder. The one place a ``SheetHeader`` is made from a project."""
    from apk_desktop.sheets.base import SheetHeader  # reportlab: only when a sheet is built

    logo = info.logo_file
    return SheetHeader(
        beneficiary=info.beneficiary,
        project_name=info.name,
        registration_number=info.registration_number,
        logo_path=str(logo) if logo else "",
        demo=info.is_demo,
    )


def update_project(
    session: Session, project_id: int, data: ProjectData, *, seen_version: int | None = None
) -> ProjectInfo:
    """Validate and store the project's facts (not the logo, not the areas). ``seen_version``:
    the ``row_version`` the form was filled from (StaleRecordError when it changed since)."""
    data = clean_project(data)
    errors = validate_project(data)
    project = _project(session, project_id)
    check_version(project, seen_version)
    if not errors and (data.period_start, data.period_end) != (
        project.period_start,
        project.period_end,
    ):
        from apk_desktop.db.services.project_period import period_errors

        errors = period_errors(session, project_id, data.period_start, data.period_end)
    collect(errors)
    for name in ProjectData.__dataclass_fields__:
        setattr(project, name, getattr(data, name))
    session.flush()
    return _info(session, project)


def update_area_labels(
    session: Session,
    project_id: int,
    labels: dict[int, str],
    short_labels: dict[int, str] | None = None,
    *,
    seen_version: int | None = None,
) -> ProjectInfo:
    """Rename education areas: ``labels`` maps an area id to its new label, ``short_labels`` to
    its short label ("KOM", shown in lists, charts and exports); neither may be empty, short
    labels must differ.

    Errors use the field name ``area_<id>``."""
    project = _project(session, project_id)
    check_version(project, seen_version)
    areas = {a.id: a for a in project.areas}
    shorts = short_labels or {}
    errors: dict[str, str] = {}
    for area_id in {*labels, *shorts}:
        if area_id not in areas:
            raise NotFoundError("Vzdělávací oblast už v databázi není.")
    for area_id, label in labels.items():
        text = clean_text("area.label", label)
        if not text:
            errors[f"area_{area_id}"] = "Zadejte název oblasti."
        elif message := length_error("area.label", text):
            errors[f"area_{area_id}"] = message
    new_shorts = {aid: a.short_label for aid, a in areas.items()}
    new_shorts.update({aid: clean_text("area.short_label", t) for aid, t in shorts.items()})
    for area_id in shorts:
        text = new_shorts[area_id]
        if not text:
            errors.setdefault(f"area_{area_id}", "Zadejte zkratku oblasti (např. KOM).")
        elif message := length_error("area.short_label", text):
            errors.setdefault(f"area_{area_id}", message)
        elif any(fold(text) == fold(t) for aid, t in new_shorts.items() if aid != area_id):
            errors.setdefault(f"area_{area_id}", f"Zkratku „{text}“ už má jiná oblast.")
    collect(errors)
    for area_id, label in labels.items():
        areas[area_id].label = clean_text("area.label", label)
    for area_id in shorts:
        areas[area_id].short_label = new_shorts[area_id]
    touch(project)
    session.flush()
    return _info(session, project)


def _check_image(source: Path) -> None:
    message = logo_suffix_error(source.name)
    if message:
        raise ValidationError({"logo": message})
    try:
        size = source.stat().st_size
    except OSError:
        raise ValidationError({"logo": f"Soubor „{source}“ se nepodařilo přečíst."}) from None
    if size > MAX_LOGO_BYTES:
        raise ValidationError({"logo": "Obrázek je příliš velký (nejvýše 10 MB)."})
    from apk_desktop.sheets.logolink import check_logolink  # Pillow: only when a logo is chosen

    check = check_logolink(source)
    if check.error:
        raise ValidationError({"logo": check.error})


def set_logo(
    session: Session, project_id: int, source: Path, *, seen_version: int | None = None
) -> ProjectInfo:
    """Copy the EU logolink image into the data folder (atomically) and remember it.

    The stored path is relative to the data folder, so the data folder may move."""
    _check_image(source)
    project = _project(session, project_id)
    check_version(project, seen_version)
    folder = data_dir() / LOGO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".jpg" if source.suffix.lower() == ".jpeg" else source.suffix.lower()
    target = folder / f"logolink-{project_id}{suffix}"
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=".logo-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    # An older logo with another suffix stays on disk: harmless, and safe if this commit fails.
    project.logo_path = f"{LOGO_FOLDER}/{target.name}"
    session.flush()
    return _info(session, project)


def logolink_check(info: ProjectInfo) -> LogolinkCheck | None:
    """The stored logolink checked for print (a missing file is an error); None when the
    project has none."""
    return check_stored_logolink(info.logo_path) if info.logo_path else None


def check_stored_logolink(logo_path: str) -> LogolinkCheck:
    """``ProjectInfo.logo_path`` (relative to the data folder) checked for print."""
    from apk_desktop.sheets.logolink import check_logolink  # Pillow: only when there is a logo

    return check_logolink(data_dir() / logo_path)


def clear_logo(
    session: Session, project_id: int, *, seen_version: int | None = None
) -> ProjectInfo:
    """Forget the logolink (the sheets then print the text line only)."""
    project = _project(session, project_id)
    check_version(project, seen_version)
    project.logo_path = ""
    session.flush()
    return _info(session, project)


def project_status_day(session: Session, project_id: int, today: date) -> date:
    """``today`` kept inside the project period (see ``domain.project.status_day``)."""
    project = _project(session, project_id)
    return status_day(today, project.period_start, project.period_end)
