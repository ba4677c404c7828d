"""File names the app derives from the user's data (an assistant's name, a sheet id, a topic):
valid on Windows, the strictest system the app runs on, so a save dialog, Print to PDF, a
backup or a copied scan never fails on a name nor creates a file that Explorer cannot delete.

Windows refuses ``<>:"/\\|?*`` and control characters, drops trailing dots and spaces, and takes
CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 (also with superscript digits, CONIN$ and CONOUT$) for
devices, with any extension and in any case: ``con.pdf`` and ``Nul .txt`` are devices too."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 120  # leaves room for the folder within Windows' 260-character paths
FALLBACK = "soubor"

_FORBIDDEN = frozenset('<>:"/\\|?*')
# control and format characters (a right-to-left override would disguise the extension), lone
# surrogates; white space among them (tabs, line breaks) becomes a space
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_DEVICE_DIGITS = "0123456789¹²³"
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{digit}" for port in ("COM", "LPT") for digit in _DEVICE_DIGITS}
)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def safe_file_name(
    name: str, *, ascii_only: bool = False, max_length: int = MAX_LENGTH, fallback: str = FALLBACK
) -> str:
    """``name`` made valid as a file name on Windows (and so everywhere), its extension kept:
    forbidden characters become ``_``, control characters go, runs of white space become one
    space, a device name gets ``_`` appended (``CON.pdf`` → ``CON_.pdf``), at most
    ``max_length`` characters. ``ascii_only`` also drops diacritics (``Nováková`` →
    ``Novakova``) and replaces other non-ASCII letters."""
    text = unicodedata.normalize("NFC", name)
    if ascii_only:
        text = _plain_ascii(text)
    text = " ".join("".join(_allowed(ch) for ch in text).split()).rstrip(".")
    match = _EXTENSION.search(text)
    extension = match.group() if match else ""
    stem = text[: len(text) - len(extension)]
    # one character in reserve for the ``_`` a device name gets
    stem = stem[: max(1, max_length - len(extension) - 1)]
    stem = stem.strip(" .") or fallback
    head, dot, rest = stem.partition(".")
    if head.rstrip(" ").upper() in _RESERVED:
        stem = f"{head.rstrip(' ')}_{dot}{rest}"
    return stem + extension


def _allowed(ch: str) -> str:
    if ch in _FORBIDDEN:
        return "_"
    if ch.isspace():
        return " "
    return "" if unicodedata.category(ch) in _DROPPED_CATEGORIES else ch


def _plain_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if ch.isascii() else "_" for ch in plain)
