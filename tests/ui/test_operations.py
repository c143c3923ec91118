"""Work run off the GUI thread reports back only to widgets that still exist."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel

from ui.operations import OperationRunner


class _Shows(QLabel):
    def show_result(self, value: object) -> None:
        self.setText(str(value))


def test_the_result_reaches_a_live_widget(qtbot):
    runner = OperationRunner(QThreadPool())
    label = _Shows()
    qtbot.addWidget(label)
    runner.start(lambda: 42, label.show_result)
    qtbot.waitUntil(lambda: runner.running == 0, timeout=5000)
    assert label.text() == "42"


def test_a_result_for_a_closed_window_is_dropped_not_raised(qtbot):
    runner = OperationRunner(QThreadPool())
    label = _Shows()
    release = threading.Event()
    runner.start(lambda: release.wait(5) and 42, label.show_result)
    shiboken6.delete(label)  # the window closed while the work ran
    release.set()
    qtbot.waitUntil(lambda: runner.running == 0, timeout=5000)
    assert not shiboken6.isValid(label)


class _Reads(QLabel):
    """Reads as the tabs do: the result goes to a function made in a method, using self."""

    def read(self, runner: OperationRunner, release: threading.Event) -> None:
        def done(value: object) -> None:
            self.setText(str(value))  # on a deleted label: "Internal C++ object deleted"

        runner.start(lambda: release.wait(5) and 42, done)


def test_a_closure_of_a_closed_window_is_dropped_not_raised(qtbot):
    runner = OperationRunner(QThreadPool())
    label = _Reads()
    release = threading.Event()
    label.read(runner, release)
    shiboken6.delete(label)  # the campaign window closed while its tab was reading
    release.set()
    qtbot.waitUntil(lambda: runner.running == 0, timeout=5000)
    assert not shiboken6.isValid(label)


def test_after_close_results_report_to_nobody(qtbot):
    runner = OperationRunner(QThreadPool())
    label = _Shows()
    qtbot.addWidget(label)
    release = threading.Event()
    runner.start(lambda: release.wait(5) and 42, label.show_result)
    runner.close()  # the app shuts down while the work runs
    release.set()
    qtbot.waitUntil(lambda: runner.running == 0, timeout=5000)
    assert label.text() == ""
