"""Headless ``import-scans``: a scanned stack of signed sheets read as the review screen reads
it (``db.services.signed_sheets``) — per page the sheet it was matched to, per row the proposed
attendance with its confidence. Nothing is saved unless ``--confirm`` is given; then every sheet
whose rows are all read and sure is saved (attendance + the sheet's pages as its evidence) and
the rest are listed for the review screen.

Exit codes: 0 done, 1 failed (Czech message on stderr; nothing saved), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from apk_desktop.cli_exit import EXIT_OK, add_project_option, fail

if TYPE_CHECKING:
    from apk_desktop.db.database import Database
    from apk_desktop.db.services.signed_sheets import (
        ScannedPage,
        SheetProposal,
        StackProposal,
    )


def configure_import_scans(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        metavar="SOUBOR",
        nargs="+",
        help="sken (PDF, JPG, PNG, TIFF) nebo složka se skeny",
    )
    parser.add_argument(
        "--confirm",
        action="store_true",
        help="uložit docházku a skeny listů, u nichž je vše přečteno jistě (jinak se nic neukládá)",
    )
    parser.add_argument("--json", action="store_true", help="výstup ve formátu JSON pro skripty")
    add_project_option(parser)


def run_import_scans(args: argparse.Namespace) -> int:
    from apk_desktop.db.open import open_database
    from apk_desktop.db.services.signed_sheets import analyse, proposal_summary
    from apk_desktop.domain.errors import AppError
    from apk_desktop.paths import resolve_db_url
    from apk_desktop.startup import project_for_command

    try:
        db = open_database(resolve_db_url(args.db))
    except AppError as exc:
        return fail(exc.message)
    try:
        project_id = project_for_command(db, args.project)
        if project_id is None:
            return fail(f"Databáze {db.display_name} neobsahuje žádný projekt.")
        stack = analyse(db, [Path(f) for f in args.files], project_id)
        saved = _confirm_sure(db, stack) if args.confirm else {}
    except AppError as exc:
        return fail(exc.message)
    finally:
        db.dispose()
    if args.json:
        summary = dict(proposal_summary(stack))
        summary["saved"] = saved
        summary["confirmed"] = bool(args.confirm)
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_report(stack, saved, confirm=args.confirm)))
    return EXIT_OK


def _confirm_sure(db: Database, stack: StackProposal) -> dict[str, str]:
    """Each sheet that needs no one's look saved in a unit of work of its own; sheet id →
    what happened (Czech), for the sheets tried."""
    from apk_desktop.db.services.signed_sheets import confirm_sheet, default_decisions
    from apk_desktop.domain.czech_text import plural
    from apk_desktop.domain.errors import AppError

    done: dict[str, str] = {}
    for sheet in stack.sheets:
        if not sheet.all_sure:
            continue
        try:
            with db.unit_of_work() as session:
                result = confirm_sheet(session, sheet, default_decisions(sheet))
        except AppError as exc:
            done[sheet.sheet_id] = f"neuloženo: {exc.message}"
        else:
            rows = plural(result.saved_rows, "řádek", "řádky", "řádků")
            done[sheet.sheet_id] = (
                f"uloženo: docházka ({rows}) a sken {result.evidence.original_name}"
            )
    return done


def _percent(confidence: float) -> str:
    return f"{round(confidence * 100)} %"


def _report(stack: StackProposal, saved: dict[str, str], *, confirm: bool) -> list[str]:
    from apk_desktop.domain.czech_format import format_date
    from apk_desktop.domain.czech_text import plural

    order = {path: index for index, path in enumerate(stack.files)}

    def key(page: ScannedPage) -> tuple[int, int]:
        return order.get(page.source, len(order)), page.number

    lines = [f"Načteno {plural(stack.page_count, 'strana', 'strany', 'stran')} ze skenu."]
    entries: list[tuple[tuple[int, int], list[str]]] = []
    for sheet in stack.sheets:
        for page in sheet.pages:
            entries.append((key(page), _page_lines(sheet, page)))
    for lost in stack.unmatched:
        entries.append((key(lost.page), [f"{_where(lost.page)}: nepřiřazena – {lost.reason}"]))
    for copy in stack.duplicates:
        entries.append((key(copy), [f"{_where(copy)}: druhá kopie už načtené strany, vynechána."]))
    for _key, block in sorted(entries, key=lambda entry: entry[0]):
        lines += block
    lines.append("")
    for sheet in stack.sheets:
        when = format_date(sheet.session_date) if sheet.session_date else "?"
        head = f"List {sheet.sheet_id} ({sheet.session_title}, {when})"
        if sheet.sheet_id in saved:
            lines.append(f"{head}: {saved[sheet.sheet_id]}.")
        elif sheet.all_sure:
            lines.append(f"{head}: přečteno jistě, lze uložit (--confirm).")
        else:
            lines.append(f"{head}: čeká na kontrolu v aplikaci.")
        lines += [f"  ! {problem.message}" for problem in sheet.problems]
    if stack.unmatched:
        count = plural(len(stack.unmatched), "strana", "strany", "stran")
        lines.append(f"Nepřiřazeno: {count} (přiřadit ručně lze v aplikaci).")
    if not confirm:
        lines.append("Nic nebylo uloženo (uložit jisté listy: --confirm).")
    return lines


def _where(page: ScannedPage) -> str:
    return f"Strana {page.number} ({page.source.name})"


def _page_lines(sheet: SheetProposal, page: ScannedPage) -> list[str]:
    of = f"strana {page.sheet_page} z {sheet.page_count}" if page.sheet_page else "přiřazena ručně"
    lines = [f"{_where(page)}: list {sheet.sheet_id}, {of} – {sheet.session_title}"]
    if page.sheet_page is None:
        return lines
    for row in sheet.rows:
        if row.sheet_page != page.sheet_page:
            continue
        status = row.status.label if row.status else "nepřečteno"
        sure = "" if row.sure else " – nejisté, zkontrolujte"
        confidence = f" ({_percent(row.confidence)}){sure}" if row.status else ""
        lines.append(f"  {row.row:>3}. {row.name:<28} {status}{confidence}")
    for walk_in in sheet.walk_ins:
        if walk_in.sheet_page == page.sheet_page:
            lines.append(
                f"  {walk_in.row:>3}. {'(volný řádek)':<28} podpis – vyberte osobu v aplikaci "
                f"({_percent(walk_in.confidence)})"
            )
    return lines


COMMANDS = {
    "import-scans": (
        "načíst naskenované podepsané listiny (docházka a skeny k setkáním)",
        configure_import_scans,
        run_import_scans,
    )
}
