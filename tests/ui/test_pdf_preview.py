from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from apk_desktop.sheets.base import SheetHeader, build_pdf
from apk_desktop.sheets.parts import para, title
from apk_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.ui.conftest import ScriptedPrompter


def _pdf() -> bytes:
    header = SheetHeader(
        "město Sokolov", "Asistenti prevence kriminality", "CZ.03.02.01/00/22_018/0000388"
    )
    return build_pdf(
        header, [title("Náhled"), para("Žluťoučký kůň")], sheet_id="T-1", title="Náhled"
    )


def test_preview_loads_pages_and_saves_the_same_bytes(
    qtbot: QtBot, tmp_path: Path, prompter: ScriptedPrompter
) -> None:
    pdf = _pdf()
    dialog = PdfPreviewDialog(pdf, "Náhled", "nahled.pdf", prompter)
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() == 1
    prompter.file_answers.append(str(tmp_path / "vystup"))
    saved = dialog.save_as()
    assert saved == tmp_path / "vystup.pdf"
    assert saved.read_bytes() == pdf


def test_the_proposed_name_is_valid_on_windows(
    qtbot: QtBot, tmp_path: Path, prompter: ScriptedPrompter
) -> None:
    dialog = PdfPreviewDialog(_pdf(), "Náhled", 'CON: "Školení" 1/2?.pdf', prompter)
    qtbot.addWidget(dialog)
    assert dialog.suggested_name == "CON_ _Školení_ 1_2_.pdf"
    device = PdfPreviewDialog(_pdf(), "Náhled", "nul .pdf", prompter)
    qtbot.addWidget(device)
    prompter.file_answers.append(str(tmp_path / "list.pdf"))
    device.save_as()
    assert prompter.suggested_names == ["nul_.pdf"]
