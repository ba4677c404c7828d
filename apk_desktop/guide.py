"""The user guide (Markdown in ``docs/guide``, shipped as ``apk_desktop/_guide``): its chapters,
the chapter that explains each screen (F1), and a check that its links and pictures resolve.

Headings are link targets the way GitHub names them (``## Tisk za měsíc`` is
``#tisk-za-měsíc``); the help window names its headings the same way, so one link works in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

IMAGE_FOLDER = "img"


@dataclass(frozen=True)
class Chapter:
    file: str
    title: str


INDEX = "index.md"
CHAPTERS: tuple[Chapter, ...] = (
    Chapter(INDEX, "Obsah příručky"),
    Chapter("01-prvni-spusteni.md", "1. První spuštění"),
    Chapter("02-mesic-prace.md", "2. Měsíc práce: setkání, listiny, docházka"),
    Chapter("03-hodnoceni-a-plany.md", "3. Hodnocení a plány rozvoje"),
    Chapter("04-tisky-pro-monitorovaci-zpravu.md", "4. Tisky pro monitorovací zprávu"),
    Chapter("05-zalohy-a-obnova.md", "5. Zálohy a obnova"),
    Chapter("06-pro-it.md", "6. Pro IT města: instalace a složky"),
)


@dataclass(frozen=True)
class Place:
    """Where F1 leads: a chapter and optionally a heading in it (its GitHub-style name)."""

    file: str
    anchor: str = ""


# The chapter (and section) that explains each screen of ``ui.pages.PAGES``.
PAGE_PLACES: dict[str, Place] = {
    "dashboard": Place("03-hodnoceni-a-plany.md", "přehled-co-čeká-na-vyřízení"),
    "assistants": Place("01-prvni-spusteni.md", "tým-asistentů"),
    "plans": Place("03-hodnoceni-a-plany.md", "plány-individuálního-rozvoje"),
    "assessments": Place("03-hodnoceni-a-plany.md"),
    "sessions": Place("02-mesic-prace.md"),
    "print": Place("04-tisky-pro-monitorovaci-zpravu.md"),
    "backups": Place("05-zalohy-a-obnova.md"),
    "settings": Place("01-prvni-spusteni.md", "nastavení-projektu-a-logo-eu"),
}


def place_for_page(key: str) -> Place:
    """The place that explains the screen ``key``; the contents for an unknown screen."""
    return PAGE_PLACES.get(key, Place(INDEX))


def heading_anchor(text: str) -> str:
    """A heading's link name as GitHub makes it: lower case, punctuation dropped (letters
    with diacritics stay), spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_LINK = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Reference:
    source: str  # the Markdown file it is written in
    target: str  # as written
    image: bool


def references(text: str, source: str) -> list[Reference]:
    """Links and images of a Markdown text (code spans and blocks left out)."""
    plain = _CODE.sub("", text)
    return [Reference(source, m[2], bool(m[1])) for m in _LINK.finditer(plain)]


def anchors(text: str) -> set[str]:
    return {heading_anchor(m[1]) for m in _HEADING.finditer(_CODE.sub("", text))}


def is_external(target: str) -> bool:
    return bool(urlsplit(target).scheme)


def problems(folder: Path) -> list[str]:
    """What is broken in the guide in ``folder``: a chapter file missing, a Markdown file that
    is not a chapter, an internal link or picture that points nowhere, a heading named by a
    link or by ``PAGE_PLACES`` that does not exist. Empty when all is well."""
    found: list[str] = []
    texts: dict[str, str] = {}
    for chapter in CHAPTERS:
        path = folder / chapter.file
        if path.is_file():
            texts[chapter.file] = path.read_text(encoding="utf-8")
        else:
            found.append(f"chapter {chapter.file} is missing")
    for extra in sorted(p.name for p in folder.glob("*.md") if p.name not in texts):
        if all(extra != c.file for c in CHAPTERS):
            found.append(f"{extra} is not listed in guide.CHAPTERS")
    for source, text in texts.items():
        for ref in references(text, source):
            if is_external(ref.target):
                continue
            split = urlsplit(ref.target)
            file = unquote(split.path) or source
            if not (folder / file).is_file():
                found.append(f"{source}: {ref.target} does not exist")
            elif split.fragment and file in texts:
                if unquote(split.fragment) not in anchors(texts[file]):
                    found.append(f"{source}: no heading for {ref.target}")
            elif ref.image and not file.startswith(f"{IMAGE_FOLDER}/"):
                found.append(f"{source}: picture {ref.target} is not in {IMAGE_FOLDER}/")
    for key, place in PAGE_PLACES.items():
        if place.file not in texts:
            found.append(f"F1 on {key}: {place.file} is missing")
        elif place.anchor and place.anchor not in anchors(texts[place.file]):
            found.append(f"F1 on {key}: no heading #{place.anchor} in {place.file}")
    return found


def referenced_images(folder: Path) -> set[str]:
    """The pictures the guide shows (paths relative to ``folder``)."""
    names: set[str] = set()
    for chapter in CHAPTERS:
        path = folder / chapter.file
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            names |= {unquote(r.target) for r in references(text, chapter.file) if r.image}
    return names
