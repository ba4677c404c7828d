"""Regenerate docs/roster.png: the roster screen with nine sample assistants.

Run under a real X server for faithful fonts
(``xvfb-run -a uv run python docs/roster_screenshot.py``)
or with ``QT_QPA_PLATFORM=offscreen``. Optional argument: the output path and the page key.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from apk_desktop.app import build_main_window
from apk_desktop.db.open import open_database
from apk_desktop.db.sample import populate_sample
from apk_desktop.db.services.setup import current_or_template


def main(out: str = "docs/roster.png", page: str = "assistants") -> None:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'sample.sqlite3'}"
        db = open_database(url)
        with db.unit_of_work() as session:
            current_or_template(session)
        db.dispose()
        window = build_main_window(url)
        assert window is not None
        with window.ctx.db.unit_of_work() as session:
            populate_sample(session, window.ctx.project_id)
        window.resize(1280, 720)
        window.show()
        widget = window.show_page(page)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()
        table = getattr(widget, "table", None)
        if table is not None:
            table.selectRow(3)  # position 4: shows a replacement in the history
        for _ in range(20):
            app.processEvents()
        window.grab().save(out)
        print(f"saved {out}")
        window.close()
        window.ctx.db.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
