"""The Exports tab driven through real widgets on the demo campaign."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QComboBox, QFileDialog, QLineEdit, QPushButton

from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.exports.tab import ExportsTab

DEMO_DAY = date(2026, 11, 25)
TIMEOUT = 30_000


@pytest.fixture
def tab(qtbot, app_home, sqlite_url):
    context = AppContext(Settings(), actor=Actor("Alex Manager"))
    context.use_database(open_db(sqlite_url))
    ctx = context.service_context()
    build_demo(ctx, today=DEMO_DAY)
    widget = ExportsTab(context, campaign_id_for(ctx, "283922"))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    with qtbot.waitSignal(widget.previewed, timeout=TIMEOUT):
        widget.load()
    yield widget
    context.shutdown()


def _choose(qtbot, tab: ExportsTab, key: str, stage: str | None = None) -> None:
    row = next(
        i
        for i in range(tab.packs.count())
        if tab.packs.item(i).data(Qt.ItemDataRole.UserRole) == key
    )
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.packs.setCurrentRow(row)
        if stage is not None:
            tab.stage_combo.setCurrentIndex(tab.stage_combo.findText(stage))


def _export(qtbot, tab: ExportsTab, target: Path) -> list[Path]:
    tab.dialog = None
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    # Letters first check their dates against today; past ones are asked about.
    qtbot.waitUntil(lambda: tab.dialog is not None or tab.question is not None, timeout=TIMEOUT)
    if tab.question is not None:
        tab.question.findChild(QPushButton, "confirmLettersButton").click()
    chooser = tab.dialog
    assert isinstance(chooser, QFileDialog)
    with qtbot.waitSignal(tab.exported, timeout=TIMEOUT) as caught:
        chooser.setDirectory(str(target.parent))
        chooser.selectFile(str(target))
        # Once the dialog has run its event loop, selectFile keeps the name it shows;
        # typing the name in, as a person would, always takes.
        chooser.findChild(QLineEdit, "fileNameEdit").setText(target.name)
        chooser.accept()
    return caught.args[0]


def test_the_information_pack_is_previewed_then_exported(qtbot, tab, tmp_path):
    assert tab.kind().key == "info"
    assert not tab.stage_combo.isVisible()  # the information pack is for the whole campaign
    assert tab.preview_count == 3
    assert tab.preview_note.text() == "Candidate information pack: the first 3 pages."
    assert tab.dialog is None
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert tab.dialog.selectedFiles()[0].endswith("283922-candidate-information-pack.pdf")
    tab.dialog.reject()
    written = _export(qtbot, tab, tmp_path / "pack.pdf")
    assert written == [tmp_path / "pack.pdf"]
    assert PdfReader(written[0]).metadata.title
    assert tab.status.text() == f"Wrote {tmp_path / 'pack.pdf'}"
    # Then Open and Show in folder, handed to the desktop (recorded here, not opened).
    opened: list[QUrl] = []
    tab.open_url = lambda url: opened.append(url) or True
    assert tab.open_button.isVisible() and tab.folder_button.isVisible()
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [tmp_path / "pack.pdf", tmp_path]
    tab.open_url = lambda _url: False  # nothing on this computer opens PDFs
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert tab.status.text() == f"Nothing on this computer opened {tmp_path / 'pack.pdf'}."
    _choose(qtbot, tab, "panel", "CV sift")  # another choice: nothing written for it yet
    assert not tab.open_button.isVisible() and not tab.folder_button.isVisible()


def test_the_panel_pack_needs_a_stage_and_is_name_blind_at_the_sift(qtbot, tab, tmp_path):
    _choose(qtbot, tab, "panel", "CV sift")
    assert tab.stage_combo.isVisible() and tab.stage_combo.isEnabled()
    assert [tab.stage_combo.itemText(i) for i in range(tab.stage_combo.count())] == [
        "CV sift",
        "Technical exercise",
        "Video interview",
    ]
    written = _export(qtbot, tab, tmp_path / "sift.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(written[0]).pages)
    assert "Siân" not in text and "O'Brien" not in text


def test_letters_go_to_a_folder_of_files_or_one_merged_file(qtbot, tab, tmp_path):
    _choose(qtbot, tab, "letters", "Technical exercise")
    assert tab.merge_box.isVisible()
    written = _export(qtbot, tab, tmp_path / "letters")
    assert len(written) == 14  # everyone the sift put through has an outcome
    assert all(p.parent == tmp_path / "letters" and p.suffix == ".pdf" for p in written)
    assert tab.folder_button.isVisible() and not tab.open_button.isVisible()  # many files
    tab.merge_box.setChecked(True)
    merged = _export(qtbot, tab, tmp_path / "all-letters.pdf")
    assert merged == [tmp_path / "all-letters.pdf"]
    assert len(PdfReader(merged[0]).pages) >= 14


def test_a_cancelled_export_leaves_no_file(qtbot, tab, tmp_path):
    _choose(qtbot, tab, "report")
    target = tmp_path / "report.pdf"
    tab.export_to(target)
    assert tab.job is not None and not tab.export_button.isEnabled()
    tab.job.cancel()
    qtbot.waitUntil(lambda: tab.job is None, timeout=TIMEOUT)
    assert not target.exists()
    assert tab.export_button.isEnabled()
    assert tab.status.text() == "The export was cancelled; no file was written."
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report.pdf.")]


def test_the_information_pack_also_saves_as_an_accessible_web_page(qtbot, tab, tmp_path):
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    chooser = tab.dialog
    assert chooser.nameFilters() == ["PDF document (*.pdf)", "Accessible web page (*.html)"]
    # Choosing the web page in the dialog's file type box changes the suggested name.
    types = chooser.findChild(QComboBox, "fileTypeCombo")
    types.setFocus()
    qtbot.keyClick(types, Qt.Key.Key_Down)
    assert chooser.selectedNameFilter() == "Accessible web page (*.html)"
    assert chooser.selectedFiles()[0].endswith("283922-candidate-information-pack.html")
    target = tmp_path / "pack.html"
    with qtbot.waitSignal(tab.exported, timeout=TIMEOUT) as caught:
        chooser.setDirectory(str(tmp_path))
        chooser.selectFile(str(target))
        chooser.accept()
    assert caught.args[0] == [target]
    page = target.read_text("utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert '<h2 id="person-specification">Person specification</h2>' in page
    assert tab.status.text() == f"Wrote {target}"


def test_other_packs_are_pdf_only(qtbot, tab):
    _choose(qtbot, tab, "report")
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    assert tab.dialog.nameFilters() == ["PDF document (*.pdf)"]
    tab.dialog.reject()


def test_a_name_that_will_not_print_is_named_after_the_export(qtbot, tab, tmp_path):
    from recruit_app.services.adverts import get_advert, save_advert

    ctx = tab.context.service_context()
    form = get_advert(ctx, tab.campaign_id)
    fields = {"contact_name": "Kasun ඞ Perera"}
    save_advert(ctx, tab.campaign_id, fields=fields, criteria=None, expected_version=form.version)
    target = tmp_path / "pack.pdf"
    with qtbot.waitSignal(tab.exported, timeout=TIMEOUT):
        tab.export_to(target)
    lines = tab.status.text().split("\n")
    assert lines[0] == f"Wrote {target}."
    assert lines[1].startswith("“Kasun ඞ Perera” has characters no font in Recruit can print")
    assert target.exists()
