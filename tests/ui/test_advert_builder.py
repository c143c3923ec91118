"""The advert builder driven through real widgets: template to published advert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, QPoint, QPointF, Qt, QTime
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from recruit_app.services import adverts
from recruit_app.services.context import Actor, ServiceContext


def _new_from_template(qtbot, window, template_code: str, title: str, reference: str):
    page = window.campaigns
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=5000)
    dialog = page.dialog
    combo = dialog.template_combo
    combo.setCurrentIndex(combo.findData(template_code))
    assert dialog.title_edit.text() == "Software Developer"  # suggested from the template
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, title)
    qtbot.keyClicks(dialog.reference_edit, reference)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def builder(qtbot, window):
    _new_from_template(qtbot, window, "DDAT-DEV-SEO", "Developer (Glasgow)", "DEV-1")
    page = window.campaigns
    campaign_window_opened = qtbot.waitSignal(page.open_requested, timeout=5000)
    with campaign_window_opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    campaign_window = next(iter(window.campaign_windows.values()))
    qtbot.addWidget(campaign_window)
    advert = campaign_window.advert
    qtbot.waitUntil(lambda: advert.form is not None, timeout=5000)
    qtbot.waitUntil(lambda: advert.findings != (), timeout=5000)
    return advert


def _set_closing(builder, days: int) -> None:
    field = builder.editors["closes_at"]
    field.enabled.setChecked(True)
    when = datetime.now(UTC) + timedelta(days=days)
    field.edit.setDateTime(QDateTime(QDate(when.year, when.month, when.day), QTime(23, 55)))


def test_template_fills_the_form_and_the_preview(qtbot, builder):
    assert builder.editors["grade"].value() == "Senior Executive Officer"
    assert builder.editors["locations"].value() == [
        "Glasgow",
        "Manchester",
        "Sheffield",
        "Croydon",
        "Hendon",
    ]
    codes = [row.code for row in builder.criteria_rows()]
    assert codes[:6] == ["EXP1", "EXP2", "EXP3", "EXP4", "EXP5", "EXP6"]
    html = builder.preview.toHtml()
    assert "Developer (Glasgow)" in html and "Programming/software development" in html
    errors = {f.field for f in builder.findings if f.severity == "error"}
    # The pack's own sections are not in the template: the manager writes them.
    assert errors == {
        "closes_at",
        "contact_email",
        "about_organisation",
        "how_to_apply",
        "terms_and_conditions",
    }
    assert builder.errors["closes_at"].isVisible()
    assert builder.errors["closes_at"].text() == "Set the closing date and time."
    assert not builder.publish_button.isEnabled()


def test_scrolling_over_the_form_never_changes_a_value(qtbot, builder):
    """The wheel over a drop-down or number box the person has not clicked scrolls the page;
    it changes the value only once the box has focus."""
    grade = builder.editors["grade"]
    combo = grade.combo
    assert combo is not None
    builder.setFocus()
    centre = QPointF(combo.rect().center())
    for _ in range(3):
        wheel = QWheelEvent(
            centre,
            QPointF(combo.mapToGlobal(combo.rect().center())),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(combo, wheel)
    assert not combo.hasFocus()
    assert grade.value() == "Senior Executive Officer"
    combo.setFocus()
    QApplication.sendEvent(
        combo,
        QWheelEvent(
            centre,
            QPointF(combo.mapToGlobal(combo.rect().center())),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )
    assert grade.value() != "Senior Executive Officer"  # chosen on purpose, once focused


def test_typing_updates_the_preview_and_checks(qtbot, builder):
    builder.editors["title"].edit.selectAll()
    qtbot.keyClicks(builder.editors["title"].edit, "Lead Developer & Tester <Cloud>")
    assert builder.dirty and builder.save_button.isEnabled()
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    assert "Lead Developer &amp; Tester &lt;Cloud&gt;" in builder.preview.toHtml()
    zones = builder.editors["pay_zones"]
    zones.rows[0][2].setValue(50_000)  # National minimum above its maximum
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    assert builder.errors["pay_zones"].isVisible()
    assert "National: the minimum £50,000 is above the maximum £42,900." in (
        builder.errors["pay_zones"].text()
    )


def _write_pack_sections(builder) -> None:
    builder.editors["about_organisation"].edit.setPlainText("We build digital services.")
    builder.editors["how_to_apply"].edit.setPlainText("Apply online with a CV.")
    builder.editors["terms_and_conditions"].edit.setPlainText("Permanent, with a pension.")


def test_publishing_waits_for_the_sections_the_pack_needs(qtbot, builder):
    _set_closing(builder, 21)
    builder.editors["contact_email"].edit.setText("dev.jobs@example.gov.uk")
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    assert not builder.publish_button.isEnabled()
    assert builder.errors["how_to_apply"].isVisible()
    assert builder.errors["how_to_apply"].text() == (
        "Say how to apply: the pack's How to apply is empty."
    )
    _write_pack_sections(builder)
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    assert {f.field for f in builder.findings if f.severity == "error"} == set()


def test_every_standard_section_is_offered_with_suggested_wording(qtbot, builder):
    from recruit_app.readmodels import STANDARD_SECTIONS

    warned = {f.field for f in builder.findings if f.kind == "section"}
    # The template brings the nationality and Disability Confident words; the rest are asked for.
    assert warned == {key for key, _heading in STANDARD_SECTIONS} - {
        "nationality_statement",
        "guaranteed_interview_statement",
    }
    builder.editors["team_email"].edit.setText("dev.jobs@example.gov.uk")
    field = builder.editors["adjustments_statement"]
    assert field.value() == ""
    qtbot.mouseClick(field.suggest_button, Qt.MouseButton.LeftButton)
    assert "Ask the recruitment team at dev.jobs@example.gov.uk before the closing" in (
        field.value().replace("\n", " ")
    )
    assert builder.dirty
    # Words of one's own are never lost to a suggestion: Ctrl+Z brings them back.
    own = builder.editors["guaranteed_interview_statement"]
    before = own.value()
    qtbot.mouseClick(own.suggest_button, Qt.MouseButton.LeftButton)
    assert own.value() != before
    qtbot.keyClick(own.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert own.value() == before
    for key, _heading in STANDARD_SECTIONS:
        qtbot.mouseClick(builder.editors[key].suggest_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    assert not [f for f in builder.findings if f.kind in ("section", "schemes")]
    assert "Redeployment Interview Scheme" in builder.preview.toPlainText()


def test_from_template_to_published_advert(qtbot, builder, tmp_path):
    _set_closing(builder, 21)
    # QTest cannot type "@", so the address is pasted in as a person might.
    builder.editors["contact_email"].edit.setText("dev.jobs@example.gov.uk")
    builder.editors["contact_name"].edit.setText("Siân O'Brien")
    _write_pack_sections(builder)
    with qtbot.waitSignal(builder.saved, timeout=10_000):
        qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    assert not builder.dirty
    qtbot.waitUntil(lambda: builder.publish_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(builder.publish_button, Qt.MouseButton.LeftButton)
    box = builder.dialog
    assert box.text() == "Publish this advert as version 1?"
    with qtbot.waitSignal(builder.saved, timeout=10_000):
        qtbot.mouseClick(
            box.findChild(type(builder.save_button), "confirmPublishButton"),
            Qt.MouseButton.LeftButton,
        )
    assert builder.status.text().startswith("Published (version 1), ")
    assert builder.form.published_version == 1
    qtbot.waitUntil(lambda: not builder.publish_button.isEnabled(), timeout=5000)
    assert builder.publish_button.toolTip() == "Nothing has changed since it was published"
    builder.grab().save(str(tmp_path / "advert-builder.png"))
    builder.export_to(tmp_path / "advert.txt", "txt", published=True)
    qtbot.waitUntil(lambda: (tmp_path / "advert.txt").exists(), timeout=10_000)
    assert "Siân O'Brien" in (tmp_path / "advert.txt").read_text(encoding="utf-8")


def test_adding_a_behaviour_from_the_library(qtbot, builder):
    builder.criteria.open_picker()
    picker = builder.criteria.picker
    qtbot.waitUntil(lambda: picker.frameworks.count() > 0, timeout=5000)
    picker.frameworks.setCurrentIndex(picker.frameworks.findData("SP-BEH"))
    qtbot.waitUntil(lambda: picker.criteria.count() == 9, timeout=5000)
    picker.criteria.setCurrentRow(2)  # Making Effective Decisions
    picker.level.setValue(3)
    assert "Higher Executive Officer, Senior Executive Officer" in picker.detail.text()
    picker.buttons.accepted.emit()
    added = builder.criteria_rows()[-1]
    assert (added.code, added.title, added.element, added.level) == (
        "DECIDE",
        "Making Effective Decisions",
        "BEH",
        3,
    )
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    assert "Making Effective Decisions" in builder.preview.toPlainText()
    levels = builder.form.library_levels[added.criterion_id]
    assert levels[3][1][0] in builder.preview.toPlainText()  # its indicators at level 3


def test_a_late_read_of_an_earlier_framework_does_not_replace_the_chosen_one(qtbot, builder):
    """Choosing a framework while the first one's read is still running: the first read's
    result arrives last and must not fill the list (CI saw 'SP-BEH' show another list)."""
    from recruit_app.services.library import get_framework

    builder.criteria.open_picker()
    picker = builder.criteria.picker
    qtbot.waitUntil(lambda: picker.frameworks.count() > 1, timeout=5000)
    picker.frameworks.setCurrentIndex(picker.frameworks.findData("SP-BEH"))
    qtbot.waitUntil(lambda: picker.criteria.count() == 9, timeout=5000)
    other = next(
        picker.frameworks.itemData(i)
        for i in range(picker.frameworks.count())
        if picker.frameworks.itemData(i) != "SP-BEH"
    )
    late = get_framework(builder.context.service_context(), other)
    assert len([c for c in late.criteria if not c.retired]) != 9
    picker._framework_loaded(other, late)
    assert picker.criteria.count() == 9
    assert picker.framework is not None and picker.framework.definition.code == "SP-BEH"


def test_a_save_over_someone_elses_change_asks_what_to_keep(qtbot, builder):
    other = ServiceContext(builder.context.database, Actor("Sam Chair"))
    form = adverts.get_advert(other, builder.campaign_id)
    adverts.save_advert(
        other,
        builder.campaign_id,
        fields={"posts": 7},
        criteria=None,
        expected_version=form.version,
    )
    builder.editors["posts"].spin.setValue(3)
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(builder.dialog, QMessageBox), timeout=5000)
    box = builder.dialog
    assert "was changed by Sam Chair" in box.text()
    keep = next(b for b in box.buttons() if b.text() == "Keep mine")
    with qtbot.waitSignal(builder.saved, timeout=10_000):
        qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert adverts.get_advert(other, builder.campaign_id).fields["posts"] == 3


def test_closing_with_unsaved_changes_asks_first(qtbot, builder):
    window = builder.window()
    builder.editors["posts"].spin.setValue(4)
    window.close()
    assert window.isVisible() and window.question is not None
    window.question.button(QMessageBox.StandardButton.Discard).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert (
        adverts.get_advert(builder.context.service_context(), builder.campaign_id).fields["posts"]
        == 2
    )


def test_a_closing_day_off_is_a_check_in_the_timetables_words(qtbot, builder):
    from recruit_app.domain.dates import long_date
    from recruit_app.domain.timetable import bank_holidays

    def close_on(day) -> list[str]:
        field = builder.editors["closes_at"]
        field.enabled.setChecked(True)
        with qtbot.waitSignal(builder.previewed, timeout=5000):
            field.edit.setDateTime(QDateTime(QDate(day.year, day.month, day.day), QTime(23, 55)))
        return [builder.checks.item(i).text() for i in range(builder.checks.count())]

    soon = datetime.now(UTC).date() + timedelta(days=30)
    sunday = soon + timedelta(days=6 - soon.weekday())
    assert (
        f"Consider, in Closing date and time: {long_date(sunday)} falls at a weekend, "
        "and the advert closes that day." in close_on(sunday)
    )
    holidays = bank_holidays("england-and-wales", [soon.year, soon.year + 1])
    holiday = next(d for d in sorted(holidays) if d > soon and d.weekday() < 5)
    assert (
        f"Consider, in Closing date and time: {long_date(holiday)} is a bank holiday "
        f"({holidays[holiday]}), and the "
        "advert closes that day."
    ) in close_on(holiday)
    assert builder.side.tabText(1).endswith("to consider)")


def test_exporting_names_what_the_pdf_cannot_print(qtbot, builder, tmp_path):
    builder.editors["contact_name"].edit.setText("Kasun ඞ Perera 😀")
    with qtbot.waitSignal(builder.saved, timeout=10_000):
        qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "advert.pdf"
    builder.export_to(target, "pdf")
    qtbot.waitUntil(lambda: builder.status.text().startswith("Exported to"), timeout=10_000)
    lines = builder.status.text().split("\n")
    assert lines[0] == f"Exported to {target}"
    assert lines[1].startswith("“Kasun ඞ Perera 😀” has characters no font in Recruit can print")
    html = tmp_path / "advert.html"
    builder.export_to(html, "html")
    qtbot.waitUntil(lambda: builder.status.text() == f"Exported to {html}", timeout=10_000)


def test_several_lead_criteria_break_ties_in_the_order_ticked(qtbot):
    from recruit_app.services.adverts import CriterionRow
    from ui.adverts.criteria import LEAD, CriteriaModel

    model = CriteriaModel()
    model.set_rows([CriterionRow(code, code, "BEH") for code in ("B1", "B2", "B3")])

    def tick(row: int, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        assert model.setData(model.index(row, LEAD), state.value, Qt.ItemDataRole.CheckStateRole)

    tick(2, True)
    tick(0, True)
    assert [(r.code, r.lead, r.lead_rank) for r in model.rows] == [
        ("B1", True, 2),
        ("B2", False, 0),
        ("B3", True, 1),
    ]
    assert [model.index(n, LEAD).data() for n in range(3)] == ["2", None, "1"]
    tick(1, True)
    tick(2, False)  # the others close up
    assert [(r.code, r.lead, r.lead_rank) for r in model.rows] == [
        ("B1", True, 1),
        ("B2", True, 2),
        ("B3", False, 0),
    ]


def test_a_check_names_its_field_once_and_leads_to_the_flagged_words(qtbot, builder):
    """Activating a finding scrolls the form to its field and selects the words flagged,
    even below the fold and after leading blank lines the check does not count."""
    builder.editors["benefits"].edit.setPlainText(
        "\n  We offer a pension. Our rockstar developers get flexible hours."
    )
    with qtbot.waitSignal(builder.previewed, timeout=5000):
        pass
    items = [builder.checks.item(n) for n in range(builder.checks.count())]
    item = next(i for i in items if "rockstar" in i.text())
    assert item.text() == ("Consider, in Benefits: “rockstar” is jargon; say “expert” instead")
    assert item.text().count("rockstar") == 1
    builder.side.setCurrentWidget(builder.checks)
    builder.checks.itemActivated.emit(item)
    edit = builder.editors["benefits"].edit
    qtbot.waitUntil(edit.hasFocus, timeout=5000)
    assert edit.textCursor().selectedText() == "rockstar"
    form = builder.form_area
    top = edit.mapTo(form.widget(), edit.rect().topLeft()).y()
    shown = form.verticalScrollBar().value()
    assert shown <= top <= shown + form.viewport().height()
