"""Přehled pokroku (progress summary) for one assistant or for the team: areas, first vs latest
level, the goal-1 indicator and the evidence (which assessments, by whom, when, how).

Takes the plain results of ``db.services.progress`` (frozen dataclasses, never ORM objects).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from apk_desktop.db.services.progress import (
    AreaRef,
    AssistantProgress,
    EvidenceRow,
    TeamProgress,
)
from apk_desktop.domain.czech_format import format_date
from apk_desktop.domain.progress import GOAL_1_TEXT, GOAL_MIN_AREAS, Trend
from apk_desktop.sheets.base import SheetHeader, build_pdf
from apk_desktop.sheets.parts import (
    field_table,
    gap,
    grid_table,
    heading,
    para,
    signature_lines,
    title,
)

IMPROVED_FILL = colors.HexColor("#d7f0d2")
MET_FILL = colors.HexColor("#d7f0d2")
NOT_MET_FILL = colors.HexColor("#fbe3d6")
PORTRAIT_WIDTH = 180 * mm
LANDSCAPE_WIDTH = 267 * mm


def _heading(text: str) -> Flowable:
    """A section heading that stays on the page of what follows it."""
    flowable = heading(text)
    flowable.keepWithNext = True
    return flowable


def goal_word(meets: bool) -> str:
    return "splněn" if meets else "nesplněn"


def _areas_legend(areas: Sequence[AreaRef]) -> str:
    return "; ".join(f"{a.short_label} = {a.label}" for a in areas)


def _levels_text(row: EvidenceRow, areas: Sequence[AreaRef]) -> str:
    parts = [f"{a.short_label} {row.levels[a.id]}" for a in areas if a.id in row.levels]
    scale = f" (škála {row.scale_min}–{row.scale_max})"
    return ", ".join(parts) + scale


def _evidence_table(
    rows: Sequence[EvidenceRow], areas: Sequence[AreaRef], width: float, with_name: bool
) -> Flowable:
    header = ["Datum", "Druh", "Hodnotil(a)", "Metoda", "Úrovně"]
    widths = [24 * mm, 22 * mm, 38 * mm, 38 * mm]
    if with_name:
        header.insert(0, "Asistent")
        widths.insert(0, 42 * mm)
    widths.append(width - sum(widths))
    data = []
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
        return para("Zatím nebylo zaznamenáno žádné hodnocení.")
    return grid_table(header, data, widths)


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
        _heading("Vzdělávací oblasti: první a poslední hodnocení"),
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
                progress.trend.label,
            ]
        )
    table = grid_table(
        ["Oblast", "První hodnocení", "Poslední hodnocení", "Vývoj"],
        rows,
        [72 * mm, 38 * mm, 38 * mm, 32 * mm],
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
            "poloha na škále). Oblasti se zlepšením jsou zvýrazněny.",
            "small",
        )
    )
    story += [
        _heading("Doklady: provedená hodnocení"),
        _evidence_table(data.history, data.areas, PORTRAIT_WIDTH, with_name=False),
        gap(1),
        para(_areas_legend(data.areas), "small"),
        gap(6),
        KeepTogether([signature_lines(["Asistent/ka", "Mentor"], PORTRAIT_WIDTH)]),
    ]
    return build_pdf(
        header,
        story,
        sheet_id=f"POK-A{person.assistant_id}-{today:%Y%m%d}",
        title=f"Přehled pokroku – {person.name}",
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
        _heading("Vzdělávací oblasti: první → poslední úroveň"),
    ]
    area_width = (LANDSCAPE_WIDTH - 12 * mm - 50 * mm - 22 * mm - 24 * mm) / max(len(data.areas), 1)
    header_row = ["Poz.", "Asistent/ka", *[a.label for a in data.areas], "Zlepšeno", "Cíl 1"]
    rows = []
    for r in data.rows:
        name = r.person.name if r.person.current else f"{r.person.name} (již nepracuje)"
        rows.append(
            [
                str(r.person.position_number or ""),
                name,
                *[p.text() for p in r.areas],
                f"{r.improved} z {len(r.areas)}",
                goal_word(r.meets) + ("" if r.person.current else " *"),
            ]
        )
    table = grid_table(
        header_row,
        rows,
        [12 * mm, 50 * mm, *[area_width] * len(data.areas), 22 * mm, 24 * mm],
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
        if not r.person.current:
            commands.append(("TEXTCOLOR", (0, y), (-1, y), colors.HexColor("#666666")))
    table.setStyle(commands)
    story += [table, gap(1)]
    notes = [
        "Hodnoty: první → poslední úroveň; jediné hodnocení je uvedeno samostatně; "
        "– = nehodnoceno. Zvýrazněné buňky = zlepšení. "
        "Asistent splňuje cíl 1 při zlepšení alespoň ve "
        f"{GOAL_MIN_AREAS} oblastech; tým, když cíl splňuje každý, kdo je nyní v pozici.",
        "* Kdo z projektu odešel, je uveden se svým pokrokem, ale do plnění cíle týmem se "
        "nezapočítává; jeho nástupce se hodnotí podle vlastních hodnocení.",
    ]
    if scale_legend:
        notes.append(f"Škála: {scale_legend}")
    story += [para(n, "small") for n in notes]
    story += [
        _heading("Doklady: hodnocení, z nichž přehled vychází (první a poslední)"),
        _evidence_table(data.evidence, data.areas, LANDSCAPE_WIDTH, with_name=True),
        gap(1),
        para(_areas_legend(data.areas), "small"),
        gap(6),
        KeepTogether([signature_lines(["Mentor", "Vedoucí městské policie"], LANDSCAPE_WIDTH)]),
    ]
    return build_pdf(
        header,
        story,
        sheet_id=f"POK-TYM-{data.today:%Y%m%d}",
        title="Přehled pokroku – tým",
        wide=True,
    )
