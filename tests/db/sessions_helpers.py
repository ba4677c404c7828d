"""Shared set-up for the session tests: three assistants and the project's areas."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal
from typing import Any

from apk_desktop.db.database import Database
from apk_desktop.db.services import roster
from apk_desktop.db.services.project import get_project_info
from apk_desktop.domain.roster import PersonData
from apk_desktop.domain.sessions import SessionData, SessionKind


@dataclass(frozen=True)
class Team:
    jana: int  # position 1 from 01.04.2023
    petr: int  # position 2 from 01.04.2023
    eva: int  # position 3 from 01.06.2024 (not employed before)
    areas: dict[str, int]  # code → id


def make_team(db: Database, project_id: int) -> Team:
    with db.unit_of_work() as session:
        positions = roster.list_positions(session, project_id, date(2024, 1, 1))
        hired = [
            roster.hire(
                session, project_id, positions[i].position_id, PersonData(first, last), start
            )
            for i, (first, last, start) in enumerate(
                [
                    ("Jana", "Nováková", date(2023, 4, 1)),
                    ("Petr", "Svoboda", date(2023, 4, 1)),
                    ("Eva", "Malá", date(2024, 6, 1)),
                ]
            )
        ]
        info = get_project_info(session, project_id)
        return Team(hired[0].id, hired[1].id, hired[2].id, {a.code: a.id for a in info.areas})


def training(team: Team, **changes: Any) -> SessionData:
    data = SessionData(
        kind=SessionKind.TRAINING,
        date=date(2024, 3, 5),
        time_from=time(9, 0),
        time_to=time(12, 0),
        hours=Decimal(4),
        place="Služebna MP Sokolov",
        lecturer="Mgr. Petr Dvořák",
        topic="Komunikace s klientem",
        area_ids=(team.areas["COMM"], team.areas["FIELD"]),
        participant_ids=(team.jana, team.petr),
    )
    return replace(data, **changes)
