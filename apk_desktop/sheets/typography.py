"""Czech typesetting rules for the printed sheets.

* One-letter prepositions and conjunctions (k s v z o u a i) and academic titles (Bc., Mgr.,
  Ing., …) never end a line: they are bound to the next word with a no-break space; so is a
  number to its unit ("45 min").
* Running text is hyphenated with the Czech patterns of pyphen (reportlab's hyphenation).
* Names are never broken inside a word: their cell's text is set smaller instead
  (``fitting_font_size``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

NBSP = "\u00a0"
HYPHENATION_LANG = "cs_CZ"
MIN_NAME_FONT_SIZE = 6.5  # the smallest size a name is set in before it is broken

# Titles written before a name (Czech academic and professional degrees) and abbreviations that
# belong to the number or word after them ("č. 1", "s. r. o." is left alone).
_TITLES = (
    "Bc|BcA|Mgr|MgA|Ing\\. arch|Ing|MUDr|MDDr|MVDr|PharmDr|PhDr|JUDr|RNDr|PaedDr|ThDr|ThLic|"
    "ICDr|RSDr|Dr|doc|prof|č"
)
_BOUND_TITLE = re.compile(rf"(?<![\w.])({_TITLES})\. +")
_BOUND_LETTER = re.compile(r"(?<![\w.\-/])([kKsSvVzZoOuUaAiI]) +(?=\S)")
# A number and its unit ("45 min", "4 h", "100 %") stay on one line.
_BOUND_UNIT = re.compile(r"(?<=\d) +(?=(?:min|h|hod\.?|Kč|%|mm|cm|km|ks)(?!\w))")


def bind_short_words(text: str) -> str:
    """``text`` with a no-break space after each one-letter preposition or conjunction and
    after each title, so they never end a line ("z Lobkovic", "Bc. Marie")."""
    text = _BOUND_TITLE.sub(lambda m: f"{m.group(1)}.{NBSP}", text)
    text = _BOUND_UNIT.sub(NBSP, text)
    return _BOUND_LETTER.sub(lambda m: f"{m.group(1)}{NBSP}", text)


@cache
def hyphenated(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` with Czech hyphenation for running text (topics, conclusions, goals)."""
    return ParagraphStyle(
        f"{style.name}-cs",
        parent=style,
        hyphenationLang=HYPHENATION_LANG,
        embeddedHyphenation=1,  # a compound may break at its own hyphen
        uriWasteReduce=0.3,  # a long address or path is broken rather than overflowing
    )


@cache
def sized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    """``style`` set in ``size`` points, leading in proportion."""
    leading = style.leading * size / style.fontSize
    return ParagraphStyle(f"{style.name}-{size:g}", parent=style, fontSize=size, leading=leading)


@cache
def tinted(style: ParagraphStyle, color: Color) -> ParagraphStyle:
    """``style`` in another text colour (e.g. the grey of a muted row)."""
    return ParagraphStyle(f"{style.name}-{color.hexval()}", parent=style, textColor=color)


def longest_word_width(texts: Iterable[str], font: str, size: float) -> float:
    """The width of the widest word (what the no-break spaces bind counts as one) of
    ``texts``."""
    words = (word for text in texts for word in re.split(r"[ \n\t]+", bind_short_words(text)))
    return max((stringWidth(word, font, size) for word in words if word), default=0.0)


def fitting_font_size(
    texts: Iterable[str], font: str, size: float, width: float, minimum: float = MIN_NAME_FONT_SIZE
) -> float:
    """The largest size from ``size`` down to ``minimum`` (half points) at which every word of
    ``texts`` fits ``width``; ``minimum`` when none does (then a word is broken)."""
    widest = longest_word_width(texts, font, size)
    if widest <= width:
        return size
    fitting = size * width / widest
    return max(minimum, int(fitting * 2) / 2)
