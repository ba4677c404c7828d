"""The saving half of ``signed_sheets``: one confirmed sheet's attendance and its pages as the
session's signed evidence, in the caller's unit of work."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from apk_desktop.db.services.attendance import record_attendance
from apk_desktop.db.services.evidence import attach_staged, remove_evidence, stage_scan
from apk_desktop.db.services.sessions import _session, evidence_view
from apk_desktop.db.services.signed_sheets import (
    BLOCKING,
    Confirmed,
    EvidenceMode,
    RowDecision,
    SheetProposal,
    evidence_pdf,
)
from apk_desktop.domain.errors import ConflictError, ValidationError
from apk_desktop.domain.sessions import Attendance, AttendanceEntry


def save_sheet(
    session: Session,
    sheet: SheetProposal,
    decisions: Sequence[RowDecision],
    *,
    evidence_mode: EvidenceMode | None,
    today: date | None,
) -> Confirmed:
    blocking = [p.message for p in sheet.problems if p.kind in BLOCKING]
    if blocking or sheet.session_id is None:
        raise ValidationError({"sheet": blocking[0] if blocking else "List nepatří k setkání."})
    record = _session(session, sheet.session_id, sheet.session_version)
    existing = list(record.evidence)
    if existing and evidence_mode is None:
        raise ConflictError(
            f"K setkání listu {sheet.sheet_id} je už přiložen sken. Zvolte, zda ho nahradit, "
            "nebo přidat další."
        )
    try:
        pdf = evidence_pdf(sheet.pages)
    except OSError as exc:  # the scan was moved or deleted since it was read
        name = Path(exc.filename).name if exc.filename else sheet.pages[0].source.name
        raise ValidationError(
            {"sheet": f"Sken „{name}“ už nejde přečíst ({exc.strerror or exc}); načtěte ho znovu."}
        ) from None
    before = {p.assistant_id: p for p in record.participants}
    entries = []
    for decision in decisions:
        had = before.get(decision.assistant_id)
        keep_hours = had is not None and decision.status is Attendance.PRESENT
        entries.append(
            AttendanceEntry(
                decision.assistant_id,
                decision.status,
                had.hours_attended if keep_hours and had else None,
                had.note if had else "",
            )
        )
    if entries:
        record_attendance(session, record.id, entries, today=today)
    digest = hashlib.sha256(pdf).hexdigest()
    same = next((e for e in existing if e.sha256 == digest), None)  # imported before
    removed = 0
    if evidence_mode is EvidenceMode.REPLACE:
        for old in existing:
            if old is not same:
                remove_evidence(session, old.id)
                removed += 1
    if same is not None:
        evidence = evidence_view(same)
    else:
        with tempfile.TemporaryDirectory(prefix="apk-sken-") as folder:
            path = Path(folder) / f"{sheet.sheet_id}.pdf"
            path.write_bytes(pdf)
            staged = stage_scan(path)
        evidence = attach_staged(session, record.id, staged)
    return Confirmed(sheet.sheet_id, record.id, evidence, len(entries), removed)
