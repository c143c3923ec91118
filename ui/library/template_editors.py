"""The two halves of the template dialog: its criteria and its stages, each a table and a form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.vocabulary import StageKind, StageMode
from ui.library.fields import code_edit, line_edit
from ui.library.models import Column, RecordTableModel
from ui.library.template_rows import (
    CriterionRow,
    StageRow,
    element_choices,
    next_numbered,
)
from ui.widgets import field_error_label

CRITERIA_COLUMNS = (
    Column("Code", lambda r: r.code),
    Column("Title", lambda r: r.title, lambda r: r.title),
    Column("Element", lambda r: r.element_name()),
    Column("Level", lambda r: "—" if r.level is None else str(r.level)),
    Column("Need", lambda r: r.need()),
    Column("Lead", lambda r: "Lead" if r.lead else ""),
    Column("From", lambda r: r.source()),
)
STAGE_COLUMNS = (
    Column("Stage", lambda s: s.name),
    Column("Kind", lambda s: s.kind_name()),
    Column("Mode", lambda s: s.mode_name()),
    Column("Name-blind", lambda s: "Yes" if s.name_blind else "No"),
    Column("Assessors", lambda s: str(s.min_assessors)),
    Column("Pass mark", lambda s: "—" if s.pass_mark is None else str(s.pass_mark)),
    Column("Assesses", lambda s: s.assessed_codes(), lambda s: s.assessed_codes()),
)


def _table(name: str, model: RecordTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def _select(table: QTableView, row: int) -> None:
    index = table.model().index(row, 0)
    table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(index)


class CriteriaEditor(QWidget):
    """The template's criteria; `changed` fires when rows are added, removed or recoded."""

    changed = Signal()
    pick_requested = Signal()

    def __init__(self, rows: list[CriterionRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self._loading = False
        self.model = RecordTableModel(CRITERIA_COLUMNS, parent=self)
        self.model.set_rows(rows)
        self.table = _table("templateCriteria", self.model)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.error = field_error_label("criteriaError", lines=1)
        self.pick_button = _button("Add from &library…", "pickButton", self.pick_requested.emit)
        self.free_button = _button("Add &free-text criterion", "freeTextButton", self.add_free)
        self.remove_button = _button("&Remove", "removeCriterionButton", self.remove_current)

        self.code_edit = code_edit("criterionCodeEdit")
        self.title_edit = line_edit(
            "criterionTitleEdit", limit=300, placeholder="What the candidate must show"
        )
        self.element_combo = QComboBox()
        self.element_combo.setObjectName("criterionElement")
        for key, label in element_choices():
            self.element_combo.addItem(label, key)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("criterionLevel")
        self.need_combo = QComboBox()
        self.need_combo.setObjectName("criterionNeed")
        self.need_combo.addItem("Essential", True)
        self.need_combo.addItem("Desirable", False)
        self.lead_check = QCheckBox(
            "Lead criterion (an initial sift if many apply; leads break ties in the order ticked)"
        )
        self.lead_check.setObjectName("criterionLead")
        self.source_label = QLabel()
        self.source_label.setObjectName("criterionSource")
        self.source_label.setStyleSheet("color: #52606d;")

        self.form = QGroupBox("Selected criterion")
        form = QFormLayout(self.form)
        form.addRow("", self.source_label)
        form.addRow("&Code", self.code_edit)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Element", self.element_combo)
        form.addRow("Le&vel", self.level_combo)
        form.addRow("&Need", self.need_combo)
        form.addRow("", self.lead_check)

        buttons = QHBoxLayout()
        for button in (self.pick_button, self.free_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.form)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.code_edit.textChanged.connect(self._edited)
        self.title_edit.textChanged.connect(self._edited)
        for combo in (self.element_combo, self.level_combo, self.need_combo):
            combo.currentIndexChanged.connect(lambda _i: self._edited())
        self.lead_check.toggled.connect(lambda _on: self._edited())
        if rows:
            _select(self.table, 0)
        self._show_current()

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() and index.row() < len(self.rows) else None

    def select(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            _select(self.table, row)

    def add(self, row: CriterionRow) -> None:
        self.rows.append(row)
        self.model.set_rows(self.rows)
        self.select(len(self.rows) - 1)
        self.changed.emit()

    def add_free(self) -> None:
        row = CriterionRow(next_numbered((r.code for r in self.rows), "EXP"), "EXP", "")
        self.add(row)
        self.title_edit.setFocus()

    def remove_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        del self.rows[row]
        self.model.set_rows(self.rows)
        if self.rows:
            self.select(min(row, len(self.rows) - 1))
        self._show_current()
        self.changed.emit()

    def _show_current(self) -> None:
        row = self.current_row()
        self.form.setEnabled(row is not None)
        self.remove_button.setEnabled(row is not None)
        if row is None:
            return
        record = self.rows[row]
        self._loading = True  # filling the form is not an edit
        self.code_edit.setText(record.code)
        self.title_edit.setText(record.title)
        self.title_edit.setCursorPosition(0)  # long titles read from their start
        self.element_combo.setCurrentIndex(max(0, self.element_combo.findData(record.element)))
        # A library criterion's element comes from the library.
        self.element_combo.setEnabled(not record.from_library)
        self.level_combo.clear()
        self.level_combo.addItem("No level", None)
        for number in record.levels:
            self.level_combo.addItem(f"Level {number}", number)
        self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(record.level)))
        self.need_combo.setCurrentIndex(0 if record.essential else 1)
        self.lead_check.setChecked(record.lead)
        self.source_label.setText(
            f"From the library: {record.framework} {record.criterion}"
            if record.from_library
            else "Free text: written for this template"
        )
        self._loading = False

    def _edited(self) -> None:
        row = self.current_row()
        if self._loading or row is None:
            return
        record = self.rows[row]
        recoded = record.code != self.code_edit.text()
        record.code = self.code_edit.text()
        record.title = self.title_edit.text()
        if not record.from_library:
            record.element = self.element_combo.currentData()
        record.level = self.level_combo.currentData()
        record.essential = bool(self.need_combo.currentData())
        lead = self.lead_check.isChecked()
        if lead and not record.lead:  # several may lead: each new one breaks ties after the rest
            record.lead_rank = 1 + max((r.lead_rank for r in self.rows if r.lead), default=0)
        elif not lead:
            record.lead_rank = 0
        record.lead = lead
        self.model.row_changed(row)
        if recoded:
            self.changed.emit()


class StagesEditor(QWidget):
    """The template's stages, in order, with the criteria each one assesses."""

    changed = Signal()

    def __init__(
        self, stages: list[StageRow], criteria: list[CriterionRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.stages = stages
        self.criteria = criteria
        self._loading = False
        self.model = RecordTableModel(STAGE_COLUMNS, parent=self)
        self.model.set_rows(stages)
        self.table = _table("templateStages", self.model)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.error = field_error_label("stagesError", lines=1)
        self.add_button = _button("&Add stage", "addStageButton", self.add_stage)
        self.remove_button = _button("&Remove stage", "removeStageButton", self.remove_current)
        self.up_button = _button("Move &up", "stageUpButton", lambda: self.move_stage(-1))
        self.down_button = _button("Move &down", "stageDownButton", lambda: self.move_stage(1))

        self.name_edit = line_edit("stageNameEdit", placeholder="e.g. CV sift")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("stageKind")
        for key, label in StageKind.labels().items():
            self.kind_combo.addItem(label, key)
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("stageMode")
        for key, label in StageMode.labels().items():
            self.mode_combo.addItem(label, key)
        self.blind_check = QCheckBox("Name-blind (assessors see candidate numbers, not names)")
        self.blind_check.setObjectName("stageNameBlind")
        self.assessors_spin = QSpinBox()
        self.assessors_spin.setObjectName("stageAssessors")
        self.assessors_spin.setRange(1, 20)
        self.assessors_spin.setMaximumWidth(90)
        self.pass_spin = QSpinBox()
        self.pass_spin.setObjectName("stagePassMark")
        self.pass_spin.setRange(-1, 100)
        self.pass_spin.setSpecialValueText("No pass mark")
        self.pass_spin.setMaximumWidth(150)
        self.assessed_model = QStandardItemModel(self)
        # A one-column tree rather than a list: long titles are elided to the width.
        self.assessed_list = QTreeView()
        self.assessed_list.setObjectName("stageAssesses")
        self.assessed_list.setModel(self.assessed_model)
        self.assessed_list.setHeaderHidden(True)
        self.assessed_list.setRootIsDecorated(False)
        self.assessed_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.form = QGroupBox("Selected stage")
        fields = QFormLayout()
        fields.addRow("&Name", self.name_edit)
        fields.addRow("&Kind", self.kind_combo)
        fields.addRow("M&ode", self.mode_combo)
        fields.addRow("", self.blind_check)
        fields.addRow("Minimum &assessors", self.assessors_spin)
        fields.addRow("&Pass mark", self.pass_spin)
        assesses = QVBoxLayout()
        assesses.addWidget(QLabel("Criteria assessed at this stage"))
        assesses.addWidget(self.assessed_list, 1)
        columns = QHBoxLayout(self.form)
        columns.addLayout(fields, 1)
        columns.addLayout(assesses, 1)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.form, 1)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.name_edit.textChanged.connect(self._edited)
        for combo in (self.kind_combo, self.mode_combo):
            combo.currentIndexChanged.connect(lambda _i: self._edited())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_chosen())
        self.blind_check.toggled.connect(lambda _on: self._edited())
        self.assessors_spin.valueChanged.connect(lambda _v: self._edited())
        self.pass_spin.valueChanged.connect(lambda _v: self._edited())
        self.assessed_model.itemChanged.connect(self._assessed_changed)
        if stages:
            _select(self.table, 0)
        self._show_current()

    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() and index.row() < len(self.stages) else None

    def select(self, row: int) -> None:
        if 0 <= row < len(self.stages):
            _select(self.table, row)

    def criteria_changed(self) -> None:
        """Criteria were added, removed or recoded: drop removed ones and repaint."""
        present = set(map(id, self.criteria))
        for stage in self.stages:
            stage.assessed = [row for row in stage.assessed if id(row) in present]
        for row in range(len(self.stages)):
            self.model.row_changed(row)
        self._show_current()

    def add_stage(self) -> None:
        self.stages.append(StageRow(f"Stage {len(self.stages) + 1}"))
        self.model.set_rows(self.stages)
        self.select(len(self.stages) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        del self.stages[row]
        self.model.set_rows(self.stages)
        if self.stages:
            self.select(min(row, len(self.stages) - 1))
        self._show_current()
        self.changed.emit()

    def move_stage(self, step: int) -> None:
        row = self.current_row()
        if row is None or not 0 <= row + step < len(self.stages):
            return
        self.stages[row], self.stages[row + step] = self.stages[row + step], self.stages[row]
        self.model.set_rows(self.stages)
        self.select(row + step)

    def _show_current(self) -> None:
        row = self.current_row()
        self.form.setEnabled(row is not None)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(row is not None)
        self._loading = True  # filling the form is not an edit
        self.assessed_model.clear()
        if row is not None:
            stage = self.stages[row]
            self.name_edit.setText(stage.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(stage.kind)))
            self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(stage.mode)))
            self.blind_check.setChecked(stage.name_blind)
            self.assessors_spin.setValue(stage.min_assessors)
            self.pass_spin.setValue(-1 if stage.pass_mark is None else stage.pass_mark)
            chosen = set(map(id, stage.assessed))
            for criterion in self.criteria:
                item = QStandardItem(f"{criterion.code}  {criterion.title}")
                item.setToolTip(criterion.title)
                item.setCheckable(True)
                item.setCheckState(
                    Qt.CheckState.Checked if id(criterion) in chosen else Qt.CheckState.Unchecked
                )
                self.assessed_model.appendRow(item)
        self._loading = False

    def _edited(self) -> None:
        row = self.current_row()
        if self._loading or row is None:
            return
        stage = self.stages[row]
        stage.name = self.name_edit.text()
        stage.kind = self.kind_combo.currentData()
        stage.mode = self.mode_combo.currentData()
        stage.name_blind = self.blind_check.isChecked()
        stage.min_assessors = self.assessors_spin.value()
        pass_mark = self.pass_spin.value()
        stage.pass_mark = None if pass_mark < 0 else pass_mark
        self.model.row_changed(row)

    def _kind_chosen(self) -> None:
        # Sifts are name-blind by default in the Civil Service; other stages are not.
        if self._loading or self.current_row() is None:
            return
        if self.kind_combo.currentData() == "sift" and not self.blind_check.isChecked():
            self.blind_check.setChecked(True)

    def _assessed_changed(self, _item: QStandardItem) -> None:
        row = self.current_row()
        if self._loading or row is None:
            return
        checked = {
            r
            for r in range(self.assessed_model.rowCount())
            if self.assessed_model.item(r).checkState() == Qt.CheckState.Checked
        }
        # Keep the template's criterion order, whatever order they were ticked in.
        self.stages[row].assessed = [c for r, c in enumerate(self.criteria) if r in checked]
        self.model.row_changed(row)
