"""Printing or saving from the preview records what was printed where; the print screen makes
the same PDF as ``apk-desktop print``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from apk_desktop import printing
from apk_desktop.__main__ import main
from apk_desktop.db.services import printed_sheets
from apk_desktop.db.services.printed_sheets import PrintedLayout
from apk_desktop.db.services.sessions_print import SheetKind
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.ui import pdf_preview
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pdf_preview import PdfPreviewDialog
from apk_desktop.ui.print_page import PrintPage
from apk_desktop.ui.worker import BackgroundTask
from tests.print_seed import Printables, seed_printables
from tests.ui.conftest import ScriptedPrompter


@pytest.fixture
def seeded(ctx: AppContext) -> Printables:
    return seed_printables(ctx.db)


@pytest.fixture
def page(main_window: MainWindow, seeded: Printables) -> PrintPage:
    page = main_window.show_page("print")
    assert isinstance(page, PrintPage)
    page.refresh()
    return page


def _preview(qtbot: QtBot, page: PrintPage, run: Any) -> PdfPreviewDialog:
    with qtbot.waitSignal(page.printer.shown, timeout=20_000) as shown:
        task = run()
        assert isinstance(task, BackgroundTask)
    dialog = shown.args[0]
    assert isinstance(dialog, PdfPreviewDialog)
    return dialog


def _latest(ctx: AppContext, sheet_id: str) -> PrintedLayout | None:
    with ctx.db.unit_of_work() as session:
        return printed_sheets.latest_layout(session, sheet_id)


def test_saving_from_the_preview_records_the_layout(
    qtbot: QtBot,
    page: PrintPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    sheet = f"PL-{seeded.training}"
    dialog = _preview(qtbot, page, lambda: page.printer.session_sheet(seeded.training))
    assert _latest(ctx, sheet) is None  # a preview alone is not a print
    prompter.file_answers.append(str(tmp_path / "listina.pdf"))
    assert dialog.save_as() == tmp_path / "listina.pdf"
    layout = _latest(ctx, sheet)
    assert layout is not None and layout.record_id == seeded.training
    named = [c for c in layout.cells if c.participant]
    assert len(named) == 9 and all(c.participant_id in seeded.people.values() for c in named)
    assert layout.page_count == len(PdfReader(tmp_path / "listina.pdf").pages)

    prompter.file_answers.append(None)  # cancelled: nothing printed, nothing recorded
    assert dialog.save_as() is None
    assert _latest(ctx, sheet) == layout
    assert not prompter.messages


class _PdfPrintDialog:
    """Stands in for QPrintDialog: the user picks "print to file" and presses Tisknout."""

    target: Path

    def __init__(self, printer: QPrinter, _parent: object) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.target))

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted


def test_printing_from_the_preview_records_every_sheet(
    qtbot: QtBot,
    page: PrintPage,
    ctx: AppContext,
    seeded: Printables,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _PdfPrintDialog.target = tmp_path / "tisk.pdf"
    monkeypatch.setattr(pdf_preview, "QPrintDialog", _PdfPrintDialog)
    page.blank_date.clear()
    dialog = _preview(qtbot, page, lambda: page.printer.blank_sheet(SheetKind.SUPERVISION, None))
    dialog.print_document()
    assert _PdfPrintDialog.target.stat().st_size > 0
    layout = _latest(ctx, "SUP-BLANK-BEZ-DATA")
    assert layout is not None and layout.cells and layout.record_id is None


def test_a_failure_to_record_keeps_the_saved_pdf_and_warns(
    qtbot: QtBot,
    page: PrintPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise StorageUnavailableError("Databáze je nedostupná.")

    monkeypatch.setattr(printed_sheets, "record_printed", broken)
    dialog = _preview(qtbot, page, lambda: page.printer.development_plan(seeded.plan_id))
    prompter.file_answers.append(str(tmp_path / "plan.pdf"))
    assert dialog.save_as() == tmp_path / "plan.pdf"
    assert (tmp_path / "plan.pdf").read_bytes() == dialog.pdf
    assert prompter.messages == [("Tisk", printing.NOT_RECORDED)]
    assert dialog.isVisible()  # the user can try again


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_print_screen_makes_the_same_pdf_as_the_command_line(
    qtbot: QtBot,
    page: PrintPage,
    ctx: AppContext,
    seeded: Printables,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import date

    day = date(2025, 11, 1)
    nova = seeded.people["Nováková"]
    runs = {
        f"SUP-{seeded.supervision}": lambda: page.printer.session_sheet(seeded.supervision),
        f"IDP-{seeded.plan_id}-v{seeded.plan_version}": lambda: page.printer.development_plan(
            seeded.plan_id
        ),
        f"POK-A{nova}-20251101": lambda: page.printer.assistant_progress(nova, day),
        "POK-TYM-20251101": lambda: page.printer.team_progress(day),
        "MEN-BLANK-2025-11-01": lambda: page.printer.blank_sheet(SheetKind.MENTORING, day),
    }
    url = ctx.db.url
    for number, (sheet_id, run) in enumerate(runs.items()):
        ui_text = _text(_preview(qtbot, page, run).pdf)
        out = tmp_path / f"{number}.pdf"
        assert main(["--db", url, "print", sheet_id, "--out", str(out)]) == 0, capsys.readouterr()
        cli_text = _text(out.read_bytes())
        assert sheet_id in ui_text
        assert cli_text == ui_text, sheet_id


def test_every_sheet_of_a_month_batch_is_recorded(
    qtbot: QtBot,
    page: PrintPage,
    ctx: AppContext,
    seeded: Printables,
    prompter: ScriptedPrompter,
    tmp_path: Path,
) -> None:
    dialog = _preview(qtbot, page, lambda: page.printer.month_batch(2025, 3))
    prompter.file_answers.append(str(tmp_path / "mesic.pdf"))
    assert dialog.save_as() is not None
    sheets = [
        f"PL-{seeded.training}",
        f"SUP-{seeded.supervision}",
        f"MEN-{seeded.mentoring}",
        f"PL-{seeded.mentor_training}",
    ]
    layouts = [_latest(ctx, sheet) for sheet in sheets]
    assert all(layout is not None for layout in layouts)
    assert len({layout.pdf_sha256 for layout in layouts if layout}) == 1  # one PDF
    pages = len(PdfReader(tmp_path / "mesic.pdf").pages)
    assert sum(layout.page_count for layout in layouts if layout) == pages
