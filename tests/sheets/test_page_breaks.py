"""Where the session sheets break across pages: the signatures never go alone onto a page,
no heading ends a page, no table row is alone on a page, and any text a form accepts flows
over as many pages as it needs."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from apk_desktop.sheets.attendance import build_attendance_sheet
from apk_desktop.sheets.base import SheetHeader
from apk_desktop.sheets.supervision import RecordSheetData, build_record_sheet
from tests.sheets.pdftext import page_texts
from tests.sheets.test_attendance import DATA as ATTENDANCE
from tests.sheets.test_limits import assert_printed
from tests.sheets.test_supervision import DATA as RECORD

TWO_LINE_TOPIC = (
    "Deeskalace konfliktů v sociálně vyloučených lokalitách a spolupráce s Policií ČR "
    "a s obecní policií při řešení sousedských sporů"
)
SENTENCE = (
    "Tým se věnoval zvládání zátěže při práci v sociálně vyloučených lokalitách a domluvil se "
    "na postupu s klienty v obtížných situacích. "
)


def people(count: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"Účastník Číslo{i}", f"APK – pozice {i % 9 + 1}") for i in range(1, count + 1))


def row_numbers(text: str) -> list[int]:
    """The numbers of the signature table rows printed on a page ("9." alone on a line)."""
    return [int(n) for n in re.findall(r"^(\d+)\.$", text, flags=re.MULTILINE)]


def page_with(pages: list[str], text: str) -> int:
    found = [index for index, page in enumerate(pages) if text in page]
    assert len(found) == 1, (text, found)
    return found[0]


def with_logo(folder: Path) -> SheetHeader:
    """The test header with a logolink image (a wide strip, as the generator makes)."""
    path = folder / "logolink.png"
    Image.new("RGB", (2400, 300), "white").save(path)
    return replace(ATTENDANCE.header, logo_path=str(path))


@pytest.mark.parametrize("logo", [False, True], ids=["no logo", "logo"])
@pytest.mark.parametrize("topic", ["Deeskalace", TWO_LINE_TOPIC])
def test_attendance_signatures_share_a_page_with_the_last_rows(
    topic: str, logo: bool, tmp_path: Path
) -> None:
    header = with_logo(tmp_path) if logo else ATTENDANCE.header
    for count in range(41):
        data = replace(ATTENDANCE, header=header, topic=topic, participants=people(count))
        pages = page_texts(build_attendance_sheet(data))
        last = count + data.blank_rows
        where = page_with(pages, "Celkem přítomných")
        assert "Lektor/ka: Mgr. Alena" in pages[where] and "Mentor: Bc. Pavel" in pages[where]
        assert {last - 1, last} <= set(row_numbers(pages[where])), (count, pages[where])


def test_nine_participants_a_logo_and_a_two_line_topic_fit_one_page(tmp_path: Path) -> None:
    data = replace(ATTENDANCE, header=with_logo(tmp_path), topic=TWO_LINE_TOPIC)
    assert len(page_texts(build_attendance_sheet(data))) == 1


@pytest.mark.parametrize("logo", [False, True], ids=["no logo", "logo"])
@pytest.mark.parametrize("blank_rows", [0, 2])
def test_record_leader_signs_on_a_page_with_the_last_rows(
    blank_rows: int, logo: bool, tmp_path: Path
) -> None:
    header = with_logo(tmp_path) if logo else RECORD.header
    for count in range(1, 41):
        data = replace(RECORD, header=header, participants=people(count), blank_rows=blank_rows)
        pages = page_texts(build_record_sheet(data))
        where = page_with(pages, "Supervizor/ka: PhDr. Karel Dohled")
        last = count + blank_rows
        assert {max(last - 1, 1), last} <= set(row_numbers(pages[where])), (count, pages[where])


def test_no_table_row_alone_on_a_page() -> None:
    for count in range(2, 41):
        for sheet in (
            build_attendance_sheet(replace(ATTENDANCE, participants=people(count))),
            build_record_sheet(replace(RECORD, participants=people(count))),
        ):
            for text in page_texts(sheet):
                assert len(row_numbers(text)) != 1, (count, text)


def test_no_heading_ends_a_page() -> None:
    """Whatever the length of the conclusions, the heading "Dohodnuté kroky" and the first
    line of the steps are printed on one page (so are the participants' heading and table)."""
    for lines in range(1, 60, 2):
        data = replace(
            RECORD,
            conclusions="\n".join(f"Závěr číslo {n}." for n in range(lines)),
            agreed_steps="Prvníkrok zavést porady.\nDruhýkrok sdílet zkušenosti.",
        )
        pages = page_texts(build_record_sheet(data))
        where = page_with(pages, "Dohodnuté kroky")
        assert "Prvníkrok" in pages[where], lines
        where = page_with(pages, "Účastníci")
        assert "Jméno a příjmení" in pages[where] and 1 in row_numbers(pages[where]), lines


def _long(length: int, *, lines: bool = False) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(f"slovo{len(words):05d}")
    return ("\n" if lines else " ").join(words)[:length]


@pytest.mark.parametrize("lines", [False, True], ids=["one paragraph", "many lines"])
def test_long_record_texts_flow_across_pages(lines: bool) -> None:
    conclusions = _long(8000, lines=lines)
    steps = _long(8000, lines=lines).replace("slovo", "krok")
    data = replace(RECORD, conclusions=conclusions, agreed_steps=steps)
    pages = page_texts(build_record_sheet(data))
    assert len(pages) >= 3
    printed = "".join("".join(page.split()) for page in pages)
    assert_printed(conclusions, printed, "conclusions")
    assert_printed(steps, printed, "agreed steps")


def test_a_topic_of_100000_characters_prints() -> None:
    topic = _long(100_000).replace("slovo", "téma")
    for pdf in (
        build_record_sheet(replace(RECORD, topic=topic)),
        build_attendance_sheet(replace(ATTENDANCE, topic=topic)),
    ):
        printed = "".join("".join(page.split()) for page in page_texts(pdf))
        assert_printed(topic, printed, "topic")


def test_a_blank_record_lays_out_with_empty_texts() -> None:
    pages = page_texts(build_record_sheet(RecordSheetData(RECORD.kind, RECORD.header, "SUP-B")))
    assert len(pages) == 2
