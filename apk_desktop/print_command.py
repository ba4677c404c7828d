"""Headless ``print``: any sheet by the identifier in its footer (PL-12, SUP-3, MEN-7, IDP-2-v1,
PL-BLANK-2026-03-02, POK-A5-20260301, POK-TYM-20260301) to a PDF file, the same PDF the print
screen makes (``apk_desktop.printing``), for scripts and tests. What was printed where is
recorded as when the PDF is saved from the preview.

Exit codes: 0 done, 1 failed (Czech message on stderr; nothing written), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from apk_desktop.cli_exit import EXIT_OK, add_project_option, fail
from apk_desktop.domain.czech_text import plural

if TYPE_CHECKING:
    from apk_desktop.db.database import Database
    from apk_desktop.sheets.session_sheets import Document

log = logging.getLogger(__name__)
PAGES = ("strana", "strany", "stran")


def configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sheet_id",
        metavar="IDENTIFIKÁTOR",
        help="identifikátor listu ze zápatí, např. PL-12, SUP-3, MEN-7, IDP-2-v1, "
        "PL-BLANK-2026-03-02, POK-A5-20260301 (přehled pokroku asistenta ke dni), POK-TYM-20260301",
    )
    parser.add_argument("--out", metavar="SOUBOR.pdf", required=True, help="kam uložit PDF")
    parser.add_argument(
        "--private",
        action="store_true",
        help="vytisknout i soukromou poznámku (jen záznam ze supervize nebo z mentoringu)",
    )
    add_project_option(parser)


def run_print(args: argparse.Namespace) -> int:
    from apk_desktop import printing
    from apk_desktop.db.open import open_database
    from apk_desktop.domain.errors import AppError
    from apk_desktop.domain.sheet_refs import format_ref
    from apk_desktop.files import write_atomic
    from apk_desktop.paths import resolve_db_url
    from apk_desktop.startup import project_for_command

    out = Path(args.out)
    if out.is_dir():
        return fail(f"„{out}“ je složka; zadejte název souboru PDF, např. {out / 'list.pdf'}.")
    try:
        ref = printing.parse_or_fail(args.sheet_id)
        db = open_database(resolve_db_url(args.db))
    except AppError as exc:
        return fail(exc.message)
    try:
        project_id = project_for_command(db, args.project)
        if project_id is None:
            return fail(f"Databáze {db.display_name} neobsahuje žádný projekt; není co tisknout.")
        job = printing.job_for(ref, project_id, include_private=args.private)
        document = printing.make_document(db, job)
        write_atomic(out, document.pdf)
        pages = sum(layout.page_count for layout in document.layouts)
        print(f"List {format_ref(ref)} uložen do {out} ({plural(pages, *PAGES)}).")
        _record(db, project_id, document)
    except AppError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    return EXIT_OK


def _record(db: Database, project_id: int, document: Document) -> None:
    """Store what was printed where; the PDF is written already and stays, whatever happens."""
    from apk_desktop import printing
    from apk_desktop.domain.errors import AppError

    try:
        printing.record_printed(db, project_id, document.layouts, document.pdf)
    except Exception as exc:
        log.exception("the printed layout could not be recorded")
        reason = exc.message if isinstance(exc, AppError) else "chyba databáze"
        print(f"Upozornění: {printing.NOT_RECORDED} ({reason})", file=sys.stderr)


COMMANDS = {"print": ("vytisknout list podle identifikátoru do PDF", configure_print, run_print)}
