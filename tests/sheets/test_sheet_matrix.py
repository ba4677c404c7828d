"""The test matrix of every printed sheet (issue 10): every kind of sheet over short and long
texts (up to the maximum lengths of domain/limits.py), 0 to 40 participants, with and without
the logolink and the private note. For each PDF: no layout error; every page has the header,
"Strana x / y", the identifier, the running line (pages after the first) and a QR code that
decodes from a greyscale rendering at 150 dpi (300 dpi on a subset); the signature block shares
its page with table rows; no ink in the band along the paper edge; every field's text extracts.

The cases are pairwise over (participants, texts, logo, private note) per kind rather than the
full product: every pair of values of two parameters occurs, and so does the worst case (40
participants, long texts, logo, note). Each PDF is built and rendered once (``_probe``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.limits import max_length
from apk_desktop.domain.progress import AreaProgress, Observation, meets_goal, team_goal
from apk_desktop.domain.progress_report import (
    AreaRef,
    AssistantProgress,
    EvidenceRow,
    PersonStatus,
    TeamProgress,
    TeamRow,
)
from apk_desktop.domain.sheet_code import SheetCode
from apk_desktop.sheets.attendance import (
    BLANK_SHEET_ROWS,
    AttendanceSheetData,
    build_attendance_sheet,
)
from apk_desktop.sheets.base import EU_LINE, SheetHeader
from apk_desktop.sheets.idp import IdpGoal, IdpReview, IdpSheetData, build_idp_pdf
from apk_desktop.sheets.layout import SheetLayout
from apk_desktop.sheets.progress import assistant_progress_pdf, team_progress_pdf
from apk_desktop.sheets.session_sheets import SheetBatch, build_document
from apk_desktop.sheets.supervision import (
    MENTORING,
    SUPERVISION,
    RecordKind,
    RecordSheetData,
    build_record_sheet,
)
from tests.sheets.pdf_probe import (
    InkOutside,
    ProbedPdf,
    around_codes,
    codes_in,
    ink_outside,
    missing_words,
    normalised,
    scan_like,
)

PEOPLE_COUNTS = (0, 1, 9, 10, 25, 40)
SCAN_DPI = 150
FINE_DPI = 300
WORDS = ("žluťoučký", "kůň", "úpěl", "ďábelské", "ódy", "Příbram", "šíře", "Ústí")
LOGO_FILE = "logolink.png"

# ---- texts ---------------------------------------------------------------------------------------


def filler(key: str, tag: str, *, paragraphs: bool = False) -> str:
    """A text of exactly the maximum length of field ``key``: Czech words numbered with ``tag``
    (e.g. ``kůňC0012``), so each can be found in the PDF; ``paragraphs`` breaks it into
    paragraphs of a dozen words (a typed record)."""
    limit = max_length(key)
    words: list[str] = []
    length = -1
    for number in range(limit):
        word = f"{WORDS[number % len(WORDS)]}{tag}{number:04d}"
        if length + 1 + len(word) > limit:
            break
        words.append(word)
        length += 1 + len(word)
    text = ""
    for index, word in enumerate(words):
        separator = "\n" if paragraphs and index % 12 == 0 else " "
        text += (separator if index else "") + word
    return text + "x" * (limit - len(text))


SHORT_NAMES = (
    ("Jana", "Nováková"),
    ("Bc. Miroslav", "Šťastný"),
    ("Marie", "Procházková-Dvořáková"),
    ("Jiří", "z Lobkovic"),
    ("Ďurďa", "Řeháková"),
)


def person(index: int, long: bool) -> tuple[str, str]:
    """(name, position) of participant ``index``: the first two at the maximum name length in
    the long variant, the others real names (the longest Czech ones)."""
    position = f"APK – pozice {index % 9 + 1}"
    if long and index < 2:
        first = filler("person.first_name", f"F{index}")
        last = filler("person.last_name", f"L{index}")
        return f"{first} {last}", position
    first, last = SHORT_NAMES[index % len(SHORT_NAMES)]
    return f"{first} {last}{'' if index < len(SHORT_NAMES) else f' {index}.'}", position


@dataclass(frozen=True)
class Texts:
    """Every free text a sheet prints, short (a real sheet) or long (each at its maximum)."""

    project: str
    beneficiary: str
    registration: str
    topic: str
    place: str
    lecturer: str
    leader: str
    mentor: str
    conclusions: str
    agreed_steps: str
    private_note: str
    next_meeting: str
    areas: tuple[str, ...]
    short_areas: tuple[str, ...]
    plan_note: str
    goals: str
    activity_detail: str
    responsible: str
    success_measure: str
    review_note: str
    final_evaluation: str
    police_head: str
    assessor: str
    method: str


AREAS = (
    "Základní znalosti práce APK (teorie a praxe)",
    "Komunikační dovednosti",
    "Mediační dovednosti",
    "Finanční gramotnost",
    "Digitální gramotnost",
)
SHORT = Texts(
    project="Asistenti prevence kriminality Sokolov",
    beneficiary="město Sokolov",
    registration="CZ.03.02.01/00/22_018/0000388",
    topic="Zvládání zátěže při práci v SVL",
    place="Zasedačka MěÚ Sokolov",
    lecturer="Mgr. Šárka Řezníčková, Bc. Ondřej Ďurďa",
    leader="PhDr. Karel Dohled",
    mentor="Bc. Miroslav Šťastný",
    conclusions="Tým pojmenoval hlavní zdroje zátěže a způsoby, jak je zvládat.",
    agreed_steps="Zavést krátké porady po zásahu.",
    private_note="Důvěrné: osobní situace účastníka.",
    next_meeting="17.04.2025",
    areas=AREAS,
    short_areas=("ZÁKL", "KOM", "MED", "FIN", "DIG"),
    plan_note="Plán navazuje na vstupní hodnocení.",
    goals="Umí sestavit rozpočet domácnosti.",
    activity_detail="kurz finanční gramotnosti, 8 h",
    responsible="Bc. Miroslav Šťastný",
    success_measure="Sestaví rozpočet bez pomoci.",
    review_note="Plní průběžně.",
    final_evaluation="Cíle splněny ve třech oblastech.",
    police_head="Mgr. Pavel Strážný",
    assessor="Ing. Šárka Řezníčková, Ďurďovská",
    method="pozorování při výkonu práce",
)
LONG = Texts(
    project=filler("project.name", "P"),
    beneficiary=filler("project.beneficiary", "B"),
    registration="CZ.03.02.01/00/22_018/0000388/" + "9" * 30,  # 60: its maximum
    topic=filler("session.topic", "T"),
    place=filler("session.place", "M"),
    lecturer=filler("session.lecturer", "E"),
    leader=filler("session.lecturer", "V"),
    mentor=filler("project.mentor_name", "N"),
    conclusions=filler("session.conclusions", "C", paragraphs=True),
    agreed_steps=filler("session.agreed_steps", "K", paragraphs=True),
    private_note=filler("session.private_note", "D", paragraphs=True),
    next_meeting="17.04.2025 v 9:00, " + filler("session.place", "S")[:200],
    areas=tuple(filler("area.label", f"A{i}") for i in range(5)),
    short_areas=tuple(f"ŽLUŤOUČKÝ{i}Á"[:12] for i in range(5)),
    plan_note=filler("plan.note", "PN", paragraphs=True),
    goals=filler("goal.goals", "G", paragraphs=True),
    activity_detail=filler("goal.activity_detail", "AD", paragraphs=True),
    responsible=filler("goal.responsible", "R"),
    success_measure=filler("goal.success_measure", "SM", paragraphs=True),
    review_note=filler("review.note", "RN", paragraphs=True),
    final_evaluation=filler("plan.final_evaluation", "FE", paragraphs=True),
    police_head=filler("plan.police_head_name", "H"),
    assessor=filler("assessment.assessor", "AS"),
    method=filler("assessment.method", "ME"),
)
assert len(LONG.registration) == max_length("project.registration_number")


# ---- cases ---------------------------------------------------------------------------------------

SESSION_KINDS = ("attendance", "supervision", "mentoring")
BLANK_KINDS = ("attendance-blank", "supervision-blank", "mentoring-blank")
OTHER_KINDS = ("idp", "progress-assistant", "progress-team")
RECORD_KINDS: dict[str, RecordKind] = {"supervision": SUPERVISION, "mentoring": MENTORING}
RECORD_ID = 12
# Rows of 4,000-character texts (IDP goals and reviews, evidence with the longest names): a few
# show that such rows split across pages; forty would only add a hundred pages and a minute
# (test_limits.py prints every goal at its maximum).
LONG_ROWS = 2


@dataclass(frozen=True)
class Case:
    kind: str
    long: bool
    people: int
    logo: bool
    note: bool = False  # print the private note (records)

    @property
    def id(self) -> str:
        parts = [self.kind, "long" if self.long else "short", f"{self.people}p"]
        parts += ["logo"] * self.logo + ["note"] * self.note
        return "-".join(parts)

    @property
    def texts(self) -> Texts:
        return LONG if self.long else SHORT

    @property
    def blank(self) -> bool:
        return self.kind.endswith("-blank")


def _cases() -> list[Case]:
    """Pairwise per kind: all (participants, texts) pairs; logo and note alternate so that
    every pair of values of any two parameters occurs, the worst case among them."""
    cases = []
    for kind in (*SESSION_KINDS, *OTHER_KINDS):
        for i, people in enumerate(PEOPLE_COUNTS):
            for j, long in enumerate((False, True)):
                logo = (i + j + 1) % 2 == 1
                note = kind in RECORD_KINDS and (j + (i // 2) % 2) % 2 == 1
                cases.append(Case(kind, long, people, logo, note))
    for kind in BLANK_KINDS:
        for long in (False, True):
            for logo in (False, True):
                cases.append(Case(kind, long, 0, logo))
    return cases


CASES = _cases()
WORST = [c for c in CASES if c.long and c.people in (0, 40)]  # blank sheets have 0


def _pairs_covered() -> bool:
    for kind in (*SESSION_KINDS, *OTHER_KINDS):
        own = [c for c in CASES if c.kind == kind]
        values = [
            (c.people, c.long, c.logo) + ((c.note,) if kind in RECORD_KINDS else ()) for c in own
        ]
        width = len(values[0])
        for a in range(width):
            for b in range(a + 1, width):
                wanted = {(x[a], y[b]) for x in values for y in values}
                if {(v[a], v[b]) for v in values} != wanted:
                    return False
    return True


def test_the_cases_cover_every_pair_and_the_worst_case() -> None:
    assert _pairs_covered()
    assert Case("supervision", True, 40, True, True) in CASES
    assert Case("mentoring", True, 40, True, True) in CASES
    assert Case("attendance", True, 40, True) in CASES


# ---- building ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What one built PDF must show."""

    sheet_id: str
    record_id: int | None
    title: str
    day: date | None
    fields: tuple[str, ...]  # every text that must extract from the PDF
    # signature block: text on its page(s) and what must share the page with it
    signature_marker: str = "Datum: …"
    # sheets without a signature table: any of these on the page of the signatures shows that
    # it shares the page with the sheet's content
    with_signature: tuple[str, ...] = ()
    private_note: str = ""  # printed, on an annex of its own


@dataclass
class Built:
    case: Case
    pdf: bytes
    expected: Expected
    cell_pages: dict[int, int] = field(default_factory=dict)  # document page → signature cells
    sheets: tuple[tuple[str, int | None, int, int], ...] = ()  # id, record, first page, pages
    layouts: tuple[SheetLayout, ...] = ()


def _logo(folder: Path) -> Path:
    """A wide logolink like the official one (EU emblem, text, OPZ+ logo), in colour."""
    path = folder / LOGO_FILE
    if not path.exists():
        image = Image.new("RGB", (2400, 300), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 450, 300), fill=(0, 51, 153))
        for k in range(12):
            draw.ellipse((200 + 6 * k, 60 + 14 * k, 230 + 6 * k, 90 + 14 * k), fill=(255, 204, 0))
        draw.rectangle((500, 110, 1500, 190), fill=(0, 51, 153))
        draw.rectangle((1700, 40, 2380, 260), fill=(200, 30, 40))
        image.save(path)
    return path


def _header(case: Case, logo: Path) -> SheetHeader:
    t = case.texts
    return SheetHeader(t.beneficiary, t.project, t.registration, str(logo) if case.logo else "")


def _participants(case: Case) -> tuple[tuple[str, str], ...]:
    return tuple(person(i, case.long) for i in range(case.people))


def _session_sheet(case: Case, header: SheetHeader) -> AttendanceSheetData | RecordSheetData:
    t = case.texts
    day = date(2025, 3, 20)
    if case.kind == "attendance-blank":  # as db.services.sessions_print.blank_sheets makes it
        return AttendanceSheetData(
            header=header,
            sheet_id="PL-BLANK-2025-03-20",
            day=day,
            mentor=t.mentor,
            area_options=t.areas,
            blank_rows=BLANK_SHEET_ROWS,
        )
    if case.blank:
        kind = RECORD_KINDS[case.kind.removesuffix("-blank")]
        return RecordSheetData(
            kind=kind,
            header=header,
            sheet_id=f"{kind.id_prefix}-BLANK-2025-03-20",
            activity_code="KA04",
            activity_name="Vzdělávání a supervize APK",
            day=day,
            area_options=t.areas,
            leader="" if kind is SUPERVISION else t.mentor,
        )
    participants = _participants(case)
    ids = tuple(range(100, 100 + len(participants)))
    if case.kind == "attendance":
        return AttendanceSheetData(
            header=header,
            sheet_id=f"PL-{RECORD_ID}",
            record_id=RECORD_ID,
            activity_code="KA02",
            activity_name="Vzdělávání APK",
            topic=t.topic,
            areas=t.areas,
            area_options=t.areas,
            form="prezenčně",
            day=day,
            start=time(9),
            end=time(12, 30),
            hours=Decimal(4),
            hours_unit="teaching",
            place=t.place,
            lecturers=tuple(p.strip() for p in t.lecturer.split(",")),
            mentor=t.mentor,
            participants=participants,
            participant_ids=ids,
            blank_rows=3,
        )
    kind = RECORD_KINDS[case.kind]
    return RecordSheetData(
        kind=kind,
        header=header,
        sheet_id=f"{kind.id_prefix}-{RECORD_ID}",
        record_id=RECORD_ID,
        activity_code="KA04",
        activity_name="Vzdělávání a supervize APK",
        leader=t.leader,
        leader_kind="externí" if kind is SUPERVISION else "",
        form=kind.forms[1],
        day=day,
        start=time(13),
        end=time(14, 30),
        hours=Decimal("1.5"),
        hours_unit="clock",
        place=t.place,
        areas=t.areas[:2],
        area_options=t.areas,
        participants=participants,
        participant_ids=ids,
        topic=t.topic,
        conclusions=t.conclusions,
        agreed_steps=t.agreed_steps,
        next_meeting=t.next_meeting,
        private_note=t.private_note,
        include_private_note=case.note,
    )


def _session_fields(case: Case, sheet: AttendanceSheetData | RecordSheetData) -> list[str]:
    t = case.texts
    names = [text for pair in _participants(case) for text in pair]
    if isinstance(sheet, AttendanceSheetData):
        if case.blank:
            return [*t.areas, t.mentor]
        return [t.topic, t.place, *sheet.lecturers, t.mentor, *t.areas, "9:00 – 12:30", *names]
    if case.blank:
        return [*t.areas, sheet.leader, sheet.activity_name]
    return [
        sheet.leader,
        t.place,
        *t.areas[:2],
        t.topic,
        t.conclusions,
        t.agreed_steps,
        t.next_meeting,
        "13:00 – 14:30",
        *names,
    ]


def _build_session(case: Case, header: SheetHeader) -> Built:
    sheet = _session_sheet(case, header)
    document = build_document(SheetBatch(header, (sheet,), "Matice", "matice.pdf"))
    cell_pages: dict[int, int] = {}
    sheets = []
    for layout in document.layouts:
        sheets.append((layout.sheet_id, layout.record_id, layout.first_page, layout.page_count))
        for cell in layout.cells:
            page = layout.first_page + cell.page - 1
            cell_pages[page] = cell_pages.get(page, 0) + 1
    title = sheet.kind.title if isinstance(sheet, RecordSheetData) else "Prezenční listina"
    expected = Expected(
        sheet.sheet_id,
        sheet.record_id,
        title,
        sheet.day,
        tuple(_session_fields(case, sheet)),
        private_note=case.texts.private_note if case.note else "",
    )
    return Built(case, document.pdf, expected, cell_pages, tuple(sheets), document.layouts)


def _idp(case: Case, header: SheetHeader) -> Built:
    t = case.texts
    name = person(0, case.long)[0]
    goals = tuple(
        IdpGoal(
            area_label=t.areas[i % 5],
            goals=t.goals,
            activities="vzdělávání/školení, praxe",
            activity_detail=t.activity_detail,
            responsible=t.responsible,
            deadline=date(2024, 3, 1),
            success_measure=t.success_measure,
            status="probíhá",
        )
        for i in range(min(case.people, LONG_ROWS if case.long else 5))
    )
    reviews = tuple(
        IdpReview(date(2023, 10, 1), t.areas[i % 5], "plní se", t.review_note)
        for i in range(min(case.people, LONG_ROWS) if case.long else case.people)
    )
    data = IdpSheetData(
        header=header,
        plan_id=7,
        version=2,
        assistant_name=name,
        position_number=3,
        mentor_name=t.mentor,
        period_start=date(2023, 4, 1),
        period_end=date(2024, 3, 31),
        signed_on=date(2023, 4, 20),
        note=t.plan_note,
        goals=goals,
        reviews=reviews,
        final_evaluation=t.final_evaluation,
        include_police_head=True,
        police_head_name=t.police_head,
    )
    fields = [name, t.mentor, t.plan_note, t.final_evaluation, t.police_head]
    if goals:
        fields += [*t.areas[: len(goals)], t.goals, t.activity_detail, t.responsible]
        fields += [t.success_measure]
    if reviews:
        fields.append(t.review_note)
    expected = Expected(
        data.sheet_id,
        data.plan_id,
        "Plán individuálního rozvoje",
        None,
        tuple(fields),
        with_signature=(t.final_evaluation.split()[-1],),
    )
    return Built(case, build_idp_pdf(data), expected)


def _area_refs(t: Texts) -> tuple[AreaRef, ...]:
    return tuple(AreaRef(i, f"a{i}", t.areas[i], t.short_areas[i]) for i in range(5))


def _observation(index: int, day: date, level: int) -> Observation:
    return Observation(index, day, level, 1, 5)


def _progress_of(person_index: int) -> tuple[AreaProgress, ...]:
    first = _observation(2 * person_index, date(2023, 4, 12), 2)
    return tuple(
        AreaProgress(
            area, first, _observation(2 * person_index + 1, date(2024, 3, 1), 2 + area % 3), 2
        )
        for area in range(5)
    )


def _evidence(t: Texts, person_index: int, name: str) -> list[EvidenceRow]:
    return [
        EvidenceRow(
            2 * person_index + k,
            person_index,
            name,
            day,
            kind,
            t.assessor,
            t.method,
            1,
            5,
            dict.fromkeys(range(5), level),
        )
        for k, (day, kind, level) in enumerate(
            ((date(2023, 4, 12), "entry", 2), (date(2024, 3, 1), "final", 4))
        )
    ]


TODAY = date(2024, 3, 31)
NO_EVIDENCE = "Zatím nebylo zaznamenáno"  # the evidence table when there is no assessment


def _progress_assistant(case: Case, header: SheetHeader) -> Built:
    t = case.texts
    name = person(0, case.long)[0]
    status = PersonStatus(1, name, 1, True, "01.04.2023 – 31.03.2024")
    history = [row for i in range(case.people) for row in _evidence(t, 0, name)[i % 2 : i % 2 + 1]]
    data = AssistantProgress(status, _area_refs(t), _progress_of(0), tuple(history))
    pdf = assistant_progress_pdf(header, data, TODAY, "1 = začátečník … 5 = expert")
    fields = [name, *t.areas, *t.short_areas]
    if history:
        fields += [t.assessor, t.method]
    expected = Expected(
        f"POK-A1-{TODAY:%Y%m%d}",
        status.assistant_id,  # the record of an assistant's summary
        "Přehled pokroku",
        None,
        tuple(fields),
        with_signature=(t.areas[-1].split()[-1], t.assessor.split()[-1], NO_EVIDENCE),
    )
    return Built(case, pdf, expected)


def _progress_team(case: Case, header: SheetHeader) -> Built:
    t = case.texts
    rows = []
    evidence: list[EvidenceRow] = []
    for i in range(case.people):
        name = person(i, case.long)[0]
        areas = _progress_of(i)
        current = i != 1  # the second one has left
        rows.append(TeamRow(PersonStatus(i, name, i % 9 + 1, current, ""), areas))
        if not case.long or i < LONG_ROWS:
            evidence += _evidence(t, i, name)
    members = [(r.person.current, meets_goal(r.areas)) for r in rows]
    data = TeamProgress(_area_refs(t), tuple(rows), team_goal(members, 9), TODAY, tuple(evidence))
    pdf = team_progress_pdf(header, data, "1 = začátečník … 5 = expert")
    fields = [*t.areas, *t.short_areas, *(r.person.name for r in rows)]
    if evidence:
        fields += [t.assessor, t.method]
    expected = Expected(
        f"POK-TYM-{TODAY:%Y%m%d}",
        None,
        "Přehled pokroku",
        None,
        tuple(fields),
        with_signature=(t.areas[-1].split()[-1], t.assessor.split()[-1], NO_EVIDENCE),
    )
    return Built(case, pdf, expected)


def build(case: Case, logo: Path) -> Built:
    header = _header(case, logo)
    if case.kind == "idp":
        return _idp(case, header)
    if case.kind == "progress-assistant":
        return _progress_assistant(case, header)
    if case.kind == "progress-team":
        return _progress_team(case, header)
    return _build_session(case, header)


# ---- probing (each PDF built, rendered and decoded once) ---------------------------------------


@dataclass
class Probe:
    built: Built | None
    error: str = ""
    texts: tuple[str, ...] = ()
    codes: tuple[tuple[SheetCode, ...], ...] = ()  # per page, at SCAN_DPI
    ink: tuple[tuple[InkOutside, ...], ...] = ()  # per page, at SCAN_DPI


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The logolink image of the cases with a logo; the built sheets are kept (``_probe``)
    for the checks of this module only."""
    yield _logo(tmp_path_factory.mktemp("logolink"))
    _probe.cache_clear()


@cache
def _probe(case: Case, logo: Path) -> Probe:
    try:
        built = build(case, logo)
    except Exception as error:  # a layout error is the failure the first check reports
        return Probe(None, f"{type(error).__name__}: {error}")
    probed = ProbedPdf(built.pdf)
    try:
        codes, ink = [], []
        for page in range(probed.page_count):
            image = probed.render(page, SCAN_DPI)
            codes.append(tuple(codes_in(image)))
            ink.append(tuple(ink_outside(image, SCAN_DPI)))
        return Probe(built, "", probed.texts, tuple(codes), tuple(ink))
    finally:
        probed.close()


def probe(case: Case, logo: Path) -> Probe:
    result = _probe(case, logo)
    assert result.built is not None, f"{case.id}: the sheet is not built: {result.error}"
    return result


def expected_pages(result: Probe) -> list[tuple[str, int | None, int, int]]:
    """Per page of the PDF: (sheet id, record id, page within the sheet, pages of the sheet)."""
    assert result.built is not None
    sheets = result.built.sheets or (
        (result.built.expected.sheet_id, result.built.expected.record_id, 1, len(result.texts)),
    )
    pages: list[tuple[str, int | None, int, int]] = []
    for sheet_id, record_id, first, count in sheets:
        assert first == len(pages) + 1
        pages += [(sheet_id, record_id, n, count) for n in range(1, count + 1)]
    assert len(pages) == len(result.texts)
    return pages


# ---- the checks ----------------------------------------------------------------------------------

# Checks that fail only because a fix of issue 10 has not landed on main yet: test name →
# (reason, the cases that fail). Strict: a case that passes must leave its list at once.
PENDING: dict[str, list[tuple[str, set[str]]]] = {}


def params(test: str, cases: list[Case]) -> list[Any]:
    """``cases`` as parameters of ``test``, the pending ones marked strict xfail."""
    result = []
    for case in cases:
        marks = [
            pytest.mark.xfail(strict=True, reason=reason)
            for reason, failing in PENDING.get(test, [])
            if case.id in failing
        ]
        result.append(pytest.param(case, id=case.id, marks=marks))
    return result


@pytest.mark.parametrize("case", params("test_builds_without_layout_error", CASES))
def test_builds_without_layout_error(case: Case, logo: Path) -> None:
    result = _probe(case, logo)
    assert result.built is not None, result.error
    assert result.built.pdf.startswith(b"%PDF")


@pytest.mark.parametrize("case", params("test_every_page_has_header_footer_and_identifier", CASES))
def test_every_page_has_header_footer_and_identifier(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    t = case.texts
    project_start = normalised(" ".join(t.project.split()[:3]))
    for number, (text, (sheet_id, _, page, total)) in enumerate(
        zip(result.texts, expected_pages(result), strict=True), start=1
    ):
        flat = normalised(text)
        where = f"{case.id}, page {number}"
        assert project_start in flat, f"{where}: no project name in the header"
        assert normalised(t.registration) in flat, f"{where}: no registration number"
        assert normalised(f"Strana {page} / {total}") in flat, f"{where}: no page number"
        assert normalised(sheet_id) in flat, f"{where}: no identifier {sheet_id}"


@pytest.mark.parametrize(
    "case", params("test_every_page_carries_a_qr_code_readable_at_150_dpi", CASES)
)
def test_every_page_carries_a_qr_code_readable_at_150_dpi(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    for number, (codes, (sheet_id, record_id, page, _)) in enumerate(
        zip(result.codes, expected_pages(result), strict=True), start=1
    ):
        wanted = SheetCode(sheet_id, record_id, page)
        assert list(codes) == [wanted], f"{case.id}, page {number}: {codes} ≠ {wanted}"


@pytest.mark.parametrize("case", params("test_the_qr_code_reads_at_300_dpi_too", WORST))
def test_the_qr_code_reads_at_300_dpi_too(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    assert result.built is not None
    probed = ProbedPdf(result.built.pdf)
    try:
        for index, (_, record_id, page, _) in enumerate(expected_pages(result)):
            codes = probed.codes(index, FINE_DPI)
            assert [(c.sheet_id, c.record_id, c.page) for c in codes] == [
                (expected_pages(result)[index][0], record_id, page)
            ], f"{case.id}, page {index + 1}"
    finally:
        probed.close()


@pytest.mark.parametrize("case", params("test_the_qr_code_reads_from_a_poor_scan", WORST))
def test_the_qr_code_reads_from_a_poor_scan(case: Case, logo: Path) -> None:
    """Skewed, blurred, grey and noisy, at 150 and 300 dpi: the first and last page (the
    region around the code is degraded, the rest of the page does not matter)."""
    result = probe(case, logo)
    assert result.built is not None
    pages = expected_pages(result)
    probed = ProbedPdf(result.built.pdf)
    try:
        for index in sorted({0, len(pages) - 1}):
            sheet_id, record_id, page, _ = pages[index]
            for dpi in (SCAN_DPI, FINE_DPI):
                region = around_codes(probed.render(index, dpi), dpi)
                codes = codes_in(scan_like(region, seed=index))
                assert codes == [SheetCode(sheet_id, record_id, page)], (
                    f"{case.id}, page {index + 1} at {dpi} dpi: {codes}"
                )
    finally:
        probed.close()


@pytest.mark.parametrize("case", params("test_the_identifier_is_at_least_10_pt_black", WORST))
def test_the_identifier_is_at_least_10_pt_black(case: Case, logo: Path) -> None:
    """The only link from a scan back to its record must survive a poor scan."""
    result = probe(case, logo)
    assert result.built is not None
    probed = ProbedPdf(result.built.pdf)
    try:
        for index, (sheet_id, _, _, _) in enumerate(expected_pages(result)):
            styles = probed.styles_of(index, sheet_id)
            assert any(size >= 10 and colour == (0, 0, 0) for size, colour in styles), (
                f"{case.id}, page {index + 1}: {sheet_id} printed as {styles}"
            )
    finally:
        probed.close()


@pytest.mark.parametrize("case", params("test_the_eu_line_is_printed_once", CASES))
def test_the_eu_line_is_printed_once(case: Case, logo: Path) -> None:
    """The logolink image carries the statement; without it the text line says it."""
    result = probe(case, logo)
    for number, text in enumerate(result.texts, start=1):
        count = normalised(text).count(normalised(EU_LINE))
        assert count == (0 if case.logo else 1), f"{case.id}, page {number}: {count}× {EU_LINE}"


@pytest.mark.parametrize("case", params("test_the_pdf_properties", WORST))
def test_the_pdf_properties(case: Case, logo: Path) -> None:
    """Czech document language, XMP metadata, every font embedded (pdffonts lists no bare
    Helvetica)."""
    result = probe(case, logo)
    assert result.built is not None
    reader = PdfReader(io.BytesIO(result.built.pdf))
    root: Any = reader.trailer["/Root"]
    assert root.get("/Lang") == "cs-CZ"
    assert "/Metadata" in root
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts = resources.get_object().get("/Font", {})
        for name, font in fonts.get_object().items():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            assert descriptor is not None, f"{case.id}: font {name} {font.get('/BaseFont')}"
            assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2"))


@pytest.mark.parametrize(
    "case", params("test_every_later_page_repeats_title_date_and_identifier", CASES)
)
def test_every_later_page_repeats_title_date_and_identifier(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    expected = result.built.expected if result.built else None
    assert expected is not None
    for number, (text, (sheet_id, _, page, _)) in enumerate(
        zip(result.texts, expected_pages(result), strict=True), start=1
    ):
        if page == 1 or sheet_id != expected.sheet_id:
            continue
        flat = normalised(text)
        assert normalised(expected.title) in flat, f"{case.id}, page {number}: no title"
        if expected.day:
            assert format_date(expected.day) in flat, f"{case.id}, page {number}: no date"


def _signature_pages(result: Probe) -> list[int]:
    """1-based pages holding a signature line (its "Datum: …" blank)."""
    assert result.built is not None
    marker = normalised(result.built.expected.signature_marker)
    return [n for n, text in enumerate(result.texts, start=1) if marker in normalised(text)]


@pytest.mark.parametrize(
    "case", params("test_the_signature_block_shares_its_page_with_table_rows", CASES)
)
def test_the_signature_block_shares_its_page_with_table_rows(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    assert result.built is not None
    pages = _signature_pages(result)
    assert pages, f"{case.id}: no signature line"
    built = result.built
    if built.sheets:  # a signature table: at least its last two rows on each signature page
        rows = sum(built.cell_pages.values())
        for page in pages:
            on_page = built.cell_pages.get(page, 0)
            assert on_page >= min(2, rows), (
                f"{case.id}: page {page} has a signature line but {on_page} table rows"
            )
    else:
        for page in pages:
            flat = normalised(result.texts[page - 1])
            shared = [w for w in built.expected.with_signature if normalised(w) in flat]
            assert shared, f"{case.id}: signatures alone on page {page}"


@pytest.mark.parametrize("case", params("test_no_ink_outside_the_margins", CASES))
def test_no_ink_outside_the_margins(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    for number, ink in enumerate(result.ink, start=1):
        assert not ink, f"{case.id}, page {number}: ink in the blank band along the edge: {ink}"


@pytest.mark.parametrize("case", params("test_every_field_text_extracts", CASES))
def test_every_field_text_extracts(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    assert result.built is not None
    printed = "\n".join(result.texts)
    for text in result.built.expected.fields:
        missing = missing_words(text, printed)
        assert not missing, f"{case.id}: „{text[:40]}…“ misses {missing[:5]}"
    t = case.texts
    # the header lays out any accepted value in full (wrapped, then shrunk), on the first page
    first = result.texts[0]
    for text in (t.project, t.beneficiary):
        missing = missing_words(text, first)
        assert not missing, f"{case.id}: header „{text[:40]}…“ misses {missing[:5]}"


TABLE_CASES = [c for c in CASES if c.kind in (*SESSION_KINDS, *BLANK_KINDS)]


@pytest.mark.parametrize("case", params("test_every_row_shows_its_own_name_inside_it", TABLE_CASES))
def test_every_row_shows_its_own_name_inside_it(case: Case, logo: Path) -> None:
    """Read back row by row as the scan reader will: the text left of each signature cell and
    within its height is the row's number, name and position — nothing spills into another row
    (a long name must shrink, never overprint)."""
    result = probe(case, logo)
    assert result.built is not None
    people = _participants(case)
    probed = ProbedPdf(result.built.pdf)
    try:
        chars: dict[int, list[tuple[str, float, float]]] = {}
        for layout in result.built.layouts:
            for cell in layout.cells:
                page = layout.first_page + cell.page - 2
                if page not in chars:
                    chars[page] = probed.chars(page)
                row = "".join(
                    char
                    for char, x, y in chars[page]
                    if x < cell.x and cell.y < y < cell.y + cell.height
                )
                name, position = people[cell.row - 1] if cell.row <= len(people) else ("", "")
                assert cell.participant == name
                wanted = normalised(f"{cell.row}.{name}{position}")
                assert row == wanted, f"{case.id}, row {cell.row} on page {page + 1}: {row[:80]}"
    finally:
        probed.close()


RECORD_CASES = [c for c in CASES if c.kind in RECORD_KINDS]


@pytest.mark.parametrize(
    "case", params("test_the_private_note_is_only_on_a_separate_annex", RECORD_CASES)
)
def test_the_private_note_is_only_on_a_separate_annex(case: Case, logo: Path) -> None:
    result = probe(case, logo)
    assert result.built is not None
    note_words = [w for w in case.texts.private_note.split() if len(w) > 6][:3] or ["Důvěrné"]
    pages_with_note = [
        n
        for n, text in enumerate(result.texts, start=1)
        if any(normalised(w) in normalised(text) for w in note_words)
    ]
    if not case.note:
        assert not pages_with_note, f"{case.id}: the private note is printed unasked"
        return
    assert pages_with_note, f"{case.id}: the private note is not printed"
    pages = expected_pages(result)
    signature_pages = set(_signature_pages(result)) | set(result.built.cell_pages)
    main_id = result.built.expected.sheet_id
    for page in pages_with_note:
        assert page not in signature_pages, f"{case.id}: the note is on signed page {page}"
        sheet_id = pages[page - 1][0]
        assert sheet_id != main_id, f"{case.id}: the note's page {page} is part of {main_id}"
        assert normalised(sheet_id) in normalised(result.texts[page - 1])
    assert min(pages_with_note) > max(signature_pages), f"{case.id}: note before signatures"


# ---- the other builders give the same sheets ---------------------------------------------------


@pytest.mark.parametrize(
    "case",
    params(
        "test_the_one_sheet_builders_print_the_batch_sheet",
        [Case("attendance", True, 10, True), Case("supervision", True, 9, True, True)],
    ),
)
def test_the_one_sheet_builders_print_the_batch_sheet(case: Case, logo: Path) -> None:
    header = _header(case, logo)
    sheet = _session_sheet(case, header)
    if isinstance(sheet, AttendanceSheetData):
        single = build_attendance_sheet(sheet)
    else:
        single = build_record_sheet(sheet)
    batch = probe(case, logo)
    probed = ProbedPdf(single)
    try:
        strip = re.compile(r"Vytištěno \d\d\.\d\d\.\d{4}")
        assert [strip.sub("", t) for t in probed.texts] == [strip.sub("", t) for t in batch.texts]
    finally:
        probed.close()


def test_a_batch_keeps_each_sheet_with_its_own_code_and_pages(logo: Path) -> None:
    """A month's batch: sheets of every kind in one PDF, each page's QR code names its sheet."""
    chosen = [
        Case("attendance", False, 9, True),
        Case("supervision", True, 10, True),
        Case("mentoring", False, 1, True),
        Case("attendance-blank", False, 0, True),
    ]
    header = _header(chosen[0], logo)
    sheets = []
    for number, case in enumerate(chosen):
        sheet = _session_sheet(case, header)
        if sheet.record_id is not None:
            sheet = replace(sheet, record_id=number + 1, sheet_id=f"{sheet.sheet_id}{number}")
        sheets.append(sheet)
    document = build_document(SheetBatch(header, tuple(sheets), "Listy za 3/2025", "listy.pdf"))
    probed = ProbedPdf(document.pdf)
    try:
        assert [layout.sheet_id for layout in document.layouts][: len(sheets)] == [
            s.sheet_id for s in sheets
        ]
        for layout in document.layouts:
            for page in range(layout.page_count):
                codes = probed.codes(layout.first_page - 1 + page, SCAN_DPI)
                wanted = SheetCode(layout.sheet_id, layout.record_id, page + 1)
                assert codes == [wanted], f"{layout.sheet_id} page {page + 1}: {codes}"
    finally:
        probed.close()
