from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apk_desktop.db.services import project as project_service
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.project_settings import ProjectSettingsPage
from tests.ui.conftest import ScriptedPrompter


def _png_bytes() -> bytes:
    """A small valid PNG (made with Pillow)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


PNG_1x1 = _png_bytes()


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> ProjectSettingsPage:
    widget = ProjectSettingsPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _info(ctx: AppContext) -> project_service.ProjectInfo:
    with ctx.db.unit_of_work() as s:
        return project_service.get_project_info(s, ctx.project_id)


def test_shows_the_stored_project(page: ProjectSettingsPage) -> None:
    assert page.text["registration_number"].text() == "CZ.03.02.01/00/22_018/0000388"
    assert page.money["total_cost"].text() == "13\u00a0676\u00a0292,00"
    assert page.period_start.text() == "01.04.2023"
    assert [e.text() for e in page.area_edits.values()][1] == "Finanční gramotnost"
    assert page.sum_warning.text() == ""
    assert not page.is_dirty()


def test_edit_and_save(qtbot: QtBot, page: ProjectSettingsPage, ctx: AppContext) -> None:
    page.text["mentor_name"].setText("Karel Dvořák")
    page.period_end.setText("30.6.2026")
    page.money["own_financing"].setText("1 367 629,30")
    assert "liší" in page.sum_warning.text()  # a warning, not an error
    fin_id = _info(ctx).area("FIN").id
    page.area_edits[fin_id].setText("Finanční gramotnost a dluhová prevence")
    assert page.is_dirty()
    with qtbot.waitSignal(ctx.events.changed) as signal:
        assert page.save()
    assert signal.args == ["project"]
    info = _info(ctx)
    assert info.mentor_name == "Karel Dvořák"
    assert info.period_end == date(2026, 6, 30)
    assert info.own_financing == Decimal("1367629.30")
    assert info.area("FIN").label == "Finanční gramotnost a dluhová prevence"
    assert not page.is_dirty() and "Uloženo" in page.status.text()


def test_invalid_input_shows_messages_beside_fields_and_stores_nothing(
    page: ProjectSettingsPage, ctx: AppContext
) -> None:
    before = _info(ctx)
    page.text["name"].setText("Nový název")
    page.text["registration_number"].setText("CZ.03.02.01/00/22_018")
    page.period_end.setText("01.01.2023")
    page.money["total_cost"].setText("-5")
    page.money["eu_contribution"].setText("deset")
    fin_id = before.area("FIN").id
    assert not page.save()
    assert "nemá tvar registračního čísla" in page.errors.message("registration_number")
    assert page.errors.message("period_end") == "Konec realizace musí být po jejím začátku."
    assert page.money_errors.message("total_cost") == "Částka nesmí být záporná."
    assert "není platná částka" in page.money_errors.message("eu_contribution")
    assert _info(ctx) == before

    page.load()
    page.area_edits[fin_id].setText("")
    page.text["name"].setText("Nový název")
    assert not page.save()
    assert page.area_errors.message(f"area_{fin_id}") == "Zadejte název oblasti."
    assert _info(ctx) == before  # project facts were not saved without the areas either


def test_logo_is_copied_and_can_be_removed(
    page: ProjectSettingsPage, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    source = tmp_path / "logolink.png"
    source.write_bytes(PNG_1x1)
    prompter.file_answers.append(str(source))
    page.choose_logo()
    info = _info(ctx)
    assert info.logo_file is not None and info.logo_file != source
    assert page.logo_preview.pixmap() is not None and not page.logo_preview.pixmap().isNull()
    prompter.confirm_answers.append(True)
    page.clear_logo()
    assert _info(ctx).logo_path == ""
    assert "není nastaveno" in page.logo_preview.text()


def test_bad_logo_file_is_explained(
    page: ProjectSettingsPage, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    source = tmp_path / "logo.bmp"
    source.write_bytes(b"BM")
    prompter.file_answers.append(str(source))
    page.choose_logo()
    assert "PNG nebo JPG" in page.logo_error.text()
    assert _info(ctx).logo_path == ""


def _logolink(path: Path, size: tuple[int, int] = (2400, 400)) -> Path:
    from PIL import Image

    Image.new("RGB", size, "navy").save(path)
    return path


def test_without_a_logolink_it_says_the_sheets_do_not_meet_the_publicity_rules(
    page: ProjectSettingsPage,
) -> None:
    assert not page.publicity.isHidden()
    assert "nesplňují pravidla publicity EU" in page.publicity.message
    assert "2021/1060" in page.publicity.label.text()
    assert page.publicity.parentWidget() is page.logo_box  # beside the logo field
    assert page.logo_status.isHidden()


def test_choosing_a_good_logolink_clears_the_notice(
    page: ProjectSettingsPage, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    prompter.file_answers.append(str(_logolink(tmp_path / "logolink.png")))
    page.choose_logo()
    assert page.publicity.isHidden() and page.publicity.message == ""
    assert not page.logo_status.isHidden()
    assert "na listině 84 × 14\u00a0mm" in page.logo_status.text()
    assert page.logo_error.isHidden()
    assert _info(ctx).logo_file is not None


def test_choosing_a_too_small_logolink_warns_but_keeps_it(
    page: ProjectSettingsPage, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    prompter.file_answers.append(str(_logolink(tmp_path / "small.png", (200, 30))))
    page.choose_logo()
    assert not page.publicity.isHidden()
    assert "málo pixelů" in page.publicity.message
    assert "nesplňují" not in page.publicity.message  # it prints, perhaps blurred
    assert _info(ctx).logo_file is not None


def test_a_damaged_logolink_is_refused_with_a_message(
    page: ProjectSettingsPage, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    whole = _logolink(tmp_path / "whole.png").read_bytes()
    source = tmp_path / "logolink.png"
    source.write_bytes(whole[: len(whole) // 2])
    prompter.file_answers.append(str(source))
    page.choose_logo()
    assert not page.logo_error.isHidden()
    assert page.logo_error.text() == (
        "Obrázek „logolink.png“ nelze použít, logo zůstává beze změny: "
        "Obrázek je poškozený a nelze ho přečíst. Stáhněte logolink znovu."
    )
    assert _info(ctx).logo_path == ""
    assert "nesplňují pravidla publicity EU" in page.publicity.message  # still none


def test_a_stored_logolink_that_went_missing_is_explained(
    page: ProjectSettingsPage, ctx: AppContext, prompter: ScriptedPrompter, tmp_path: Path
) -> None:
    prompter.file_answers.append(str(_logolink(tmp_path / "logolink.png")))
    page.choose_logo()
    logo = _info(ctx).logo_file
    assert logo is not None
    logo.unlink()
    page.load()
    assert "Logolink nelze vytisknout" in page.publicity.message
    assert "nebyl nalezen" in page.publicity.message
    assert page.logo_preview.isHidden()  # the notice says it


def test_unsaved_changes_ask_before_closing(
    page: ProjectSettingsPage, prompter: ScriptedPrompter
) -> None:
    assert page.can_close()
    page.text["name"].setText("Jiný projekt")
    prompter.confirm_answers.append(False)
    assert not page.can_close()
    assert prompter.messages[-1][0] == "Neuložené změny"


def test_settings_page_in_the_main_window(main_window: MainWindow) -> None:
    assert isinstance(main_window.show_page("settings"), ProjectSettingsPage)


def test_shortening_the_period_past_records_is_refused_with_a_list(
    page: ProjectSettingsPage, ctx: AppContext
) -> None:
    from apk_desktop.db.sample import populate_sample
    from apk_desktop.db.services.assessments import populate_sample_assessments

    with ctx.db.unit_of_work() as session:
        populate_sample(session, ctx.project_id)
        populate_sample_assessments(session, ctx.project_id)
    page.load()
    page.period_end.setText("31.12.2024")
    assert not page.save()
    message = page.errors.message("period_end")
    assert "nelze uložit" in message and "hodnocení: " in message
    assert "Uloženo" not in page.status.text()
    with ctx.db.unit_of_work() as session:
        info = project_service.get_project_info(session, ctx.project_id)
    assert info.period_end == date(2026, 3, 31)


def test_area_short_labels_are_shown_and_edited(
    qtbot: QtBot, page: ProjectSettingsPage, ctx: AppContext
) -> None:
    assert [e.text() for e in page.area_short_edits.values()] == [
        "ZÁKL",
        "FIN",
        "KOM",
        "MED",
        "DIG",
    ]
    comm_id, dig_id = _info(ctx).area("COMM").id, _info(ctx).area("DIG").id
    page.area_short_edits[dig_id].setText("kom")
    assert not page.save()
    assert page.area_errors.message(f"area_{dig_id}") == "Zkratku „kom“ už má jiná oblast."
    page.area_short_edits[dig_id].setText("DIGI 🚓")
    assert not page.save()
    assert "„🚓“" in page.area_errors.message(f"area_{dig_id}")
    page.area_short_edits[dig_id].setText("DIGI")
    page.area_short_edits[comm_id].setText("KOMUN")
    assert page.save()
    assert (_info(ctx).area("COMM").short_label, _info(ctx).area("DIG").short_label) == (
        "KOMUN",
        "DIGI",
    )
