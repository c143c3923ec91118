"""The settings of one stage as a form: every setting, with errors shown beside its field."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruit_app.vocabulary import StageKind, StageMode
from ui.stages.inputs import OptionalDate
from ui.stages.scale_editor import ScaleEditor
from ui.widgets import MessageArea, field_error_label

if TYPE_CHECKING:
    from recruit_app.services.stages import StageView

NOT_SET = -1.0
# "points[2].value" (a custom scale's point) -> "points": the checks name the list they found.
_FIELD_HEAD = re.compile(r"^([A-Za-z_]+)")
_ALIASES = {"points": "custom_scale"}


def settings_of(view: StageView) -> dict[str, Any]:
    """A stage's settings as the form returns them, so the two can be compared."""
    return {
        "name": view.name,
        "kind": view.kind,
        "mode": view.mode,
        "starts_on": view.starts_on,
        "ends_on": view.ends_on,
        "scale": view.scale,
        "custom_scale": [dict(p) for p in view.custom_scale],
        "pass_mark_total": (
            None if view.pass_mark_total is None else round(view.pass_mark_total, 1)
        ),
        "name_blind": view.name_blind,
        "min_assessors": view.min_assessors,
        "moderation_spread": view.moderation_spread,
        "progress_rule": view.progress_rule,
        # The count means something only when the top N progress.
        "progress_count": view.progress_count if view.progress_rule == "top_n" else None,
        "location": view.location,
        "video_link": view.video_link,
        "invitations_on": view.invitations_on,
        "notice_days": view.notice_days,
    }


def _spin(name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    return spin


class StageForm(QWidget):
    """`edited` fires on every change the user makes; `fill` never fires it."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.errors: dict[str, QLabel] = {}
        self.fields: dict[str, QWidget] = {}
        self.shown_field: QWidget | None = None  # the field of the message last shown
        # Every message, about a field (which then takes the focus) or the whole stage, in
        # one place of kept room: the StageEditor puts it under its Save bar, so nothing in
        # the form moves when a message appears (a kept line under each field would be gappy).
        self.messages = MessageArea("stageMessages")
        self.form_error = self.messages.add(field_error_label("stageFormError"))

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("stageName")
        self.name_edit.setMaxLength(250)  # longer input gets a message, not a silent cut
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("stageKind")
        for code, label in StageKind.labels().items():
            self.kind_combo.addItem(label, code)
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("stageMode")
        for code, label in StageMode.labels().items():
            self.mode_combo.addItem(label, code)
        self.starts = OptionalDate("startsOn")
        self.ends = OptionalDate("endsOn")

        self.scale = ScaleEditor()
        self.pass_mark = QDoubleSpinBox()
        self.pass_mark.setObjectName("passMarkTotal")
        self.pass_mark.setRange(NOT_SET, 10_000)
        self.pass_mark.setDecimals(1)
        self.pass_mark.setSpecialValueText("Not set")
        self.name_blind = QCheckBox("Assessors see candidate numbers, not names")
        self.name_blind.setObjectName("nameBlind")
        self.min_assessors = _spin("minAssessors", 1, 20, " per candidate")
        self.spread = _spin("moderationSpread", 0, 100, " points")
        self.progress = self._progress_editor()

        self.location = QLineEdit()
        self.location.setObjectName("stageLocation")
        self.location.setMaxLength(250)
        self.location.setPlaceholderText("e.g. Room 3.14, 2 Marsham Street, London")
        self.video_link = QLineEdit()
        self.video_link.setObjectName("videoLink")
        self.video_link.setMaxLength(550)
        self.video_link.setPlaceholderText("The meeting link candidates are sent")
        self.invitations = OptionalDate("invitationsOn")
        self.notice_days = _spin("noticeDays", 0, 30, " working days")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            self._group(
                "The stage",
                [
                    ("name", "&Name", self.name_edit),
                    ("kind", "&Kind", self.kind_combo),
                    ("mode", "&Held", self.mode_combo),
                    ("starts_on", "&Starts", self.starts),
                    ("ends_on", "&Ends", self.ends),
                ],
            )
        )
        layout.addWidget(
            self._group(
                "Scoring",
                [
                    ("scale", "Scoring s&cale", self.scale),
                    ("custom_scale", None, None),
                    ("pass_mark_total", "Overall &pass mark", self.pass_mark),
                    ("name_blind", "Name-&blind", self.name_blind),
                    ("min_assessors", "&Minimum assessors", self.min_assessors),
                    ("moderation_spread", "M&oderate when scores\nare this far apart", self.spread),
                    ("progress_rule", "Who p&rogresses", self.progress),
                    ("progress_count", None, None),
                ],
            )
        )
        layout.addWidget(
            self._group(
                "Where, and invitations",
                [
                    ("location", "&Location or room", self.location),
                    ("video_link", "&Video link", self.video_link),
                    ("invitations_on", "&Invitations go out", self.invitations),
                    ("notice_days", "No&tice period", self.notice_days),
                ],
            )
        )
        self._align_labels()
        self._connect()

    # --- building ------------------------------------------------------------------

    def _progress_editor(self) -> QWidget:
        box = QWidget()
        self.all_passing = QRadioButton("All who pass")
        self.all_passing.setObjectName("progressAll")
        self.top_n = QRadioButton("The top")
        self.top_n.setObjectName("progressTop")
        self.progress_group = QButtonGroup(box)
        self.progress_group.addButton(self.all_passing)
        self.progress_group.addButton(self.top_n)
        self.progress_count = _spin("progressCount", 0, 100_000, " candidates")
        self.progress_count.setSpecialValueText("how many?")
        self.top_n.toggled.connect(self.progress_count.setEnabled)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.all_passing)
        row.addSpacing(12)
        row.addWidget(self.top_n)
        row.addWidget(self.progress_count)
        row.addStretch(1)
        box.setFocusProxy(self.all_passing)
        return box

    def _group(self, heading: str, rows: list[tuple[str, str | None, QWidget | None]]) -> QGroupBox:
        group = QGroupBox(heading)
        form = QFormLayout(group)
        # Only fields that want room (text, the scale's table) grow; spin boxes stay compact.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for field, label, widget in rows:
            self.errors[field] = self.messages.add(field_error_label(f"error_{field}"))
            if widget is None:  # errors about a part of the row above
                continue
            assert label is not None  # only the rows of errors have no label
            self.fields[field] = widget
            form.addRow(label, widget)
        return group

    def _align_labels(self) -> None:
        """One label width for all groups, so their fields start in one column."""
        forms = [g.layout() for g in self.findChildren(QGroupBox)]
        labels = [
            label
            for form in forms
            if isinstance(form, QFormLayout)
            for row in range(form.rowCount())
            if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
            and isinstance(label := item.widget(), QLabel)
        ]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def _connect(self) -> None:
        self.name_edit.textEdited.connect(self._changed)
        self.kind_combo.activated.connect(self._kind_chosen)
        self.mode_combo.activated.connect(self._changed)
        for widget in (self.starts, self.ends, self.invitations, self.scale):
            widget.edited.connect(self._changed)
        self.pass_mark.valueChanged.connect(self._changed)
        self.name_blind.toggled.connect(self._changed)
        for spin in (self.min_assessors, self.spread, self.progress_count, self.notice_days):
            spin.valueChanged.connect(self._changed)
        self.top_n.toggled.connect(self._changed)
        self.location.textEdited.connect(self._changed)
        self.video_link.textEdited.connect(self._changed)

    def _changed(self, *_args: Any) -> None:
        if not self._filling:
            self.edited.emit()

    def _kind_chosen(self, _index: int) -> None:
        if self.kind_combo.currentData() in ("sift", "lead_sift"):
            # Sifts are name-blind unless the manager says otherwise.
            self.name_blind.setChecked(True)
        self._changed()

    # --- values --------------------------------------------------------------------

    def fill(self, view: StageView) -> None:
        values = settings_of(view)
        self._filling = True
        try:
            self.name_edit.setText(values["name"])
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(values["kind"])))
            self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(values["mode"])))
            self.starts.set_value(values["starts_on"])
            self.ends.set_value(values["ends_on"])
            self.scale.set_value(values["scale"], values["custom_scale"])
            total = values["pass_mark_total"]
            self.pass_mark.setValue(NOT_SET if total is None else total)
            self.name_blind.setChecked(values["name_blind"])
            self.min_assessors.setValue(values["min_assessors"])
            self.spread.setValue(values["moderation_spread"])
            top = values["progress_rule"] == "top_n"
            (self.top_n if top else self.all_passing).setChecked(True)
            self.progress_count.setEnabled(top)
            self.progress_count.setValue(view.progress_count or 0)
            self.location.setText(values["location"])
            self.video_link.setText(values["video_link"])
            self.invitations.set_value(values["invitations_on"])
            self.notice_days.setValue(values["notice_days"])
        finally:
            self._filling = False
        self.clear_errors()

    def values(self) -> dict[str, Any]:
        scale, custom = self.scale.value()
        total = self.pass_mark.value()
        top = self.top_n.isChecked()
        return {
            "name": self.name_edit.text().strip(),
            "kind": self.kind_combo.currentData(),
            "mode": self.mode_combo.currentData(),
            "starts_on": self.starts.value(),
            "ends_on": self.ends.value(),
            "scale": scale,
            "custom_scale": custom,
            "pass_mark_total": None if total <= NOT_SET else round(total, 1),
            "name_blind": self.name_blind.isChecked(),
            "min_assessors": self.min_assessors.value(),
            "moderation_spread": self.spread.value(),
            "progress_rule": "top_n" if top else "all_passing",
            "progress_count": (self.progress_count.value() or None) if top else None,
            "location": self.location.text().strip(),
            "video_link": self.video_link.text().strip(),
            "invitations_on": self.invitations.value(),
            "notice_days": self.notice_days.value(),
        }

    def changes(self, view: StageView) -> dict[str, Any]:
        """Only the settings that differ from `view`: the service records just those."""
        saved = settings_of(view)
        return {name: value for name, value in self.values().items() if saved[name] != value}

    # --- errors --------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in (self.form_error, *self.errors.values()):
            label.clear()
            label.hide()

    def show_error(self, field: str | None, message: str) -> None:
        head = _FIELD_HEAD.match(field or "")
        name = _ALIASES.get(head.group(1), head.group(1)) if head else ""
        label = self.errors.get(name, self.form_error)
        label.setText(message)
        label.show()
        widget = self.fields.get(name) or self.fields.get(
            {"custom_scale": "scale", "progress_count": "progress_rule"}.get(name, "")
        )
        if name == "progress_count":
            widget = self.progress_count
        if widget is not None:
            widget.setFocus()
        self.shown_field = widget
