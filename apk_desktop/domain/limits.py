"""Every free-text field: its maximum length, whether it may hold several lines, and the
cleaning of typed (or pasted) text before it is stored.

The maximum lengths are chosen so that every printed sheet can lay a field out at its maximum
(``tests/sheets/test_limits.py`` builds each sheet with every field at its maximum). The
services enforce them on save; the forms stop typing at them (line edits) or count characters
(multi-line edits). Rows stored before a limit existed still load, print and export; they must
be shortened only when they are saved again. The table is documented in the README ("Pro
vývojáře").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class TextLimit:
    max_length: int
    multiline: bool = False


NAME = TextLimit(100)
LONG_NAME = TextLimit(200)
LINE = TextLimit(300)
NOTE = TextLimit(500)
TEXT = TextLimit(4000, multiline=True)

# "entity.field" → limit; the UI and the services look fields up here by the same key.
LIMITS: dict[str, TextLimit] = {
    "project.name": LINE,
    "project.registration_number": TextLimit(60),
    "project.beneficiary": LINE,
    "project.programme": LINE,
    "project.method": LINE,
    "project.mentor_name": LONG_NAME,
    "area.label": LONG_NAME,
    "area.short_label": TextLimit(12),
    "person.first_name": NAME,
    "person.last_name": NAME,
    "person.phone": TextLimit(40),
    "person.email": LONG_NAME,
    "person.note": TextLimit(2000, multiline=True),
    "employment.note": NOTE,
    "session.topic": TextLimit(500),
    "session.place": LINE,
    "session.lecturer": LINE,
    "session.conclusions": TEXT,
    "session.agreed_steps": TEXT,
    "session.private_note": TEXT,
    "attendance.note": NOTE,
    "plan.mentor_name": LONG_NAME,
    "plan.police_head_name": LONG_NAME,
    "plan.note": TEXT,
    "plan.final_evaluation": TEXT,
    "goal.goals": TEXT,
    "goal.activity_detail": TEXT,
    "goal.responsible": LONG_NAME,
    "goal.success_measure": TEXT,
    "review.note": TEXT,
    "assessment.assessor": LONG_NAME,
    "assessment.method": LONG_NAME,
    "assessment.note": TEXT,
    "scale.name": LONG_NAME,
    "scale.level_label": NAME,
    "evidence.original_name": LINE,
}

# Controls that separate lines or words: a line break in multi-line text, a space elsewhere.
_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def max_length(key: str) -> int:
    return LIMITS[key].max_length


def remove_control_characters(text: str, *, multiline: bool = True) -> str:
    """``text`` without control characters, lone surrogates and non-characters (which crash
    XLSX export, PDF fonts or UTF-8 storage). Line separators become ``\\n`` when
    ``multiline`` (and a tab stays), else a space."""
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    for char in text:
        if char in _LINE_BREAKS:
            out.append("\n" if multiline else " ")
        elif char == "\t":
            out.append("\t" if multiline else " ")
        elif char in ("\ufffe", "\uffff") or unicodedata.category(char) in ("Cc", "Cs"):
            continue
        else:
            out.append(char)
    return "".join(out)


def clean_text(key: str, text: str) -> str:
    """What is stored for field ``key``: control characters removed, ends trimmed."""
    return remove_control_characters(text, multiline=LIMITS[key].multiline).strip()


# The fonts the printed sheets embed (apk_desktop/sheets/base.py registers them).
SHEET_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")


@cache
def _sheet_code_points() -> frozenset[int]:
    """Code points every sheet font has a glyph for (read once: about 0.3 s)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from apk_desktop.paths import resources_dir

    folder = resources_dir() / "fonts"
    fonts = [set(TTFontFile(str(folder / name)).charToGlyph) for name in SHEET_FONT_FILES]
    return frozenset(set.intersection(*fonts))


# Typographic punctuation Czech text uses (quotes „“ ‚‘, dashes, ellipsis …), in every sheet font.
_COMMON_PUNCTUATION = frozenset(
    "\n\t\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u20ac\u2116"
)


def _surely_printable(char: str) -> bool:
    """Known without reading the fonts: ASCII, Latin-1 and Latin Extended-A/B (all Czech
    letters) and common punctuation."""
    code = ord(char)
    return 0x20 <= code < 0x7F or 0xA0 <= code < 0x250 or char in _COMMON_PUNCTUATION


def unprintable_error(text: str) -> str | None:
    """A Czech message naming the first character of ``text`` the sheet fonts cannot print
    (an emoji such as 🚓 would come out as an empty box), else None."""
    if all(_surely_printable(char) for char in text):
        return None
    known = _sheet_code_points()
    for char in text:
        if not _surely_printable(char) and ord(char) not in known:
            return (
                f"Znak „{char}“ (U+{ord(char):04X}) nelze vytisknout – písmo tiskových listů "
                "ho nemá. Odstraňte ho prosím."
            )
    return None


def unprintable_errors(fields: dict[str, str]) -> dict[str, str]:
    """Field errors for ``{form field: text}`` holding characters the sheets cannot print."""
    found = {name: unprintable_error(text) for name, text in fields.items()}
    return {name: message for name, message in found.items() if message}


def length_error(key: str, text: str) -> str | None:
    """A Czech message when ``text`` is longer than field ``key`` allows or holds a character
    the sheets cannot print, else None."""
    limit = LIMITS[key].max_length
    if len(text) > limit:
        return f"Text může mít nejvýše {limit} znaků (nyní {len(text)}). Zkraťte ho prosím."
    return unprintable_error(text)


def length_errors(fields: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Field errors for ``{form field: (limit key, text)}`` whose text is too long."""
    errors: dict[str, str] = {}
    for name, (key, text) in fields.items():
        message = length_error(key, text)
        if message:
            errors[name] = message
    return errors
