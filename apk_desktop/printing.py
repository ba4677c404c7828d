"""What every print reads and builds, without Qt: the print screen, the screens of the records
and ``apk-desktop print`` take the same ``PrintJob`` and so make the same PDF.

A job is two halves: ``read(session)`` inside one unit of work returns plain data (no ORM
objects), ``build(data)`` lays it out with reportlab (off the GUI thread in the app). Every
document carries, per sheet, where its signature cells were printed; ``record_printed`` stores
that once the PDF is printed or saved.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.orm import Session

from apk_desktop.domain.errors import NotFoundError, ValidationError
from apk_desktop.domain.sheet_refs import (
    EXAMPLES,
    BlankSheetRef,
    PlanSheetRef,
    SessionSheetRef,
    SheetRef,
    format_ref,
    parse_sheet_ref,
    progress_sheet_id,
)

if TYPE_CHECKING:
    from apk_desktop.db.database import Database
    from apk_desktop.db.services.sessions_print import SheetKind
    from apk_desktop.domain.progress_report import AssistantProgress, TeamProgress
    from apk_desktop.sheets.base import SheetHeader
    from apk_desktop.sheets.idp import IdpSheetData
    from apk_desktop.sheets.layout import SheetLayout
    from apk_desktop.sheets.session_sheets import Document, SheetBatch

T = TypeVar("T")
NOT_RECORDED = (
    "PDF je hotové, ale záznam o tom, co je na listu kde vytištěno, se nepodařilo uložit. "
    "Podepsaný sken tohoto listu pak nepůjde přečíst automaticky; až bude databáze v pořádku, "
    "list vytiskněte nebo uložte znovu."
)


@dataclass(frozen=True)
class PrintJob(Generic[T]):
    read: Callable[[Session], T]  # in one unit of work; plain data out
    build: Callable[[T], Document]  # reportlab, no database


# ---- the documents ------------------------------------------------------------------------------


def build_batch(batch: SheetBatch) -> Document:
    from apk_desktop.sheets.session_sheets import build_document

    return build_document(batch)


def session_sheet(session_id: int, *, include_private: bool = False) -> PrintJob[SheetBatch]:
    """The sheet of one session (prezenční listina or record; the private note when asked)."""
    from apk_desktop.db.services.sessions_print import session_sheets

    def read(s: Session) -> SheetBatch:
        return session_sheets(s, session_id, include_private_note=include_private)

    return PrintJob(read, build_batch)


def blank_sheet(project_id: int, kind: SheetKind, day: date | None) -> PrintJob[SheetBatch]:
    """A blank sheet for an unplanned session."""
    from apk_desktop.db.services.sessions_print import blank_sheets

    return PrintJob(lambda s: blank_sheets(s, project_id, kind, day), build_batch)


def development_plan(plan_id: int) -> PrintJob[IdpSheetData]:
    """The plán individuálního rozvoje of one plan version."""
    from apk_desktop.db.services.plans import idp_sheet_data

    return PrintJob(lambda s: idp_sheet_data(s, plan_id), _build_idp)


def _build_idp(data: IdpSheetData) -> Document:
    from apk_desktop.sheets.idp import build_idp_pdf, suggested_file_name

    pdf = build_idp_pdf(data)
    return _single_sheet(
        pdf,
        f"Plán rozvoje – {data.assistant_name}",
        suggested_file_name(data),
        data.sheet_id,
        data.plan_id,
    )


ProgressInput = tuple["SheetHeader", str, "AssistantProgress"]
TeamInput = tuple["SheetHeader", str, "TeamProgress"]


def assistant_progress(project_id: int, assistant_id: int, day: date) -> PrintJob[ProgressInput]:
    """Přehled pokroku of one assistant as of ``day``."""
    from apk_desktop.db.services import progress

    def read(s: Session) -> ProgressInput:
        header, legend = progress.sheet_inputs(s, project_id)
        return header, legend, progress.assistant_progress(s, project_id, assistant_id, day)

    def build(data: ProgressInput) -> Document:
        from apk_desktop.sheets.progress import assistant_progress_pdf

        header, legend, person = data
        return _single_sheet(
            assistant_progress_pdf(header, person, day, legend),
            f"Přehled pokroku – {person.person.name}",
            f"prehled-pokroku-{assistant_id}-{day:%Y-%m-%d}.pdf",
            progress_sheet_id(assistant_id, day),
            assistant_id,
        )

    return PrintJob(read, build)


def team_progress(project_id: int, day: date) -> PrintJob[TeamInput]:
    """Přehled pokroku of the team as of ``day`` (matrix, goal 1 and the evidence behind it)."""
    from apk_desktop.db.services import progress

    def read(s: Session) -> TeamInput:
        header, legend = progress.sheet_inputs(s, project_id)
        return header, legend, progress.team_progress(s, project_id, day, with_evidence=True)

    def build(data: TeamInput) -> Document:
        from apk_desktop.sheets.progress import team_progress_pdf

        header, legend, team = data
        return _single_sheet(
            team_progress_pdf(header, team, legend),
            "Přehled pokroku – tým",
            f"prehled-pokroku-tym-{day:%Y-%m-%d}.pdf",
            progress_sheet_id(None, day),
            None,
        )

    return PrintJob(read, build)


def _single_sheet(
    pdf: bytes, title: str, file_name: str, sheet_id: str, record_id: int | None
) -> Document:
    """A one-sheet document whose builder returns only bytes: its layout is the page count
    (these sheets have no participants' signature table)."""
    from pypdf import PdfReader

    from apk_desktop.sheets.layout import SheetLayout
    from apk_desktop.sheets.session_sheets import Document

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return Document(pdf, title, file_name, 1, (SheetLayout(sheet_id, record_id, 1, pages),))


# ---- any sheet by its identifier ----------------------------------------------------------------


def parse_or_fail(text: str) -> SheetRef:
    ref = parse_sheet_ref(text)
    if ref is None:
        raise ValidationError(
            f"„{text.strip()}“ není identifikátor listu. Identifikátor je v zápatí každého "
            f"listu, např. {EXAMPLES}."
        )
    return ref


def _checked(job: PrintJob[T], check: Callable[[Session], None]) -> PrintJob[T]:
    def read(s: Session) -> T:
        check(s)
        return job.read(s)

    return PrintJob(read, job.build)


def job_for(ref: SheetRef, project_id: int, *, include_private: bool = False) -> PrintJob[Any]:
    """The job that prints the sheet ``ref`` names in the project ``project_id``. Reading fails
    with a Czech NotFoundError when the identifier names nothing of the project (a record of
    another project of the database, too: its team must not print under this one's name),
    or another version or kind of sheet than exists."""
    from apk_desktop.db.services.sessions_print import SheetKind

    wanted = format_ref(ref)
    if isinstance(ref, SessionSheetRef) and ref.annex:
        return _annex(ref, project_id, wanted)
    if include_private and not (isinstance(ref, SessionSheetRef) and ref.prefix in ("SUP", "MEN")):
        raise ValidationError(
            "Soukromou poznámku má jen záznam ze supervize (SUP-…) nebo z mentoringu (MEN-…)."
        )
    if isinstance(ref, SessionSheetRef):

        def same_session_sheet(s: Session) -> None:
            from apk_desktop.db.services.sessions import get_session

            view = _existing(lambda: get_session(s, ref.session_id), wanted)
            _in_project(view.project_id, project_id, wanted)
            actual = view.sheet_id
            if actual != wanted:
                raise NotFoundError(
                    f"List {wanted} neexistuje: setkání č. {ref.session_id} má list {actual}."
                )

        job = session_sheet(ref.session_id, include_private=include_private)
        return _checked(job, same_session_sheet)
    if isinstance(ref, BlankSheetRef):
        kind = next(k for k in SheetKind if k.id_prefix == ref.prefix)
        return blank_sheet(project_id, kind, ref.day)
    if isinstance(ref, PlanSheetRef):

        def same_version(s: Session) -> None:
            from apk_desktop.db.services.plans import get_plan

            plan = _existing(lambda: get_plan(s, ref.plan_id), wanted)
            _in_project(plan.project_id, project_id, wanted)
            version = plan.summary.version
            if version != ref.version:
                raise NotFoundError(
                    f"List {wanted} neexistuje: plán č. {ref.plan_id} je verze {version}."
                )

        return _checked(development_plan(ref.plan_id), same_version)
    if ref.assistant_id is None:
        return team_progress(project_id, ref.day)
    aid = ref.assistant_id
    return _checked(
        assistant_progress(project_id, aid, ref.day),
        lambda s: _existing(lambda: _assistant_in(s, project_id, aid), wanted),
    )


def _annex(ref: SessionSheetRef, project_id: int, wanted: str) -> PrintJob[SheetBatch]:
    """Only the confidential annex of a record (its private note), e.g. ``SUP-5-D``."""
    record = job_for(SessionSheetRef(ref.prefix, ref.session_id), project_id, include_private=True)

    def read(s: Session) -> SheetBatch:
        from apk_desktop.sheets.supervision import RecordSheetData

        batch: SheetBatch = record.read(s)
        (sheet,) = batch.sheets
        if not (isinstance(sheet, RecordSheetData) and sheet.prints_private_note):
            raise NotFoundError(f"List {wanted} neexistuje: záznam nemá důvěrnou poznámku.")
        annex = replace(sheet, annex_only=True)
        return replace(batch, sheets=(annex,), file_name=f"{wanted}.pdf")

    return PrintJob(read, record.build)


def _existing(read: Callable[[], T], wanted: str) -> T:
    try:
        return read()
    except NotFoundError as exc:
        raise NotFoundError(f"List {wanted} nelze vytisknout: {exc.message}") from exc


def _in_project(actual: int | None, project_id: int, wanted: str) -> None:
    if actual != project_id:
        raise NotFoundError(f"List {wanted} nelze vytisknout: v projektu není.")


def _assistant_in(session: Session, project_id: int, assistant_id: int) -> None:
    from apk_desktop.db.models import Assistant

    assistant = session.get(Assistant, assistant_id)
    if assistant is None or assistant.project_id != project_id:
        raise NotFoundError(f"Asistent č. {assistant_id} v projektu není.")


# ---- running a job and recording what was printed -----------------------------------------------


def make_document(db: Database, job: PrintJob[T]) -> Document:
    """Read in one unit of work, then build (in the calling thread)."""
    with db.unit_of_work() as session:
        data = job.read(session)
    return job.build(data)


def record_printed(
    db: Database, project_id: int, layouts: tuple[SheetLayout, ...], pdf: bytes
) -> None:
    """Store what was printed where, for every sheet of ``pdf``, in one unit of work."""
    from apk_desktop.db.services import printed_sheets

    with db.unit_of_work() as session:
        printed_sheets.record_printed(session, project_id, layouts, pdf)
