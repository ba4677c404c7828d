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
_CH = "\ue000"  # stands for the letter "ch" while the key is built (a private-use character)


class _PrimaryTokens(dict[int, str]):
    """Code point → its two-character primary token ("a0", "c1" for č …), built on first use;
    a dict so that ``str.translate`` builds keys at C speed."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char == _CH:
            token = "h1"  # "ch" sorts after "h"
        elif char in _OWN_LETTERS:
            token = f"{_OWN_LETTERS[char]}1"
        else:
            token = f"{unicodedata.normalize('NFD', char)[0]}0"
        self[code] = token
        return token


_PRIMARY = _PrimaryTokens()


@lru_cache(maxsize=4096)
def czech_sort_key(text: str) -> str:
    """A plain string key for Czech order (usable by Qt sort roles and SQL ORDER BY too):
    letters first, accents on vowels only break ties."""
    folded = text.casefold()
    primary = folded.replace("ch", _CH).translate(_PRIMARY)
    return f"{primary}\x00{unicodedata.normalize('NFD', folded)}"


class _FoldedChars(dict[int, str]):
    """Code point → the character case-folded without its diacritics ("Ř" → "r", a combining
    mark → ""), built on first use for ``str.translate``."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code).casefold())
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = folded
        return folded


_FOLDED = _FoldedChars()


def fold(text: str) -> str:
    """``text`` for searching: without diacritics, case-folded ("Řehoř" → "rehor")."""
    return text.lower() if text.isascii() else text.translate(_FOLDED)


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
