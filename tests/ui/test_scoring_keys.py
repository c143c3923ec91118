"""The scoring sheet from the keyboard: to the evidence note and back, a score off the
scale said beside its cell, and what to know before submitting."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from recruit_app.domain.dates import long_date
from tests.ui.test_scoring_tab import _box_text, _click, _open, _type, demo_on  # noqa: F401
from ui.scoring.scoring_tab import KEYS_HINT, ScoringTab


@pytest.fixture
def sheet(qtbot, demo_on, sqlite_url):  # noqa: F811 (the fixture imported above)
    context, campaign_id = demo_on(sqlite_url)
    return _open(qtbot, ScoringTab(context, campaign_id))


def _focus_sheet(qtbot, tab: ScoringTab) -> None:
    tab.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)


def test_ctrl_e_goes_to_the_evidence_note_and_back(qtbot, sheet):
    assert "Ctrl+E writes the evidence for the score, and Ctrl+E or Esc comes back." in KEYS_HINT
    assert sheet.status.text() == KEYS_HINT  # the hint line says how
    _focus_sheet(qtbot, sheet)
    _type(qtbot, sheet, "5", enter=False)
    qtbot.keyClick(sheet.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    evidence = sheet.detail.evidence
    qtbot.waitUntil(evidence.hasFocus)
    qtbot.waitUntil(lambda: sheet.model.index(0, 1).data() == "5")  # taken first, and saved
    qtbot.keyClicks(evidence, "Explained the data model clearly")
    qtbot.keyClick(evidence, Qt.Key.Key_Escape)
    qtbot.waitUntil(sheet.table.hasFocus)
    assert sheet.table.currentIndex() == sheet.model.index(0, 1)  # back on the same cell
    qtbot.waitUntil(
        lambda: (
            sheet.model.score(sheet.model.key_at(sheet.model.index(0, 1))).evidence
            == "Explained the data model clearly"
        ),
        timeout=10_000,
    )
    qtbot.keyClick(sheet.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(evidence.hasFocus)
    qtbot.keyClick(evidence, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(sheet.table.hasFocus)


def test_a_score_off_the_scale_is_said_beside_its_cell_and_cleared_with_esc(qtbot, sheet):
    _focus_sheet(qtbot, sheet)
    qtbot.keyClicks(sheet.table, "9")
    qtbot.keyClick(sheet.table, Qt.Key.Key_Return)
    said = sheet.table.beside
    assert said.endswith(" Esc clears it.") and "9" in said
    assert sheet.table.currentIndex() == sheet.model.index(0, 1)  # the cursor stays
    assert sheet.model.typing() == (0, 1, "9")  # still shown in its cell
    qtbot.keyClick(sheet.table, Qt.Key.Key_Escape)
    assert sheet.model.typing() is None and sheet.table.beside == ""
    assert sheet.model.index(0, 1).data() in ("", None)


def test_submitting_asks_about_scores_without_evidence(qtbot, sheet):
    _focus_sheet(qtbot, sheet)
    for value in "5434567453":  # every criterion of 0001; the last the strength's, 1 to 4
        _type(qtbot, sheet, value)
    _click(qtbot, sheet.submit_button)
    box = sheet.dialog
    text = _box_text(box)
    assert (
        "Some scores have no evidence note (1 candidate: 0001): the note is the record of why "
        "each score was given."
    ) in text
    starts = sheet.model.sheet.starts_on
    early = f"Video interview starts on {long_date(starts)}: these scores are submitted before it."
    assert (early in text) == (date.today() < starts)  # the demo's interviews are in January
    box.reject()
    QApplication.processEvents()
