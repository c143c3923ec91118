"""Running a use case off the GUI thread and getting its result back on it.

A worker never touches a widget: it returns a value (or raises), and the callbacks
run on the GUI thread through queued signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication

log = logging.getLogger(__name__)

BUSY_CURSOR_AFTER_MS = 300


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class Operation(QRunnable):
    """One call of `work()` in a pool thread."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # reported to the GUI thread, never swallowed
            if not _is_known(exc):
                log.exception("operation failed")
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def _is_known(exc: BaseException) -> bool:
    from recruit_app.errors import RecruitError

    return isinstance(exc, RecruitError)


def _owner_alive(callback: Callable[..., Any]) -> bool:
    """False when the callback belongs to a widget already deleted (its window was closed
    while the work ran): there is nothing left to show the result in. The widget is the
    method's own object, or the `self` a function defined in one of its methods uses."""
    owner = getattr(callback, "__self__", None)
    code, cells = getattr(callback, "__code__", None), getattr(callback, "__closure__", None)
    if owner is None and code is not None and cells and "self" in code.co_freevars:
        owner = cells[code.co_freevars.index("self")].cell_contents
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class OperationRunner(QObject):
    """Starts operations in a pool, keeps them alive until they report, shows a busy cursor."""

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self._running: set[Operation] = set()
        self._busy = 0
        self._cursor_timer = QTimer(self)
        self._cursor_timer.setSingleShot(True)
        self._cursor_timer.timeout.connect(self._show_busy_cursor)
        self._cursor_shown = False
        self._closed = False

    def close(self) -> None:
        """The app is closing: work still running may finish, but reports to nobody."""
        self._closed = True

    @property
    def running(self) -> int:
        return len(self._running)

    def start(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        *,
        busy: bool = True,
    ) -> Operation:
        operation = Operation(work)
        self._running.add(operation)
        queued = Qt.ConnectionType.QueuedConnection

        def finished(callback: Callable[[Any], None] | None, value: Any) -> None:
            self._running.discard(operation)
            if busy:
                self._end_busy()
            if callback is not None and not self._closed and _owner_alive(callback):
                callback(value)

        operation.signals.succeeded.connect(lambda v: finished(on_success, v), queued)
        operation.signals.failed.connect(lambda e: finished(on_failure, e), queued)
        if busy:
            self._begin_busy()
        self.pool.start(operation)
        return operation

    def _begin_busy(self) -> None:
        self._busy += 1
        if self._busy == 1:
            self._cursor_timer.start(BUSY_CURSOR_AFTER_MS)

    def _end_busy(self) -> None:
        self._busy = max(0, self._busy - 1)
        if self._busy == 0:
            self._cursor_timer.stop()
            if self._cursor_shown:
                QGuiApplication.restoreOverrideCursor()
                self._cursor_shown = False

    def _show_busy_cursor(self) -> None:
        if self._busy and not self._cursor_shown:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BusyCursor))
            self._cursor_shown = True
