"""The screens of the left-hand navigation, in order. Each issue replaces its placeholder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from apk_desktop.ui.context import AppContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: Callable[[AppContext], QWidget] | None = None  # None: "připravujeme"
    icon: str = ""  # a file name in resources/icons, without .svg


LOADING = "Načítám…"


class PlaceholderPage(QWidget):
    def __init__(self, title: str) -> None:
        from PySide6.QtCore import Qt  # not at import: the window is shown before Qt loads

        super().__init__()
        layout = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>Tuto část připravujeme.</p>")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)


class LoadingPage(QWidget):
    """Where the chosen screen will be, while the database opens after the window is shown:
    its heading at the place the screen's own heading takes, so nothing jumps."""

    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel()
        self.status = QLabel(LOADING)
        self.status.setObjectName("loading")
        self.status.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def set_title(self, title: str) -> None:
        self.heading.setText(f"<h2>{title}</h2>")


def _roster_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.roster import RosterPage

    return RosterPage(ctx)


def _plans_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.plans import PlansPage

    return PlansPage(ctx)


def _settings_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.project_settings import ProjectSettingsPage

    return ProjectSettingsPage(ctx)


def _sessions_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.sessions import SessionsPage

    return SessionsPage(ctx)


def _print_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.print_page import PrintPage

    return PrintPage(ctx)


def _dashboard_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.dashboard import DashboardPage

    return DashboardPage(ctx)


def _assessments_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.assessments import AssessmentsPage

    return AssessmentsPage(ctx)


def _backups_page(ctx: AppContext) -> QWidget:
    from apk_desktop.ui.backups import BackupsPage

    return BackupsPage(ctx)


PAGES: list[PageSpec] = [
    PageSpec("dashboard", "Přehled", _dashboard_page, icon="layout-dashboard"),
    PageSpec("assistants", "Asistenti", _roster_page, icon="users"),
    PageSpec("plans", "Plány rozvoje", _plans_page, icon="target"),
    PageSpec("assessments", "Hodnocení", _assessments_page, icon="clipboard-check"),
    PageSpec("sessions", "Vzdělávání a supervize", _sessions_page, icon="graduation-cap"),
    PageSpec("print", "Tisk", _print_page, icon="printer"),
    PageSpec("backups", "Zálohy", _backups_page, icon="database-backup"),
    PageSpec("settings", "Nastavení", _settings_page, icon="settings"),
]
