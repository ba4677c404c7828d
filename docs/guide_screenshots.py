"""Regenerate the pictures of the user guide (``docs/guide/img``) from the demo data: the real
app's real windows and dialogs at 1280×720, opened the way the user opens them, on a fixed day
(the demo data are dated relative to "today"), in a throw-away data folder.

    uv run python docs/guide_screenshots.py            # into docs/guide/img
    uv run python docs/guide_screenshots.py --out DIR  # elsewhere (CI: a temp folder)

Runs on Qt's offscreen platform with the 1280×720 test screen unless QT_QPA_PLATFORM says
otherwise. Exits 1 when a picture in ``SHOTS`` was not made or the guide shows a picture that
is not among them. The only thing changed for the camera: the paths shown in the status bar and
the backup folder field read like the mentor's Windows paths instead of the temp folder.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GUIDE = ROOT / "docs" / "guide"
SCREEN = ROOT / "tests" / "screen-1280x720.json"
ZONE = "Europe/Prague"
NOW = datetime(2026, 2, 16, 9, 30, tzinfo=ZoneInfo(ZONE))  # a Monday in the demo's 2nd year
WINDOWS_DATA = r"C:\Users\mentor\AppData\Local\APK Desktop"
WINDOWS_SHARE = r"\\server\sdilene\apk"
COLOURS = 256  # the palette of the saved PNGs: text stays crisp, files stay small

# Every picture the script makes, in the order it makes them (the guide may show a subset).
SHOTS = (
    "pruvodce-data.png",
    "pruvodce-uvod.png",
    "pruvodce-projekt.png",
    "pruvodce-tym.png",
    "prehled.png",
    "asistenti.png",
    "nastaveni.png",
    "setkani.png",
    "nove-setkani.png",
    "nahled-prezencni-listiny.png",
    "kontrola-listin.png",
    "neprirazene-stranky.png",
    "dochazka.png",
    "chybejici-listiny.png",
    "hodiny-podle-oblasti.png",
    "hodnoceni-tymu.png",
    "pokrok-tym.png",
    "pokrok-asistent.png",
    "plany.png",
    "tisk.png",
    "nahled-pokrok-tymu.png",
    "zalohy.png",
    "napoveda.png",
)


def _isolate(folder: Path) -> None:
    """Data, settings and caches of the app in ``folder``: never the user's."""
    os.environ["APK_DESKTOP_DATA_DIR"] = str(folder / "data")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(folder / name.lower())
    os.environ.pop("APK_DESKTOP_DB", None)
    os.environ["TZ"] = ZONE
    time.tzset()
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"


class Camera:
    """Saves widgets as small PNGs and waits for the app to settle before each picture."""

    def __init__(self, out: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.out = out
        from apk_desktop.app import install_czech_translations

        self.app = QApplication.instance() or QApplication([])
        install_czech_translations(self.app)  # Qt's own buttons (Další, Zrušit) as the app has
        self.made: list[str] = []

    def settle(self, until: Callable[[], object] | None = None, timeout: float = 30.0) -> None:
        """Let Qt paint (and background work finish, when ``until`` is given)."""
        deadline = time.monotonic() + timeout
        while until is not None and not until():
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not get there in time")
            self.app.processEvents()
            time.sleep(0.01)
        for _ in range(25):
            self.app.processEvents()

    def shows_a_page(self, preview: object) -> bool:
        """True once the PDF preview has painted a page (QPdfView renders in the background)."""
        from PySide6.QtWidgets import QWidget

        assert isinstance(preview, QWidget)
        self.settle()
        image = preview.grab().toImage()
        middle = image.copy(image.width() // 4, 60, image.width() // 2, image.height() // 2)
        dark = sum(
            1
            for y in range(0, middle.height(), 4)
            for x in range(0, middle.width(), 4)
            if middle.pixelColor(x, y).lightness() < 128
        )
        return dark > 50

    def shoot(self, name: str, widget: object) -> None:
        from PIL import Image
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtWidgets import QWidget

        assert name in SHOTS, name
        assert isinstance(widget, QWidget)
        self.settle()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        widget.grab().save(buffer, "PNG")
        image = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
        small = image.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(self.out / name, optimize=True)
        self.made.append(name)
        print(f"{name}: {image.width}×{image.height}, {(self.out / name).stat().st_size} B")


def first_run(camera: Camera, real_url: str) -> None:
    from apk_desktop.db.open import open_database
    from apk_desktop.ui.first_run_wizard import TEMPLATE, FirstRunWizard

    db = open_database(real_url)
    wizard = FirstRunWizard(db)
    wizard.show()
    camera.shoot("pruvodce-data.png", wizard)
    wizard.next()  # data on this PC
    camera.shoot("pruvodce-uvod.png", wizard)
    wizard.intro.buttons[TEMPLATE].setChecked(True)
    wizard.next()
    camera.shoot("pruvodce-projekt.png", wizard)
    wizard.next()
    team = wizard.team_page
    team.names.setPlainText(
        "Jana Nováková\nPetr Svoboda\nLucie Dvořáková\nTomáš Černý\nMarie Procházková"
    )
    team.backup.setText(WINDOWS_SHARE)
    camera.shoot("pruvodce-tym.png", wizard)
    wizard.hide()  # cancelled without its question; the database stays empty
    wizard.deleteLater()
    db.dispose()


def make_backups(camera: Camera) -> None:
    """Three earlier backups into a folder that stands for the city's share."""
    from apk_desktop import paths, startup
    from apk_desktop.backup import service, settings

    share = paths.base_data_dir().parent / "share"
    share.mkdir()
    chosen = replace(settings.load(), folder=str(share))
    settings.save(chosen)
    for days, hour in ((4, 15), (3, 16), (0, 9)):
        moment = (NOW - timedelta(days=days)).replace(hour=hour, minute=5)
        service.backup_now(startup.demo_url(), chosen, now=lambda m=moment: m)


def windows_look(window: object) -> None:
    from apk_desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    text = window.db_label.text()
    window.db_label.setText(
        text.split(": ", 1)[0] + f": {WINDOWS_DATA}\\ukazka\\apk-desktop.sqlite3"
    )


def signed_stack(db: object, project_id: int, folder: Path) -> Path:
    """The training of 10.02. signed by most (one faint signature, one walk-in) and a
    mentoring record whose code got smudged, scanned by the office printer into one PDF."""
    from apk_desktop import printing
    from apk_desktop.db.database import Database
    from apk_desktop.domain.sheet_refs import parse_sheet_ref
    from tests.scans.scan_factory import (
        Printed,
        Scanner,
        paper,
        scan,
        sign_rows,
        signature,
        smudge_code,
    )

    assert isinstance(db, Database)
    pages = []
    for sheet_id in ("PL-80", "MEN-78"):
        ref = parse_sheet_ref(sheet_id)
        assert ref is not None
        document = printing.make_document(db, printing.job_for(ref, project_id))
        # as "Uložit jako PDF…"
        printing.record_printed(db, project_id, document.layouts, document.pdf)
        pages += paper(Printed(document.pdf, tuple(document.layouts)))
    training = sign_rows(pages[0], {1, 2, 3, 4, 6, 7, 9}, seed=3)
    faint = next(c for c in training.cells if c.row == 8)
    signature(training, faint, random.Random(2), ink="faint", length_mm=6, pen_mm=0.2)
    walk_in = next(c for c in training.cells if not c.participant)
    signature(training, walk_in, random.Random(1), ink="black", length_mm=30)
    mentoring = sign_rows(pages[1], {1}, seed=4)
    smudge_code(mentoring)
    office = Scanner(dpi=150, rotation=1.0, scale=0.99, offset_mm=(2, -1), noise=3)
    images = [scan(p, office).convert("L") for p in (training, mentoring)]
    stack = folder / "sken-unor.pdf"
    images[0].save(stack, "PDF", save_all=True, append_images=images[1:], resolution=150.0)
    return stack


def main_window_shots(camera: Camera, real_url: str, work: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialog

    from apk_desktop.app import build_main_window
    from apk_desktop.ui.assessments import AssessmentsPage
    from apk_desktop.ui.backups import BackupsPage
    from apk_desktop.ui.plans import PlansPage
    from apk_desktop.ui.print_page import PrintPage
    from apk_desktop.ui.roster import RosterPage
    from apk_desktop.ui.sessions import SessionsPage
    from apk_desktop.ui.signed_review import SignedReviewDialog

    window = build_main_window(real_url)  # the demo, as remembered after "Vyzkoušet"
    assert window is not None
    window.resize(1280, 720)
    window.show()
    windows_look(window)
    camera.shoot("prehled.png", window)

    roster = window.show_page("assistants")
    assert isinstance(roster, RosterPage)
    roster.table.selectRow(3)
    camera.shoot("asistenti.png", window)
    window.show_page("settings")
    camera.shoot("nastaveni.png", window)

    sessions = window.show_page("sessions")
    assert isinstance(sessions, SessionsPage)
    camera.settle()
    sessions.table.selectRow(0)
    camera.shoot("setkani.png", window)
    planned = sessions.plan_dialog()
    planned.date.set_value(date(2026, 3, 10))
    planned.date.editingFinished.emit()
    planned.time_from.setText("8:00")
    planned.time_to.setText("12:00")
    planned.time_to.editingFinished.emit()
    planned.place.setText("Služebna MP Sokolov, zasedací místnost")
    planned.lecturer.setText("Mgr. Alena Malá")
    planned.topic.setText("Komunikace s rozrušeným občanem – nácvik")
    next(box for box in planned.area_boxes.values() if "Komunik" in box.text()).setChecked(True)
    planned.select_all.click()
    planned.show()
    camera.shoot("nove-setkani.png", planned)
    planned.reject()

    sessions.print_selected()
    camera.settle(lambda: sessions.printer.last_preview is not None)
    preview = sessions.printer.last_preview
    assert preview is not None
    camera.settle(lambda: camera.shows_a_page(preview))
    camera.shoot("nahled-prezencni-listiny.png", preview)
    preview.reject()

    stack = signed_stack(window.ctx.db, window.ctx.project_id, work)
    reviews: list[SignedReviewDialog] = []
    sessions.signed.reviewing.connect(reviews.append)
    sessions.signed.start([stack])
    camera.settle(lambda: reviews)
    review = reviews[0]
    camera.shoot("kontrola-listin.png", review)
    review.show_unmatched()
    camera.shoot("neprirazene-stranky.png", review)
    QDialog.done(review, 0)  # closed without its "Nepotvrzené listiny…" question

    sessions.table.selectRow(0)
    attendance = sessions.attendance_dialog()
    assert attendance is not None
    attendance.show()
    camera.shoot("dochazka.png", attendance)
    attendance.reject()
    sessions.tabs.setCurrentIndex(1)
    camera.shoot("chybejici-listiny.png", window)
    sessions.tabs.setCurrentIndex(2)
    camera.shoot("hodiny-podle-oblasti.png", window)
    sessions.tabs.setCurrentIndex(0)

    assessments = window.show_page("assessments")
    assert isinstance(assessments, AssessmentsPage)
    team_grid = assessments.open_team_grid()
    team_grid.kind.setCurrentIndex(team_grid.kind.findData("interim"))
    team_grid.assessor.setText("Mgr. Jiří Dvořák (mentor)")
    team_grid.method.setCurrentText("rozhovor")
    team_grid.grid.setFocus()
    team_grid.grid.setCurrentCell(0, 0)
    QTest.keyClicks(team_grid.grid, "3423")  # typed as the mentor types them
    camera.shoot("hodnoceni-tymu.png", window)
    progress = assessments.open_progress()
    camera.shoot("pokrok-tym.png", window)
    team = progress.team_model.progress
    assert team is not None
    person = next(row.person for row in team.rows if row.meets)
    progress.show_assistant(person.assistant_id)
    camera.shoot("pokrok-asistent.png", window)

    plans = window.show_page("plans")
    assert isinstance(plans, PlansPage)
    plans.assistants.setCurrentRow(1)
    plans.plans.setCurrentRow(0)
    camera.shoot("plany.png", window)

    printing = window.show_page("print")
    assert isinstance(printing, PrintPage)
    printing.select("progress_team")
    camera.shoot("tisk.png", window)
    printing.run_selected()
    camera.settle(lambda: printing.printer.last_preview is not None)
    team_preview = printing.printer.last_preview
    assert team_preview is not None
    camera.settle(lambda: camera.shows_a_page(team_preview))
    camera.shoot("nahled-pokrok-tymu.png", team_preview)
    team_preview.reject()

    backups = window.show_page("backups")
    assert isinstance(backups, BackupsPage)
    camera.settle(lambda: backups.table.model().rowCount() >= 3)
    backups.folder.setText(WINDOWS_SHARE)
    backups.table.selectRow(0)
    camera.shoot("zalohy.png", window)

    window.show_page("sessions")
    window.show_help()
    assert window.help_window is not None
    shown = time.monotonic()
    camera.settle(lambda: time.monotonic() > shown + 0.5)  # the pictures refit after a resize
    camera.shoot("napoveda.png", window.help_window)
    window.help_window.close()

    window.backup_controller.can_close = lambda: True  # type: ignore[method-assign]
    window.close()
    window.ctx.db.dispose()


def check(out: Path) -> list[str]:
    from apk_desktop import guide

    problems = [f"{name} was not made" for name in SHOTS if not (out / name).is_file()]
    shown = {name.removeprefix(f"{guide.IMAGE_FOLDER}/") for name in guide.referenced_images(GUIDE)}
    problems += [
        f"the guide shows {name}, which the script does not make"
        for name in sorted(shown - set(SHOTS))
    ]
    return problems + guide.problems(GUIDE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=GUIDE / "img", help="folder for the PNGs")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="apk-guide-") as folder:
        _isolate(Path(folder))
        import time_machine

        with time_machine.travel(NOW, tick=True):
            from apk_desktop import paths, startup

            camera = Camera(out)
            real_url = f"sqlite:///{paths.base_data_dir() / 'apk-desktop.sqlite3'}"
            first_run(camera, real_url)
            db, _project_id = startup.open_demo()  # as "Vyzkoušet na ukázkových datech"
            db.dispose()
            make_backups(camera)
            main_window_shots(camera, real_url, Path(folder))
            paths.use_data_dir(None)
    problems = check(out)
    total = sum((out / name).stat().st_size for name in camera.made)
    print(
        f"{len(camera.made)} pictures, {total / 1024:.0f} KiB, "
        f"{time.perf_counter() - started:.1f} s"
    )
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
