"""Czech text rules every list, search box and export uses: alphabetical order, accent- and
case-free search, and plural forms.

Order (ČSN 97 6030, simplified): Č after C, CH after H (a letter of its own), Ř after R,
Š after S, Ž after Z; other accents (á, é, ů …) and case only break ties. ``sorted(names,
key=czech_sort_key)`` puts "Čermáková" after "Cibulka" and before "Kučera", which plain string
order (by code point) does not.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that are letters of their own in Czech, placed right after their base letter.
_OWN_LETTERS = {"č": "c", "ř": "r", "š": "s", "ž": "z"}


def _primary(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "c" and text[i + 1 : i + 2] == "h":
            out.append(("h", 1))  # "ch" sorts after "h"
            i += 2
            continue
        if ch in _OWN_LETTERS:
            out.append((_OWN_LETTERS[ch], 1))
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append((base, 0))
        i += 1
    return out


@lru_cache(maxsize=4096)
def czech_sort_key(text: str) -> str:
    """A plain string key for Czech order (usable by Qt sort roles too): letters first, accents
    on vowels only break ties."""
    folded = text.casefold()
    primary = "".join(f"{base}{rank}" for base, rank in _primary(folded))
    return f"{primary}\x00{unicodedata.normalize('NFD', folded)}"


def czech_compare(left: str, right: str) -> int:
    """-1, 0 or 1 like a C comparison function (an SQLite collation)."""
    a, b = czech_sort_key(left), czech_sort_key(right)
    return (a > b) - (a < b)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` for searching: without diacritics, case-folded ("Řehoř" → "rehor")."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def matches(text: str, query: str) -> bool:
    """Does ``text`` contain ``query``, ignoring diacritics and case ("dvora" in "Dvořáček")?"""
    return fold(query.strip()) in fold(text)


def plural_form(count: int, one: str, few: str, many: str) -> str:
    """The noun form for ``count``: 1 → one, 2–4 → few, otherwise (0, 5+, −1 …) many."""
    if count == 1:
        return one
    if 2 <= count <= 4:
        return few
    return many


def plural(count: int, one: str, few: str, many: str) -> str:
    """``plural(5, "soubor", "soubory", "souborů")`` → ``"5 souborů"``."""
    return f"{count} {plural_form(count, one, few, many)}"
