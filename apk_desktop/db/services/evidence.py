"""Signed evidence: the scan (PDF or image) of a signed sheet, attached to its session.

The file is read once, checked (pypdf / Pillow must open it), and its bytes are written
atomically into ``paths.scans_dir()`` — copied, never linked. The database keeps the path
*relative to scans_dir()*, the sha256, the size and the original file name. If the unit of
work rolls back, the copied file is removed again; a removed scan's file is deleted only after
the removal commits.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from apk_desktop.db.models.sessions import EvidenceFile, TrainingSession
from apk_desktop.db.services.sessions import (
    EvidenceView,
    PageCursor,
    SessionFilter,
    SessionPage,
    SessionRow,
    SessionSort,
    _session,
    count_sessions,
    evidence_view,
    list_sessions,
    refresh_summary,
    session_page,
)
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from apk_desktop.files import write_atomic
from apk_desktop.paths import scans_dir

FIELD = "evidence"
MAX_SCAN_BYTES = 50 * 1024 * 1024
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
IMAGE_FORMATS = {"PNG", "JPEG", "TIFF", "MPO"}
ACCEPTED_TEXT = "PDF, PNG, JPG nebo TIFF"


class ScanState(StrEnum):
    OK = "ok"
    MISSING = "missing"  # the stored copy is gone
    CHANGED = "changed"  # the stored copy no longer matches its sha256


@dataclass(frozen=True)
class CheckedScan:
    data: bytes
    sha256: str
    suffix: str  # normalised: .pdf / .png / .jpg / .tif


def _invalid(message: str) -> ValidationError:
    return ValidationError({FIELD: message})


def check_scan(source: Path) -> CheckedScan:
    """Read and validate a scan; ValidationError (field ``evidence``) with a Czech message."""
    source = Path(source)
    suffix = source.suffix.lower()
    if suffix not in PDF_SUFFIXES + IMAGE_SUFFIXES:
        raise _invalid(f"Soubor „{source.name}“ není sken ve formátu {ACCEPTED_TEXT}.")
    try:
        size = source.stat().st_size
        if size > MAX_SCAN_BYTES:
            raise _invalid("Sken je příliš velký (nejvýše 50 MB).")
        data = source.read_bytes()
    except OSError as exc:
        raise _invalid(
            f"Soubor „{source.name}“ se nepodařilo přečíst ({exc.strerror or exc})."
        ) from None
    if not data:
        raise _invalid(f"Soubor „{source.name}“ je prázdný.")
    if suffix in PDF_SUFFIXES:
        _check_pdf(data, source.name)
        normalised = ".pdf"
    else:
        normalised = _check_image(data, source.name)
    return CheckedScan(data, hashlib.sha256(data).hexdigest(), normalised)


def _check_pdf(data: bytes, name: str) -> None:
    from pypdf import PdfReader

    message = f"Soubor „{name}“ není čitelné PDF (je poškozený nebo to není PDF)."
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise _invalid(message)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise _invalid(f"PDF „{name}“ je chráněné heslem. Přiložte sken bez hesla.")
            pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception:
        raise _invalid(message) from None
    if pages < 1:
        raise _invalid(f"PDF „{name}“ nemá žádnou stránku.")


def _check_image(data: bytes, name: str) -> str:
    from PIL import Image

    message = f"Soubor „{name}“ není čitelný obrázek (je poškozený nebo to není obrázek)."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format or ""
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # verify() skips the pixel data; a truncated file fails here
    except Exception:
        raise _invalid(message) from None
    if image_format not in IMAGE_FORMATS:
        raise _invalid(f"Obrázek „{name}“ musí být {ACCEPTED_TEXT}.")
    return {"PNG": ".png", "TIFF": ".tif"}.get(image_format, ".jpg")


def _after(
    session: Session, *, commit: Callable[[], None] | None, rollback: Callable[[], None] | None
) -> None:
    """Run ``commit`` after the session commits or ``rollback`` after it rolls back (once)."""
    done = False

    def committed(_session: Session) -> None:
        nonlocal done
        if not done:
            done = True
            if commit:
                commit()

    def rolled_back(_session: Session) -> None:
        nonlocal done
        if not done:
            done = True
            if rollback:
                rollback()

    event.listen(session, "after_commit", committed, once=True)
    event.listen(session, "after_rollback", rolled_back, once=True)


def attach_evidence(
    session: Session, session_id: int, source: Path, *, now: datetime | None = None
) -> EvidenceView:
    """Copy a signed scan into the data store and attach it to the session.

    ValidationError (field ``evidence``) for a file that is not a readable PDF/image, or that
    is already attached to another session; ConflictError when it is already attached here.
    """
    record = _session(session, session_id)
    scan = check_scan(Path(source))
    same = session.execute(
        select(EvidenceFile.session_id, TrainingSession.topic, TrainingSession.date)
        .join(TrainingSession, TrainingSession.id == EvidenceFile.session_id)
        .where(EvidenceFile.sha256 == scan.sha256)
    ).first()
    if same is not None:
        if same.session_id == session_id:
            raise ConflictError("Tento sken je u setkání už přiložen.")
        raise _invalid(
            f"Stejný sken je už přiložen k setkání „{same.topic}“ z {format_date(same.date)}."
        )
    relative = f"{record.date.year}/setkani-{session_id:06d}-{scan.sha256[:12]}{scan.suffix}"
    target = scans_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    if not existed:
        write_atomic(target, scan.data)
    evidence = EvidenceFile(
        relative_path=relative,
        original_name=Path(source).name[:300],
        sha256=scan.sha256,
        size=len(scan.data),
        attached_at=now or datetime.now().replace(microsecond=0),
    )
    record.evidence.append(evidence)
    try:
        refresh_summary(session, record)
    except BaseException:
        if not existed:
            target.unlink(missing_ok=True)
        raise
    if not existed:
        _after(session, commit=None, rollback=lambda: target.unlink(missing_ok=True))
    return evidence_view(evidence)


def remove_evidence(session: Session, evidence_id: int) -> None:
    """Detach a scan; its stored copy is deleted once the change commits."""
    evidence = session.get(EvidenceFile, evidence_id)
    if evidence is None:
        raise NotFoundError("Sken už v databázi není.")
    target = scans_dir() / evidence.relative_path
    record = evidence.session
    record.evidence.remove(evidence)
    session.delete(evidence)
    refresh_summary(session, record)
    _after(session, commit=lambda: target.unlink(missing_ok=True), rollback=None)


def scan_state(view: EvidenceView) -> ScanState:
    """Is the stored copy still there and unchanged (sha256)?"""
    try:
        data = view.path.read_bytes()
    except OSError:
        return ScanState.MISSING
    return ScanState.OK if hashlib.sha256(data).hexdigest() == view.sha256 else ScanState.CHANGED


def missing_filter(now: datetime | None = None) -> SessionFilter:
    """Past sessions (ended by ``now``) without a signed scan; archived ones are left out."""
    return SessionFilter(evidence="missing", ended_by=now or datetime.now())


def missing_evidence(
    session: Session, project_id: int, *, now: datetime | None = None
) -> list[SessionRow]:
    """Past sessions (ended by ``now``) without a signed scan, oldest first; archived ones are
    left out. The page reads ``missing_evidence_page`` instead (a page at a time)."""
    return list(reversed(list_sessions(session, project_id, missing_filter(now))))


def missing_evidence_page(
    session: Session,
    project_id: int,
    *,
    now: datetime | None = None,
    sort: SessionSort = SessionSort.DATE,
    descending: bool = False,
    after: PageCursor | None = None,
    limit: int = 200,
) -> SessionPage:
    """One page of ``missing_evidence`` (oldest first by default), with the total count."""
    return session_page(
        session,
        project_id,
        missing_filter(now),
        sort=sort,
        descending=descending,
        after=after,
        limit=limit,
        with_total=after is None,
    )


def orphan_scans(session: Session) -> list[Path]:
    """Files in scans_dir() no session refers to (e.g. left by a crash); for a cleanup tool."""
    known = set(session.scalars(select(EvidenceFile.relative_path)))
    root = scans_dir()
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and not p.name.startswith(".")
        and p.relative_to(root).as_posix() not in known
    )


def evidence_overview(
    session: Session, project_id: int, *, today: date | None = None
) -> tuple[int, int]:
    """(past sessions with a scan, past sessions without) — for a dashboard line."""
    now = datetime.combine(today or date.today(), datetime.max.time())
    missing = count_sessions(session, project_id, missing_filter(now))
    complete = count_sessions(
        session, project_id, SessionFilter(evidence="complete", date_to=now.date())
    )
    return complete, missing
