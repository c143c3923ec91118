"""The Template library screen, driven through real widgets on a real database."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from recruit_app.domain.library_format import (
    framework_to_dict,
    parse_framework,
    parse_role_template,
)
from recruit_app.services import library as lib
from recruit_app.services.context import Actor, ServiceContext
from recruit_app.services.library_files import import_file
from recruit_app.settings import Settings
from ui.context import AppContext
from ui.library.models import RecordTableModel
from ui.library.page import ENTRY_COLUMNS, LIBRARY, LibraryPage
from ui.library.snapshot import load_snapshot, search

CLICK = Qt.MouseButton.LeftButton

LOCAL = {
    "format": "recruit-framework/1",
    "code": "LOCAL-BEH",
    "name": "Local behaviours",
    "edition": "2026",
    "description": "Behaviours for Siân's team & partners",
    "criteria": [
        {
            "code": "TEAM",
            "name": "Working Together",
            "element": "BEH",
            "levels": [
                {
                    "level": 1,
                    "title": "Level 1",
                    "grades": "AO",
                    "positive_indicators": ["Shares", "Listens"],
                },
                {
                    "level": 2,
                    "title": "Level 2",
                    "grades": "EO",
                    "positive_indicators": ["Builds links"],
                    "negative_indicators": ["Works alone"],
                },
            ],
        },
        {"code": "ZEBRA", "name": "Zebra husbandry", "element": "EXP", "levels": []},
    ],
}
TEMPLATE = {
    "format": "recruit-role-template/1",
    "code": "MY-DEV",
    "title": "Developer",
    "grade": "Executive Officer",
    "summary": "Builds things.",
    "advert": {"posts": 2},
    "criteria": [
        {"code": "TEAM", "framework": "LOCAL-BEH", "criterion": "TEAM", "level": 1},
        {"code": "EXP1", "element": "EXP", "title": "Writing Python", "lead": True},
    ],
    "stages": [
        {"name": "Sift", "kind": "sift", "criteria": ["EXP1"]},
        {"name": "Interview", "kind": "panel_interview", "criteria": ["TEAM", "EXP1"]},
    ],
}


# --- fixtures and helpers ------------------------------------------------------------


@pytest.fixture
def make_page(qtbot, app_home):
    from recruit_app.services.database import open_db

    contexts: list[AppContext] = []

    def make(db_url: str) -> LibraryPage:
        context = AppContext(Settings(), db_url_override=db_url, actor=Actor("Alex Manager"))
        contexts.append(context)
        page = LibraryPage(context)
        qtbot.addWidget(page)
        page.resize(1280, 800)
        page.show()
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            context.use_database(open_db(db_url))
            context.bus.publish("database")
        return page

    yield make
    for context in contexts:
        context.shutdown()


@pytest.fixture
def page(make_page, db_url):
    return make_page(db_url)


def _ctx(page) -> ServiceContext:
    return page.context.service_context()


def _reload(qtbot, page) -> None:
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.context.bus.publish(LIBRARY)


def _add_local(qtbot, page, tmp_path, *, template: bool = False) -> None:
    path = tmp_path / "local.json"
    path.write_text(json.dumps(LOCAL), encoding="utf-8")
    import_file(_ctx(page), path)
    if template:
        lib.save_template(_ctx(page), parse_role_template(TEMPLATE), create=True)
    _reload(qtbot, page)


def _codes(page) -> list[str]:
    return [row.entry.code for row in page.entries.rows]


def _select(qtbot, page, kind: str, code: str) -> None:
    assert page.select_entry(kind, code)
    assert page.selected().code == code


def _make_builtin(page, code: str = "SHIPPED") -> None:
    from db import library as rows

    definition = parse_framework({**LOCAL, "code": code, "name": "Shipped behaviours"})
    with page.context.database.session() as session:
        rows.upsert_framework(session, definition, builtin=True, who="Recruit")
        session.commit()


def _type_lines(qtbot, widget, *lines: str) -> None:
    """Type as a person would: QTest cannot click a newline character."""
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        qtbot.keyClicks(widget, line)


def _save_and_wait(qtbot, page, dialog) -> None:
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.save_button, CLICK)
    assert not dialog.isVisible()


def _save_expecting_error(qtbot, dialog, label) -> None:
    qtbot.mouseClick(dialog.save_button, CLICK)
    qtbot.waitUntil(label.isVisible, timeout=5000)
    assert dialog.isVisible()


# --- browsing ----------------------------------------------------------------------


def test_lists_frameworks_and_templates_and_shows_a_framework(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path, template=True)
    lib.save_question(
        _ctx(page),
        "LOCAL-BEH",
        "TEAM",
        text="Tell us about a shared success.",
        probes=["What was your part?"],
        level=2,
    )
    _reload(qtbot, page)
    assert {"LOCAL-BEH", "MY-DEV"} <= set(_codes(page))
    kinds = {r.entry.code: ENTRY_COLUMNS[1].text(r) for r in page.entries.rows}
    assert (kinds["LOCAL-BEH"], kinds["MY-DEV"]) == ("Framework", "Role template")
    # Frameworks are listed before role templates.
    order = [r.entry.kind for r in page.entries.rows]
    assert order == sorted(order, key=lambda kind: kind != "framework")

    with qtbot.waitSignal(page.questions_loaded, timeout=5000):
        _select(qtbot, page, "framework", "LOCAL-BEH")
    header = page.header
    assert header.name_label.text() == "Local behaviours"
    assert "Edition 2026" in header.facts.text() and "2 criteria" in header.facts.text()
    assert not header.builtin_badge.isVisible() and not header.note.isVisible()
    detail = page.framework_detail
    assert page.detail_stack.currentWidget() is detail
    model = detail.model
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert cells == [
        ["TEAM", "Working Together", "Behaviours", "1–2"],
        ["ZEBRA", "Zebra husbandry", "Experience", "—"],
    ]
    assert detail.selected().definition.code == "TEAM"
    levels = detail.levels.toPlainText()
    assert "Grades: EO" in levels and "Builds links" in levels and "Negative indicators" in levels
    questions = detail.questions_view.toPlainText()
    assert "Tell us about a shared success." in questions and "What was your part?" in questions

    _select(qtbot, page, "template", "MY-DEV")
    assert page.detail_stack.currentWidget() is page.template_detail
    criteria = page.template_detail.criteria_model
    assert [criteria.index(r, 1).data() for r in range(2)] == ["Working Together", "Writing Python"]
    assert [criteria.index(r, 5).data() for r in range(2)] == ["", "Lead"]
    stages = page.template_detail.stages_model
    assert [stages.index(r, 6).data() for r in range(2)] == ["EXP1", "TEAM, EXP1"]
    assert page.header.facts.text() == (
        "Role template · MY-DEV · Executive Officer · 2 criteria · 2 stages"
    )


def test_search_finds_a_framework_by_a_criterion_inside_it(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path)
    qtbot.keyClicks(page.search, "zebra")
    assert _codes(page) == ["LOCAL-BEH"]
    assert "1 matching criterion" in page.entries.index(0, 0).data()
    assert "ZEBRA: Zebra husbandry" in page.entries.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    assert page.framework_detail.selected().definition.code == "ZEBRA"
    page.search.setText("no such thing anywhere")
    assert _codes(page) == []
    assert page.message.label.text() == "Nothing in the library matches your search."
    page.search.clear()
    assert "LOCAL-BEH" in _codes(page)


def test_retire_hides_an_entry_until_show_retired(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    assert page.header.retire_button.text() == "Re&tire"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(page.header.retire_button, CLICK)
    assert "LOCAL-BEH" not in _codes(page)
    page.show_retired.setChecked(True)
    assert "LOCAL-BEH" in _codes(page)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    assert page.header.retired_badge.isVisible()
    assert page.header.retire_button.text() == "Rest&ore"
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(page.header.retire_button, CLICK)
    assert not lib.get_framework(_ctx(page), "LOCAL-BEH").retired


# --- frameworks ----------------------------------------------------------------------


def test_create_a_framework_through_the_dialog(qtbot, page):
    qtbot.mouseClick(page.new_framework_button, CLICK)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.code_edit, "TEAM-BEH")
    qtbot.keyClicks(dialog.name_edit, "Team behaviours")
    qtbot.keyClicks(dialog.edition_edit, "2026")
    qtbot.keyClicks(dialog.description_edit, "What our team values.")
    _save_and_wait(qtbot, page, dialog)
    assert page.selected().code == "TEAM-BEH"
    view = lib.get_framework(_ctx(page), "TEAM-BEH")
    assert (view.definition.name, view.definition.edition, view.definition.description) == (
        "Team behaviours",
        "2026",
        "What our team values.",
    )
    assert page.framework_detail.levels.toPlainText().startswith("This framework has no criteria")


def test_a_taken_code_shows_beside_the_code_and_keeps_the_typing(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path)
    qtbot.mouseClick(page.new_framework_button, CLICK)
    dialog = page.dialog
    qtbot.keyClicks(dialog.code_edit, "LOCAL-BEH")
    qtbot.keyClicks(dialog.name_edit, "Another")
    code_error = dialog.label_for("code")
    _save_expecting_error(qtbot, dialog, code_error)
    assert code_error.text() == "The code 'LOCAL-BEH' is already used in the library."
    assert not dialog.form_error.isVisible()
    assert (dialog.code_edit.text(), dialog.name_edit.text()) == ("LOCAL-BEH", "Another")
    dialog.code_edit.setText("OTHER")
    dialog.name_edit.clear()
    _save_expecting_error(qtbot, dialog, dialog.label_for("name"))
    assert dialog.label_for("name").text() == "Give a name."
    assert not code_error.isVisible()
    dialog.reject()
    assert "OTHER" not in _codes(page)


def test_editing_a_framework_over_someone_elses_change_offers_a_reload(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    qtbot.mouseClick(page.header.edit_button, CLICK)
    dialog = page.dialog
    assert dialog.code_edit.isReadOnly() and dialog.name_edit.text() == "Local behaviours"
    sam = ServiceContext(page.context.database, Actor("Sam Chair"))
    view = lib.get_framework(sam, "LOCAL-BEH")
    lib.update_framework(
        sam,
        "LOCAL-BEH",
        name="Sam's behaviours",
        description="",
        edition="",
        expected_version=view.version,
    )
    dialog.name_edit.setText("Alex's behaviours")
    _save_expecting_error(qtbot, dialog, dialog.form_error)
    assert "changed by Sam Chair" in dialog.form_error.text()
    assert dialog.reload_button.isVisible()
    qtbot.mouseClick(dialog.reload_button, CLICK)
    qtbot.waitUntil(
        lambda: "now named “Sam's behaviours”" in dialog.form_error.text(), timeout=5000
    )
    assert dialog.name_edit.text() == "Alex's behaviours"
    _save_and_wait(qtbot, page, dialog)
    assert page.header.name_label.text() == "Alex's behaviours"


def _open_new_criterion(qtbot, page):
    _select(qtbot, page, "framework", "LOCAL-BEH")
    qtbot.mouseClick(page.framework_detail.add_button, CLICK)
    dialog = page.dialog
    assert dialog.objectName() == "criterionDialog" and dialog.isVisible()
    return dialog


def test_a_gap_in_the_levels_shows_beside_the_levels(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path)
    dialog = _open_new_criterion(qtbot, page)
    qtbot.keyClicks(dialog.code_edit, "LEAD")
    qtbot.keyClicks(dialog.name_edit, "Leadership")
    qtbot.mouseClick(dialog.add_level_button, CLICK)
    qtbot.keyClicks(dialog.level_title_edit, "Emerging")
    _type_lines(qtbot, dialog.positive_edit, "Sets direction", "Listens well")
    qtbot.mouseClick(dialog.add_level_button, CLICK)
    assert dialog.level_spin.value() == 2
    dialog.level_spin.setValue(3)
    qtbot.keyClicks(dialog.negative_edit, "Avoids decisions")
    levels_error = dialog.label_for("levels")
    _save_expecting_error(qtbot, dialog, levels_error)
    assert levels_error.text() == "LEAD has levels 1 to 3 but is missing level 2."
    # Everything typed is still there.
    assert (dialog.code_edit.text(), dialog.name_edit.text()) == ("LEAD", "Leadership")
    assert [lv.label() for lv in dialog.levels] == ["Level 1 — Emerging", "Level 3"]
    dialog.select_level(0)
    assert dialog.positive_edit.toPlainText() == "Sets direction\nListens well"
    dialog.select_level(1)
    dialog.level_spin.setValue(2)
    _save_and_wait(qtbot, page, dialog)
    saved = lib.get_framework(_ctx(page), "LOCAL-BEH").definition.criterion("LEAD")
    assert saved.level_range == (1, 2)
    assert saved.levels[0].positive_indicators == ("Sets direction", "Listens well")
    assert saved.levels[1].negative_indicators == ("Avoids decisions",)
    assert page.framework_detail.selected().definition.code in {"LEAD", "TEAM"}


def test_edit_and_retire_a_criterion_and_add_a_question(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    detail = page.framework_detail
    assert detail.select_criterion("TEAM")
    qtbot.mouseClick(detail.edit_button, CLICK)
    dialog = page.dialog
    assert dialog.code_edit.text() == "TEAM" and len(dialog.levels) == 2
    dialog.name_edit.setText("Working Together Well")
    dialog.element_combo.setCurrentIndex(dialog.element_combo.findData("STR"))
    _save_and_wait(qtbot, page, dialog)
    team = lib.get_framework(_ctx(page), "LOCAL-BEH").definition.criterion("TEAM")
    assert (team.name, team.element, len(team.levels)) == ("Working Together Well", "STR", 2)

    assert detail.select_criterion("TEAM")
    qtbot.mouseClick(detail.question_button, CLICK)
    question = page.dialog
    question.level_combo.setCurrentIndex(question.level_combo.findData(2))
    _save_expecting_error(qtbot, question, question.label_for("text"))
    assert question.label_for("text").text() == "Write the question."
    qtbot.keyClicks(question.text_edit, "Describe a time you brought people together.")
    _type_lines(qtbot, question.probes_edit, "Who was involved?", "", "What changed?")
    with qtbot.waitSignal(page.questions_loaded, timeout=5000):
        _save_and_wait(qtbot, page, question)
    found = lib.list_questions(_ctx(page), "LOCAL-BEH", "TEAM")
    assert [(q.level, q.probes) for q in found] == [(2, ("Who was involved?", "What changed?"))]
    assert "brought people together" in detail.questions_view.toPlainText()

    assert detail.select_criterion("ZEBRA")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(detail.retire_button, CLICK)
    assert [c.definition.code for c in detail.model.rows] == ["TEAM"]
    page.show_retired.setChecked(True)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    names = [detail.model.index(r, 1).data() for r in range(detail.model.rowCount())]
    assert names[1] == "Zebra husbandry (retired)"
    assert detail.model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert detail.select_criterion("ZEBRA")
    assert detail.retire_button.text() == "Restore criterion"


def test_built_in_entries_are_read_only_and_their_copy_is_editable(qtbot, page):
    _make_builtin(page)
    _reload(qtbot, page)
    _select(qtbot, page, "framework", "SHIPPED")
    header, detail = page.header, page.framework_detail
    assert header.builtin_badge.isVisible()
    assert header.note.isVisible()
    assert header.note.text() == "Built in: duplicate it to make your own version."
    for button in (
        header.edit_button,
        header.retire_button,
        detail.add_button,
        detail.edit_button,
        detail.retire_button,
    ):
        assert not button.isEnabled(), button.objectName()
    assert header.duplicate_button.isEnabled() and header.export_button.isEnabled()

    qtbot.mouseClick(header.duplicate_button, CLICK)
    dialog = page.dialog
    assert (dialog.code_edit.text(), dialog.name_edit.text()) == (
        "SHIPPED-COPY",
        "Shipped behaviours (copy)",
    )
    dialog.code_edit.setText("MINE")
    dialog.name_edit.setText("My behaviours")
    _save_and_wait(qtbot, page, dialog)
    assert page.selected().code == "MINE" and not page.selected().builtin
    assert not header.note.isVisible()
    assert header.edit_button.isEnabled() and detail.add_button.isEnabled()
    assert detail.edit_button.isEnabled()
    copy = lib.get_framework(_ctx(page), "MINE")
    assert copy.definition.criteria == lib.get_framework(_ctx(page), "SHIPPED").definition.criteria


# --- files -------------------------------------------------------------------------


def test_a_malformed_file_shows_the_reason_and_changes_nothing(qtbot, page, tmp_path):
    bad = dict(LOCAL, criteria=[{**LOCAL["criteria"][0], "levels": [{"level": 1}, {"level": 3}]}])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = lib.list_library(_ctx(page), include_retired=True)
    page.commands.import_from(path)
    qtbot.waitUntil(lambda: isinstance(page.dialog, QMessageBox), timeout=5000)
    assert page.dialog.text() == ("bad.json: TEAM has levels 1 to 3 but is missing level 2.")
    assert page.status.text() == "Nothing was imported."
    assert lib.list_library(_ctx(page), include_retired=True) == before
    page.dialog.accept()


def test_importing_through_the_file_dialog_adds_and_reports(qtbot, page, tmp_path):
    path = tmp_path / "local.json"
    path.write_text(json.dumps(LOCAL), encoding="utf-8")
    qtbot.mouseClick(page.import_button, CLICK)
    dialog = page.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        dialog.selectFile(str(path))
        dialog.accept()
    assert page.status.text() == "Added the framework LOCAL-BEH: Local behaviours (2 criteria)"
    assert page.selected().code == "LOCAL-BEH"
    assert lib.get_framework(_ctx(page), "LOCAL-BEH").definition == parse_framework(LOCAL)


@pytest.mark.parametrize("suffix", ["json", "csv"])
def test_export_writes_a_file_that_imports_back_the_same(qtbot, page, tmp_path, suffix):
    _add_local(qtbot, page, tmp_path)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    qtbot.mouseClick(page.header.export_button, CLICK)
    dialog = page.dialog
    assert isinstance(dialog, QFileDialog)
    target = tmp_path / f"out.{suffix}"
    with qtbot.waitSignal(page.exported, timeout=5000):
        dialog.selectFile(str(target))
        dialog.accept()
    assert page.status.text() == f"Exported LOCAL-BEH to {target}"
    text = target.read_text(encoding="utf-8-sig")
    assert text.lstrip().startswith("{") == (suffix == "json")
    copy = tmp_path / f"copy.{suffix}"
    copy.write_text(text.replace("LOCAL-BEH", "LOCAL-COPY"), encoding="utf-8")
    with qtbot.waitSignal(page.imported, timeout=5000) as caught:
        page.commands.import_from(copy)
    assert caught.args[0].code == "LOCAL-COPY"
    original = framework_to_dict(lib.get_framework(_ctx(page), "LOCAL-BEH").definition)
    again = framework_to_dict(lib.get_framework(_ctx(page), "LOCAL-COPY").definition)
    assert again == {**original, "code": "LOCAL-COPY"}


def test_a_template_exports_too(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path, template=True)
    with qtbot.waitSignal(page.exported, timeout=5000):
        page.commands.export_to("MY-DEV", tmp_path / "dev.csv")
    assert (tmp_path / "dev.csv").read_text(encoding="utf-8-sig").startswith("record,")


# --- role templates ----------------------------------------------------------------


def _open_template_dialog(qtbot, page):
    _select(qtbot, page, "template", "MY-DEV")
    qtbot.mouseClick(page.header.edit_button, CLICK)
    dialog = page.dialog
    assert dialog.objectName() == "templateDialog" and dialog.isVisible()
    return dialog


def test_editing_a_template_through_its_dialog_persists(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path, template=True)
    dialog = _open_template_dialog(qtbot, page)
    criteria, stages = dialog.criteria_editor, dialog.stages_editor
    assert dialog.tabs.tabText(0) == "&Criteria (2)"
    dialog.grade_edit.setText("Higher Executive Officer")

    # Add ZEBRA from the library; a criterion already in the template cannot be picked again.
    qtbot.mouseClick(criteria.pick_button, CLICK)
    picker = dialog.picker
    assert picker is not None and picker.isVisible()
    assert not picker.select("LOCAL-BEH", "TEAM")
    qtbot.keyClicks(picker.search, "zebra")
    assert picker.select("LOCAL-BEH", "ZEBRA")
    assert [picker.level_combo.itemText(i) for i in range(picker.level_combo.count())] == [
        "No level"
    ]
    qtbot.mouseClick(picker.add_button, CLICK)
    assert [row.code for row in dialog.criteria] == ["TEAM", "EXP1", "ZEBRA"]
    assert criteria.current_row() == 2 and not criteria.element_combo.isEnabled()
    criteria.need_combo.setCurrentIndex(1)

    # TEAM's level is limited to the levels its library criterion has.
    criteria.select(0)
    levels = [criteria.level_combo.itemData(i) for i in range(criteria.level_combo.count())]
    assert levels == [None, 1, 2]
    criteria.level_combo.setCurrentIndex(2)

    # A free-text criterion, made a lead too: several may lead, breaking ties in the order
    # they were ticked.
    qtbot.mouseClick(criteria.free_button, CLICK)
    assert dialog.criteria[-1].code == "EXP2"
    qtbot.keyClicks(criteria.title_edit, "Testing web services")
    criteria.element_combo.setCurrentIndex(criteria.element_combo.findData("TEC"))
    leads_before = [(row.lead, row.lead_rank) for row in dialog.criteria[:3]]
    criteria.lead_check.setChecked(True)
    ranked = max((rank for lead, rank in leads_before if lead), default=0)
    assert [(row.lead, row.lead_rank) for row in dialog.criteria] == [
        *leads_before,
        (True, ranked + 1),
    ]

    # EXP1 goes; the stages stop assessing it.
    criteria.select(1)
    qtbot.mouseClick(criteria.remove_button, CLICK)
    assert [row.code for row in dialog.criteria] == ["TEAM", "ZEBRA", "EXP2"]
    assert [s.assessed_codes() for s in dialog.stages] == ["", "TEAM"]

    # A new stage assessing ZEBRA and EXP2, with a pass mark.
    dialog.tabs.setCurrentWidget(stages)
    qtbot.mouseClick(stages.add_button, CLICK)
    stages.name_edit.setText("")
    qtbot.keyClicks(stages.name_edit, "Technical test")
    stages.kind_combo.setCurrentIndex(stages.kind_combo.findData("technical_exercise"))
    stages.mode_combo.setCurrentIndex(stages.mode_combo.findData("online"))
    stages.pass_spin.setValue(4)
    stages.assessors_spin.setValue(3)
    for row in (1, 2):
        stages.assessed_model.item(row).setCheckState(Qt.CheckState.Checked)
    assert stages.model.index(2, 6).data() == "ZEBRA, EXP2"
    assert dialog.tabs.tabText(1) == "S&tages (3)"

    _save_and_wait(qtbot, page, dialog)
    saved = lib.get_template(_ctx(page), "MY-DEV").definition
    assert saved.grade == "Higher Executive Officer"
    assert [(c.code, c.level, c.essential, c.lead) for c in saved.criteria] == [
        ("TEAM", 2, True, False),
        ("ZEBRA", None, False, False),
        ("EXP2", None, True, True),
    ]
    assert saved.criteria[1].framework == "LOCAL-BEH" and saved.criteria[2].element == "TEC"
    assert [(s.name, s.kind, s.criteria) for s in saved.stages] == [
        ("Sift", "sift", ()),
        ("Interview", "panel_interview", ("TEAM",)),
        ("Technical test", "technical_exercise", ("ZEBRA", "EXP2")),
    ]
    technical = saved.stages[2]
    assert (technical.mode, technical.pass_mark, technical.min_assessors) == ("online", 4, 3)
    assert dict(saved.advert) == {"posts": 2}  # fields the dialog does not show are kept
    assert page.template_detail.stages_model.rowCount() == 3


def test_template_errors_point_at_the_row_and_keep_the_edits(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path, template=True)
    dialog = _open_template_dialog(qtbot, page)
    criteria = dialog.criteria_editor
    qtbot.mouseClick(criteria.free_button, CLICK)  # a free-text criterion with no title
    dialog.tabs.setCurrentWidget(dialog.stages_editor)
    _save_expecting_error(qtbot, dialog, criteria.error)
    assert criteria.error.text() == "criteria[2].title must not be empty."
    assert dialog.tabs.currentWidget() is criteria and criteria.current_row() == 2
    criteria.title_edit.setText("Reading code")
    criteria.code_edit.setText("EXP1")  # a code the template already uses
    _save_expecting_error(qtbot, dialog, criteria.error)
    assert "is used twice in this template" in criteria.error.text()
    dialog.reject()
    assert len(lib.get_template(_ctx(page), "MY-DEV").definition.criteria) == 2


def test_new_template_then_copy_of_a_template(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path, template=True)
    qtbot.mouseClick(page.new_template_button, CLICK)
    dialog = page.dialog
    qtbot.keyClicks(dialog.code_edit, "EMPTY")
    qtbot.keyClicks(dialog.name_edit, "Blank role")
    _save_and_wait(qtbot, page, dialog)
    assert page.selected().code == "EMPTY" and page.selected().kind == "template"

    _select(qtbot, page, "template", "MY-DEV")
    qtbot.mouseClick(page.header.duplicate_button, CLICK)
    dialog = page.dialog
    dialog.code_edit.setText("EMPTY")
    _save_expecting_error(qtbot, dialog, dialog.label_for("code"))
    dialog.code_edit.setText("MY-DEV-2")
    _save_and_wait(qtbot, page, dialog)
    copy = lib.get_template(_ctx(page), "MY-DEV-2").definition
    assert copy.title == "Developer (copy)" and len(copy.criteria) == 2


# --- models ------------------------------------------------------------------------


def test_entry_model_passes_the_model_tester(qtmodeltester, ctx, tmp_path):
    path = tmp_path / "local.json"
    path.write_text(json.dumps(LOCAL), encoding="utf-8")
    import_file(ctx, path)
    snapshot = load_snapshot(ctx)
    model = RecordTableModel(ENTRY_COLUMNS, dimmed=lambda r: r.entry.retired)
    model.set_rows(search(snapshot, "", include_retired=True))
    qtmodeltester.check(model)
    assert [r.entry.code for r in search(snapshot, "husbandry", include_retired=False)] == [
        "LOCAL-BEH"
    ]


def test_the_page_draws_with_content(qtbot, page, tmp_path):
    _add_local(qtbot, page, tmp_path, template=True)
    _select(qtbot, page, "framework", "LOCAL-BEH")
    picture = tmp_path / "library-page.png"
    page.grab().save(str(picture))
    assert picture.stat().st_size > 10_000
