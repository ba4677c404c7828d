"""Signed sheets brought back from the scanner: a stack of scanned pages matched to sessions by
the QR code on every page, each participant row read as signed or empty, and — once the mentor
confirms a sheet — its attendance saved and its pages attached as the session's signed evidence.

``analyse`` does the slow part (page images, codes, ink) off the GUI thread and saves nothing;
it returns a ``StackProposal`` for the review screen. ``confirm_sheet`` saves one sheet in the
caller's unit of work. ``assign_page`` joins a page whose code could not be read to a sheet the
mentor names. Qt-free: the review screen (``ui``) and ``apk-desktop import-scans`` share it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from apk_desktop.db.services.evidence import (  # what ``analyse`` raises when cancelled
    ScanImportCancelled as ScanImportCancelled,
)
from apk_desktop.domain.sessions import Attendance, SessionKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from apk_desktop.db.database import Database
    from apk_desktop.db.services.sessions import EvidenceView

Progress = Callable[[int, int, str], None]  # done, total (0: unknown), what (Czech)
Cancel = Callable[[], bool]  # True: stop as soon as possible (``ScanImportCancelled``)


class ProblemKind(StrEnum):
    """Something the mentor should know about a sheet before confirming it."""

    OTHER_PROJECT = "other_project"  # the session belongs to another project: cannot confirm
    NO_SESSION = "no_session"  # the session is gone, or the sheet names none: cannot confirm
    HAS_EVIDENCE = "has_evidence"  # the session has a scan already: replace or add?
    MISSING_PAGES = "missing_pages"  # some pages of the sheet are not in the stack
    OUT_OF_ORDER = "out_of_order"  # its pages came in another order (they are put in order)
    UPSIDE_DOWN = "upside_down"  # a page lay upside down or sideways (it is turned upright)
    DUPLICATE = "duplicate"  # a page was scanned twice (the first copy is used)
    NOT_READ = "not_read"  # rows could not be read (an old layout, pages assigned by hand)
    UNSURE = "unsure"  # some rows are unsure: look at them
    FUTURE = "future"  # the session is still to come: attendance cannot be saved yet
    WALK_IN = "walk_in"  # someone signed a blank row: the mentor picks who it is


BLOCKING = frozenset({ProblemKind.OTHER_PROJECT, ProblemKind.NO_SESSION})
# a person must decide: which evidence to keep, where the missing page is, rows not read …
NEEDS_REVIEW = BLOCKING | {
    ProblemKind.HAS_EVIDENCE,
    ProblemKind.MISSING_PAGES,
    ProblemKind.NOT_READ,
    ProblemKind.UNSURE,
    ProblemKind.FUTURE,
    ProblemKind.WALK_IN,
}


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str  # Czech, one sentence or two, for the review screen and the CLI


class EvidenceMode(StrEnum):
    """What to do with the scans a session has already when its sheet is confirmed."""

    ADD = "add"  # keep them, attach this one too
    REPLACE = "replace"  # remove them, attach this one


@dataclass(frozen=True)
class ScannedPage:
    """One page of the stack as it lies in its file."""

    source: Path  # the file the page came from
    number: int  # 1-based page (or TIFF frame) within that file
    sheet_page: int | None  # page of the sheet it is (None: assigned by hand, not known)
    rotation: float  # degrees the page lay turned clockwise (180 = upside down)
    read: bool  # its rows were read (False: matched without rows, or assigned by hand)

    @property
    def quarter_turns(self) -> int:
        """Clockwise quarter turns the page lay turned (0–3); attached turned back upright."""
        return round(self.rotation / 90) % 4

    @property
    def label(self) -> str:
        """``sken.pdf, s. 3`` — where to find it (Czech)."""
        return f"{self.source.name}, s. {self.number}"


@dataclass(frozen=True)
class RowProposal:
    """A participant row printed with a name: what the scan shows and what is proposed."""

    row: int  # number printed in the row
    sheet_page: int  # page of the sheet the row is on
    participant_id: int | None  # None: a person who is not an assistant (the mentor's own row)
    name: str
    signed: bool
    status: Attendance | None  # PRESENT (signed) / ABSENT (empty); None: not read
    confidence: float  # 0.5 – 1 (0 when not read)
    sure: bool  # False: the mentor should look
    cell_png: bytes  # the signature cell, upright, as PNG ("" when not read)
    current: Attendance | None = None  # what the session has recorded now


@dataclass(frozen=True)
class WalkInRow:
    """A blank row with ink in its signature cell: someone came without an invitation and wrote
    their name; the mentor picks the person (``RowDecision``)."""

    row: int
    sheet_page: int
    confidence: float
    sure: bool
    row_png: bytes  # the whole row (handwritten name and signature), upright, as PNG


@dataclass(frozen=True)
class Candidate:
    """A person the mentor may pick for a walk-in row (the project's assistants)."""

    assistant_id: int
    name: str
    employed: tuple[tuple[date, date | None], ...] = ()  # (start, end or None) periods

    def employed_on(self, day: date | None) -> bool:
        """Whether the person may have attended a session on ``day`` (no day: anyone)."""
        return day is None or any(
            start <= day and (end is None or day <= end) for start, end in self.employed
        )


@dataclass(frozen=True)
class SheetProposal:
    """One sheet found in the stack and the session it belongs to."""

    sheet_id: str  # as printed: PL-12, SUP-3, MEN-7
    session_id: int | None  # None: no session (see problems)
    session_kind: SessionKind | None
    session_title: str  # the topic, or the kind's label
    session_date: date | None
    page_count: int  # pages printed
    pages: tuple[ScannedPage, ...]  # in sheet order (pages assigned by hand last)
    rows: tuple[RowProposal, ...]
    walk_ins: tuple[WalkInRow, ...]
    problems: tuple[Problem, ...]
    evidence_count: int  # scans the session has already (HAS_EVIDENCE when > 0)
    session_version: int | None = None  # the session's row_version the proposal was read from

    @property
    def confirmable(self) -> bool:
        """No blocking problem: a session of this project to save it to."""
        return self.session_id is not None and not any(p.kind in BLOCKING for p in self.problems)

    @property
    def all_sure(self) -> bool:
        """Every row read and sure, no walk-in, nothing to decide: fit for confirming unseen."""
        return (
            self.confirmable
            and not self.walk_ins
            and all(row.sure and row.status is not None for row in self.rows)
            and not any(p.kind in NEEDS_REVIEW for p in self.problems)
        )


@dataclass(frozen=True)
class UnmatchedPage:
    """A page that matched no sheet: assign it by hand (``assign_page``) or leave it."""

    page: ScannedPage
    thumbnail_png: bytes  # the page, upright where known, about 300 px high
    reason: str  # Czech: no code could be read / a sheet not printed here / not a session sheet
    sheet_id: str | None = None  # the code's sheet id when one was read


@dataclass(frozen=True)
class StackProposal:
    """Everything read from a stack; nothing is saved."""

    project_id: int
    files: tuple[Path, ...]  # the scan files read, in order
    sheets: tuple[SheetProposal, ...]  # in the order each first appears in the stack
    unmatched: tuple[UnmatchedPage, ...]
    duplicates: tuple[ScannedPage, ...]  # second copies of pages, left out
    candidates: tuple[Candidate, ...]  # people for walk-in rows
    page_count: int  # pages in the stack

    def sheet(self, sheet_id: str) -> SheetProposal | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)


@dataclass(frozen=True)
class RowDecision:
    """What the mentor confirmed for one row: a printed participant's (proposed or changed) or
    the person picked for a walk-in row."""

    assistant_id: int
    status: Attendance


@dataclass(frozen=True)
class Confirmed:
    sheet_id: str
    session_id: int
    evidence: EvidenceView
    saved_rows: int  # attendance rows saved
    removed_evidence: int  # scans replaced


def analyse(
    db: Database,
    paths: Sequence[Path],
    project_id: int,
    *,
    progress: Progress | None = None,
    check: Cancel | None = None,
) -> StackProposal:
    """Read a scanned stack (files and folders: PDF, JPG, PNG, TIFF) and propose, per sheet,
    its session and each row's attendance. Long: run it off the GUI thread. Database reads are
    short units of work of their own; none stays open while images are read. Saves nothing.

    ``progress(pages done, pages in all, "Čtu stranu 3 z 12…")`` after each page; ``check()``
    returning True cancels (``ScanImportCancelled``). ValidationError (field ``scans``) for a
    file that cannot be read or a stack with no page."""
    from apk_desktop.db.services.signed_sheets_read import read_stack

    return read_stack(db, paths, project_id, progress=progress, check=check)


def default_decisions(sheet: SheetProposal) -> list[RowDecision]:
    """The proposal as it stands: each read row of an assistant present or absent (walk-ins
    and rows not read are left to the mentor)."""
    return [
        RowDecision(row.participant_id, row.status)
        for row in sheet.rows
        if row.participant_id is not None and row.status is not None
    ]


def confirm_sheet(
    session: Session,
    sheet: SheetProposal,
    decisions: Sequence[RowDecision],
    *,
    evidence_mode: EvidenceMode | None = None,
    today: date | None = None,
) -> Confirmed:
    """Save one sheet in the caller's unit of work (all or nothing): the decided rows'
    attendance (``attendance.record_attendance``; walk-ins are added to the session), and the
    sheet's pages extracted into a PDF of their own (the scanned page bytes kept, pages turned
    upright, in sheet order) attached as the session's signed evidence (copied into the data
    store and hashed by ``evidence``).

    ValidationError when the sheet is not confirmable (another project, no session) or a row
    is refused (e.g. a future session) or the scan file cannot be read any more; ConflictError
    when the session has scans already and ``evidence_mode`` is None. The same pages confirmed
    again (the same PDF) are not attached twice."""
    from apk_desktop.db.services.signed_sheets_save import save_sheet

    return save_sheet(session, sheet, decisions, evidence_mode=evidence_mode, today=today)


def assign_page(
    session: Session, stack: StackProposal, page: UnmatchedPage, sheet_text: str
) -> StackProposal:
    """The stack with ``page`` joined to the sheet the mentor typed or picked (``PL-12``,
    ``sup-3``; ``domain.sheet_refs.parse_sheet_ref``): to that sheet's proposal when the stack
    has it, else to a new proposal for its session, whose rows are the session's participants,
    not read (the mentor sets their attendance). Reads only.

    ValidationError (field ``sheet``) with a Czech message for text that is not a session's
    sheet identifier, a session that does not exist or belongs to another project."""
    from apk_desktop.db.services.signed_sheets_read import join_page

    return join_page(session, stack, page, sheet_text)


def reread_session(session: Session, stack: StackProposal, sheet_id: str) -> StackProposal:
    """The stack with sheet ``sheet_id``'s session read again (after ``confirm_sheet`` refused
    it with StaleRecordError: someone changed the session since the stack was read). The
    scan's readings stay; the rows' recorded attendance, the scans and the session's problems
    are the ones stored now. Reads only."""
    from apk_desktop.db.services.signed_sheets_read import reread_session as reread

    return reread(session, stack, sheet_id)


def evidence_pdf(pages: Sequence[ScannedPage]) -> bytes:
    """One PDF of ``pages`` in the order given: pages of a PDF copied with their original
    scanned content (pypdf), images wrapped into PDF pages (Pillow); each turned upright."""
    from apk_desktop.scans.extract import SourcePage, pages_pdf

    return pages_pdf([SourcePage(p.source, p.number, p.quarter_turns) for p in pages])


def proposal_summary(stack: StackProposal) -> Mapping[str, object]:
    """The proposal as plain JSON-ready data (``import-scans --json``); images left out."""

    def page(p: ScannedPage) -> dict[str, object]:
        return {
            "file": str(p.source),
            "page": p.number,
            "sheet_page": p.sheet_page,
            "rotation": round(p.rotation, 1),
            "read": p.read,
        }

    return {
        "project_id": stack.project_id,
        "files": [str(f) for f in stack.files],
        "pages": stack.page_count,
        "sheets": [
            {
                "sheet_id": s.sheet_id,
                "session_id": s.session_id,
                "session_kind": s.session_kind.value if s.session_kind else None,
                "session_title": s.session_title,
                "session_date": s.session_date.isoformat() if s.session_date else None,
                "page_count": s.page_count,
                "pages": [page(p) for p in s.pages],
                "rows": [
                    {
                        "row": r.row,
                        "sheet_page": r.sheet_page,
                        "participant_id": r.participant_id,
                        "name": r.name,
                        "signed": r.signed,
                        "status": r.status.value if r.status else None,
                        "confidence": round(r.confidence, 3),
                        "sure": r.sure,
                    }
                    for r in s.rows
                ],
                "walk_ins": [
                    {
                        "row": w.row,
                        "sheet_page": w.sheet_page,
                        "confidence": round(w.confidence, 3),
                        "sure": w.sure,
                    }
                    for w in s.walk_ins
                ],
                "problems": [{"kind": p.kind.value, "message": p.message} for p in s.problems],
                "evidence_count": s.evidence_count,
                "confirmable": s.confirmable,
                "all_sure": s.all_sure,
            }
            for s in stack.sheets
        ],
        "unmatched": [
            {**page(u.page), "reason": u.reason, "sheet_id": u.sheet_id} for u in stack.unmatched
        ],
        "duplicates": [page(p) for p in stack.duplicates],
    }
