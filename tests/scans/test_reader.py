"""Reading a scanned stack: each page matched to its sheet by its code, whatever way it lies,
and each participant row read as signed or empty."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from apk_desktop.db.database import Database
from apk_desktop.db.services import printed_sheets
from apk_desktop.scans.reader import PageStatus, group_sheets, read_page, read_pages
from tests.scans.conftest import Printed
from tests.scans.scan_factory import (
    Scanner,
    coffee_ring,
    page_image,
    scan,
    sign_rows,
    signature,
    smudge_code,
    tick,
)

SIGNED = {1, 2, 4, 7, 9, 11}  # 11: a walk-in on a blank row
OFFICE = Scanner(dpi=150, rotation=2.5, scale=0.98, offset_mm=(3, -2), noise=5, jpeg_quality=70)


def signed_rows(result_rows: object) -> set[int]:
    return {row.row for row in result_rows if row.signed}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "scanner",
    [
        OFFICE,
        replace(OFFICE, dpi=300, rotation=-3, scale=1.03, colour=True, paper_tint=(240, 236, 225)),
        replace(OFFICE, rotation=180.8),  # fed upside down
        replace(OFFICE, dpi=200, rotation=90.5),  # scanned sideways
        replace(OFFICE, dpi=200, rotation=-91),
    ],
    ids=["150dpi-skewed", "300dpi-colour", "upside-down", "sideways", "sideways-left"],
)
def test_signed_rows_are_read_however_the_page_lies(printed: Printed, scanner: Scanner) -> None:
    sheet = sign_rows(printed.page("PL-1"), SIGNED)
    result = read_page(page_image(scan(sheet, scanner), scanner.dpi), printed.layouts)
    assert result.status is PageStatus.MATCHED
    assert result.code is not None and (result.code.sheet_id, result.code.page) == ("PL-1", 1)
    assert result.located and len(result.rows) == 12
    assert signed_rows(result.rows) == SIGNED
    assert all(row.sure for row in result.rows)
    assert result.upside_down == (abs(scanner.rotation) > 135)
    assert abs((result.rotation - scanner.rotation + 180) % 360 - 180) < 0.5
    first = result.rows[0]
    assert (first.participant, first.participant_id) == ("Jana Nováková", 101)


def test_a_tick_and_a_coffee_ring_are_not_signatures(printed: Printed) -> None:
    sheet = printed.page("PL-1")
    for cell in sheet.cells[:6]:
        tick(sheet, cell)
    cell = sheet.cells[9]
    coffee_ring(sheet, (cell.x + cell.width / 2, cell.y), radius_mm=35)
    result = read_page(page_image(scan(sheet, OFFICE), OFFICE.dpi), printed.layouts)
    assert [row.signed for row in result.rows] == [False] * 12
    assert all(row.sure for row in result.rows)


def test_a_stack_is_grouped_into_sheets_with_duplicates_and_disorder_explained(
    printed: Printed,
) -> None:
    def page(sheet_id: str, number: int = 1) -> Scanner:
        return scan(printed.page(sheet_id, number), OFFICE)

    stack = [
        page("PL-3", 2),  # page 2 before page 1
        page("PL-1"),
        page("PL-3", 1),
        page("PL-1"),  # scanned twice
    ]
    images = [page_image(image, OFFICE.dpi, "sken.pdf", n) for n, image in enumerate(stack, 1)]
    seen: list[int] = []
    results = read_pages(images, printed.layouts, progress=seen.append)
    assert seen == [1, 2, 3, 4]
    assert [r.status for r in results] == [PageStatus.MATCHED] * 3 + [PageStatus.DUPLICATE]
    assert results[3].duplicate_of == 1 and results[3].number == 4
    assert [r.out_of_order for r in results] == [True, False, True, False]
    assert [(r.sheet_id, r.page_count) for r in results[:3]] == [
        ("PL-3", 2),
        ("PL-1", 1),
        ("PL-3", 2),
    ]
    sheets = group_sheets(results)
    assert [s.sheet_id for s in sheets] == ["PL-3", "PL-1"]
    long = sheets[0]
    assert [p.code.page for p in long.pages if p.code] == [1, 2]
    assert long.missing == () and long.record_id == 3
    assert [row.row for row in long.rows] == list(range(1, 28))


def test_a_missing_page_is_reported(printed: Printed) -> None:
    image = page_image(scan(printed.page("PL-3", 2), OFFICE), OFFICE.dpi)
    (sheet,) = group_sheets(read_pages([image], printed.layouts))
    assert sheet.missing == (1,)


def test_a_smudged_code_leaves_the_page_to_assign_by_hand(printed: Printed) -> None:
    sheet = printed.page("PL-2")
    smudge_code(sheet)
    image = page_image(scan(sheet, OFFICE), OFFICE.dpi, "sken.pdf", 7)
    (result,) = read_pages([image], printed.layouts)
    assert result.status is PageStatus.NO_CODE
    assert (result.source, result.number, result.code, result.rows) == ("sken.pdf", 7, None, ())
    assert group_sheets([result]) == []


def test_another_projects_sheet_is_not_matched(printed: Printed) -> None:
    image = page_image(scan(printed.page("PL-2"), OFFICE), OFFICE.dpi)
    others = {k: v for k, v in printed.layouts.items() if k != "PL-2"}
    assert read_page(image, others).status is PageStatus.UNKNOWN_SHEET
    # the same identifier in another project belongs to another record
    other_record = {**printed.layouts, "PL-2": replace(printed.layouts["PL-2"], record_id=99)}
    result = read_page(image, other_record)
    assert result.status is PageStatus.UNKNOWN_SHEET
    assert result.code is not None and result.code.sheet_id == "PL-2" and result.rows == ()


@pytest.mark.parametrize(
    "stored",
    [{"code_rect": None}, {"layout_version": 1}],
    ids=["no-code-rect", "other-layout-version"],
)
def test_a_page_whose_layout_is_not_known_is_matched_without_reading_rows(
    printed: Printed, stored: dict[str, object]
) -> None:
    scanner = replace(OFFICE, rotation=181)
    image = page_image(scan(printed.page("PL-2"), scanner), scanner.dpi)
    layouts = {**printed.layouts, "PL-2": replace(printed.layouts["PL-2"], **stored)}
    result = read_page(image, layouts)
    assert result.status is PageStatus.MATCHED and not result.located and result.rows == ()
    assert result.upside_down  # the thumbnail can still be shown upright


def test_the_cell_image_for_the_review_shows_the_signature(printed: Printed) -> None:
    sheet = sign_rows(printed.page("PL-1"), {2})
    result = read_page(page_image(scan(sheet, OFFICE), OFFICE.dpi), printed.layouts)
    signed, empty = result.rows[1], result.rows[3]
    assert signed.pixels.dtype.name == "uint8" and signed.pixels.shape[1] > signed.pixels.shape[0]
    inside = (slice(24, -24), slice(24, -24))  # within the rules
    assert signed.pixels[inside].min() < 100 < empty.pixels[inside].min()


def test_a_signature_reaching_into_the_next_rows_signs_only_its_own(printed: Printed) -> None:
    sheet = printed.page("PL-1")
    rng = random.Random(3)  # tails 2 mm into rows 4, 8 and 10
    for cell in sheet.cells[4:5] + sheet.cells[8:9]:
        signature(sheet, cell, rng, ink="black", length_mm=55, pen_mm=0.7, cross_border=True)
    result = read_page(page_image(scan(sheet, OFFICE), OFFICE.dpi), printed.layouts)
    assert signed_rows(result.rows) == {5, 9}


def test_layouts_read_back_from_the_database_locate_the_cells(
    printed: Printed, db: Database, project_id: int
) -> None:
    with db.unit_of_work() as session:
        printed_sheets.record_printed(session, project_id, list(printed.layouts.values()), b"%PDF")
    with db.unit_of_work() as session:
        stored = printed_sheets.latest_layout(session, "PL-1")
    assert stored is not None
    sheet = sign_rows(printed.page("PL-1"), SIGNED)
    result = read_page(page_image(scan(sheet, OFFICE), OFFICE.dpi), {"PL-1": stored})
    assert result.status is PageStatus.MATCHED and signed_rows(result.rows) == SIGNED


def test_a_record_named_on_one_side_only_does_not_block_the_match(printed: Printed) -> None:
    # plans and progress sheets: the layout stores the record its identifier names, the code none
    image = page_image(scan(printed.page("PL-2"), OFFICE), OFFICE.dpi)
    layouts = {"PL-2": replace(printed.layouts["PL-2"], record_id=None)}
    assert read_page(image, layouts).status is PageStatus.MATCHED


def test_a_row_cut_off_by_the_scanner_is_unsure_not_empty(printed: Printed) -> None:
    scanner = replace(OFFICE, rotation=0, offset_mm=(0, 120))  # the page slid down the glass
    sheet = sign_rows(printed.page("PL-1"), SIGNED)
    image = page_image(scan(sheet, scanner), scanner.dpi)
    result = read_page(image, printed.layouts)
    height = image.pixels.shape[0]
    cut = [row for row in result.rows if max(v for _, v in row.corners) >= height]
    seen = [row for row in result.rows if row not in cut]
    assert len(cut) >= 3 and len(seen) >= 3
    assert all(not row.sure and row.confidence == 0.5 and not row.signed for row in cut)
    assert all(row.sure and row.signed == (row.row in SIGNED) for row in seen)
