"""The printed individual development plan (Plán individuálního rozvoje, IDP).

``build_idp_pdf(data)`` takes plain data (``IdpSheetData``, filled by
``db.services.plans.idp_sheet_data``) and returns the PDF bytes. reportlab is imported only
when a sheet is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.plans import period_text, sheet_id

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from apk_desktop.sheets.base import SheetHeader

TITLE = "Plán individuálního rozvoje"
BLANK_CELL = "\u00a0\n\u00a0"


@dataclass(frozen=True)
class IdpGoal:
    """One chosen education area with its goals, as printed."""

    area_label: str
    goals: str
    activities: str  # kinds as Czech text, e.g. "vzdělávání/školení, praxe"
    activity_detail: str
    responsible: str
    deadline: date | None
    success_measure: str
    status: str  # Czech label
    entry_level: str = ""  # "Vstupní úroveň" (from the assessments, when known)


@dataclass(frozen=True)
class IdpReview:
    review_date: date
    subject: str  # area label or "Celý plán"
    status: str  # Czech label
    note: str


@dataclass(frozen=True)
class IdpSheetData:
    header: SheetHeader
    plan_id: int
    version: int
    assistant_name: str
    position_number: int | None
    mentor_name: str
    period_start: date
    period_end: date
    signed_on: date | None
    note: str
    goals: tuple[IdpGoal, ...]
    reviews: tuple[IdpReview, ...]
    final_evaluation: str
    include_police_head: bool = False
    police_head_name: str = ""
    show_entry_levels: bool = False  # print the "Vstupní úroveň" row (assessments hook)

    @property
    def sheet_id(self) -> str:
        return sheet_id(self.plan_id, self.version)


def _goal_block(index: int, goal: IdpGoal, data: IdpSheetData, width: float) -> Flowable:
    from apk_desktop.sheets.parts import field_table, kept_with_start, para

    activities = goal.activities
    if goal.activity_detail:
        activities = f"{activities}\n{goal.activity_detail}" if activities else goal.activity_detail
    rows: list[tuple[str, str]] = []
    if data.show_entry_levels:
        rows.append(("Vstupní úroveň", goal.entry_level or "–"))
    rows += [
        ("Cíle", goal.goals),
        ("Plánované aktivity", activities or "–"),
        ("Odpovědná osoba", goal.responsible or "–"),
        ("Termín", format_date(goal.deadline) or "–"),
        ("Měřítko úspěchu", goal.success_measure or "–"),
        ("Stav", goal.status),
    ]
    table = field_table(rows, width)  # a very long goal text continues on the next page
    return kept_with_start([para(f"{index}. {goal.area_label}", "label", hyphenate=False), table])


def build_idp_story(data: IdpSheetData, width: float) -> list[Flowable]:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether

    from apk_desktop.sheets.parts import (
        field_table,
        gap,
        grid_table,
        heading,
        para,
        signature_lines,
        text_paragraphs,
        title,
        with_heading,
        write_in_box,
    )

    state = (
        f"podepsaná verze {data.version} (podepsáno {format_date(data.signed_on)})"
        if data.signed_on
        else f"verze {data.version} – návrh k projednání"
    )
    assistant = data.assistant_name
    if data.position_number is not None:
        assistant += f" (pozice č. {data.position_number})"
    facts = [
        ("Asistent/ka prevence kriminality", assistant),
        ("Mentor/ka", data.mentor_name or "…………………………………………"),
        ("Období plánu", period_text(data.period_start, data.period_end)),
        ("Verze plánu", state),
    ]
    if data.note:
        facts.append(("Poznámka", data.note))
    story: list[Flowable] = [title(TITLE), field_table(facts, width, label_width=55 * mm)]

    goals: list[Flowable] = []
    for index, goal in enumerate(data.goals, start=1):
        goals += [_goal_block(index, goal, data, width), gap(3)]
    if not goals:
        goals.append(para("Plán zatím neobsahuje žádné cíle.", "small"))
    story += with_heading("Cíle a plánované aktivity podle vzdělávacích oblastí", goals)

    review_header = ["Datum", "Oblast / cíl", "Stav", "Poznámka"]
    review_widths = [25 * mm, 48 * mm, 32 * mm, width - 105 * mm]
    review_rows = [[format_date(r.review_date), r.subject, r.status, r.note] for r in data.reviews]
    # Blank rows (two lines high) for reviews written in by hand.
    review_rows += [[BLANK_CELL] * 4] * (2 if review_rows else 3)
    reviews = grid_table(review_header, review_rows, review_widths)
    reviews.splitInRow = 1
    # reportlab misplaces middle-aligned cells of a split row (above the page, cut off)
    reviews.setStyle([("VALIGN", (0, 1), (-1, -1), "TOP")])
    story += with_heading("Průběžná hodnocení plánu", [reviews])
    signers = [f"Asistent/ka: {data.assistant_name}", f"Mentor/ka: {data.mentor_name}".rstrip()]
    if data.include_police_head:
        head = "Vedoucí městské policie"
        signers.append(f"{head}: {data.police_head_name}" if data.police_head_name else head)
    sign_off = [
        heading("Podpisy"),
        para(
            "Svým podpisem potvrzujeme, že jsme plán společně projednali a souhlasíme s ním.",
            "small",
        ),
        signature_lines(signers, width),
    ]
    # The signatures never stand alone on the last page: the evaluation's end comes along.
    *final, last = text_paragraphs(data.final_evaluation) or [write_in_box(width, 30 * mm)]
    if final:
        story += with_heading("Závěrečné hodnocení", [*final, KeepTogether([last, *sign_off])])
    else:
        story.append(KeepTogether([heading("Závěrečné hodnocení"), last, *sign_off]))
    return story


def build_idp_pdf(data: IdpSheetData) -> bytes:
    """The IDP as an A4 PDF with the shared header and footer (sheet id ``IDP-<id>-v<n>``)."""
    from apk_desktop.sheets.base import build_pdf
    from apk_desktop.sheets.parts import PAGE_WIDTH

    story = build_idp_story(data, PAGE_WIDTH)
    return build_pdf(
        data.header,
        story,
        sheet_id=data.sheet_id,
        title=f"{TITLE} – {data.assistant_name}",
        record_id=data.plan_id,
        running_line=" · ".join(
            (TITLE, data.assistant_name, period_text(data.period_start, data.period_end))
        ),
    )


def suggested_file_name(data: IdpSheetData) -> str:
    """E.g. ``IDP-12-v2 Novakova Jana.pdf`` (plain ASCII, fit for any file system)."""
    from apk_desktop.domain.file_names import safe_file_name

    return safe_file_name(f"{data.sheet_id} {data.assistant_name}.pdf", ascii_only=True)
