"""Signed sheets as a scanner returns them, made from real sheets printed through the app.

``print_sheets`` builds attendance sheets with ``sheets.base.build_sheets``; ``paper`` renders a
page as printed paper; ``sign`` fills signature cells with synthetic handwriting (pen strokes of
varied length, weight and darkness, some crossing the cell's border); ``stray_marks`` adds a
tick in the note column and a coffee ring; ``smudge_code`` makes the QR code unreadable;
``scan`` simulates the scanner (dpi, rotation, scale, offset, noise, colour or greyscale, JPEG).
Used by the unit tests (tests/scans) and by benchmarks/scan_accuracy.py."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import date, time

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw

from apk_desktop.scans.pages import PageImage
from apk_desktop.sheets.attendance import AttendanceSheetData, attendance_story
from apk_desktop.sheets.base import SheetHeader, SheetInfo, build_sheets
from apk_desktop.sheets.layout import SheetLayout, SignatureCell

PAPER_DPI = 300
MM = 72 / 25.4  # points per millimetre
NOTE_WIDTH = 24 * MM  # the note column right of the signature column (sheets/parts.py)
HEADER = SheetHeader(
    beneficiary="město Sokolov, Městská policie Sokolov",
    project_name="Asistenti prevence kriminality Sokolov",
    registration_number="CZ.03.02.01/00/22_018/0000388",
)
NAMES = (
    "Jana Nováková",
    "Petr Svoboda",
    "Lucie Dvořáková",
    "Tomáš Černý",
    "Marie Procházková",
    "Josef Kučera",
    "Kateřina Veselá",
    "Martin Horák",
    "Eva Němcová",
)


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    layouts: tuple[SheetLayout, ...]

    def by_id(self) -> dict[str, SheetLayout]:
        return {layout.sheet_id: layout for layout in self.layouts}


def attendance(number: int, participants: int = 9, blank_rows: int = 3) -> AttendanceSheetData:
    names = [NAMES[i % len(NAMES)] for i in range(participants)]
    return AttendanceSheetData(
        header=HEADER,
        sheet_id=f"PL-{number}",
        record_id=number,
        activity_code="KA04",
        activity_name="Vzdělávání a supervize APK",
        topic="Deeskalace konfliktů v sociálně vyloučených lokalitách",
        areas=("Komunikační dovednosti",),
        form="prezenčně",
        day=date(2026, 3, number % 28 + 1),
        start=time(9, 0),
        end=time(12, 15),
        hours_unit="teaching",
        place="Sokolov, služebna MP",
        lecturers=("Mgr. Alena Lektorová",),
        mentor="Bc. Pavel Mentor",
        participants=tuple((name, "APK – pozice 1") for name in names),
        participant_ids=tuple(range(100 * number + 1, 100 * number + 1 + participants)),
        blank_rows=blank_rows,
    )


def print_sheets(numbers: list[int], participants: int = 9) -> Printed:
    """Attendance sheets PL-<number> (record id <number>) in one PDF, as the app prints them."""
    data = [attendance(n, participants) for n in numbers]
    built = build_sheets(
        HEADER,
        [(SheetInfo(d.sheet_id, d.record_id, d.running_line), attendance_story(d)) for d in data],
        title="Prezenční listiny",
    )
    return Printed(built.pdf, built.layouts)


@dataclass
class Paper:
    """One printed page (RGB, ``PAPER_DPI``) and where it comes from."""

    image: Image.Image
    layout: SheetLayout
    page: int  # within the sheet

    def copy(self) -> Paper:
        return Paper(self.image.copy(), self.layout, self.page)

    @property
    def cells(self) -> list[SignatureCell]:
        return [cell for cell in self.layout.cells if cell.page == self.page]

    def px(self, x: float, y: float) -> tuple[float, float]:
        """A page point on the paper image."""
        scale = PAPER_DPI / 72
        return x * scale, self.image.height - y * scale


def paper(printed: Printed) -> list[Paper]:
    """Every page of the printed PDF as paper, in order."""
    document = pdfium.PdfDocument(printed.pdf)
    pages: list[Paper] = []
    for layout in printed.layouts:
        for page in range(1, layout.page_count + 1):
            rendered = document[layout.first_page + page - 2].render(scale=PAPER_DPI / 72)
            pages.append(Paper(rendered.to_pil().convert("RGB"), layout, page))
    document.close()
    return pages


INKS = {
    "black": (25, 25, 30),
    "blue": (25, 40, 130),
    "faint": (150, 150, 165),  # a ballpoint running dry, a light pencil
}


def signature(
    sheet: Paper,
    cell: SignatureCell,
    rng: random.Random,
    *,
    ink: str = "blue",
    length_mm: float = 35.0,
    pen_mm: float = 0.5,
    cross_border: bool = False,
) -> None:
    """Handwriting in ``cell``: one to three strokes, a wavy line running right over
    ``length_mm``, with loops; ``cross_border`` lets it run over the cell's top or bottom."""
    draw = ImageDraw.Draw(sheet.image)
    scale = PAPER_DPI / 25.4
    x0, y_top = sheet.px(cell.x, cell.y + cell.height)
    _, y_bottom = sheet.px(cell.x, cell.y)
    height = y_bottom - y_top
    width_px = max(1, round(pen_mm * scale))
    length = min(length_mm * scale, cell.width * PAPER_DPI / 72 - 6 * scale)
    x = x0 + rng.uniform(2, 6) * scale
    end = x + length
    middle = (y_top + y_bottom) / 2
    band = height * (0.6 if cross_border else 0.3)  # how far from the middle it may stray
    strokes = rng.randint(1, 3)
    for stroke in range(strokes):
        stop = x + (end - x) / (strokes - stroke) if stroke < strokes - 1 else end
        # a random walk of the pen's heading, drifting right and pulled back to the middle
        y = middle + rng.uniform(-0.5, 0.5) * band
        heading = rng.uniform(-1, 1)
        points = [(x, y)]
        step = 0.35 * scale
        while x < stop:
            heading += rng.gauss(0, 0.7) - 0.6 * (y - middle) / band * math.copysign(
                1, math.cos(heading)
            )
            x += step * (0.45 + math.cos(heading))
            y += step * 1.6 * math.sin(heading)
            points.append((x, y))
        draw.line(points, fill=INKS[ink], width=width_px, joint="curve")
        x = stop + rng.uniform(1, 3) * scale


def sign_rows(sheet: Paper, rows: set[int], seed: int = 0) -> Paper:
    """``sheet`` with a signature of varied ink and length in each of ``rows`` (a copy)."""
    signed = sheet.copy()
    rng = random.Random(seed)
    for index, cell in enumerate(signed.cells):
        if cell.row in rows:
            signature(
                signed,
                cell,
                rng,
                ink=("blue", "black", "faint")[index % 3],
                length_mm=rng.uniform(8, 50),
                pen_mm=rng.uniform(0.25, 0.7),
                cross_border=index % 4 == 0,
            )
    return signed


def tick(sheet: Paper, cell: SignatureCell) -> None:
    """A tick in the row's note column (right of its signature cell)."""
    draw = ImageDraw.Draw(sheet.image)
    left, top = sheet.px(cell.x + cell.width, cell.y + cell.height)
    scale = PAPER_DPI / 25.4
    points = [
        (left + 8 * scale, top + 5 * scale),
        (left + 10 * scale, top + 8 * scale),
        (left + 15 * scale, top + 2 * scale),
    ]
    draw.line(points, fill=INKS["blue"], width=round(0.5 * scale), joint="curve")


def coffee_ring(sheet: Paper, centre: tuple[float, float], radius_mm: float = 40.0) -> None:
    """A mug's ring (brown, translucent, a few mm wide) centred on a page point."""
    scale = PAPER_DPI / 25.4
    cx, cy = sheet.px(*centre)
    r = radius_mm * scale
    layer = Image.new("L", sheet.image.size, 0)
    ImageDraw.Draw(layer).ellipse(
        (cx - r, cy - r, cx + r, cy + r), outline=90, width=round(3 * scale)
    )
    brown = Image.new("RGB", sheet.image.size, (150, 95, 45))
    sheet.image = Image.composite(brown, sheet.image, layer)


def smudge_code(sheet: Paper) -> None:
    """A dark smear over half of the QR code (a finder pattern and its data)."""
    assert sheet.layout.code_rect is not None
    x, y, w, h = sheet.layout.code_rect
    left, top = sheet.px(x, y + h)
    right, bottom = sheet.px(x + w * 0.6, y + h * 0.4)
    ImageDraw.Draw(sheet.image).rectangle((left, top, right, bottom), fill=(70, 60, 50))


@dataclass(frozen=True)
class Scanner:
    dpi: int = 200
    colour: bool = False
    rotation: float = 0.0  # degrees clockwise; 180 = fed upside down
    scale: float = 1.0  # from the top left corner
    offset_mm: tuple[float, float] = (0.0, 0.0)
    noise: float = 0.0  # standard deviation in grey levels
    jpeg_quality: int | None = None  # None: lossless
    paper_tint: tuple[int, int, int] = (255, 255, 255)


def scan(sheet: Paper, scanner: Scanner) -> Image.Image:
    """The page as the scanner returns it (A4 at ``scanner.dpi``, "L" or "RGB")."""
    factor = scanner.dpi / PAPER_DPI * scanner.scale
    size = (round(sheet.image.width * factor), round(sheet.image.height * factor))
    image = sheet.image.resize(size, Image.Resampling.BOX)
    image = ImageChops.multiply(image, Image.new("RGB", image.size, scanner.paper_tint))
    out_w = page_w = round(210 / 25.4 * scanner.dpi)
    out_h = page_h = round(297 / 25.4 * scanner.dpi)
    angle = math.radians(scanner.rotation)
    cos, sin = math.cos(angle), math.sin(angle)
    if abs(sin) > 0.7:  # sideways: a landscape image
        out_w, out_h = out_h, out_w
    # output pixel (u, v) comes from image pixel R⁻¹ (u − centre − offset) + centre
    ox = scanner.offset_mm[0] / 25.4 * scanner.dpi
    oy = scanner.offset_mm[1] / 25.4 * scanner.dpi
    cu, cv = out_w / 2 + ox, out_h / 2 + oy
    # the scanner's scale holds at the corner the sheet is laid against (top left); a skewed
    # sheet turns about its middle
    ci, cj = page_w / 2, page_h / 2
    a, b = cos, sin
    d, e = -sin, cos
    c = ci - a * cu - b * cv
    f = cj - d * cu - e * cv
    image = image.transform(
        (out_w, out_h),
        Image.Transform.AFFINE,
        (a, b, c, d, e, f),
        resample=Image.Resampling.BILINEAR,
        fillcolor=scanner.paper_tint,
    )
    if not scanner.colour:
        image = image.convert("L")
    if scanner.noise:
        pixels = np.asarray(image, dtype=np.float32)
        noise = np.random.default_rng(round(scanner.noise * 1000)).standard_normal(
            pixels.shape[:2], dtype=np.float32
        )
        if pixels.ndim == 3:
            noise = noise[:, :, None]
        image = Image.fromarray(np.clip(pixels + noise * scanner.noise, 0, 255).astype(np.uint8))
    if scanner.jpeg_quality is not None:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=scanner.jpeg_quality)
        image = Image.open(io.BytesIO(buffer.getvalue()))
        image.load()
    return image


def page_image(
    image: Image.Image, dpi: float, source: str = "sken.pdf", number: int = 1
) -> PageImage:
    """A scanned image as the reader takes it (``scans.pages`` does the same for files)."""
    return PageImage(np.asarray(image.convert("L"), dtype=np.uint8), dpi, source, number)
