"""Czech alphabetical order (ČSN 97 6030, simplified): Č after C, CH after H, Ř after R …

``sorted(names, key=czech_sort_key)`` puts "Černý" between "Cibulka" and "Dvořák", which plain
string order (by code point) does not.
"""

from __future__ import annotations

import unicodedata

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


def czech_sort_key(text: str) -> str:
    """A plain string key for Czech order (usable by Qt sort roles too): letters first, accents
    on vowels only break ties."""
    folded = text.casefold()
    primary = "".join(f"{base}{rank}" for base, rank in _primary(folded))
    return f"{primary}\x00{unicodedata.normalize('NFD', folded)}"
