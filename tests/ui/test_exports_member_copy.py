"""The Exports tab's "Copy for" choice: one panel member's own copy of the panel pack, on the
demo campaign, and how it and the chair's copy exclude each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QComboBox
from sqlmodel import select

from db.models import Person
from recruit_app.services.adverts import campaign_id_for
from recruit_app.services.context import Actor
from recruit_app.services.database import open_db
from recruit_app.services.demo import build_demo
from recruit_app.services.stages import set_panel, stages_overview
from recruit_app.settings import Settings
from tests.ui.test_exports_tab import DEMO_DAY, TIMEOUT, _choose, _export, tab  # noqa: F401
from ui.context import AppContext
from ui.exports.tab import CHAIR_TIP, NO_PANEL_TIP, ExportsTab, _slug

VIDEO = "Video interview"
WHOLE_PANEL_AT_VIDEO = [
    "The whole panel",
    "Tom Okonkwo (chair)",
    "Hannah Lee",
    "Marek Kowalski (independent member)",
]


def _items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def _pick(qtbot, widget: ExportsTab, text: str) -> None:
    combo = widget.findChild(QComboBox, "memberCombo")
    with qtbot.waitSignal(widget.previewed, timeout=TIMEOUT):
        combo.setCurrentIndex(combo.findText(text))


def _text(path: Path) -> str:
    return " ".join(
        re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in PdfReader(path).pages
    )


def test_a_members_own_copy_is_previewed_named_and_exported(qtbot, tab, tmp_path):  # noqa: F811
    combo = tab.findChild(QComboBox, "memberCombo")
    assert combo is tab.member_combo
    assert not combo.isVisible()  # the information pack comes first: no panel
    _choose(qtbot, tab, "panel", VIDEO)
    assert combo.isVisible() and combo.isEnabled()
    assert _items(combo) == WHOLE_PANEL_AT_VIDEO  # in the pack's order, labelled as it is
    assert combo.currentText() == "The whole panel" and tab.member() is None
    assert tab.preview_note.text() == "Panel pack: the first 3 pages."

    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.chair_box.setChecked(True)
    assert tab.preview_note.text() == "Chair's copy of the panel pack: the first 3 pages."

    # A member's own copy: the chair's copy is unticked and not offered, saying why.
    _pick(qtbot, tab, "Hannah Lee")
    assert not tab.chair_box.isChecked() and not tab.chair_box.isEnabled()
    assert not tab.chair_copy()
    assert tab.chair_box.toolTip() == (
        "Hannah Lee's own copy has their score boxes only, without the chair's brief. "
        "For the chair's copy, choose “The whole panel” under Copy for."
    )
    assert tab.preview_note.text() == "Hannah Lee's copy of the panel pack: the first 3 pages."
    assert tab._suggested_name(tab.kind(), False) == (
        "283922-video-interview-panel-pack-copy-for-hannah-lee.pdf"
    )
    written = _export(qtbot, tab, tmp_path / "hannah.pdf")
    assert written == [tmp_path / "hannah.pdf"]
    assert tab.status.text() == f"Wrote {tmp_path / 'hannah.pdf'}"
    reader = PdfReader(written[0])
    assert reader.metadata.title == "Panel pack (Hannah Lee's copy): Video interview, 283922"
    text = _text(written[0])
    assert "Panel pack (Hannah Lee's copy): Video interview" in text
    assert "Hannah Lee Evidence seen or heard" in text
    assert "Tom Okonkwo (chair) Evidence seen or heard" not in text
    assert "Marek Kowalski (independent member) Evidence seen or heard" not in text
    assert "Chair's brief" not in text

    # Back to the whole panel: the chair's copy is offered again (not ticked again).
    _pick(qtbot, tab, "The whole panel")
    assert tab.chair_box.isEnabled() and not tab.chair_box.isChecked()
    assert tab.chair_box.toolTip() == CHAIR_TIP
    assert tab.preview_note.text() == "Panel pack: the first 3 pages."
    whole = _export(qtbot, tab, tmp_path / "whole.pdf")
    text = _text(whole[0])
    assert "Tom Okonkwo (chair) Evidence seen or heard" in text
    assert "Hannah Lee's copy" not in text

    # Another pack: the choice is not offered, nor passed on.
    _choose(qtbot, tab, "report")
    assert not combo.isVisible() and tab.member() is None


def test_the_member_stays_chosen_on_a_stage_whose_panel_they_sit_on(qtbot, tab):  # noqa: F811
    _choose(qtbot, tab, "panel", VIDEO)
    _pick(qtbot, tab, "Marek Kowalski (independent member)")
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.stage_combo.setCurrentIndex(tab.stage_combo.findText("CV sift"))
    assert _items(tab.member_combo) == [
        "The whole panel",
        "Hannah Lee (chair)",
        "Tom Okonkwo",
        "Marek Kowalski (independent member)",
    ]
    assert tab.member_combo.currentText() == "Marek Kowalski (independent member)"
    # Not on the technical exercise's panel: the whole panel's pack instead.
    with qtbot.waitSignal(tab.previewed, timeout=TIMEOUT):
        tab.stage_combo.setCurrentIndex(tab.stage_combo.findText("Technical exercise"))
    assert _items(tab.member_combo) == ["The whole panel", "Tom Okonkwo (chair)", "Hannah Lee"]
    assert tab.member() is None and tab.preview_note.text() == "Panel pack: the first 3 pages."


def test_a_stage_with_no_panel_offers_the_whole_panels_pack_only(qtbot, tab):  # noqa: F811
    ctx = tab.context.service_context()
    stage = next(s for s in stages_overview(ctx, tab.campaign_id).stages if s.name == VIDEO)
    set_panel(ctx, stage.id, [], expected_version=stage.version)
    with qtbot.waitSignal(tab.loaded, timeout=TIMEOUT):
        tab.load()
    _choose(qtbot, tab, "panel", VIDEO)
    assert _items(tab.member_combo) == ["The whole panel"]
    assert not tab.member_combo.isEnabled()
    assert tab.member_combo.toolTip() == NO_PANEL_TIP
    assert tab.chair_box.isEnabled()


@pytest.fixture
def panel_members_tab(qtbot, app_home, sqlite_url):
    """The tab as Tom Okonkwo, a panel member sitting on every stage of the demo."""
    builder = AppContext(Settings(), actor=Actor("Alex Manager"))
    builder.use_database(open_db(sqlite_url))
    build_demo(builder.service_context(), today=DEMO_DAY)
    with builder.service_context().db.session() as session:
        tom = session.exec(select(Person).where(Person.name == "Tom Okonkwo")).one()
        actor = Actor(tom.name, role="panel_member", person_id=tom.id)
    builder.shutdown()
    context = AppContext(Settings(), actor=actor)
    context.use_database(open_db(sqlite_url))
    widget = ExportsTab(context, campaign_id_for(context.service_context(), "283922"))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    with qtbot.waitSignal(widget.previewed, timeout=TIMEOUT):
        widget.load()
    yield widget
    context.shutdown()


def test_a_panel_member_may_make_any_copy_of_their_stages_pack(qtbot, panel_members_tab):
    """The core gives a panel member the whole panel's pack of the stages they sit on, so
    each member's copy of it too: the choice offers every member, as for a manager."""
    widget = panel_members_tab
    _choose(qtbot, widget, "panel", VIDEO)
    assert _items(widget.member_combo) == WHOLE_PANEL_AT_VIDEO
    assert widget.member_combo.isEnabled()
    _pick(qtbot, widget, "Hannah Lee")
    assert widget.preview_note.text() == "Hannah Lee's copy of the panel pack: the first 3 pages."
    assert widget.preview_count == 3


def test_a_members_name_stays_readable_in_the_suggested_file_name():
    """Accents folded and apostrophes dropped, as the calendars' file names do."""
    words = "283922 Video interview Panel pack copy for Siân O’Brien"
    assert _slug(words) == "283922-video-interview-panel-pack-copy-for-sian-obrien"
    assert _slug("Manager's interview") == "managers-interview"
