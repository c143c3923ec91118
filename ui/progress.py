"""Progress of a long job in a worker: a dialog after half a second, updated ten times a second.

The worker only stores its latest report and asks whether to stop; a timer on the GUI
thread reads the report, so however often the service reports, the dialog is redrawn at
most ten times a second and no widget is touched from the worker.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

SHOW_AFTER_MS = 500
UPDATE_EVERY_MS = 100
STEPS = 1000


class JobProgress(QObject):
    """One job's progress: pass `report` and `cancelled` to the service, `finish` when done."""

    def __init__(self, parent: QWidget, title: str, *, show_after_ms: int = SHOW_AFTER_MS) -> None:
        super().__init__(parent)
        self.title = title
        self.dialog: QProgressDialog | None = None
        self._stop = threading.Event()
        self._latest: tuple[int, int, str] | None = None
        self._shown: tuple[int, int, str] | None = None
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(show_after_ms)
        self._show_timer.timeout.connect(self._show)
        self._update_timer = QTimer(self)
        self._update_timer.setInterval(UPDATE_EVERY_MS)
        self._update_timer.timeout.connect(self._update)

    # --- called from the worker ----------------------------------------------------------

    def report(self, done: int, total: int, phase: str) -> None:
        self._latest = (done, total, phase)  # one assignment: safe to read from the GUI thread

    def cancelled(self) -> bool:
        return self._stop.is_set()

    # --- on the GUI thread ---------------------------------------------------------------

    def start(self) -> None:
        self._show_timer.start()
        self._update_timer.start()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def was_cancelled(self) -> bool:
        return self._stop.is_set()

    def finish(self) -> None:
        self._show_timer.stop()
        self._update_timer.stop()
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _show(self) -> None:
        if self._stop.is_set():
            return
        parent = self.parent()
        assert isinstance(parent, QWidget)  # given to __init__ as a QWidget
        dialog = QProgressDialog("Starting…", "Cancel", 0, STEPS, parent)
        dialog.setObjectName("jobProgress")
        dialog.setWindowTitle(self.title)
        # Not modal: a modal QProgressDialog runs the event loop inside setValue, and the job's
        # end could then arrive in the middle of an update. The wizard disables itself instead.
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(380)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        self._shown = None
        self._update()
        dialog.show()

    def _update(self) -> None:
        latest, dialog = self._latest, self.dialog
        if dialog is None or latest is None or latest == self._shown:
            return
        self._shown = latest
        done, total, phase = latest
        dialog.setLabelText(f"{phase}…")
        if total <= 0:
            dialog.setRange(0, 0)  # size unknown: a busy bar
        else:
            dialog.setRange(0, STEPS)
            dialog.setValue(min(STEPS, done * STEPS // total))
