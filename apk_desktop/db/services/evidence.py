"""Signed evidence: the scan (PDF or image) of a signed sheet, attached to its session.

The file is read once, checked (pypdf / Pillow must open it) and staged: its bytes written
atomically into ``paths.scans_dir()`` — copied, never linked. The database keeps a path
*relative to scans_dir()*, the sha256, the size and the original file name.

Where the bytes end up depends on the database. With SQLite (one PC) the staged copy becomes a
file in scans_dir(), next to the database file; if the unit of work rolls back, the file is
removed again, and a removed scan's file is deleted only after the removal commits. With a
server database (PostgreSQL, shared by several PCs) the bytes go into the database
(``scan_content``) in the same unit of work, so no scan lives only on the PC that imported it;
the relative path then only names the scan (e.g. inside a backup archive).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from apk_desktop.backup.atomic import cleanup_partials, partial_path
from apk_desktop.db.models.sessions import EvidenceFile, ScanContent, TrainingSession
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
from apk_desktop.domain.errors import (
    ConflictError,
    NotFoundError,
    StorageUnavailableError,
    ValidationError,
)
from apk_desktop.domain.limits import clean_text, max_length
from apk_desktop.domain.stored_paths import InvalidStoredPathError, resolve_stored_path
from apk_desktop.files import NotRegularFileError, open_regular
from apk_desktop.paths import scans_dir

log = logging.getLogger(__name__)

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
    INVALID = "invalid"  # the stored path leads outside scans_dir(); the file is never touched


@dataclass(frozen=True)
class CheckedScan:
    data: bytes  # exactly the bytes read (and later stored); sha256 is of these
    sha256: str
    suffix: str  # normalised: .pdf / .png / .jpg / .tif


@dataclass(frozen=True)
class StagedScan:
    """A checked scan already written (fsynced) under a temporary name in scans_dir(); made off
    the GUI thread by ``stage_scan``, attached by ``attach_staged`` in one unit of work."""

    staged: Path
    sha256: str
    size: int
    suffix: str
    original_name: str


Progress = Callable[[int, int, str], None]  # done, total, what (Czech)
Cancel = Callable[[], bool]
CHUNK_SIZE = 1024 * 1024


class ScanImportCancelled(Exception):
    """The user cancelled reading or copying a scan; nothing was stored."""


def _invalid(message: str) -> ValidationError:
    return ValidationError({FIELD: message})


def _read_limited(source: Path, progress: Progress | None, cancel: Cancel | None) -> bytes:
    """At most MAX_SCAN_BYTES + 1 bytes of a regular file; never opens a FIFO for blocking
    and never trusts the size seen before the read (the file may still grow)."""
    try:
        with open_regular(source) as fh:
            expected = min(os.fstat(fh.fileno()).st_size, MAX_SCAN_BYTES)
            data = bytearray()
            while len(data) <= MAX_SCAN_BYTES:
                if cancel is not None and cancel():
                    raise ScanImportCancelled()
                chunk = fh.read(min(CHUNK_SIZE, MAX_SCAN_BYTES + 1 - len(data)))
                if not chunk:
                    break
                data += chunk
                if progress is not None:
                    progress(min(len(data), expected), max(expected, 1), "Čtu sken…")
    except NotRegularFileError:
        raise _invalid(
            f"„{source.name}“ není obyčejný soubor (je to složka, zařízení nebo roura). "
            f"Vyberte sken ve formátu {ACCEPTED_TEXT}."
        ) from None
    except OSError as exc:
        raise _invalid(
            f"Soubor „{source.name}“ se nepodařilo přečíst ({exc.strerror or exc})."
        ) from None
    if len(data) > MAX_SCAN_BYTES:
        raise _invalid("Sken je příliš velký (nejvýše 50 MB).")
    return bytes(data)


def check_scan(
    source: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> CheckedScan:
    """Read and validate a scan; ValidationError (field ``evidence``) with a Czech message.

    Only regular files are read, at most MAX_SCAN_BYTES + 1 bytes of them."""
    source = Path(source)
    suffix = source.suffix.lower()
    if suffix not in PDF_SUFFIXES + IMAGE_SUFFIXES:
        raise _invalid(f"Soubor „{source.name}“ není sken ve formátu {ACCEPTED_TEXT}.")
    data = _read_limited(source, progress, cancel)
    if not data:
        raise _invalid(f"Soubor „{source.name}“ je prázdný.")
    if progress is not None:
        progress(0, 0, "Kontroluji sken…")
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


def stage_scan(
    source: Path, *, progress: Progress | None = None, cancel: Cancel | None = None
) -> StagedScan:
    """Read, check and copy a scan to a temporary file in scans_dir() (fsynced). Slow for big
    files, so the UI runs it off the GUI thread; ``attach_staged`` then finishes the job."""
    source = Path(source)
    scan = check_scan(source, progress=progress, cancel=cancel)
    if cancel is not None and cancel():
        raise ScanImportCancelled()
    if progress is not None:
        progress(0, 0, "Ukládám sken…")
    cleanup_partials(scans_dir())  # staged copies left by a process that died before attaching
    staged = partial_path(scans_dir())
    try:
        with open(staged, "xb") as fh:
            fh.write(scan.data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise StorageUnavailableError(
            f"Sken se nepodařilo uložit do složky {staged.parent}: {exc.strerror or exc}.",
            details=str(exc),
        ) from exc
    name = clean_text("evidence.original_name", source.name)[: max_length("evidence.original_name")]
    return StagedScan(staged, scan.sha256, len(scan.data), scan.suffix, name)


def discard_staged(staged: StagedScan) -> None:
    """Remove a staged copy that will not be attached (cancelled, refused, rolled back)."""
    staged.staged.unlink(missing_ok=True)


def scans_in_database(session: Session) -> bool:
    """Are the bytes of scans stored in the database (a server database) rather than as files
    in scans_dir() (SQLite)?"""
    return session.get_bind().dialect.name != "sqlite"


def attach_staged(
    session: Session, session_id: int, staged: StagedScan, *, now: datetime | None = None
) -> EvidenceView:
    """Attach a staged scan to the session: the row is added and the bytes stored (the staged
    copy moves to its final name, or goes into the database).

    The staged copy is consumed whatever happens (moved, or removed on an error or rollback).
    ValidationError (field ``evidence``) when the same scan is attached to another session;
    ConflictError when it is already attached here."""
    try:
        record = _session(session, session_id)
        same = session.execute(
            select(EvidenceFile.session_id, TrainingSession.topic, TrainingSession.date)
            .join(TrainingSession, TrainingSession.id == EvidenceFile.session_id)
            .where(EvidenceFile.sha256 == staged.sha256)
        ).first()
        if same is not None:
            if same.session_id == session_id:
                raise ConflictError("Tento sken je u setkání už přiložen.")
            raise _invalid(
                f"Stejný sken je už přiložen k setkání „{same.topic}“ z {format_date(same.date)}."
            )
        relative = (
            f"{record.date.year}/setkani-{session_id:06d}-{staged.sha256[:12]}{staged.suffix}"
        )
        if scans_in_database(session):
            return _attach_in_database(session, record, staged, relative, now)
        target = resolve_stored_path(scans_dir(), relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        existed = target.exists()
        if not existed:
            os.replace(staged.staged, target)
    except OSError as exc:
        discard_staged(staged)
        raise StorageUnavailableError(
            f"Sken se nepodařilo uložit do složky {scans_dir()}: {exc.strerror or exc}.",
            details=str(exc),
        ) from exc
    except BaseException:
        discard_staged(staged)
        raise
    discard_staged(staged)  # still there only when an identical copy existed already
    evidence = _evidence_row(record, staged, relative, now)
    try:
        refresh_summary(session, record)
    except BaseException:
        if not existed:
            target.unlink(missing_ok=True)
        raise
    if not existed:
        _after(session, commit=None, rollback=lambda: target.unlink(missing_ok=True))
    return evidence_view(evidence)


def _evidence_row(
    record: TrainingSession, staged: StagedScan, relative: str, now: datetime | None
) -> EvidenceFile:
    evidence = EvidenceFile(
        relative_path=relative,
        original_name=staged.original_name,
        sha256=staged.sha256,
        size=staged.size,
        attached_at=now or datetime.now().replace(microsecond=0),
    )
    record.evidence.append(evidence)
    return evidence


def _attach_in_database(
    session: Session,
    record: TrainingSession,
    staged: StagedScan,
    relative: str,
    now: datetime | None,
) -> EvidenceView:
    """The staged bytes go into ``scan_content`` (the caller discards the staged copy)."""
    data = staged.staged.read_bytes()
    discard_staged(staged)
    evidence = _evidence_row(record, staged, relative, now)
    session.flush()
    session.add(ScanContent(evidence_id=evidence.id, data=data))
    refresh_summary(session, record)
    return evidence_view(evidence)


def attach_evidence(
    session: Session,
    session_id: int,
    source: Path,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> EvidenceView:
    """Check a signed scan, copy it into the data store and attach it to the session (the
    whole job in the calling thread; the UI splits it into ``stage_scan`` + ``attach_staged``).

    ValidationError (field ``evidence``) for a file that is not a readable PDF/image of at most
    50 MB, or that is already attached to another session; ConflictError when it is already
    attached here."""
    _session(session, session_id)
    staged = stage_scan(Path(source), progress=progress, cancel=cancel)
    return attach_staged(session, session_id, staged, now=now)


def remove_evidence(session: Session, evidence_id: int) -> str | None:
    """Detach a scan; its stored copy is deleted once the change commits.

    A stored path leading outside scans_dir() (e.g. from a tampered backup) deletes nothing:
    the row goes, the file stays, and the returned Czech note says why (None otherwise)."""
    evidence = session.get(EvidenceFile, evidence_id)
    if evidence is None:
        raise NotFoundError("Sken už v databázi není.")
    note: str | None = None
    target: Path | None = None
    if not scans_in_database(session):  # else its bytes go with the row (ON DELETE CASCADE)
        try:
            target = resolve_stored_path(scans_dir(), evidence.relative_path)
        except InvalidStoredPathError as exc:
            note = exc.message
            log.warning("evidence %s: %s", evidence_id, exc.message)
    record = evidence.session
    record.evidence.remove(evidence)
    session.delete(evidence)
    refresh_summary(session, record)
    if target is not None:
        doomed = target
        _after(session, commit=lambda: doomed.unlink(missing_ok=True), rollback=None)
    return note


def scan_state(session: Session, view: EvidenceView) -> ScanState:
    """Is the stored copy still there and unchanged (sha256)? INVALID when the stored path
    leads outside scans_dir(): such a file is never read. In the database the hash is
    computed by the server (the bytes are not fetched)."""
    if scans_in_database(session):
        digest = session.scalar(
            select(func.encode(func.sha256(ScanContent.data), "hex")).where(
                ScanContent.evidence_id == view.id
            )
        )
        if digest is None:
            return ScanState.MISSING
        return ScanState.OK if digest == view.sha256 else ScanState.CHANGED
    try:
        path = view.path
    except InvalidStoredPathError:
        return ScanState.INVALID
    try:
        with open_regular(path) as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return ScanState.MISSING
    return ScanState.OK if digest == view.sha256 else ScanState.CHANGED


def read_scan(session: Session, view: EvidenceView) -> bytes:
    """The stored bytes of a scan (to show, print or export it). NotFoundError (Czech) when
    they are gone; InvalidStoredPathError for a stored path leading outside scans_dir()."""
    if scans_in_database(session):
        data = session.scalar(select(ScanContent.data).where(ScanContent.evidence_id == view.id))
        if data is None:
            raise NotFoundError(f"Sken „{view.original_name}“ v databázi chybí.")
        return data
    try:
        with open_regular(view.path) as fh:
            return fh.read()
    except OSError as exc:
        raise NotFoundError(
            f"Sken „{view.original_name}“ se nepodařilo přečíst ({exc.strerror or exc})."
        ) from exc


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
