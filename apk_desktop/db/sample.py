"""Sample data for demos, screenshots and benchmarks: nine assistants with employments.

Not used by the app itself. ``populate_sample(session, project_id)`` fills every position; one
position shows a replacement (the first person left, another took over), so history screens
have something to show.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from apk_desktop.db.services import project as project_service
from apk_desktop.db.services import roster
from apk_desktop.domain.roster import PersonData

SAMPLE_PEOPLE: tuple[PersonData, ...] = (
    PersonData("Jana", "Nováková", date(1985, 3, 14), "+420 777 123 456", "jana.novakova@email.cz"),
    PersonData("Petr", "Svoboda", date(1979, 11, 2), "603 221 874", "petr.svoboda@email.cz"),
    PersonData("Lucie", "Dvořáková", date(1991, 6, 27), "+420 731 456 902", ""),
    PersonData("Tomáš", "Černý", date(1988, 1, 9), "608 912 334", "tomas.cerny@email.cz"),
    PersonData("Marie", "Procházková", date(1975, 8, 30), "+420 724 118 560", ""),
    PersonData("Josef", "Kučera", date(1983, 4, 18), "776 540 219", "josef.kucera@email.cz"),
    PersonData(
        "Kateřina", "Veselá", date(1994, 12, 5), "+420 605 337 781", "katerina.vesela@email.cz"
    ),
    PersonData("Martin", "Horák", date(1990, 2, 21), "737 664 105", ""),
    PersonData("Eva", "Němcová", date(1981, 9, 12), "+420 702 993 410", "eva.nemcova@email.cz"),
)
# The person who held position 4 before Tomáš Černý.
SAMPLE_PREDECESSOR = PersonData(
    "Radek", "Marek", date(1986, 5, 3), "774 202 118", "", "Odešel na vlastní žádost."
)


def populate_sample(session: Session, project_id: int) -> list[int]:
    """Fill the project's positions with sample people; returns the new assistants' ids.

    Everyone starts on the project's first day; position 4 was held by a predecessor who left
    after about nine months. Call on a freshly seeded project (positions all vacant)."""
    info = project_service.get_project_info(session, project_id)
    start = info.period_start
    positions = roster.list_positions(session, project_id, start)
    ids: list[int] = []
    for person, position in zip(SAMPLE_PEOPLE, positions, strict=False):
        if position.number == 4:
            left = start + timedelta(days=275)
            predecessor = roster.hire(
                session, project_id, position.position_id, SAMPLE_PREDECESSOR, start
            )
            ids.append(predecessor.id)
            view = roster.replace_assistant(
                session, position.position_id, left, person, left + timedelta(days=1)
            )
        else:
            view = roster.hire(session, project_id, position.position_id, person, start)
        ids.append(view.id)
    return ids
