from __future__ import annotations

from datetime import date

import pytest

from apk_desktop.db.database import Database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services import assessments as svc
from apk_desktop.db.services.progress import project_areas
from apk_desktop.domain.errors import ValidationError
from tests.statements import counted


@pytest.fixture
def people(db: Database, project_id: int) -> list[int]:
    with db.unit_of_work() as session:
        return populate_sample(session, project_id)


def _area_ids(db: Database, project_id: int) -> list[int]:
    with db.unit_of_work() as session:
        return [a.id for a in project_areas(session, project_id)]


def _input(
    assistant_id: int, scale_id: int, levels: dict[int, int], **kw: object
) -> svc.AssessmentInput:
    values: dict[str, object] = {
        "assistant_id": assistant_id,
        "assessed_on": date(2023, 4, 15),
        "kind": "entry",
        "assessor": "Mgr. Jiří Dvořák",
        "method": "vstupní test",
        "scale_id": scale_id,
        "levels": levels,
        "note": "",
    }
    values.update(kw)
    return svc.AssessmentInput(**values)  # type: ignore[arg-type]


def test_default_scale_is_seeded_with_czech_descriptions(db: Database, project_id: int) -> None:
    with db.unit_of_work() as session:
        scales = svc.list_scales(session, project_id)
        assert svc.ensure_default_scales(session) == 0  # already there
    assert len(scales) == 1
    scale = scales[0]
    assert (scale.min_level, scale.max_level, scale.is_default) == (1, 5, True)
    assert [lv.level for lv in scale.levels] == [1, 2, 3, 4, 5]
    assert scale.label_of(1) == "začátečník"
    assert all(lv.description for lv in scale.levels)


def test_create_and_read_back(db: Database, project_id: int, people: list[int]) -> None:
    areas = _area_ids(db, project_id)
    with db.unit_of_work() as session:
        scale = svc.default_scale(session, project_id)
        created = svc.create_assessment(
            session,
            project_id,
            _input(people[0], scale.id, {areas[0]: 2, areas[1]: 3}, note=" ok "),
        )
    with db.unit_of_work() as session:
        view = svc.get_assessment(session, created.id)
        listed = svc.list_assessments(session, project_id, assistant_id=people[0])
    assert view.levels == {areas[0]: 2, areas[1]: 3}
    assert view.kind_label == "vstupní"
    assert view.note == "ok"
    assert [a.id for a in listed] == [created.id]


def test_level_outside_the_scale_is_refused(
    db: Database, project_id: int, people: list[int]
) -> None:
    areas = _area_ids(db, project_id)
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        scale = svc.default_scale(session, project_id)
        svc.create_assessment(session, project_id, _input(people[0], scale.id, {areas[0]: 6}))
    assert info.value.field_errors[f"level_{areas[0]}"] == "Úroveň 6 není na škále 1–5."


def test_date_outside_project_or_employment_is_refused(
    db: Database, project_id: int, people: list[int]
) -> None:
    areas = _area_ids(db, project_id)
    with db.unit_of_work() as session:
        scale_id = svc.default_scale(session, project_id).id
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        svc.create_assessment(
            session,
            project_id,
            _input(people[0], scale_id, {areas[0]: 2}, assessed_on=date(2023, 3, 1)),
        )
    assert "období projektu" in info.value.field_errors["assessed_on"]
    # people[3] is Radek Marek, who left position 4 on 01.01.2024.
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        svc.create_assessment(
            session,
            project_id,
            _input(people[3], scale_id, {areas[0]: 2}, assessed_on=date(2024, 6, 1)),
        )
    assert "nebyl(a) 01.06.2024 zaměstnán(a)" in info.value.field_errors["assessed_on"]


def test_no_two_entry_assessments(db: Database, project_id: int, people: list[int]) -> None:
    areas = _area_ids(db, project_id)
    with db.unit_of_work() as session:
        scale_id = svc.default_scale(session, project_id).id
        first = svc.create_assessment(
            session, project_id, _input(people[0], scale_id, {areas[0]: 2})
        )
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        svc.create_assessment(
            session,
            project_id,
            _input(people[0], scale_id, {areas[0]: 3}, assessed_on=date(2023, 6, 1)),
        )
    assert "už má vstupní hodnocení (15.04.2023)" in info.value.field_errors["kind"]
    # Editing the entry assessment itself is fine; an interim one is fine too.
    with db.unit_of_work() as session:
        svc.update_assessment(
            session, project_id, first.id, _input(people[0], scale_id, {areas[1]: 4})
        )
        svc.create_assessment(
            session,
            project_id,
            _input(
                people[0], scale_id, {areas[0]: 3}, kind="interim", assessed_on=date(2023, 9, 1)
            ),
        )
    with db.unit_of_work() as session:
        assert svc.get_assessment(session, first.id).levels == {areas[1]: 4}
        assert svc.count_assessments(session, project_id) == 2


def test_team_assessment_is_all_or_nothing(
    db: Database, project_id: int, people: list[int]
) -> None:
    areas = _area_ids(db, project_id)
    with db.unit_of_work() as session:
        scale_id = svc.default_scale(session, project_id).id
    header = svc.TeamHeader(date(2023, 4, 20), "entry", "Mentor", "vstupní test", scale_id)
    rows = {people[0]: {areas[0]: 2}, people[1]: {areas[0]: 9}, people[2]: {}}
    with pytest.raises(ValidationError) as info, db.unit_of_work() as session:
        svc.save_team_assessment(session, project_id, header, rows)
    assert info.value.field_errors == {
        f"row_{people[1]}": "Petr Svoboda: Úroveň 9 není na škále 1–5."
    }
    with db.unit_of_work() as session:
        assert svc.count_assessments(session, project_id) == 0
    rows[people[1]] = {areas[0]: 3, areas[4]: 1}
    with db.unit_of_work() as session:
        ids = svc.save_team_assessment(session, project_id, header, rows)
    assert len(ids) == 2  # the empty row is skipped
    with db.unit_of_work() as session:
        assert svc.get_assessment(session, ids[1]).levels == {areas[0]: 3, areas[4]: 1}


def test_delete(db: Database, project_id: int, people: list[int]) -> None:
    areas = _area_ids(db, project_id)
    with db.unit_of_work() as session:
        scale_id = svc.default_scale(session, project_id).id
        view = svc.create_assessment(
            session, project_id, _input(people[0], scale_id, {areas[0]: 2})
        )
    with db.unit_of_work() as session:
        svc.delete_assessment(session, view.id)
    with db.unit_of_work() as session:
        assert svc.count_assessments(session, project_id) == 0


def test_assessment_list_reads_in_two_queries(
    db: Database, project_id: int, people: list[int]
) -> None:
    """Not one query per assessment or per person (500 rows shown: benchmarks/screens_large.py)."""
    with db.unit_of_work() as session:
        created = svc.populate_sample_assessments(session, project_id)
    with db.unit_of_work() as session:
        session.connection()  # the transaction's own statements stay outside the count
        with counted(db.engine) as queries:
            listed = svc.list_assessments(session, project_id)
    assert len(listed) == len(created) > 20
    assert all(len(a.levels) == 5 for a in listed)
    assert listed[0].assistant_name and listed[0].scale_name
    assert len(queries) == 2
