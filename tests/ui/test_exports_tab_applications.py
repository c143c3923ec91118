"""The Exports tab's "Include applications" choice for the panel pack, on the demo campaign."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtWidgets import QCheckBox

from tests.ui.test_exports_tab import _choose, _export, tab  # noqa: F401  (a fixture)


def test_include_applications_is_offered_for_the_panel_pack_and_passed_on(qtbot, tab, tmp_path):  # noqa: F811
    box = tab.findChild(QCheckBox, "includeApplications")
    assert box is tab.applications_box and box.text() == "Include applications"
    assert not box.isVisible()  # the information pack comes first
    _choose(qtbot, tab, "panel", "CV sift")
    assert box.isVisible() and not box.isChecked()
    plain = _export(qtbot, tab, tmp_path / "plain.pdf")
    assert "application" not in PdfReader(plain[0]).pages[-1].extract_text()
    with qtbot.waitSignal(tab.previewed, timeout=30_000):
        box.setChecked(True)  # a new preview, with the choice
    written = _export(qtbot, tab, tmp_path / "with.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(written[0]).pages)
    assert "Application · CV sift Candidate 0001: application Name-blind:" in text
    assert "Siân" not in text  # the demo's 0001, Siân Evans, at the name-blind sift
    _choose(qtbot, tab, "letters", "Technical exercise")
    assert not box.isVisible() and not tab.with_applications()
