"""Generate a large database for the speed targets: 1,000 assistants, 100,000 assessments,
20,000 sessions with attendance — in a SQLite file or in a PostgreSQL database.

    uv run python benchmarks/generate_large_db.py [path-or-url] [--assistants 1000]
        [--assessments 100000] [--sessions 20000]

A path is a SQLite file (replaced); a URL (``postgresql+psycopg://user:pw@host/db``) names an
existing database owned by its user, whose ``public`` schema is emptied first. Bulk inserts with
SQLAlchemy Core in one transaction (the services' validation is bypassed on purpose: the data is
valid by construction — every date lies inside the person's employment and the project period,
one entry assessment per person). Each assessment rates all five areas; each session has
1–8 participants (attendance recorded on past sessions) and 1–2 areas, a signed scan on most past
sessions, and the summary columns the services keep (participant, unrecorded, evidence counts).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import insert, make_url, select, text
from sqlalchemy.orm import Session

from apk_desktop.db.database import Database
from apk_desktop.db.models import Assistant, EducationArea, Employment, Position
from apk_desktop.db.models.assessments import Assessment, AssessmentLevel
from apk_desktop.db.models.sessions import (
    EvidenceFile,
    SessionParticipant,
    TrainingSession,
    session_area,
)
from apk_desktop.db.open import open_database
from apk_desktop.db.services.assessments import default_scale
from apk_desktop.db.services.setup import current_or_template
from apk_desktop.domain.sessions import SessionKind

DEFAULT_PATH = "/tmp/apk-large.sqlite3"
CHUNK = 10_000
TODAY = date(2025, 11, 1)  # the benchmarks' "today": sessions after it have no attendance yet
MENTOR_KINDS = {SessionKind.MENTOR_TRAINING.value, SessionKind.MENTOR_SUPERVISION.value}


def _fresh_url(target: str) -> str:
    """The URL of an empty database at ``target`` (a SQLite path or a PostgreSQL URL)."""
    if "://" not in target:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{target}"
    empty = Database(target)
    with empty.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    empty.dispose()
    return target


def _bulk(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in chunks; the new ids in the order of ``rows``."""
    ids: list[int] = []
    for chunk in range(0, len(rows), CHUNK):
        result = session.execute(
            insert(table).returning(table.id, sort_by_parameter_order=True),
            rows[chunk : chunk + CHUNK],
        )
        ids.extend(result.scalars())
    return ids


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[chunk : chunk + CHUNK])


def generate(
    target: str,
    assistants: int = 1000,
    assessments: int = 100_000,
    sessions: int = 20_000,
    seed: int = 7,
) -> dict[str, int]:
    """Fill a fresh database; the row counts by table."""
    db = open_database(_fresh_url(target))
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    with db.unit_of_work() as session:
        project = current_or_template(session)
        project.position_count = max(project.position_count, assistants * 4 // 5)
        pid = project.id
        start, end = project.period_start, project.period_end
        scale_id = default_scale(session, pid).id
        areas = list(
            session.scalars(select(EducationArea.id).where(EducationArea.project_id == pid))
        )
        have = (
            session.scalar(
                select(Position.number)
                .where(Position.project_id == pid)
                .order_by(Position.number.desc())
                .limit(1)
            )
            or 0
        )
        _insert(
            session,
            Position,
            [{"project_id": pid, "number": n} for n in range(have + 1, project.position_count + 1)],
        )
        positions = list(
            session.scalars(
                select(Position.id).where(Position.project_id == pid).order_by(Position.number)
            )
        )
        people = _bulk(
            session,
            Assistant,
            [
                {
                    "project_id": pid,
                    "first_name": f"Asistent{i}",
                    "last_name": f"Příjmení{i}",
                    "birth_date": None,
                    "phone": "",
                    "email": "",
                    "note": "",
                }
                for i in range(assistants)
            ],
        )
        # Four in five positions are held by one assistant for the whole period; the rest change
        # hands once in the middle of the period (the leaver's employment ends the day before).
        days = (end - start).days
        employments = []
        spans: list[tuple[int, date, date]] = []
        changes = assistants - len(positions)
        for index, person in enumerate(people):
            if index < len(positions):
                position = positions[index]
                first = start
                last = end
                if index < changes:
                    last = start + timedelta(days=days // 2 - 1)
            else:
                position = positions[index - len(positions)]
                first, last = start + timedelta(days=days // 2), end
            employments.append(
                {
                    "assistant_id": person,
                    "position_id": position,
                    "start_date": first,
                    "end_date": last if last != end else None,
                    "note": "",
                }
            )
            spans.append((person, first, last))
        _insert(session, Employment, employments)
        rows, grades = [], []
        per_person = max(1, assessments // len(spans))
        for person, first, last in spans:
            span_days = (min(last, TODAY) - first).days
            base = [rng.randint(1, 3) for _ in areas]
            for k in range(per_person):
                rows.append(
                    {
                        "assistant_id": person,
                        "assessed_on": first + timedelta(days=span_days * k // per_person),
                        "kind": "entry" if k == 0 else "interim",
                        "assessor": "Mentor",
                        "method": "pozorování",
                        "note": "",
                        "scale_id": scale_id,
                    }
                )
                grades.append([min(5, b + rng.randint(0, k * 3 // per_person + 1)) for b in base])
        assessment_ids = _bulk(session, Assessment, rows)
        levels = [
            {"assessment_id": aid, "area_id": area, "level": level}
            for aid, row in zip(assessment_ids, grades, strict=True)
            for area, level in zip(areas, row, strict=True)
        ]
        _insert(session, AssessmentLevel, levels)
        counts.update(assistants=len(people), assessments=len(rows), levels=len(levels))
        counts.update(_sessions(session, pid, spans, areas, sessions, rng))
    # PostgreSQL: VACUUM too, so the visibility map allows index-only scans as it would on a
    # server whose autovacuum has run (right after the bulk insert it has not yet).
    statement = "ANALYZE" if db.is_sqlite else "VACUUM ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
    db.dispose()
    return counts


def _sessions(
    session: Session,
    pid: int,
    spans: list[tuple[int, date, date]],
    areas: list[int],
    count: int,
    rng: random.Random,
) -> dict[str, int]:
    """``count`` sessions spread over the period: group trainings and supervisions of up to
    eight assistants employed on the day, individual mentoring, the mentor's own sessions."""
    kinds = [k.value for k in SessionKind]
    first = min(s[1] for s in spans)
    days = (max(s[2] for s in spans) - first).days
    now = datetime.now()
    planned = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        on = first + timedelta(days=rng.randrange(days + 1))
        begin = clock_time(7 + i % 10, 0)
        planned.append(
            {
                "project_id": pid,
                "kind": kind,
                "key_activity_id": None,
                "date": on,
                "time_from": begin,
                "time_to": clock_time(begin.hour + 1, 30),
                "hours": 2,
                "hour_unit": "teaching",
                "place": "Služebna MP",
                "form": "prezencne",
                "lecturer": "Mgr. Lektor",
                "topic": f"Téma {i % 500} – {rng.choice(['komunikace', 'BOZP', 'konflikty'])}",
                "conclusions": "",
                "agreed_steps": "",
                "private_note": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    by_start = sorted(spans, key=lambda s: s[1])
    participants: list[list[int]] = []
    for row in planned:
        if row["kind"] in MENTOR_KINDS:
            participants.append([])
            continue
        employed = [p for p, a, b in by_start if a <= row["date"] <= b]
        size = 1 if row["kind"] == SessionKind.MENTORING_INDIVIDUAL.value else rng.randint(2, 8)
        participants.append(rng.sample(employed, min(size, len(employed))))
    chosen_areas = [sorted(rng.sample(areas, 1 + i % 2)) for i in range(count)]
    past = [row["date"] <= TODAY for row in planned]
    scanned = [was and rng.random() < 0.8 for was in past]
    for row, people, chosen, was, scan in zip(
        planned, participants, chosen_areas, past, scanned, strict=True
    ):
        row.update(
            participant_count=len(people),
            unrecorded_count=0 if was else len(people),
            evidence_count=1 if scan else 0,
            area_ids_text=",".join(map(str, chosen)),
        )
    ids = _bulk(session, TrainingSession, planned)
    _insert(
        session,
        session_area,
        [
            {"session_id": s, "area_id": a}
            for s, chosen in zip(ids, chosen_areas, strict=True)
            for a in chosen
        ],
    )
    attendance = ["present"] * 8 + ["excused", "absent"]
    links = [
        {
            "session_id": sid,
            "assistant_id": person,
            "invited": True,
            "attendance": rng.choice(attendance) if was else None,
            "note": "",
        }
        for sid, people, was in zip(ids, participants, past, strict=True)
        for person in people
    ]
    _insert(session, SessionParticipant, links)
    scans = [
        {
            "session_id": sid,
            "relative_path": f"{sid // 1000}/{sid}.pdf",
            "original_name": f"prezencni-listina-{sid}.pdf",
            "sha256": f"{sid:064x}",
            "size": 1,
            "attached_at": now,
        }
        for sid, scan in zip(ids, scanned, strict=True)
        if scan
    ]
    _insert(session, EvidenceFile, scans)
    return {"sessions": len(ids), "participants": len(links), "scans": len(scans)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target", nargs="?", default=DEFAULT_PATH, help="SQLite path or URL")
    parser.add_argument("--assistants", type=int, default=1000)
    parser.add_argument("--assessments", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20_000)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    counts = generate(args.target, args.assistants, args.assessments, args.sessions)
    summary = ", ".join(f"{value} {key}" for key, value in counts.items())
    shown = make_url(args.target).render_as_string() if "://" in args.target else args.target
    print(f"{shown}: {summary}")
    print(f"generated in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
