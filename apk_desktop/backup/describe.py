"""Czech descriptions of backups for the screen and the command line."""

from __future__ import annotations

from apk_desktop.backup.archive import Manifest
from apk_desktop.domain.czech_text import plural

# Known tables in the mentor's words, in this order; any other table is shown by its own name.
TABLE_LABELS = {
    "project": "projekty",
    "education_area": "vzdělávací oblasti",
    "position": "pozice",
    "assistant": "asistenti",
    "employment": "pracovní poměry",
    "plan": "plány rozvoje",
    "plan_goal": "cíle plánů",
    "plan_review": "revize plánů",
    "assessment_scale": "hodnoticí škály",
    "assessment": "hodnocení",
    "training_session": "akce (vzdělávání, supervize, mentoring)",
    "session_participant": "účastníci akcí",
    "evidence_file": "přiložené soubory",
}
# Code lists and link tables: their counts mean nothing to the mentor.
INTERNAL_TABLES = frozenset(
    {"key_activity", "scale_level", "assessment_level", "session_series", "session_area"}
)


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def describe_project(manifest: Manifest) -> str:
    """Whose data the backup holds."""
    from apk_desktop.backup.projects import manifest_project

    project = manifest_project(manifest)
    if project is not None:
        return f"Projekt: {project.label}"
    projects = manifest.counts.get("project", 0)
    if projects > 1:
        return f"Projekty: celá databáze ({plural(projects, 'projekt', 'projekty', 'projektů')})"
    return "Projekt: neuveden (starší záloha; patří prvnímu projektu v databázi)"


def describe_manifest(manifest: Manifest) -> str:
    created = manifest.created_at
    lines = [
        describe_project(manifest),
        f"Vytvořeno: {created:%d.%m.%Y %H:%M}",
        f"Verze aplikace: {manifest.app_version}, revize databáze: "
        f"{manifest.schema_revision or '—'}",
    ]
    if manifest.scans_included:
        size = sum(
            int(info["size"])
            for name, info in manifest.members.items()
            if name.startswith("scans/")
        )
        files = plural(manifest.scan_count, "soubor", "soubory", "souborů")
        lines.append(f"Skeny: {files} ({format_size(size)})")
    else:
        lines.append("Skeny: nejsou součástí zálohy (současné skeny zůstanou)")
    lines.append("Záznamy:")
    order = list(TABLE_LABELS)
    shown = [t for t in manifest.counts if t not in INTERNAL_TABLES]
    for table in sorted(shown, key=lambda t: (order.index(t) if t in order else len(order), t)):
        lines.append(f"  {TABLE_LABELS.get(table, table)}: {manifest.counts[table]}")
    return "\n".join(lines)
