"""The page frame of every sheet: a header that lays out any accepted project value, the logolink
instead of the written co-funding line, a footer identifier a scan can be matched by, a running
line on later pages, and no ink closer to the paper's edge than ``INK_MARGIN``."""

from __future__ import annotations

import ctypes
import io
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.units import mm

from apk_desktop.sheets.attendance import AttendanceSheetData, attendance_story
from apk_desktop.sheets.base import (
    DEMO_MARK,
    EU_LINE,
    HEADER_TOP,
    INK_MARGIN,
    SheetHeader,
    SheetInfo,
    build_pdf,
    build_sheets,
)
from apk_desktop.sheets.header_geometry import QR_SIZE
from apk_desktop.sheets.parts import grid_table, para, title

HEADER = SheetHeader(
    beneficiary="město Sokolov",
    project_name="Asistenti prevence kriminality Sokolov",
    registration_number="CZ.03.02.01/00/22_018/0000388",
)
LONGEST = SheetHeader(  # what the settings accept: 300 characters each
    beneficiary=("Statutární město Sokolov, Městská policie Sokolov, odbor prevence " * 5)[:300],
    project_name=("Asistenti prevence kriminality v sociálně vyloučených lokalitách " * 5)[:300],
    registration_number="CZ.03.02.01/00/22_018/0000388",
)


def _words(text: str) -> str:
    return " ".join(text.split())


def _texts(pdf: bytes) -> list[str]:
    return [_words(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _table_story(rows: int = 80) -> list:  # type: ignore[type-arg]
    data = [[str(i), f"Účastník {i}", ""] for i in range(1, rows)]
    return [
        title("Zkušební list"),
        para("Úvodní text listu."),
        grid_table(["Č.", "Jméno", "Podpis"], data, [10 * mm, 90 * mm, 75 * mm]),
    ]


def _logo(folder: Path, mode: str, size: tuple[int, int] = (2400, 360), ext: str = "png") -> str:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[1], size[1]), fill=(0, 51, 153))
    draw.rectangle((size[1] + 40, size[1] // 3, size[0] - 40, size[1] // 2), fill=(20, 20, 20))
    if mode in {"LA", "RGBA"}:
        image.putalpha(Image.new("L", size, 255))
    path = folder / f"logo-{mode}.{ext}"
    image.convert(mode).save(path)
    return str(path)


def _boxes(pdf: bytes) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Per page: each printed character and its box (PDF points, origin bottom left)."""
    document = pdfium.PdfDocument(pdf)
    pages = []
    for page in document:
        text = page.get_textpage()
        chars = []
        for index in range(text.count_chars()):
            box = text.get_charbox(index)
            if box[2] > box[0]:
                chars.append((text.get_text_range(index, 1), box))
        pages.append(chars)
    document.close()
    return pages


def _overlapping(chars: list[tuple[str, tuple[float, float, float, float]]]) -> list[str]:
    """Pairs of characters printed over each other (more than a hair)."""
    boxes = np.array([box for _, box in chars])
    x0, y0, x1, y1 = (boxes[:, i][:, None] for i in range(4))
    across = np.minimum(x1, x1.T) - np.maximum(x0, x0.T)
    up = np.minimum(y1, y1.T) - np.maximum(y0, y0.T)
    hits = np.argwhere(np.triu((across > 0.5) & (up > 0.5), k=1))
    return [f"{chars[a][0]!r}/{chars[b][0]!r}" for a, b in hits]


def _ink_outside_margin(pdf: bytes) -> list[int]:
    """Pages with anything darker than paper closer to the edge than ``INK_MARGIN``."""
    document = pdfium.PdfDocument(pdf)
    dpi = 100
    edge = int(INK_MARGIN / 72 * dpi) - 1  # a pixel for anti-aliasing
    bad = []
    for number, page in enumerate(document, start=1):
        image = page.render(scale=dpi / 72, grayscale=True).to_numpy().squeeze()
        border = np.ones(image.shape, dtype=bool)
        border[edge:-edge, edge:-edge] = False
        if (image[border] < 230).any():
            bad.append(number)
    document.close()
    return bad


def test_longest_project_values_print_whole_inside_the_page() -> None:
    pdf = build_pdf(LONGEST, _table_story(), sheet_id="PL-1", title="List")
    texts = _texts(pdf)
    for text in texts:
        assert _words(LONGEST.project_name) in text
        assert _words(LONGEST.beneficiary) in text
        assert "CZ.03.02.01/00/22_018/0000388" in text
        assert EU_LINE in text
    for chars in _boxes(pdf):
        assert _overlapping(chars) == []
    assert _ink_outside_margin(pdf) == []


@pytest.mark.parametrize("wide", [False, True])
def test_longest_values_with_logo_and_demo_mark_keep_clear(tmp_path: Path, wide: bool) -> None:
    header = replace(LONGEST, logo_path=_logo(tmp_path, "RGB"), demo=True)
    pdf = build_pdf(header, _table_story(), sheet_id="PL-1", title="List", wide=wide)
    for text in _texts(pdf):
        assert _words(LONGEST.project_name) in text
        assert text.count(DEMO_MARK) == 2
    for chars in _boxes(pdf):
        assert _overlapping(chars) == []
    assert _ink_outside_margin(pdf) == []


def test_a_single_word_longer_than_the_line_stays_on_the_page() -> None:
    header = replace(HEADER, project_name="Prevence" * 37, beneficiary="X" * 300)
    pdf = build_pdf(header, _table_story(20), sheet_id="PL-1", title="List")
    assert _ink_outside_margin(pdf) == []
    assert all(_overlapping(chars) == [] for chars in _boxes(pdf))


def test_short_header_keeps_a_nine_person_sheet_with_logo_on_one_page(tmp_path: Path) -> None:
    sheet = AttendanceSheetData(
        header=replace(HEADER, logo_path=_logo(tmp_path, "RGB")),
        sheet_id="PL-1",
        activity_code="KA04",
        activity_name="Vzdělávání a supervize APK",
        topic="Deeskalace konfliktů v sociálně vyloučených lokalitách a práce s agresivním "
        "klientem při výkonu služby asistenta prevence kriminality",
        areas=("Komunikační dovednosti", "Mediační dovednosti"),
        form="prezenčně",
        day=date(2025, 3, 12),
        start=time(9, 0),
        end=time(12, 0),
        hours=Decimal(4),
        hours_unit="teaching",
        place="Služebna MP Sokolov",
        lecturers=("Mgr. Alena Šťastná",),
        mentor="Bc. Pavel Mentor",
        participants=tuple((f"Účastník Příjmení {i}", f"APK – pozice {i}") for i in range(1, 10)),
    )
    pdf = build_pdf(sheet.header, attendance_story(sheet), sheet_id="PL-1", title="List")
    assert len(_texts(pdf)) == 1


LOGO_FORMATS = [("1", "png"), ("L", "png"), ("LA", "png"), ("P", "png"), ("RGBA", "png")]


@pytest.mark.parametrize(("mode", "ext"), [*LOGO_FORMATS, ("RGB", "jpg"), ("L", "jpg")])
def test_logolink_replaces_the_written_line(tmp_path: Path, mode: str, ext: str) -> None:
    header = replace(HEADER, logo_path=_logo(tmp_path, mode, ext=ext))
    pdf = build_pdf(header, _table_story(), sheet_id="PL-1", title="List")
    texts = _texts(pdf)
    assert len(texts) >= 2
    assert not any(EU_LINE in text for text in texts)
    document = pdfium.PdfDocument(pdf)
    for page in document:
        # the emblem's square (blue, or dark grey in monochrome) at the top left
        image = page.render(scale=100 / 72, grayscale=True).to_numpy().squeeze()
        emblem = image[int(11 * mm / 72 * 100) : int(22 * mm / 72 * 100), 62:100]
        assert emblem.mean() < 128
    document.close()


def test_without_logolink_the_line_is_written(tmp_path: Path) -> None:
    missing = replace(HEADER, logo_path=str(tmp_path / "smazané logo.png"))
    (tmp_path / "poškozené.png").write_bytes(b"not an image")
    broken = replace(HEADER, logo_path=str(tmp_path / "poškozené.png"))
    for header in (HEADER, missing, broken):
        pdf = build_pdf(header, _table_story(), sheet_id="PL-1", title="List")
        assert all(EU_LINE in text for text in _texts(pdf))


def test_logolink_is_read_once_and_embedded_once_per_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    original = Image.open

    def counting_open(path: str, *args: Any, **kwargs: Any) -> Image.Image:
        opened.append(path)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_open)
    header = replace(HEADER, logo_path=_logo(tmp_path, "RGB", size=(2401, 360)))
    sheets = [(SheetInfo(f"PL-{i}", i), _table_story()) for i in range(3)]
    for _ in range(2):
        pdf = build_sheets(header, sheets, title="Listy").pdf
        assert len(PdfReader(io.BytesIO(pdf)).pages) >= 6
        assert pdf.count(b"/Subtype /Image") == 1
    assert len(opened) == 1


def test_footer_identifier_is_large_and_black() -> None:
    pdf = build_pdf(HEADER, _table_story(), sheet_id="PL-12", title="List")
    document = pdfium.PdfDocument(pdf)
    for page in document:
        text = page.get_textpage()
        label = "Identifikátor listu: "
        found = text.search(label + "PL-12").get_next()
        assert found is not None
        index = found[0] + len(label)
        assert text.get_text_range(index, 5) == "PL-12"
        size = pdfium_c.FPDFText_GetFontSize(text.raw, index)
        rgba = [ctypes.c_uint() for _ in range(4)]
        pdfium_c.FPDFText_GetFillColor(text.raw, index, *(ctypes.byref(c) for c in rgba))
        assert size >= 10
        assert [c.value for c in rgba[:3]] == [0, 0, 0]
    document.close()


def test_later_pages_repeat_title_date_topic_and_identifier_in_one_line() -> None:
    info = SheetInfo("PL-12", 12, "Prezenční listina · 12.03.2026 · Deeskalace konfliktů")
    pdf = build_sheets(HEADER, [(info, _table_story(120))], title="List").pdf
    texts = _texts(pdf)
    assert len(texts) >= 3
    line = "Prezenční listina · 12.03.2026 · Deeskalace konfliktů · PL-12"
    assert line not in texts[0]
    assert all(line in text for text in texts[1:])
    for chars in _boxes(pdf):
        assert _overlapping(chars) == []
    document = pdfium.PdfDocument(pdf)
    for page in list(document)[1:]:
        # below the header's QR code, above the story (the table's repeated header row)
        _, height = page.get_size()
        running = _found_box(page, line)
        assert running[3] < height - HEADER_TOP - QR_SIZE
        assert running[1] > _found_box(page, "Jméno")[3]
    document.close()


def _found_box(page: pdfium.PdfPage, text: str) -> tuple[float, float, float, float]:
    """The box around the first place ``text`` is printed on ``page``."""
    textpage = page.get_textpage()
    found = textpage.search(text).get_next()
    assert found is not None, text
    boxes = [textpage.get_charbox(i) for i in range(found[0], found[0] + found[1])]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def test_running_line_of_a_huge_topic_is_cut_to_one_line() -> None:
    topic = "Zvládání zátěže " * 200
    info = SheetInfo("SUP-3", 3, f"Záznam ze supervize · 12.03.2026 · {topic}")
    pdf = build_sheets(HEADER, [(info, _table_story(120))], title="List").pdf
    for chars in _boxes(pdf):
        assert _overlapping(chars) == []
    second = _texts(pdf)[1]
    assert "Záznam ze supervize · 12.03.2026 · Zvládání zátěže" in second
    assert "… · SUP-3" in second
    assert _ink_outside_margin(pdf) == []


def test_pdf_has_czech_language_xmp_metadata_and_only_embedded_fonts(tmp_path: Path) -> None:
    sheet = AttendanceSheetData(header=HEADER, sheet_id="PL-1", participants=(("Jan", "APK"),))
    pdf = build_pdf(HEADER, attendance_story(sheet), sheet_id="PL-1", title="Prezenční listina")
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "cs-CZ"
    xmp = root["/Metadata"].get_object()
    assert xmp["/Subtype"] == "/XML"
    packet = ElementTree.fromstring(xmp.get_data())
    namespaces = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "pdf": "http://ns.adobe.com/pdf/1.3/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }

    def value(path: str) -> str | None:
        return packet.findtext(f".//{path}", namespaces=namespaces)

    assert value("dc:title/rdf:Alt/rdf:li") == "Prezenční listina"
    assert value("dc:creator/rdf:Seq/rdf:li") == "město Sokolov"
    assert value("dc:language/rdf:Bag/rdf:li") == "cs-CZ"
    assert value("pdf:Producer") == reader.metadata.producer  # type: ignore[union-attr]
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"].get_object()  # type: ignore[index]
        assert fonts
        for font in fonts.values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0] if "/DescendantFonts" in font else font
            descriptor = descendant.get_object().get("/FontDescriptor")
            assert descriptor is not None, font["/BaseFont"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
