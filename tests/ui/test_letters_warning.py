"""Generating letters for a stage whose later dates have passed asks first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox, QPushButton

from tests.ui import test_exports_tab as base
from tests.ui.test_exports_tab import TIMEOUT, _choose

tab = base.tab  # the fixture: the Exports tab on the demo campaign


def _click_export(qtbot, tab) -> None:
    tab.dialog = None
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.dialog is not None or tab.question is not None, timeout=TIMEOUT)


def test_letters_after_a_later_stage_started_ask_before_generating(qtbot, tab, tmp_path):
    # The demo was laid out for 25 November 2026: its technical exercise starts on the 23rd,
    # before any day these letters can be made, so the sift's letters warn.
    _choose(qtbot, tab, "letters", "CV sift")
    _click_export(qtbot, tab)
    box = tab.question
    assert isinstance(box, QMessageBox) and tab.dialog is None
    assert box.text() == "Generate the letters anyway?"
    assert box.informativeText().startswith(
        "The Technical exercise was due to start on 23 November 2026, which has passed"
    )
    # Cancel: nothing is generated, no file is asked for.
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: tab.question is None, timeout=TIMEOUT)
    assert tab.dialog is None

    _click_export(qtbot, tab)
    tab.question.findChild(QPushButton, "confirmLettersButton").click()
    qtbot.waitUntil(lambda: isinstance(tab.dialog, QFileDialog), timeout=TIMEOUT)
    target = tmp_path / "letters"
    with qtbot.waitSignal(tab.exported, timeout=TIMEOUT) as caught:
        tab.dialog.setDirectory(str(target.parent))
        tab.dialog.findChild(QLineEdit, "fileNameEdit").setText(target.name)
        tab.dialog.accept()
    written: list[Path] = caught.args[0]
    assert len(written) == 40
