from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from apk_desktop.db.database import Database
from apk_desktop.db.services import project as project_service
from apk_desktop.domain.errors import ValidationError
from apk_desktop.domain.project import (
    ProjectData,
    funding_sum_warning,
    parse_project_form,
    validate_registration_number,
)
from apk_desktop.paths import data_dir


def _png_bytes() -> bytes:
    """A small valid PNG (made with Pillow)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


PNG_1x1 = _png_bytes()


def _data(info: project_service.ProjectInfo) -> ProjectData:
    return ProjectData(**{n: getattr(info, n) for n in ProjectData.__dataclass_fields__})


def _texts(**changes: str) -> dict[str, str]:
    texts = {
        "name": "Asistenti prevence kriminality Sokolov",
        "registration_number": "CZ.03.02.01/00/22_018/0000388",
        "beneficiary": "město Sokolov",
        "programme": "OPZ+",
        "method": "",
        "mentor_name": "",
        "period_start": "01.04.2023",
        "period_end": "31.03.2026",
        "total_cost": "13 676 292,00",
        "eu_contribution": "10 494 502,67",
        "national_sources": "1 814 160,13",
        "own_financing": "1 367 629,20",
    }
    texts.update(changes)
    return texts


def test_project_info_has_seeded_facts(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        info = project_service.get_project_info(s, project_id)
    assert info.registration_number == "CZ.03.02.01/00/22_018/0000388"
    assert info.total_cost == Decimal("13676292.00")
    assert [a.code for a in info.areas] == ["FIELD", "FIN", "COMM", "MED", "DIG"]
    assert info.area("FIN").label == "Finanční gramotnost"
    assert [k.code for k in info.key_activities] == ["KA01", "KA02", "KA03", "KA04", "KA05"]
    assert info.logo_file is None


def test_update_project_round_trip(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        info = project_service.get_project_info(s, project_id)
    data = replace(_data(info), mentor_name="Karel Mentor", period_end=date(2026, 6, 30))
    with db.unit_of_work() as s:
        project_service.update_project(s, project_id, data)
    with db.unit_of_work() as s:
        again = project_service.get_project_info(s, project_id)
    assert (again.mentor_name, again.period_end) == ("Karel Mentor", date(2026, 6, 30))


def test_update_project_refuses_bad_values(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        info = project_service.get_project_info(s, project_id)
    bad = replace(
        _data(info),
        registration_number="CZ.03/123",
        period_end=info.period_start,
        total_cost=Decimal(-1),
    )
    with pytest.raises(ValidationError) as exc, db.unit_of_work() as s:
        project_service.update_project(s, project_id, bad)
    assert set(exc.value.field_errors) == {"registration_number", "period_end", "total_cost"}
    with db.unit_of_work() as s:
        assert project_service.get_project_info(s, project_id) == info


def test_parse_project_form_collects_every_error() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_project_form(
            _texts(name="", period_end="31.02.2026", total_cost="abc", registration_number="X")
        )
    assert set(exc.value.field_errors) == {
        "name",
        "period_end",
        "total_cost",
        "registration_number",
    }
    with pytest.raises(ValidationError) as exc:
        parse_project_form(_texts(period_end="01.04.2023"))
    assert exc.value.field_errors == {"period_end": "Konec realizace musí být po jejím začátku."}
    data = parse_project_form(_texts())
    assert data.eu_contribution == Decimal("10494502.67")


def test_registration_number_format() -> None:
    assert validate_registration_number("CZ.03.02.01/00/22_018/0000388") is None
    message = validate_registration_number("CZ.03.2.01/00/22_018/0000388")
    assert message is not None and "nemá tvar registračního čísla" in message


def test_funding_sum_warning() -> None:
    d = Decimal
    assert (
        funding_sum_warning(d("13676292"), d("10494502.67"), d("1814160.13"), d("1367629.2"))
        is None
    )
    warning = funding_sum_warning(d("100"), d("50"), d("20"), d("20"))
    assert warning is not None and "liší" in warning and "10,00" in warning


def test_area_labels(db: Database, project_id: int) -> None:
    with db.unit_of_work() as s:
        info = project_service.get_project_info(s, project_id)
    fin = info.area("FIN")
    with pytest.raises(ValidationError) as exc, db.unit_of_work() as s:
        project_service.update_area_labels(s, project_id, {fin.id: "  "})
    assert exc.value.field_errors == {f"area_{fin.id}": "Zadejte název oblasti."}
    with db.unit_of_work() as s:
        project_service.update_area_labels(s, project_id, {fin.id: "Finanční gramotnost a dluhy"})
    with db.unit_of_work() as s:
        assert project_service.get_project_info(s, project_id).area("FIN").label.endswith("dluhy")


def test_logo_is_copied_into_the_data_folder(db: Database, project_id: int, tmp_path: Path) -> None:
    source = tmp_path / "Logolink OPZ+.PNG"
    source.write_bytes(PNG_1x1)
    with db.unit_of_work() as s:
        info = project_service.set_logo(s, project_id, source)
    source.unlink()  # copied, not linked
    assert info.logo_file is not None
    assert info.logo_file.parent == data_dir() / "logo"
    assert info.logo_file.read_bytes() == PNG_1x1
    with db.unit_of_work() as s:
        assert project_service.clear_logo(s, project_id).logo_file is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.gif", b"GIF89a", "PNG nebo JPG"),
        ("logo.png", b"not an image", "není obrázek"),
    ],
)
def test_logo_must_be_png_or_jpg(
    db: Database, project_id: int, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(ValidationError) as exc, db.unit_of_work() as s:
        project_service.set_logo(s, project_id, source)
    assert message in exc.value.field_errors["logo"]
    with db.unit_of_work() as s:
        assert project_service.get_project_info(s, project_id).logo_path == ""


def test_a_damaged_logolink_is_refused_and_nothing_is_copied(
    db: Database, project_id: int, tmp_path: Path
) -> None:
    whole = _wide_png(tmp_path / "whole.png").read_bytes()
    source = tmp_path / "logolink.png"
    source.write_bytes(whole[: len(whole) // 2])  # a download cut short
    with pytest.raises(ValidationError) as exc, db.unit_of_work() as s:
        project_service.set_logo(s, project_id, source)
    assert "poškozený" in exc.value.field_errors["logo"]
    assert not (data_dir() / "logo").exists() or not any((data_dir() / "logo").iterdir())


def test_the_stored_logolink_is_checked_for_print(
    db: Database, project_id: int, tmp_path: Path
) -> None:
    with db.unit_of_work() as s:
        assert (
            project_service.logolink_check(project_service.get_project_info(s, project_id)) is None
        )
        info = project_service.set_logo(s, project_id, _wide_png(tmp_path / "l.png"))
    check = project_service.logolink_check(info)
    assert check is not None and check.ok and check.path == info.logo_file
    assert info.logo_file is not None
    info.logo_file.unlink()  # the data folder lost it: the sheets print the text line
    check = project_service.logolink_check(info)
    assert check is not None and "nebyl nalezen" in check.error


def _wide_png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (2400, 400), "navy").save(path)
    return path
