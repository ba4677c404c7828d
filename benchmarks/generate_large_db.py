"""Generate a large database for the speed targets: 1,000 assistants, 100,000 assessments.

    uv run python benchmarks/generate_large_db.py [path] [--assistants 1000] [--assessments 100000]

Bulk inserts with SQLAlchemy Core (the services' validation is bypassed on purpose: the data is
valid by construction — every date lies inside the person's employment and the project period,
one entry assessment per person). Each assessment rates all five areas.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from apk_desktop.db.models import Assistant, EducationArea, Employment, Position
from apk_desktop.db.models.assessments import Assessment, AssessmentLevel
from apk_desktop.db.open import open_database
from apk_desktop.db.services.assessments import default_scale
from apk_desktop.db.services.setup import current_or_template

DEFAULT_PATH = Path("/tmp/apk-large.sqlite3")


def generate(path: Path, assistants: int = 1000, assessments: int = 100_000, seed: int = 7) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(f"sqlite:///{path}")
    rng = random.Random(seed)
    with db.unit_of_work() as session:
        project = current_or_template(session)
        project.position_count = assistants
        pid = project.id
        start, end = project.period_start, project.period_end
        scale_id = default_scale(session, pid).id
        areas = list(
            session.scalars(select(EducationArea.id).where(EducationArea.project_id == pid))
        )
        have = (
            session.scalar(select(Position.number).order_by(Position.number.desc()).limit(1)) or 0
        )
        session.execute(
            insert(Position),
            [{"project_id": pid, "number": n} for n in range(have + 1, assistants + 1)],
        )
        positions = list(session.scalars(select(Position.id).where(Position.project_id == pid)))
        session.execute(
            insert(Assistant),
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
        people = list(session.scalars(select(Assistant.id).where(Assistant.project_id == pid)))
        employments = []
        spans: list[tuple[int, date, date]] = []
        for person, position in zip(people, positions, strict=False):
            employments.append(
                {
                    "assistant_id": person,
                    "position_id": position,
                    "start_date": start,
                    "end_date": None,
                    "note": "",
                }
            )
            spans.append((person, start, end))
        session.execute(insert(Employment), employments)
        per_person = assessments // len(spans)
        rows = []
        levels = []
        next_id = 1
        for person, first, last in spans:
            days = (last - first).days
            base = [rng.randint(1, 3) for _ in areas]
            for k in range(per_person):
                on = first + timedelta(days=days * k // max(per_person, 1))
                rows.append(
                    {
                        "id": next_id,
                        "assistant_id": person,
                        "assessed_on": on,
                        "kind": "entry" if k == 0 else "interim",
                        "assessor": "Mentor",
                        "method": "pozorování",
                        "note": "",
                        "scale_id": scale_id,
                    }
                )
                for area, b in zip(areas, base, strict=True):
                    levels.append(
                        {
                            "assessment_id": next_id,
                            "area_id": area,
                            "level": min(5, b + rng.randint(0, k * 3 // per_person + 1)),
                        }
                    )
                next_id += 1
        for chunk in range(0, len(rows), 20_000):
            session.execute(insert(Assessment), rows[chunk : chunk + 20_000])
        for chunk in range(0, len(levels), 50_000):
            session.execute(insert(AssessmentLevel), levels[chunk : chunk + 50_000])
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    db.dispose()
    print(f"{path}: {assistants} assistants, {len(rows)} assessments, {len(levels)} levels")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--assistants", type=int, default=1000)
    parser.add_argument("--assessments", type=int, default=100_000)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    generate(args.path, args.assistants, args.assessments)
    print(f"generated in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
