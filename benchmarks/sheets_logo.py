"""Speed of the sheets with a logolink: one attendance sheet with the logo against a plain
reportlab sheet of the same content (same table, no frame), measured side by side in one run
(target ≤ 3×), and a batch of 100 sheets with the logo in one PDF (target < 1 s).
Run: ``uv run python benchmarks/sheets_logo.py``. The logolink is a generated 2400 × 360 PNG
with shapes and noise, written to a temporary folder."""

from __future__ import annotations

import io
import random
import statistics
import tempfile
import time as clock
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate
from sheets_batch import SHEET  # run as a script: its folder is on sys.path

from apk_desktop.sheets.attendance import attendance_story, build_attendance_sheet
from apk_desktop.sheets.base import MARGIN, SheetInfo, build_sheets, register_fonts

ROUNDS = 30


def _logolink(folder: Path) -> str:
    """A logolink-like image: the emblem's square, text-like bars and some scanner noise."""
    rng = random.Random(1)
    image = Image.new("RGB", (2400, 360), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 540, 360), fill=(0, 51, 153))
    for star in range(12):
        x, y = 270 + 120 * (star % 4) - 180, 100 + 80 * (star // 4)
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=(255, 204, 0))
    for line in range(3):
        for _ in range(40):
            x = rng.randrange(600, 2350)
            draw.rectangle((x, 80 + line * 90, x + rng.randrange(10, 60), 130 + line * 90), "black")
    for _ in range(20_000):
        image.putpixel((rng.randrange(2400), rng.randrange(360)), (rng.randrange(256),) * 3)
    path = folder / "logolink.png"
    image.save(path)
    return str(path)


def _plain_sheets(count: int = 1) -> bytes:
    """The attendance sheet's story on plain A4 pages: no header, footer, QR code or logo."""
    story: list[Flowable] = []
    for index in range(count):
        story += [PageBreak()] if index else []
        story += attendance_story(replace(SHEET, sheet_id=f"PL-{index}"))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN).build(story)
    return buffer.getvalue()


def _median(build: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        started = clock.perf_counter()
        build()
        times.append(clock.perf_counter() - started)
    return statistics.median(times)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    register_fonts()
    with tempfile.TemporaryDirectory() as folder:
        header = replace(SHEET.header, logo_path=_logolink(Path(folder)))
        sheet = replace(SHEET, header=header)
        started = clock.perf_counter()
        build_attendance_sheet(sheet)
        first = clock.perf_counter() - started
        _plain_sheets()
        plain, framed, no_logo = [], [], []
        for _ in range(3):  # interleaved, so both see the same machine load
            plain.append(_median(_plain_sheets))
            framed.append(_median(lambda: build_attendance_sheet(sheet)))
            no_logo.append(_median(lambda: build_attendance_sheet(SHEET)))
        batches, plain_batches = [], []
        for _ in range(3):  # the fastest of three, interleaved as above
            started = clock.perf_counter()
            sheets = [
                (SheetInfo(f"PL-{i}", i), attendance_story(replace(sheet, sheet_id=f"PL-{i}")))
                for i in range(100)
            ]
            pdf = build_sheets(header, sheets, title="Prezenční listiny").pdf
            batches.append(clock.perf_counter() - started)
            started = clock.perf_counter()
            _plain_sheets(100)
            plain_batches.append(clock.perf_counter() - started)
        batch, plain_batch = min(batches), min(plain_batches)

    plain_ms, framed_ms = min(plain), min(framed)
    print(f"first sheet with logo (image read, fonts loaded): {_ms(first)}")
    print(f"plain reportlab sheet, same content: median {_ms(plain_ms)}")
    print(f"attendance sheet without logo: median {_ms(min(no_logo))}")
    print(
        f"attendance sheet with logo: median {_ms(framed_ms)}, "
        f"{framed_ms / plain_ms:.1f}× the plain sheet  (target ≤ 3×)"
    )
    print(
        f"batch of 100 sheets with logo in one PDF: {batch:.2f} s, {len(pdf) / 1024:.0f} KiB"
        "  (target < 1 s)"
    )
    print(f"the same 100 plain reportlab sheets (no frame): {plain_batch:.2f} s")


if __name__ == "__main__":
    main()
