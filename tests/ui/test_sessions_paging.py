"""The paged session lists of the sessions page: first page, more on scroll, SQL sorting and
filters, the total, selecting a row not read yet, and the printed sheet id column."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from apk_desktop.db.services import evidence as evidence_service
from apk_desktop.db.services import sessions as session_service
from apk_desktop.db.services.sessions import SessionFilter, SessionSort
from apk_desktop.domain.sessions import SessionKind, SupervisionForm
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.sessions import SessionsPage
from tests.ui.test_sessions import _create, _page, _people

TOPICS = ["Deeskalace", "alkohol", "Bezpečnost", "finance", "Cizinci", "exekuce", "Dluhy"]


def _seven(ctx: AppContext) -> list[int]:
    """Seven past sessions on different days (one a supervision), none with a scan."""
    person = _people(ctx.db, ctx.project_id)[0].assistant_id
    ids = []
    for day, topic in enumerate(TOPICS, start=3):
        changes: dict[str, object] = {}
        if day == 5:
            changes = dict(
                kind=SessionKind.ASSISTANT_SUPERVISION,
                supervision_form=SupervisionForm.INDIVIDUALNI,
            )
        ids.append(
            _create(
                ctx,
                date=date(2025, 3, day),
                time_from=time(9),
                time_to=time(10),
                topic=topic,
                participant_ids=(person,),
                **changes,
            )
        )
    return ids


def _sql_order(ctx: AppContext, sort: SessionSort, descending: bool, **kw: object) -> list[int]:
    with ctx.db.unit_of_work() as session:
        page = session_service.session_page(
            session,
            ctx.project_id,
            SessionFilter(**kw),  # type: ignore[arg-type]
            sort=sort,
            descending=descending,
            limit=1000,
        )
    return [r.id for r in page.rows]


def _small_pages(page: SessionsPage, size: int = 3) -> None:
    page.model.page_size = page.missing_model.page_size = size
    page.refresh()


def test_first_page_then_more_on_demand_with_the_total(
    qtmodeltester: ModelTester, main_window: MainWindow, ctx: AppContext
) -> None:
    ids = _seven(ctx)
    page = _page(main_window)
    _small_pages(page)
    model = page.model
    newest_first = _sql_order(ctx, SessionSort.DATE, True)
    assert newest_first == ids[::-1]
    assert [r.id for r in model.rows] == newest_first[:3]
    assert model.total == 7 and model.canFetchMore()
    assert page.count_label.text().startswith("Zobrazeno 3 z 7 setkání")
    model.fetchMore()
    assert [r.id for r in model.rows] == newest_first[:6]
    assert page.count_label.text().startswith("Zobrazeno 6 z 7 setkání")
    model.fetchMore()
    assert [r.id for r in model.rows] == newest_first
    assert not model.canFetchMore() and page.count_label.text() == "Setkání: 7"
    model.fetchMore()  # nothing more: no change
    assert model.rowCount() == 7
    page.refresh()
    assert model.rowCount() == 3
    qtmodeltester.check(model)  # fetches the rest itself, checking the insert signals
    assert [r.id for r in model.rows] == newest_first


def test_scrolling_the_view_fetches_the_next_page(
    qtbot: QtBot, main_window: MainWindow, ctx: AppContext
) -> None:
    _seven(ctx)
    page = _page(main_window)
    _small_pages(page)
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 7)
    assert page.count_label.text() == "Setkání: 7"


def test_header_click_sorts_in_sql(main_window: MainWindow, ctx: AppContext) -> None:
    _seven(ctx)
    page = _page(main_window)
    _small_pages(page)
    header = page.table.horizontalHeader()
    for column, sort in ((4, SessionSort.TOPIC), (2, SessionSort.KIND), (0, SessionSort.DATE)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            header.setSortIndicator(column, order)
            descending = order == Qt.SortOrder.DescendingOrder
            expected = _sql_order(ctx, sort, descending)
            assert [r.id for r in page.model.rows] == expected[:3]  # back to the first page
            while page.model.canFetchMore():
                page.model.fetchMore()
            assert [r.id for r in page.model.rows] == expected
    header.setSortIndicator(4, Qt.SortOrder.AscendingOrder)
    assert [r.topic for r in page.model.rows] == ["alkohol", "Bezpečnost", "Cizinci"]

    # the selected session stays selected in the new order (read up to it when needed)
    finance = next(r.id for r in page.model.rows if r.topic == "Cizinci")
    assert page.select(finance)
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    row = page.selected_row()
    assert row is not None and row.id == finance and page.buttons["edit"].isEnabled()


def test_filters_apply_in_sql_and_a_sheet_id_finds_its_session(
    main_window: MainWindow, ctx: AppContext
) -> None:
    ids = _seven(ctx)
    page = _page(main_window)
    _small_pages(page, 2)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(SessionKind.ASSISTANT_SUPERVISION))
    assert [r.id for r in page.model.rows] == [ids[2]] and page.model.total == 1
    page.kind_filter.setCurrentIndex(0)
    page.month_filter.setCurrentIndex(page.month_filter.findData("2025-04-01"))
    assert page.model.rowCount() == 0 and page.count_label.text() == "Setkání: 0"
    page.month_filter.setCurrentIndex(page.month_filter.findData("2025-03-01"))
    assert page.model.total == 7 and page.model.rowCount() == 2
    page.text_filter.setText("E")  # topic, lecturer or place; the lecturer matches all
    page.refresh()
    assert page.model.total == 7
    page.text_filter.setText("exek")
    page.refresh()
    assert [r.topic for r in page.model.rows] == ["exekuce"]

    supervision = ids[2]
    page.text_filter.setText(f"sup-{supervision}")
    page.refresh()
    assert [r.id for r in page.model.rows] == [supervision]
    cell = page.model.index(0, page.model.SHEET_COLUMN)
    assert cell.data() == f"SUP-{supervision}"
    assert page.model.headerData(page.model.SHEET_COLUMN, Qt.Orientation.Horizontal) == (
        "Identifikátor"
    )
    with ctx.db.unit_of_work() as session:
        assert session_service.get_session(session, supervision).sheet_id == cell.data()
    page.text_filter.setText(f"PL-{supervision}")  # a training's prefix: not this session
    page.refresh()
    assert page.model.rowCount() == 0


def test_selecting_a_row_not_read_yet_reads_up_to_it(
    main_window: MainWindow, ctx: AppContext
) -> None:
    ids = _seven(ctx)
    page = _page(main_window)
    _small_pages(page, 2)
    oldest = ids[0]
    assert page.model.rowCount() == 2
    assert page.select(oldest)
    assert page.model.rowCount() == 7
    row = page.selected_row()
    assert row is not None and row.id == oldest
    page.refresh()  # keeps the selection, reading as far as needed again
    row = page.selected_row()
    assert row is not None and row.id == oldest
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(SessionKind.MENTOR_TRAINING))
    assert not page.select(oldest) and page.selected_row() is None


def test_missing_evidence_tab_is_paged_oldest_first(
    qtmodeltester: ModelTester, main_window: MainWindow, ctx: AppContext
) -> None:
    ids = _seven(ctx)
    page = _page(main_window)
    page.missing_model.page_size = 3
    page.tabs.setCurrentWidget(page.missing_table)
    model = page.missing_model
    with ctx.db.unit_of_work() as session:
        expected = [r.id for r in evidence_service.missing_evidence(session, ctx.project_id)]
        now = datetime.now()
        assert evidence_service.missing_evidence_page(session, ctx.project_id, now=now).total == 7
    assert expected == ids  # oldest first
    assert [r.id for r in model.rows] == ids[:3] and model.total == 7
    assert page.count_label.text().startswith("Proběhlá setkání bez podepsané listiny: 7")
    assert "zobrazeno 3" in page.count_label.text()
    model.fetchMore()
    assert [r.id for r in model.rows] == ids[:6]
    assert page.select(ids[-1]) and model.rowCount() == 7
    page.missing_table.horizontalHeader().setSortIndicator(4, Qt.SortOrder.AscendingOrder)
    assert [r.topic for r in model.rows[:3]] == ["alkohol", "Bezpečnost", "Cizinci"]
    row = page.selected_row()  # still selected: "Dluhy", read up to it in the new order
    assert row is not None and row.id == ids[-1]
    page.refresh()
    qtmodeltester.check(model)
