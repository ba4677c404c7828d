"""Start-up as the user sees it: the main window first ("Načítám…"), the database opened and
migrated off the GUI thread, then the first screen filled; the wizard, the demo, restore-recovery,
the synced-folder warning and a failed open on that path."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from apk_desktop import app as app_module
from apk_desktop import cli, paths, startup, startup_trace
from apk_desktop.backup import restore
from apk_desktop.db.database import Database
from apk_desktop.domain.errors import StorageUnavailableError
from apk_desktop.startup import Opened
from apk_desktop.ui.dashboard import DashboardPage
from apk_desktop.ui.first_run_wizard import TEMPLATE, FirstRunWizard
from apk_desktop.ui.main_window import MainWindow
from apk_desktop.ui.pages import LOADING, PAGES, LoadingPage
from tests.seeding import open_seeded


def _seeded(tmp_path: Path, name: str = "apk.sqlite3") -> str:
    url = f"sqlite:///{tmp_path / name}"
    open_seeded(url).dispose()
    return url


class Gate:
    """Holds ``startup.open_at_start`` on the worker thread until ``release()``; records what
    it opened."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.entered = threading.Event()
        self.opened: list[Opened] = []
        real = startup.open_at_start

        def held(url: str, *, named: bool, password: str | None = None) -> Opened:
            self.entered.set()
            assert self.event.wait(30)
            opened = real(url, named=named, password=password)
            self.opened.append(opened)
            return opened

        monkeypatch.setattr(startup, "open_at_start", held)

    def release(self) -> None:
        self.event.set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate(monkeypatch)
    yield held
    held.release()  # a test that failed early does not leave the worker waiting


@pytest.fixture
def started(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, bool], tuple[MainWindow, app_module.Startup]]]:
    """A main window shown with its ``Startup`` under way; everything closed afterwards. An
    error box or the first-run wizard, which would wait for a click, fails the test instead."""
    made: list[app_module.Startup] = []
    unexpected: list[object] = []
    monkeypatch.setattr(app_module, "present_error", lambda _parent, exc: unexpected.append(exc))
    monkeypatch.setattr(FirstRunWizard, "exec", lambda wizard: unexpected.append(wizard) or 0)

    def start(url: str, named: bool = True) -> tuple[MainWindow, app_module.Startup]:
        window = MainWindow()
        qtbot.addWidget(window)
        begun = app_module.Startup(window, url, named=named)
        made.append(begun)
        window.show()
        return window, begun

    yield start
    for begun in made:
        begun.finish()  # waits for the worker, disposes the databases
    assert unexpected == []


def _shortcut(window: MainWindow, keys: str) -> QShortcut:
    [found] = [s for s in window.findChildren(QShortcut) if s.key().toString() == keys]
    return found


def _loading_page(window: MainWindow) -> LoadingPage:
    page = window.stack.currentWidget()
    assert isinstance(page, LoadingPage)
    return page


def test_the_window_shows_before_the_database_opens_and_fills_after(
    qtbot: QtBot, tmp_path: Path, started: Any, gate: Gate
) -> None:
    url = _seeded(tmp_path)
    window, _ = started(url)
    qtbot.waitExposed(window)
    assert window.loading and window.isVisible()
    page = _loading_page(window)
    assert page.heading.text() == "<h2>Přehled</h2>" and page.status.text() == LOADING
    assert window.db_label.text() == "Databáze: načítám…"
    needing_data = [
        window.backup_action,
        window.restore_action,
        window.signed_action,
        window.export_csv_action,
        window.export_xlsx_action,
        window.about_action,
    ]
    assert not any(action.isEnabled() for action in needing_data)
    assert window.quit_action.isEnabled()

    _shortcut(window, "Ctrl+2").activated.emit()
    assert _loading_page(window).heading.text() == "<h2>Asistenti</h2>"  # waits for the data
    _shortcut(window, "Ctrl+1").activated.emit()

    gate.release()
    qtbot.waitUntil(lambda: not window.loading)
    dashboard = window.stack.currentWidget()
    assert isinstance(dashboard, DashboardPage) and dashboard.isVisible()
    assert dashboard.goal_text.text() and "stav k" in dashboard.goal_status.text()
    assert window.stack.count() == len(PAGES)  # "Načítám…" is gone
    assert all(action.isEnabled() for action in needing_data)
    assert window.db_label.text() == f"Databáze: {tmp_path / 'apk.sqlite3'}"


def test_a_screen_chosen_while_loading_opens_with_the_data(
    qtbot: QtBot, tmp_path: Path, started: Any, gate: Gate
) -> None:
    window, _ = started(_seeded(tmp_path))
    window.nav.setCurrentRow(1)  # Asistenti, clicked while loading
    gate.release()
    qtbot.waitUntil(lambda: not window.loading)
    assert window.stack.currentWidget() is window.page("assistants")


def test_the_database_opens_even_if_the_platform_never_says_the_window_is_painted(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: Any
) -> None:
    """E.g. a start minimised: the window is not exposed, the data are loaded anyway."""
    monkeypatch.setattr(app_module, "when_first_exposed", lambda _window, _callback: None)
    monkeypatch.setattr(app_module, "OPEN_AT_LATEST_MS", 50)
    window, _ = started(_seeded(tmp_path))
    qtbot.waitUntil(lambda: not window.loading)
    assert isinstance(window.stack.currentWidget(), DashboardPage)


@pytest.fixture
def recovery(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Restore-recovery that says it rolled back a restore; the order of what happens."""
    order: list[str] = []

    def recover(db_url: str) -> str:
        order.append(f"recover {db_url}")
        return "Vráceno."

    monkeypatch.setattr(restore, "recover_at_startup", recover)
    real = startup.open_at_start
    monkeypatch.setattr(
        startup,
        "open_at_start",
        lambda u, named, **kw: order.append("open") or real(u, named=named, **kw),
    )
    return order


def test_restore_recovery_runs_before_the_database_opens_and_is_told_before_its_data(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    started: Any,
    recovery: list[str],
) -> None:
    url = _seeded(tmp_path)
    told: list[tuple[QWidget, str, bool]] = []
    monkeypatch.setattr(
        app_module.QMessageBox,
        "information",
        lambda parent, _title, text: told.append((parent, text, parent.loading)),
    )
    window, _ = started(url)
    qtbot.waitUntil(lambda: not window.loading)
    assert recovery == [f"recover {url}", "open"]
    assert told == [(window, "Vráceno.", True)]  # over the window, before its screens


def test_restore_recovery_is_told_even_when_the_database_then_fails_to_open(
    gui_start: list[tuple[Any, ...]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    recovery: list[str],
) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        app_module.QMessageBox,
        "information",
        lambda _parent, _title, text: told.append(text) or recovery.append("told"),
    )
    assert app_module.run_gui(cli.parse(["--db", str(tmp_path)])) == 2  # a folder, not a file
    assert told == ["Vráceno."]
    assert recovery[0].startswith("recover") and recovery[1:] == ["open", "told"]
    [(_parent, exc, _visible)] = gui_start
    assert isinstance(exc, StorageUnavailableError)


def test_a_database_in_a_synced_folder_is_warned_about_over_the_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started: Any
) -> None:
    url = _seeded(tmp_path)
    checked: list[Path] = []
    monkeypatch.setattr(paths, "looks_synced_or_remote", lambda path: checked.append(path) or True)
    warned: list[tuple[QWidget, str]] = []
    monkeypatch.setattr(
        app_module.QMessageBox,
        "warning",
        lambda parent, _title, text: warned.append((parent, text)),
    )
    window, _ = started(url)
    qtbot.waitUntil(lambda: bool(warned))
    assert warned == [(window, app_module.UNSAFE_FOLDER)]
    assert checked == [tmp_path / "apk.sqlite3"]
    assert not window.loading


def test_the_remembered_demo_opens_after_the_window(
    qtbot: QtBot, tmp_path: Path, started: Any
) -> None:
    from apk_desktop.ui.demo_mode import DemoMode

    demo_db, _ = startup.open_demo()  # "Vyzkoušet na ukázkových datech" last time
    demo_db.dispose()
    paths.use_data_dir(None)  # a new start begins in the usual folder
    window, _ = started(f"sqlite:///{tmp_path / 'real.sqlite3'}", False)
    qtbot.waitUntil(lambda: not window.loading, timeout=30_000)
    assert isinstance(window.demo_mode, DemoMode)
    assert "UKÁZKA" in window.windowTitle() and "ukazka" in window.db_label.text()
    assert not (tmp_path / "real.sqlite3").exists()  # the real database untouched


# --- run_gui as a whole, in this process ------------------------------------------------------


@pytest.fixture
def gui_start(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, ...]]]:
    """run_gui with the error presenter recorded (parent, error, was the parent visible)."""
    shown: list[tuple[Any, ...]] = []

    def record(parent: QWidget | None, exc: BaseException) -> None:
        shown.append((parent, exc, parent is not None and parent.isVisible()))

    monkeypatch.setattr(app_module, "present_error", record)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "install_czech_translations", lambda _app: None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    watchdog = QTimer()  # an app that never ends fails the test instead of hanging it
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.exit(99))
    watchdog.start(60_000)
    yield shown
    watchdog.stop()
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_a_database_that_cannot_be_opened_is_told_over_the_window_and_exits_2(
    gui_start: list[tuple[Any, ...]], tmp_path: Path
) -> None:
    code = app_module.run_gui(cli.parse(["--db", str(tmp_path)]))  # a folder, not a file
    assert code == 2
    [(parent, exc, visible)] = gui_start
    assert isinstance(parent, MainWindow) and visible  # the window was there first
    assert isinstance(exc, StorageUnavailableError)
    assert "se nepodařilo otevřít" in exc.message


def _wizard_exec(answer: Callable[[FirstRunWizard], int], seen: list[bool]) -> Any:
    def exec_(wizard: FirstRunWizard) -> int:
        parent = wizard.parentWidget()
        seen.append(isinstance(parent, MainWindow) and parent.isVisible())
        return answer(wizard)

    return exec_


def _through_the_template(wizard: FirstRunWizard) -> int:
    wizard.restart()
    wizard.next()  # Kde budou data: in this PC
    wizard.intro.buttons[TEMPLATE].click()
    for _ in range(3):
        wizard.next()
    wizard.accept()
    return 1


def test_first_start_shows_the_wizard_over_the_window_and_then_works_on(
    gui_start: list[tuple[Any, ...]],
    monkeypatch: pytest.MonkeyPatch,
    isolated_folders: Path,
    tmp_path: Path,
) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(FirstRunWizard, "exec", _wizard_exec(_through_the_template, seen))
    monkeypatch.setenv("APK_DESKTOP_QUIT_WHEN_READY", "1")
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("APK_DESKTOP_TRACE", str(trace))
    assert app_module.run_gui(cli.parse([])) == 0
    assert seen == [True] and gui_start == []
    db = Database(f"sqlite:///{isolated_folders / 'apk-desktop.sqlite3'}")
    try:
        assert startup.project_id_of(db) is not None  # the project the wizard made
    finally:
        db.dispose()
    events = [line.split()[0] for line in trace.read_text(encoding="utf-8").splitlines()]
    assert events == ["window-shown", "ready"]


def test_a_cancelled_first_run_wizard_ends_the_app_and_leaves_the_database_empty(
    gui_start: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch, isolated_folders: Path
) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(FirstRunWizard, "exec", _wizard_exec(lambda _wizard: 0, seen))
    assert app_module.run_gui(cli.parse([])) == 0
    assert seen == [True] and gui_start == []
    db = Database(f"sqlite:///{isolated_folders / 'apk-desktop.sqlite3'}")
    try:
        assert startup.project_id_of(db) is None
    finally:
        db.dispose()


def test_closing_the_window_while_it_loads_ends_cleanly(
    gui_start: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gate: Gate
) -> None:
    """The open under way is waited for and its database closed: nothing is left open."""
    url = _seeded(tmp_path)
    disposed: list[Database] = []
    real_dispose = Database.dispose
    monkeypatch.setattr(Database, "dispose", lambda db: disposed.append(db) or real_dispose(db))

    def close_the_window() -> None:
        if not gate.entered.is_set():  # not opening yet
            QTimer.singleShot(10, close_the_window)
            return
        [window] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        assert window.loading
        window.close()
        gate.release()
        QApplication.quit()  # as the last window closed would, whatever else the tests left

    QTimer.singleShot(0, close_the_window)
    assert app_module.run_gui(cli.parse(["--db", str(tmp_path / "apk.sqlite3")])) == 0
    assert gui_start == []
    [opened] = gate.opened
    assert opened.db in disposed
    assert url.endswith("apk.sqlite3")


# --- what is loaded before the window is on screen --------------------------------------------

_BEFORE_THE_WINDOW = r"""
import sys
from apk_desktop import startup_trace

mark = startup_trace.mark

def record(event):
    if event == startup_trace.WINDOW_SHOWN:
        heavy = ("sqlalchemy", "alembic", "dateutil", "holidays", "reportlab", "pypdf", "PIL",
                 "numpy", "pypdfium2", "zxingcpp", "pyphen", "PySide6.QtCharts")
        loaded = sorted({m.split(".")[0] if not m.startswith("PySide6") else m
                         for m in sys.modules if m.startswith(heavy)})
        import PySide6.QtCore
        if "Qt" in PySide6.QtCore.__dict__:  # the Qt namespace: ~100 enums, 18 ms
            loaded.append("PySide6.QtCore.Qt")
        print("before the window:", loaded, flush=True)
    mark(event)

startup_trace.mark = record
from apk_desktop.__main__ import main
sys.exit(main())
"""


def test_the_window_is_shown_before_sqlalchemy_and_the_printing_libraries_load(
    tmp_path: Path,
) -> None:
    """Nor alembic, dateutil, holidays, QtCharts or even PySide's Qt namespace, whose ~100
    enums take 18 ms to build: each is loaded after the first paint, when first needed."""
    data = tmp_path / "data"
    env = {**os.environ, "APK_DESKTOP_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("APK_DESKTOP_DB", None)
    init = [sys.executable, "-m", "apk_desktop", "init", "--demo"]
    subprocess.run(init, env=env, check=True, capture_output=True)
    env.update(APK_DESKTOP_TRACE=str(tmp_path / "trace.txt"), APK_DESKTOP_QUIT_WHEN_READY="1")
    run = subprocess.run(
        [sys.executable, "-c", _BEFORE_THE_WINDOW],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "before the window: []" in run.stdout.splitlines()


class _Paints(QObject):
    """Records, in order with the start-up marks, each paint of a dashboard holding data."""

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, DashboardPage)
            and watched.goal_text.text()
        ):
            self.log.append("dashboard painted")
        return False


def test_ready_is_marked_once_the_dashboard_is_painted_with_its_data(
    gui_start: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _seeded(tmp_path)
    log: list[str] = []
    monkeypatch.setattr(startup_trace, "mark", log.append)
    monkeypatch.setenv(startup_trace.QUIT_ENV, "1")
    paints = _Paints(log)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(paints)
    try:
        assert app_module.run_gui(cli.parse(["--db", str(tmp_path / "apk.sqlite3")])) == 0
    finally:
        app.removeEventFilter(paints)
    assert gui_start == []
    assert log[0] == startup_trace.WINDOW_SHOWN
    assert log.index("dashboard painted") < log.index(startup_trace.READY)
