"""The reading half of ``signed_sheets``: a scanned stack read page by page into a
``StackProposal`` (``read_stack``), a page assigned by hand joined to a sheet (``join_page``)
and a sheet's session read again (``reread_session``). Nothing here writes to the database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from apk_desktop.db.database import Database
from apk_desktop.db.models import Assistant, Employment
from apk_desktop.db.services.evidence import ScanImportCancelled
from apk_desktop.db.services.printed_sheets import PrintedLayout, latest_layout
from apk_desktop.db.services.sessions import SessionView, get_session
from apk_desktop.db.services.signed_sheets import (
    Cancel,
    Candidate,
    Problem,
    ProblemKind,
    Progress,
    RowProposal,
    ScannedPage,
    SheetProposal,
    StackProposal,
    UnmatchedPage,
    WalkInRow,
)
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.czech_text import czech_sort_key, plural
from apk_desktop.domain.errors import NotFoundError, ValidationError
from apk_desktop.domain.sessions import Attendance
from apk_desktop.domain.sessions import sheet_id as session_sheet_id
from apk_desktop.domain.sheet_refs import (
    BlankSheetRef,
    SessionSheetRef,
    format_ref,
    parse_sheet_ref,
)
from apk_desktop.scans.extract import png, thumbnail
from apk_desktop.scans.locate import cell_image, page_transform
from apk_desktop.scans.measure import SCALE
from apk_desktop.scans.pages import (
    PageImage,
    UnreadableFileError,
    is_scan_file,
    iter_pages,
    scan_files,
)
from apk_desktop.scans.reader import (
    CELL_SURROUNDINGS_PT,
    PageResult,
    PageStatus,
    RowReading,
    SheetScan,
    group_sheets,
    mark_stack,
    read_page,
)

FIELD = "scans"
ROW_LEFT_PT = 15 * 72 / 25.4  # the sheets' left margin (sheets.base.MARGIN): a row starts there


def _invalid(message: str) -> ValidationError:
    return ValidationError({FIELD: message})


class _Layouts(Mapping[str, PrintedLayout]):
    """The latest printed layout of each sheet id the stack shows, read when first asked for,
    each in a short unit of work of its own (never one held open while images are read)."""

    def __init__(self, db: Database, project_id: int) -> None:
        self._db = db
        self._project_id = project_id
        self._known: dict[str, PrintedLayout | None] = {}

    def __getitem__(self, sheet_id: str) -> PrintedLayout:
        if sheet_id not in self._known:
            with self._db.unit_of_work() as session:
                # the project's own print first: blank sheets and progress summaries have the
                # same identifier in every project; a session's sheet of another project is
                # found too, to be refused by name (OTHER_PROJECT), not left unmatched
                self._known[sheet_id] = latest_layout(
                    session, sheet_id, project_id=self._project_id
                ) or latest_layout(session, sheet_id)
        layout = self._known[sheet_id]
        if layout is None:
            raise KeyError(sheet_id)
        return layout

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, v in self._known.items() if v is not None])

    def __len__(self) -> int:
        return sum(1 for v in self._known.values() if v is not None)


@dataclass
class _Read:
    """One page read, with where it came from and the images the review needs."""

    result: PageResult
    source: Path
    thumbnail: bytes = b""
    cells: dict[tuple[int, int], bytes] = field(default_factory=dict)  # (page, row) → PNG
    names: dict[tuple[int, int], bytes] = field(default_factory=dict)  # walk-in rows → PNG

    def page(self) -> ScannedPage:
        r = self.result
        return ScannedPage(
            self.source, r.number, r.code.page if r.code else None, r.rotation, r.located
        )


def _is_session_sheet(sheet_id: str) -> bool:
    ref = parse_sheet_ref(sheet_id)
    return isinstance(ref, SessionSheetRef) and not ref.annex


def _walk_in(reading: RowReading) -> bool:
    return not reading.participant and (reading.signed or not reading.sure)


def _read_one(image: PageImage, source: Path, layouts: _Layouts, position: int) -> _Read:
    result = read_page(image, layouts, position)
    read = _Read(result, source)
    code = result.code
    if result.status is not PageStatus.MATCHED or code is None:
        read.thumbnail = thumbnail(image.pixels, round(result.rotation / 90) % 4)
        return read
    if not _is_session_sheet(code.sheet_id):
        read.thumbnail = thumbnail(image.pixels, round(result.rotation / 90) % 4)
    layout = layouts[code.sheet_id]
    cells = {(c.page, c.row): c for c in layout.cells}
    for reading in result.rows:
        read.cells[code.page, reading.row] = png(reading.pixels)
        cell = cells.get((code.page, reading.row))
        if _walk_in(reading) and cell is not None:
            # the cell's corners on the scan give the page's transform back exactly
            rect = (cell.x, cell.y, cell.width, cell.height)
            transform = page_transform(reading.corners, rect)
            row = (ROW_LEFT_PT, cell.y, cell.x + cell.width - ROW_LEFT_PT, cell.height)
            crop = cell_image(image.pixels, transform, row, CELL_SURROUNDINGS_PT, SCALE)
            read.names[code.page, reading.row] = png(crop.pixels.clip(0, 255).astype("uint8"))
    return read


def _count_pages(files: Sequence[Path]) -> int:
    """Pages in the stack, for progress (0 when a file cannot tell)."""
    import pypdfium2 as pdfium
    from PIL import Image

    total = 0
    for path in files:
        try:
            if path.suffix.lower() == ".pdf":
                document = pdfium.PdfDocument(path)
                total += len(document)
                document.close()
            else:
                with Image.open(path) as image:
                    total += getattr(image, "n_frames", 1)
        except Exception:
            return 0
    return total


def read_stack(
    db: Database,
    paths: Sequence[Path],
    project_id: int,
    *,
    progress: Progress | None = None,
    check: Cancel | None = None,
    today: date | None = None,
) -> StackProposal:
    files = scan_files(Path(p) for p in paths)
    if not files:
        raise _invalid("Ve vybraných složkách není žádný sken (PDF, JPG, PNG nebo TIFF).")
    for path in files:
        if not is_scan_file(path):
            raise _invalid(f"Soubor „{path.name}“ není sken ve formátu PDF, PNG, JPG nebo TIFF.")
        if not path.is_file():
            raise _invalid(f"Soubor „{path}“ neexistuje.")
    total = _count_pages(files)
    layouts = _Layouts(db, project_id)
    pages: list[_Read] = []
    for path in files:
        try:
            for image in iter_pages([path]):
                if check is not None and check():
                    raise ScanImportCancelled()
                pages.append(_read_one(image, path, layouts, len(pages)))
                if progress is not None:
                    done = len(pages)
                    progress(done, max(total, done), f"Čtu stranu {done} z {max(total, done)}…")
        except UnreadableFileError:
            raise _invalid(
                f"Soubor „{path.name}“ nelze přečíst: je poškozený, nebo to není PDF ani obrázek."
            ) from None
    if not pages:
        raise _invalid("Ve skenu není žádná strana.")
    marked = mark_stack([p.result for p in pages])
    for read, result in zip(pages, marked, strict=True):
        read.result = result
    with db.unit_of_work() as session:
        return _proposal(session, project_id, files, pages, layouts, today or date.today())


def _proposal(
    session: Session,
    project_id: int,
    files: Sequence[Path],
    pages: list[_Read],
    layouts: _Layouts,
    today: date,
) -> StackProposal:
    sheets: list[SheetProposal] = []
    unmatched: list[UnmatchedPage] = []
    for scan in group_sheets(p.result for p in pages):
        reads = [pages[r.position] for r in scan.pages]
        if not _is_session_sheet(scan.sheet_id):
            unmatched += [
                UnmatchedPage(r.page(), r.thumbnail, _not_a_session(scan.sheet_id), scan.sheet_id)
                for r in reads
            ]
            continue
        copies = [
            p.page()
            for p in pages
            if p.result.status is PageStatus.DUPLICATE and p.result.sheet_id == scan.sheet_id
        ]
        sheets.append(
            _sheet(session, project_id, scan, reads, copies, layouts[scan.sheet_id], today)
        )
    for read in pages:
        result = read.result
        if result.status is PageStatus.NO_CODE:
            reason = "Kód listu se nepodařilo přečíst (je rozmazaný, přeložený nebo chybí)."
            unmatched.append(UnmatchedPage(read.page(), read.thumbnail, reason))
        elif result.status is PageStatus.UNKNOWN_SHEET and result.code:
            sheet = result.code.sheet_id
            reason = (
                f"List {sheet} nebyl vytištěn z této databáze (patří k jinému projektu "
                "nebo k jiné instalaci aplikace)."
            )
            unmatched.append(UnmatchedPage(read.page(), read.thumbnail, reason, sheet))
    unmatched.sort(key=lambda u: _position(pages, u.page))
    return StackProposal(
        project_id=project_id,
        files=tuple(files),
        sheets=tuple(sheets),
        unmatched=tuple(unmatched),
        duplicates=tuple(p.page() for p in pages if p.result.status is PageStatus.DUPLICATE),
        candidates=_candidates(session, project_id),
        page_count=len(pages),
    )


def _position(pages: list[_Read], page: ScannedPage) -> int:
    return next(
        i for i, p in enumerate(pages) if (p.source, p.result.number) == (page.source, page.number)
    )


def _not_a_session(sheet_id: str) -> str:
    if isinstance(parse_sheet_ref(sheet_id), BlankSheetRef):
        return f"Prázdný list {sheet_id} nepatří k žádnému setkání; přiřaďte ho ručně."
    return f"List {sheet_id} není prezenční listina ani záznam ze setkání; nic se z něj nenačte."


def _candidates(session: Session, project_id: int) -> tuple[Candidate, ...]:
    rows = session.execute(
        select(Assistant.id, Assistant.first_name, Assistant.last_name).where(
            Assistant.project_id == project_id, Assistant.archived_at.is_(None)
        )
    ).all()
    periods: dict[int, list[tuple[date, date | None]]] = {}
    for assistant_id, start, end in session.execute(
        select(Employment.assistant_id, Employment.start_date, Employment.end_date).where(
            Employment.assistant_id.in_([r.id for r in rows])
        )
    ):
        periods.setdefault(assistant_id, []).append((start, end))
    ordered = sorted(rows, key=lambda r: (czech_sort_key(f"{r.last_name} {r.first_name}"), r.id))
    return tuple(
        Candidate(r.id, f"{r.first_name} {r.last_name}".strip(), tuple(periods.get(r.id, ())))
        for r in ordered
    )


def _view(session: Session, session_id: int) -> SessionView | None:
    try:
        return get_session(session, session_id)
    except NotFoundError:
        return None


def _session_problems(
    view: SessionView | None, sheet_id: str, project_id: int, today: date
) -> list[Problem]:
    ref = parse_sheet_ref(sheet_id)
    number = ref.session_id if isinstance(ref, SessionSheetRef) else 0
    if view is None:
        message = f"Setkání č. {number} (list {sheet_id}) už v databázi není; list nelze uložit."
        return [Problem(ProblemKind.NO_SESSION, message)]
    if view.project_id != project_id:
        message = f"List {sheet_id} patří k setkání jiného projektu; sem ho uložit nelze."
        return [Problem(ProblemKind.OTHER_PROJECT, message)]
    problems = []
    if view.evidence:
        count = plural(len(view.evidence), "sken", "skeny", "skenů")
        problems.append(
            Problem(
                ProblemKind.HAS_EVIDENCE,
                f"Setkání už má přiložen {count}. Nahradit ho tímto listem, nebo přidat další?",
            )
        )
    if view.date > today:
        problems.append(
            Problem(
                ProblemKind.FUTURE,
                f"Setkání je až {format_date(view.date)}; docházku lze zapsat až v den setkání.",
            )
        )
    return problems


def _sheet(
    session: Session,
    project_id: int,
    scan: SheetScan,
    reads: list[_Read],
    copies: list[ScannedPage],
    layout: PrintedLayout,
    today: date,
) -> SheetProposal:
    ref = parse_sheet_ref(scan.sheet_id)
    assert isinstance(ref, SessionSheetRef)
    view = _view(session, ref.session_id)
    problems = _session_problems(view, scan.sheet_id, project_id, today)
    if view is not None and view.project_id != project_id:
        # refused (OTHER_PROJECT); nothing of the other project's session or team shows here
        view, layout = None, replace(layout, cells=())
    current = {p.assistant_id: p.status for p in view.participants} if view else {}
    readings = {
        (r.result.code.page, row.row): (row, r.cells.get((r.result.code.page, row.row), b""))
        for r in reads
        if r.result.code
        for row in r.result.rows
    }
    rows = []
    for cell in sorted(layout.cells, key=lambda c: (c.page, c.row)):
        if not cell.participant:
            continue
        reading, image = readings.get((cell.page, cell.row), (None, b""))
        signed = reading is not None and reading.signed
        rows.append(
            RowProposal(
                row=cell.row,
                sheet_page=cell.page,
                participant_id=cell.participant_id,
                name=cell.participant,
                signed=signed,
                status=None
                if reading is None
                else (Attendance.PRESENT if signed else Attendance.ABSENT),
                confidence=reading.confidence if reading else 0.0,
                sure=reading.sure if reading else False,
                cell_png=image,
                current=current.get(cell.participant_id) if cell.participant_id else None,
            )
        )
    walk_ins = tuple(
        WalkInRow(row.row, page, row.confidence, row.sure, r.names.get((page, row.row), b""))
        for r in reads
        if r.result.code
        for page in (r.result.code.page,)
        for row in r.result.rows
        if _walk_in(row)
    )
    scanned = tuple(r.page() for r in reads)
    problems += _stack_problems(scan, scanned, copies, rows, walk_ins)
    return SheetProposal(
        sheet_id=scan.sheet_id,
        session_id=view.id if view else None,
        session_kind=view.kind if view else None,
        session_title=(view.topic or view.kind.label) if view else "",
        session_date=view.date if view else None,
        page_count=scan.page_count,
        pages=scanned,
        rows=tuple(rows),
        walk_ins=walk_ins,
        problems=tuple(problems),
        evidence_count=len(view.evidence) if view else 0,
        session_version=view.row_version if view else None,
    )


def _stack_problems(
    scan: SheetScan,
    pages: tuple[ScannedPage, ...],
    copies: list[ScannedPage],
    rows: list[RowProposal],
    walk_ins: tuple[WalkInRow, ...],
) -> list[Problem]:
    problems = []
    if scan.missing:
        numbers = ", ".join(str(n) for n in scan.missing)
        one = len(scan.missing) == 1
        problems.append(
            Problem(
                ProblemKind.MISSING_PAGES,
                f"Ve skenu chybí {'strana' if one else 'strany'} {numbers} z {scan.page_count}; "
                f"docházku z {'ní' if one else 'nich'} zadejte ručně, nebo "
                f"{'ji' if one else 'je'} doskenujte.",
            )
        )
    if any(page.out_of_order for page in scan.pages):
        problems.append(
            Problem(
                ProblemKind.OUT_OF_ORDER,
                "Strany listu byly ve skenu přeházené; do přílohy se uloží popořadě.",
            )
        )
    for page in pages:
        if page.quarter_turns:
            how = "vzhůru nohama" if page.quarter_turns == 2 else "otočená na bok"
            problems.append(
                Problem(
                    ProblemKind.UPSIDE_DOWN,
                    f"Strana {page.sheet_page} ({page.label}) byla {how}; "
                    "do přílohy se uloží otočená správně.",
                )
            )
    for copy in copies:
        problems.append(
            Problem(
                ProblemKind.DUPLICATE,
                f"Strana {copy.sheet_page} je ve skenu dvakrát ({copy.label}); "
                "použije se první kopie.",
            )
        )
    if any(not page.read for page in pages) or any(row.status is None for row in rows):
        problems.append(
            Problem(
                ProblemKind.NOT_READ,
                "Podpisy na některých stranách nešlo přečíst (list vytištěný starší verzí "
                "aplikace nebo strana přiřazená ručně); docházku u nich zadejte ručně.",
            )
        )
    if walk_ins:
        numbers = ", ".join(str(row.row) for row in walk_ins)
        problems.append(
            Problem(
                ProblemKind.WALK_IN,
                f"Na volném řádku {numbers} je podpis někoho, kdo nebyl pozván; "
                "vyberte, kdo to je.",
            )
        )
    unsure = [str(row.row) for row in rows if row.status is not None and not row.sure]
    unsure += [str(row.row) for row in walk_ins if not row.sure]
    if unsure:
        problems.append(
            Problem(
                ProblemKind.UNSURE,
                f"Nejisté řádky: {', '.join(unsure)}; podívejte se na ně.",
            )
        )
    return problems


def join_page(
    session: Session, stack: StackProposal, page: UnmatchedPage, sheet_text: str
) -> StackProposal:
    ref = parse_sheet_ref(sheet_text)
    if not isinstance(ref, SessionSheetRef) or ref.annex:
        raise ValidationError(
            {
                "sheet": f"„{sheet_text.strip()}“ není identifikátor listu ze setkání "
                "(např. PL-12, SUP-3, MEN-7)."
            }
        )
    if page not in stack.unmatched:
        raise ValidationError({"sheet": "Tato strana už je přiřazená."})
    sheet_id = format_ref(ref)
    view = _view(session, ref.session_id)
    if view is None:
        raise ValidationError({"sheet": f"Setkání č. {ref.session_id} v databázi není."})
    if view.project_id != stack.project_id:
        raise ValidationError({"sheet": f"List {sheet_id} patří k setkání jiného projektu."})
    actual = session_sheet_id(view.kind, view.id)
    if actual != sheet_id:
        raise ValidationError({"sheet": f"Setkání č. {view.id} má list {actual}, ne {sheet_id}."})
    joined = replace(page.page, sheet_page=None, read=False)
    not_read = Problem(
        ProblemKind.NOT_READ,
        f"Strana {joined.label} je přiřazená ručně; docházku z ní zadejte ručně.",
    )
    existing = stack.sheet(sheet_id)
    if existing is not None:
        sheet = replace(
            existing, pages=(*existing.pages, joined), problems=(*existing.problems, not_read)
        )
        sheets = tuple(sheet if s is existing else s for s in stack.sheets)
    else:
        layout = latest_layout(session, sheet_id, project_id=stack.project_id)
        problems = _session_problems(view, sheet_id, stack.project_id, date.today())
        rows = tuple(
            RowProposal(
                row=number,
                sheet_page=0,
                participant_id=p.assistant_id,
                name=f"{p.first_name} {p.last_name}".strip(),
                signed=False,
                status=None,
                confidence=0.0,
                sure=False,
                cell_png=b"",
                current=p.status,
            )
            for number, p in enumerate(view.participants, start=1)
        )
        sheet = SheetProposal(
            sheet_id=sheet_id,
            session_id=view.id,
            session_kind=view.kind,
            session_title=view.topic or view.kind.label,
            session_date=view.date,
            page_count=layout.page_count if layout else 1,
            pages=(joined,),
            rows=rows,
            walk_ins=(),
            problems=(*tuple(problems), not_read),
            evidence_count=len(view.evidence),
            session_version=view.row_version,
        )
        sheets = (*stack.sheets, sheet)
    return replace(stack, sheets=sheets, unmatched=tuple(u for u in stack.unmatched if u != page))


SESSION_PROBLEMS = frozenset(
    {
        ProblemKind.OTHER_PROJECT,
        ProblemKind.NO_SESSION,
        ProblemKind.HAS_EVIDENCE,
        ProblemKind.FUTURE,
    }
)


def reread_session(session: Session, stack: StackProposal, sheet_id: str) -> StackProposal:
    """The stack with what sheet ``sheet_id`` knows of its session read again (what each row
    has recorded now, the scans, the problems that come from the session, its row version);
    what was read from the scan stays."""
    sheet = stack.sheet(sheet_id)
    if sheet is None or sheet.session_id is None:
        return stack
    view = _view(session, sheet.session_id)
    current = {p.assistant_id: p.status for p in view.participants} if view else {}
    fresh = replace(
        sheet,
        rows=tuple(
            replace(row, current=current.get(row.participant_id) if row.participant_id else None)
            for row in sheet.rows
        ),
        problems=(
            *_session_problems(view, sheet_id, stack.project_id, date.today()),
            *(p for p in sheet.problems if p.kind not in SESSION_PROBLEMS),
        ),
        evidence_count=len(view.evidence) if view else 0,
        session_version=view.row_version if view else None,
    )
    return replace(stack, sheets=tuple(fresh if s is sheet else s for s in stack.sheets))
