"""Přehled pokroku (progress summary) for one assistant or for the team: areas, first vs latest
level, the goal-1 indicator and the evidence (which assessments, by whom, when, how).

Takes the plain values of ``domain.progress_report`` (filled by ``db.services.progress``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.progress import GOAL_1_TEXT, GOAL_MIN_AREAS, Trend
from apk_desktop.domain.progress_report import (
    AreaRef,
    AssistantProgress,
    EvidenceRow,
    TeamProgress,
)
from apk_desktop.sheets.base import SheetHeader, build_pdf
from apk_desktop.sheets.parts import (
    LANDSCAPE_WIDTH,
    PAGE_WIDTH,
    field_table,
    gap,
    grid_table,
    heading,
    para,
    signature_lines,
    title,
    with_heading,
)

IMPROVED_FILL = colors.HexColor("#d7f0d2")
MET_FILL = colors.HexColor("#d7f0d2")
NOT_MET_FILL = colors.HexColor("#fbe3d6")
# Improvement is marked by a symbol as well as the fill, which a greyscale scan loses.
IMPROVED_MARK = "▲"
PORTRAIT_WIDTH = PAGE_WIDTH


def goal_word(meets: bool) -> str:
    return "splněn" if meets else "nesplněn"


def area_code(area: AreaRef) -> str:
    """The Czech short label of an area (Nastavení), or its label when it has none."""
    return area.short_label or area.label


def _areas_legend(areas: Sequence[AreaRef]) -> str:
    return "Oblasti: " + "; ".join(f"{area_code(a)} = {a.label}" for a in areas)


def marked(text: str, improved: bool) -> str:
    """``text`` with the improvement mark in front when ``improved``."""
    return f"{IMPROVED_MARK}\u00a0{text}" if improved else text


def _levels_text(row: EvidenceRow, areas: Sequence[AreaRef]) -> str:
    parts = [f"{area_code(a)} {row.levels[a.id]}" for a in areas if a.id in row.levels]
    scale = f" (škála {row.scale_min}–{row.scale_max})"
    return ", ".join(parts) + scale


def _evidence_table(
    rows: Sequence[EvidenceRow],
    areas: Sequence[AreaRef],
    width: float,
    with_name: bool,
    closing: Sequence[Flowable],
) -> list[Flowable]:
    """The assessments behind the summary; ``closing`` (the signatures) shares a page with
    its last rows."""
    header = ["Datum", "Druh", "Hodnotil(a)", "Metoda", "Úrovně"]
    widths = [24 * mm, 22 * mm, 38 * mm, 38 * mm]
    if with_name:
        header.insert(0, "Asistent")
        widths.insert(0, 42 * mm)
    widths.append(width - sum(widths))
    data: list[list[str]] = []
    for r in rows:
        cells = [
            format_date(r.assessed_on),
            r.kind_label,
            r.assessor,
            r.method,
            _levels_text(r, areas),
        ]
        if with_name:
            cells.insert(0, r.assistant_name)
        data.append(cells)
    if not data:
        return [para("Zatím nebylo zaznamenáno žádné hodnocení."), KeepTogether(list(closing))]
    offset = 1 if with_name else 0
    names = {offset + 2, *([0] if with_name else [])}  # who was assessed and who assessed
    return [grid_table(header, data, widths, name_columns=names, tail=closing)]


def assistant_progress_pdf(
    header: SheetHeader, data: AssistantProgress, today: date, scale_legend: str = ""
) -> bytes:
    """The progress summary of one assistant (A4 portrait)."""
    person = data.person
    status = "v pozici" if person.current else "již nepracuje v projektu (nezapočítává se do týmu)"
    story: list[Flowable] = [
        title(f"Přehled pokroku – {person.name}"),
        field_table(
            [
                ("Asistent/ka", person.name),
                ("Pozice", f"č. {person.position_number}" if person.position_number else "–"),
                ("Období v projektu", person.period_text or "–"),
                ("Stav k", f"{format_date(today)} ({status})"),
                (
                    "Cíl 1 projektu",
                    f"{goal_word(data.meets)} – zlepšení v {data.improved} z {len(data.areas)} "
                    f"oblastí (potřeba alespoň {GOAL_MIN_AREAS})",
                ),
            ],
            PORTRAIT_WIDTH,
        ),
        gap(2),
        para(f"Cíl 1: {GOAL_1_TEXT}", "small"),
        heading("Vzdělávací oblasti: první a poslední hodnocení"),
    ]
    rows = []
    for area, progress in zip(data.areas, data.progress, strict=True):
        first = progress.first
        latest = progress.latest
        rows.append(
            [
                area.label,
                f"{first.level_text()} ({format_date(first.on)})" if first else "–",
                f"{latest.level_text()} ({format_date(latest.on)})"
                if latest and progress.trend is not Trend.SINGLE
                else "–",
                marked(progress.trend.label, progress.improved),
            ]
        )
    table = grid_table(
        ["Oblast", "První hodnocení", "Poslední hodnocení", "Vývoj"],
        rows,
        [PORTRAIT_WIDTH - 108 * mm, 38 * mm, 38 * mm, 32 * mm],
    )
    for index, progress in enumerate(data.progress, start=1):
        if progress.improved:
            table.setStyle([("BACKGROUND", (0, index), (-1, index), IMPROVED_FILL)])
    story += [table, gap(1)]
    if scale_legend:
        story.append(para(f"Škála: {scale_legend}", "small"))
    story.append(
        para(
            "Zlepšení = poslední úroveň je vyšší než první (při změně škály se porovnává poměrná "
            f"poloha na škále). Oblasti se zlepšením jsou označeny {IMPROVED_MARK} a zvýrazněny.",
            "small",
        )
    )
    closing = [
        gap(1),
        para(_areas_legend(data.areas), "small"),
        gap(6),
        signature_lines(["Asistent/ka", "Mentor"], PORTRAIT_WIDTH),
    ]
    story += with_heading(
        "Doklady: provedená hodnocení",
        _evidence_table(data.history, data.areas, PORTRAIT_WIDTH, False, closing),
    )
    return build_pdf(
        header,
        story,
        sheet_id=f"POK-A{person.assistant_id}-{today:%Y%m%d}",
        title=f"Přehled pokroku – {person.name}",
        record_id=person.assistant_id,
        running_line=f"Přehled pokroku · {person.name} · stav k {format_date(today)}",
    )


def team_progress_pdf(header: SheetHeader, data: TeamProgress, scale_legend: str = "") -> bytes:
    """The progress summary of the team (A4 landscape): the matrix, the goal, the evidence."""
    goal = data.goal
    story: list[Flowable] = [
        title("Přehled pokroku – tým asistentů prevence kriminality"),
        field_table(
            [
                ("Stav k", format_date(data.today)),
                ("Cíl 1 projektu", GOAL_1_TEXT),
                ("Plnění cíle 1 týmem", f"{goal_word(goal.meets)} – {goal.text()}"),
            ],
            LANDSCAPE_WIDTH,
        ),
        heading("Vzdělávací oblasti: první → poslední úroveň"),
    ]
    fixed = [12 * mm, 60 * mm, 22 * mm, 24 * mm]
    area_width = (LANDSCAPE_WIDTH - sum(fixed)) / max(len(data.areas), 1)
    header_row = ["Poz.", "Asistent/ka", *[area_code(a) for a in data.areas], "Zlepšeno", "Cíl 1"]
    rows = []
    for r in data.rows:
        name = r.person.name if r.person.current else f"{r.person.name} (již nepracuje)"
        rows.append(
            [
                str(r.person.position_number or ""),
                name,
                *[marked(p.text(), p.improved) for p in r.areas],
                f"{r.improved} z {len(r.areas)}",
                goal_word(r.meets) + ("" if r.person.current else " *"),
            ]
        )
    departed = {index for index, r in enumerate(data.rows) if not r.person.current}
    table = grid_table(
        header_row,
        rows,
        [*fixed[:2], *[area_width] * len(data.areas), *fixed[2:]],
        name_columns={1},
        muted_rows=departed,
    )
    commands: list[Any] = []
    goal_col = 2 + len(data.areas) + 1
    for y, r in enumerate(data.rows, start=1):
        for x, p in enumerate(r.areas, start=2):
            if p.improved:
                commands.append(("BACKGROUND", (x, y), (x, y), IMPROVED_FILL))
        commands.append(
            ("BACKGROUND", (goal_col, y), (goal_col, y), MET_FILL if r.meets else NOT_MET_FILL)
        )
    table.setStyle(commands)
    story += [table, gap(1)]
    notes = [
        "Hodnoty: první → poslední úroveň; jediné hodnocení je uvedeno samostatně; "
        f"– = nehodnoceno. {IMPROVED_MARK} a zvýrazněná buňka = zlepšení. "
        "Asistent splňuje cíl 1 při zlepšení alespoň ve "
        f"{GOAL_MIN_AREAS} oblastech; tým, když cíl splňuje každý, kdo je nyní v pozici.",
        "* Kdo z projektu odešel, je uveden šedě se svým pokrokem, ale do plnění cíle týmem se "
        "nezapočítává; jeho nástupce se hodnotí podle vlastních hodnocení.",
        _areas_legend(data.areas),
    ]
    if scale_legend:
        notes.append(f"Škála: {scale_legend}")
    story += [para(n, "small") for n in notes]
    closing = [gap(6), signature_lines(["Mentor", "Vedoucí městské policie"], LANDSCAPE_WIDTH)]
    story += with_heading(
        "Doklady: hodnocení, z nichž přehled vychází (první a poslední)",
        _evidence_table(data.evidence, data.areas, LANDSCAPE_WIDTH, True, closing),
    )
    return build_pdf(
        header,
        story,
        sheet_id=f"POK-TYM-{data.today:%Y%m%d}",
        title="Přehled pokroku – tým",
        wide=True,
        running_line=f"Přehled pokroku – tým · stav k {format_date(data.today)}",
    )
