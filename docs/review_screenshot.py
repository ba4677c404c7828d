"""Regenerate docs/review-screen.png: the review screen of a scanned stack (a training's
attendance sheet signed by most, one faint signature, one walk-in, and a page whose code is
smudged), as the mentor sees it after Načíst podepsané listiny.

Run from the repository root with ``QT_QPA_PLATFORM=offscreen`` (1280×720 is set here):
``QT_QPA_PLATFORM=offscreen uv run python docs/review_screenshot.py [out.png] [sheet|pages]``.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SCREEN = Path(__file__).resolve().parents[1] / "tests" / "screen-1280x720.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"

from PySide6.QtWidgets import QApplication  # noqa: E402

from apk_desktop import printing  # noqa: E402
from apk_desktop.db.open import open_database  # noqa: E402
from apk_desktop.db.services import signed_sheets  # noqa: E402
from apk_desktop.db.services.setup import current_or_template  # noqa: E402
from apk_desktop.domain.sheet_refs import parse_sheet_ref  # noqa: E402
from apk_desktop.ui.context import AppContext  # noqa: E402
from apk_desktop.ui.signed_review import SignedReviewDialog  # noqa: E402
from tests.print_seed import seed_printables  # noqa: E402
from tests.scans.scan_factory import (  # noqa: E402
    Printed,
    Scanner,
    paper,
    scan,
    sign_rows,
    signature,
    smudge_code,
)

OFFICE = Scanner(dpi=150, rotation=1.0, scale=0.99, offset_mm=(2, -1), noise=3, jpeg_quality=80)


def main(out: str = "docs/review-screen.png", show: str = "sheet") -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["APK_DESKTOP_DATA_DIR"] = folder  # never the real data folder
        db = open_database(f"sqlite:///{Path(folder) / 'ukazka.sqlite3'}")
        with db.unit_of_work() as session:
            project_id = current_or_template(session).id
        seeded = seed_printables(db)
        pages = []
        for sheet_id in (f"PL-{seeded.training}", f"SUP-{seeded.supervision}"):
            ref = parse_sheet_ref(sheet_id)
            assert ref is not None
            document = printing.make_document(db, printing.job_for(ref, project_id))
            printing.record_printed(db, project_id, document.layouts, document.pdf)
            pages += paper(Printed(document.pdf, tuple(document.layouts)))
        training = sign_rows(pages[0], {1, 2, 4, 5, 6, 8, 9}, seed=3)
        blank = next(c for c in training.cells if not c.participant)
        signature(training, blank, random.Random(1), ink="black", length_mm=30)
        faint = next(c for c in training.cells if c.row == 7)
        signature(training, faint, random.Random(2), ink="faint", length_mm=6, pen_mm=0.2)
        smudged = sign_rows(pages[1], {1, 2}, seed=4)
        smudge_code(smudged)
        images = [scan(p, OFFICE).convert("L") for p in (training, smudged)]
        stack = Path(folder) / "sken.pdf"
        images[0].save(stack, "PDF", save_all=True, append_images=images[1:], resolution=150.0)
        proposal = signed_sheets.analyse(db, [stack], project_id)
        if show == "evidence":  # the training confirmed once already: a second scan comes
            with db.unit_of_work() as session:
                first = proposal.sheets[0]
                decisions = signed_sheets.default_decisions(first)
                signed_sheets.confirm_sheet(session, first, decisions)
            proposal = signed_sheets.analyse(db, [stack], project_id)
        dialog = SignedReviewDialog(AppContext(db=db, project_id=project_id), proposal)
        dialog.resize(1264, 680)
        dialog.show()
        if show == "pages":
            dialog.show_unmatched()
        for _ in range(20):
            app.processEvents()
        dialog.grab().save(out)
        print(f"saved {out}")
        dialog.done(0)
        db.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
