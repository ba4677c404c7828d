"""Benchmark: the session list with 20 000 sessions, ~3 participants and ~2 areas each, and a
scan on half of them. Target: the first page (``session_page``, what the sessions page reads:
200 rows and the total) < 200 ms. Also shown: the whole list (``list_sessions``, for exports and
month batches) and the missing-evidence list. The page open itself: benchmarks/sessions_page.py.

Run: ``uv run python benchmarks/sessions_list.py [sessions]``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

if TYPE_CHECKING:
    from apk_desktop.db.database import Database

TARGET_MS = 200


def generate(count: int = 20_000) -> tuple[Database, int, Path]:
    """A fresh database in a temporary folder (also the data folder) with ``count`` sessions:
    ~3 participants and 1–2 areas each, attendance on two thirds, a scan on half.
    Returns (database, project id, folder). Also used by benchmarks/sessions_page.py."""
    folder = Path(tempfile.mkdtemp(prefix="apk-bench-"))
    os.environ["APK_DESKTOP_DATA_DIR"] = str(folder)
    from apk_desktop.db.models import Assistant, EducationArea, Employment, Position
    from apk_desktop.db.models.sessions import (
        EvidenceFile,
        SessionParticipant,
        TrainingSession,
        session_area,
    )
    from apk_desktop.db.open import open_database
    from apk_desktop.db.services.setup import current_or_template
    from apk_desktop.domain.sessions import SessionKind

    db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
    rng = random.Random(4)
    with db.unit_of_work() as session:
        project = current_or_template(session)
        pid = project.id
        areas = list(
            session.scalars(select(EducationArea.id).where(EducationArea.project_id == pid))
        )
        positions = list(session.scalars(select(Position.id).where(Position.project_id == pid)))
        people = []
        for i, position in enumerate(positions):
            person = Assistant(
                project_id=pid,
                first_name=f"Jméno{i}",
                last_name=f"Příjmení{i}",
                phone="",
                email="",
                note="",
            )
            session.add(person)
            session.flush()
            session.add(
                Employment(
                    assistant_id=person.id,
                    position_id=position,
                    start_date=project.period_start,
                    note="",
                )
            )
            people.append(person.id)
        kinds = [k.value for k in SessionKind]
        days = (project.period_end - project.period_start).days
        now = datetime.now()
        sessions_rows = []
        for i in range(count):
            start = time(7 + i % 10, 0)
            sessions_rows.append(
                {
                    "id": i + 1,
                    "project_id": pid,
                    "kind": kinds[i % len(kinds)],
                    "key_activity_id": None,
                    "date": project.period_start + timedelta(days=rng.randrange(days)),
                    "time_from": start,
                    "time_to": time(start.hour + 1, 30),
                    "hours": 2,
                    "hour_unit": "teaching",
                    "place": "Služebna MP",
                    "form": "prezencne",
                    "lecturer": "Mgr. Lektor",
                    "topic": f"Téma {i}",
                    "conclusions": "",
                    "agreed_steps": "",
                    "private_note": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        links = [(i + 1, sorted(rng.sample(areas, 1 + i % 2))) for i in range(count)]
        for row, (_, chosen) in zip(sessions_rows, links, strict=True):
            recorded = row["id"] % 3 != 1
            row.update(
                participant_count=3,
                unrecorded_count=0 if recorded else 3,
                evidence_count=1 if row["id"] % 2 else 0,
                area_ids_text=",".join(map(str, chosen)),
            )
        session.execute(insert(TrainingSession), sessions_rows)
        session.execute(
            insert(session_area),
            [{"session_id": sid, "area_id": a} for sid, chosen in links for a in chosen],
        )
        session.execute(
            insert(SessionParticipant),
            [
                {
                    "session_id": i + 1,
                    "assistant_id": p,
                    "invited": True,
                    "attendance": "present" if (i + 1) % 3 != 1 else None,
                    "note": "",
                }
                for i in range(count)
                for p in rng.sample(people, 3)
            ],
        )
        session.execute(
            insert(EvidenceFile),
            [
                {
                    "session_id": i + 1,
                    "relative_path": f"x/{i}.pdf",
                    "original_name": "a.pdf",
                    "sha256": f"{i:064d}",
                    "size": 1,
                    "attached_at": now,
                }
                for i in range(0, count, 2)  # ids 1, 3, 5, …: evidence_count 1 above
            ],
        )
    return db, pid, folder


def main(count: int = 20_000) -> int:
    from apk_desktop.db.services.evidence import missing_evidence, missing_evidence_page
    from apk_desktop.db.services.sessions import (
        SessionFilter,
        SessionSort,
        list_sessions,
        session_page,
    )

    db, pid, folder = generate(count)
    timings = []
    rows = []
    for _ in range(7):
        with db.unit_of_work() as session:
            started = clock.perf_counter()
            rows = list_sessions(session, pid)
            timings.append((clock.perf_counter() - started) * 1000)
    page_timings: dict[str, list[float]] = {
        "date": [],
        "topic": [],
        "next": [],
        "missing": [],
        "search": [],
    }
    for _ in range(7):
        with db.unit_of_work() as session:
            started = clock.perf_counter()
            first = session_page(session, pid, limit=200, with_total=True)
            page_timings["date"].append((clock.perf_counter() - started) * 1000)
            started = clock.perf_counter()
            session_page(session, pid, after=first.after, limit=200)
            page_timings["next"].append((clock.perf_counter() - started) * 1000)
            started = clock.perf_counter()
            session_page(session, pid, sort=SessionSort.TOPIC, limit=200, with_total=True)
            page_timings["topic"].append((clock.perf_counter() - started) * 1000)
            started = clock.perf_counter()
            missing_evidence_page(session, pid, limit=200)
            page_timings["missing"].append((clock.perf_counter() - started) * 1000)
            started = clock.perf_counter()  # accent-free search: a Python fold per row
            session_page(session, pid, SessionFilter(text="rehor"), limit=200, with_total=True)
            page_timings["search"].append((clock.perf_counter() - started) * 1000)
    page_ms = {key: statistics.median(values) for key, values in page_timings.items()}
    assert first.total == count and len(first.rows) == min(200, count)
    with db.engine.connect() as connection:
        raw_timings = []
        for _ in range(7):
            started = clock.perf_counter()
            connection.exec_driver_sql(
                "SELECT * FROM training_session WHERE project_id = ? AND archived_at IS NULL "
                "ORDER BY date DESC, time_from DESC, id DESC",
                (pid,),
            ).fetchall()
            raw_timings.append((clock.perf_counter() - started) * 1000)
    with db.unit_of_work() as session:
        started = clock.perf_counter()
        filtered = list_sessions(
            session, pid, SessionFilter(date_from=date(2025, 1, 1), evidence="missing")
        )
        filtered_ms = (clock.perf_counter() - started) * 1000
        started = clock.perf_counter()
        missing = missing_evidence(session, pid)
        missing_ms = (clock.perf_counter() - started) * 1000
    if os.environ.get("KEEP_BENCH_DB"):
        print(folder)
    db.dispose()
    median = statistics.median(timings)
    print(
        f"sessions_list: first page (200 of {count}, newest first, with the total): median "
        f"{page_ms['date']:.1f} ms (target < {TARGET_MS} ms); next page {page_ms['next']:.1f} ms; "
        f"first page by topic {page_ms['topic']:.1f} ms; missing evidence first page "
        f"{page_ms['missing']:.1f} ms; accent-free search first page {page_ms['search']:.1f} ms"
    )
    print(
        f"sessions_list: whole list ({len(rows)} sessions, exports and batches): median "
        f"{median:.0f} ms, best {min(timings):.0f} ms, worst {max(timings):.0f} ms; plain SQLite "
        f"fetch of the same rows {statistics.median(raw_timings):.0f} ms (machine baseline)"
    )
    print(
        f"sessions_list: filtered list ({len(filtered)} rows) {filtered_ms:.0f} ms; "
        f"missing evidence ({len(missing)} rows) {missing_ms:.0f} ms"
    )
    return 0 if page_ms["date"] < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
