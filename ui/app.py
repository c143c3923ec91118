"""The GUI entry point: paint the window first, then open the database in a worker."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from recruit_app.memory import settle_memory
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.main_window import MainWindow

_ONCE = Qt.ConnectionType.SingleShotConnection
SETTLE_AFTER_MS = 1500


class _AfterFirstPaint(QObject):
    """Calls `then` once, right after the watched window first paints."""

    def __init__(self, parent: QObject, then: Callable[[], object]) -> None:
        super().__init__(parent)
        self.then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False


def run_gui(db_url: str | None = None, your_name: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)  # a widgets application, never a bare core one
    app.setApplicationName("Recruit")
    app.setApplicationDisplayName("Recruit")
    context = AppContext(Settings(), db_url_override=db_url, your_name=your_name)
    window = MainWindow(context)
    window.restore_window_state()
    # The data layer loads after the first paint, off the GUI thread.
    window.installEventFilter(_AfterFirstPaint(window, window.open_database))
    window.show()
    # Once the list is shown and the user is reading it, not before: a full collection
    # takes a moment.
    window.campaigns.loaded.connect(
        lambda _rows: QTimer.singleShot(SETTLE_AFTER_MS, settle_memory), type=_ONCE
    )
    _benchmark_exit(app, window)
    try:
        return app.exec()
    finally:
        context.shutdown()


# Start-up benchmarks time the real entry point. With RECRUIT_APP_BENCHMARK_EXIT set to
# "painted" the app prints the wall-clock time of its first paint and quits; with "loaded",
# the time the campaign list is filled.
BENCHMARK_EXIT_ENV = "RECRUIT_APP_BENCHMARK_EXIT"


def _benchmark_exit(app: QApplication, window: MainWindow) -> None:
    when = os.environ.get(BENCHMARK_EXIT_ENV)

    def report_and_quit() -> None:
        print(f"BENCHMARK {when} {time.time():.6f}", flush=True)
        app.quit()

    if when == "painted":
        window.installEventFilter(_AfterFirstPaint(window, report_and_quit))
    elif when == "loaded":
        window.campaigns.loaded.connect(lambda _rows: report_and_quit())
