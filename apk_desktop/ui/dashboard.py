"""Přehled: project goal 1 and its status, and what needs attention; each item opens its record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from apk_desktop.db.services import project as project_service
from apk_desktop.db.services.dashboard import REVIEW_DAYS, Dashboard, DashboardItem, dashboard
from apk_desktop.domain.czech_format import format_date
from apk_desktop.ui.actions import read, status_day
from apk_desktop.ui.context import AppContext
from apk_desktop.ui.empty_state import EmptyState, show_page
from apk_desktop.ui.progress import goal_html
from apk_desktop.ui.publicity import PublicityNotice

ITEM_ROLE = Qt.ItemDataRole.UserRole
ALL_MEET = "Všichni asistenti v pozici cíl 1 splňují."
NO_TEAM_HINT = (
    "Přidejte asistenty na obrazovce Asistenti. Pak tu uvidíte plnění cíle 1, blížící se "
    "revize plánů a chybějící hodnocení."
)


class DashboardPage(QWidget):
    def __init__(self, ctx: AppContext, today: date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._today = today
        self.board: Dashboard | None = None

        heading = QLabel("<h2>Přehled</h2>")
        goal_box = QGroupBox("Cíl 1 projektu")
        self.goal_text = QLabel()
        self.goal_text.setObjectName("goal_text")
        self.goal_text.setWordWrap(True)
        font = self.goal_text.font()
        font.setItalic(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.goal_text.setFont(font)
        self.goal_status = QLabel()
        self.goal_status.setObjectName("goal_status")
        self.goal_status.setTextFormat(Qt.TextFormat.RichText)
        status_font = self.goal_status.font()
        status_font.setPointSizeF(status_font.pointSizeF() * 1.3)
        self.goal_status.setFont(status_font)
        self.progress_button = QPushButton("Zobrazit pokrok týmu")
        self.progress_button.clicked.connect(lambda: self.open_progress(None))
        self.team_grid_button = QPushButton("Zadat hodnocení týmu")
        self.team_grid_button.clicked.connect(self.open_team_grid)
        goal_layout = QVBoxLayout(goal_box)
        goal_layout.addWidget(self.goal_text)
        status_row = QHBoxLayout()
        status_row.addWidget(self.goal_status, 1)
        status_row.addWidget(self.team_grid_button)
        status_row.addWidget(self.progress_button)
        goal_layout.addLayout(status_row)

        self.not_meeting = self._list("not_meeting")
        self.plans_due = self._list("plans_due")
        self.missing = self._list("missing_assessments")
        self.thin_plans = self._list("thin_plans")
        self.boxes: dict[str, QGroupBox] = {}
        grid = QGridLayout()
        for position, (key, title, widget) in enumerate(
            [
                (
                    "not_meeting",
                    "Asistenti v pozici, kteří cíl 1 zatím nesplňují",
                    self.not_meeting,
                ),
                ("plans_due", f"Revize plánů v příštích {REVIEW_DAYS} dnech", self.plans_due),
                ("missing", "Chybějící hodnocení", self.missing),
                (
                    "thin",
                    "Bez platného plánu nebo s cíli v méně než dvou oblastech",
                    self.thin_plans,
                ),
            ]
        ):
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(widget)
            self.boxes[key] = box
            grid.addWidget(box, position // 2, position % 2)
        hint = QLabel("Dvojklikem nebo klávesou Enter otevřete záznam, kterého se položka týká.")
        hint.setStyleSheet("color: #555555;")

        self.no_team = EmptyState(NO_TEAM_HINT, "Přidat asistenty…", self.open_roster)
        self.no_team.hide()
        self.publicity = PublicityNotice("Otevřít Nastavení…", self.open_settings)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.publicity)
        layout.addWidget(self.no_team)
        layout.addWidget(goal_box)
        layout.addLayout(grid, 1)
        layout.addWidget(hint)
        ctx.events.changed.connect(self._data_changed)
        self.refresh()

    @property
    def today(self) -> date:
        return self._today or status_day(self.ctx)

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(name)
        widget.setWordWrap(True)
        widget.itemActivated.connect(self._activated)
        return widget

    def _data_changed(self, _what: str) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.board = None

    def refresh(self) -> None:
        self.board, logo_path = read(self.ctx, self._read)
        if logo_path:
            # Checking the image loads Pillow and decodes it: after the page is painted.
            QTimer.singleShot(0, partial(self._check_logolink, logo_path))
        else:
            self.publicity.show_check(None)
        board = self.board
        self.goal_text.setText(board.goal_text)
        team = board.team
        as_of = f"stav k {format_date(board.today)}"
        nobody = team.goal.counted == 0
        self.no_team.setVisible(nobody)
        if nobody:  # neither met nor failed: there is nobody to count
            self.goal_status.setText(
                f"<b>Cíl 1 zatím nelze vyhodnotit</b> – v pozici není žádný asistent ({as_of})."
            )
        else:
            self.goal_status.setText(goal_html(team.goal.meets, f"{team.goal.text()} ({as_of})"))
        not_meeting = [
            DashboardItem(
                "progress",
                f"{r.person.name} (pozice {r.person.position_number}): zlepšení v {r.improved} "
                f"z {len(r.areas)} oblastí",
                assistant_id=r.person.assistant_id,
            )
            for r in team.rows
            if r.person.current and not r.meets
        ]
        everyone = "V pozici zatím není žádný asistent." if nobody else ALL_MEET
        self._fill(self.not_meeting, not_meeting, everyone)
        self._fill(self.plans_due, board.plans_due, "Žádná revize v nejbližších dnech.")
        self._fill(self.missing, board.missing_assessments, "Žádné hodnocení nechybí.")
        self._fill(
            self.thin_plans, board.thin_plans, "Každý má plán s cíli alespoň ve dvou oblastech."
        )

    def _read(self, session: Session) -> tuple[Dashboard, str]:
        info = project_service.get_project_info(session, self.ctx.project_id)
        return dashboard(session, self.ctx.project_id, self.today), info.logo_path

    def _check_logolink(self, logo_path: str) -> None:
        self.publicity.show_check(project_service.check_stored_logolink(logo_path))

    @staticmethod
    def _fill(widget: QListWidget, items: Sequence[DashboardItem], empty: str) -> None:
        widget.clear()
        for entry in items:
            item = QListWidgetItem(entry.text)
            item.setData(ITEM_ROLE, entry)
            widget.addItem(item)
        if not items:
            placeholder = QListWidgetItem(empty)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(placeholder)

    def _activated(self, item: QListWidgetItem) -> None:
        entry = item.data(ITEM_ROLE)
        if isinstance(entry, DashboardItem):
            self.open_item(entry)

    # ---- navigation ----------------------------------------------------------------------------

    def _page(self, key: str) -> Any:
        window = self.window()
        show_page = getattr(window, "show_page", None)
        return show_page(key) if callable(show_page) else None

    def open_item(self, entry: DashboardItem) -> None:
        """Open the record ``entry`` is about."""
        if entry.kind in ("plan_review", "plan_areas"):
            page = self._page("plans")
            if page is None:
                return
            if entry.plan_id is not None and hasattr(page, "open_plan"):
                page.open_plan(entry.plan_id)
            elif entry.assistant_id is not None and hasattr(page, "select_assistant"):
                page.select_assistant(entry.assistant_id)
        elif entry.kind == "missing_assessment":
            page = self._page("assessments")
            if page is not None and hasattr(page, "open_records"):
                page.open_records(entry.assistant_id)
        else:
            self.open_progress(entry.assistant_id)

    def open_progress(self, assistant_id: int | None) -> None:
        page = self._page("assessments")
        if page is not None and hasattr(page, "open_progress"):
            page.open_progress(assistant_id)

    def open_roster(self) -> None:
        show_page(self, "assistants")

    def open_settings(self) -> None:
        page = show_page(self, "settings")
        if page is not None and hasattr(page, "show_logolink"):
            page.show_logolink()

    def open_team_grid(self) -> None:
        page = self._page("assessments")
        if page is not None and hasattr(page, "open_team_grid"):
            page.open_team_grid()
