"""The box beside the matrix that edits the selected cell: assessed or not, weight, pass mark."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QWidget,
)

from recruit_app.domain.stage_rules import SCALES, default_pass_mark
from ui.stages.matrix_model import Cell, cell_scale_of
from ui.widgets import MessageLine

STAGE_SCALE_TEXT = "Stage's scale"

NO_MARK_TEXT = "No pass mark"
WARNING_STYLE = "background: #fff1d6; border: 1px solid #e6c36a; padding: 4px;"


class CellEditor(QGroupBox):
    """`changed` carries the new Cell, or None when the criterion is no longer assessed there."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Selected cell", parent)
        self.setObjectName("cellEditor")
        self._filling = False
        self._default = Cell()
        self._desirable = False
        self._stage: Any = None
        self._criterion: Any = None
        self.where = QLabel("Choose a cell in the grid.")
        self.where.setObjectName("cellWhere")
        self.where.setWordWrap(True)
        self.assessed = QCheckBox("Assessed at this stage")
        self.assessed.setObjectName("cellAssessed")
        self.weight = QDoubleSpinBox()
        self.weight.setObjectName("cellWeight")
        self.weight.setRange(0, 100)
        self.weight.setDecimals(1)
        self.weight.setSingleStep(0.5)
        self.weight.setMaximumWidth(160)
        # Behaviours on 1 to 7 and a strength on its 1 to 4 guide in one interview.
        self.scale = QComboBox()
        self.scale.setObjectName("cellScale")
        self.scale.addItem(STAGE_SCALE_TEXT, "")
        for code, scale in SCALES.items():
            self.scale.addItem(scale.name, code)
        self._custom: tuple[dict[str, Any], ...] = ()
        self.pass_mark = QSpinBox()
        self.pass_mark.setObjectName("cellPassMark")
        self.pass_mark.setSpecialValueText(NO_MARK_TEXT)
        self.pass_mark.setMaximumWidth(160)
        self.meaning = QLabel()
        self.meaning.setObjectName("cellPassMeaning")
        self.meaning.setWordWrap(True)
        # The matrix's warning about this cell (a pass mark on a desirable criterion).
        self.warning = MessageLine("cellWarning", lines=2, style=WARNING_STYLE)  # room kept
        self.warning.hide()
        form = QFormLayout(self)
        form.addRow(self.where)
        form.addRow(self.assessed)
        form.addRow("&Weight", self.weight)
        form.addRow("S&cale", self.scale)
        form.addRow("&Pass mark", self.pass_mark)
        form.addRow(self.meaning)
        form.addRow(self.warning)
        self.assessed.toggled.connect(self._edited)
        self.weight.valueChanged.connect(self._edited)
        self.scale.currentIndexChanged.connect(self._rescaled)
        self.pass_mark.valueChanged.connect(self._edited)
        self.show_cell(None, None, None, Cell())

    def show_cell(self, criterion: Any, stage: Any, cell: Cell | None, default: Cell) -> None:
        """Show the cell of `criterion` at `stage` (both None: no cell is selected)."""
        self._filling = True
        try:
            self._default = default
            self._stage = stage
            self._desirable = criterion is not None and not criterion.essential
            usable = criterion is not None and stage is not None
            self.setEnabled(usable)
            self.where.setText(
                f"{criterion.code} at {stage.name}" if usable else "Choose a cell in the grid."
            )
            shown = cell or default
            self._custom = shown.custom_scale
            self._criterion = criterion
            custom = self.scale.findData("custom")
            if shown.scale == "custom" and custom < 0:
                self.scale.addItem("Custom scale", "custom")
            elif shown.scale != "custom" and custom >= 0:
                self.scale.removeItem(custom)
            self.scale.setCurrentIndex(max(0, self.scale.findData(shown.scale)))
            self._set_range(stage, shown)
            self.assessed.setChecked(cell is not None)
            self.weight.setValue(shown.weight)
            low = self.pass_mark.minimum() + 1
            self.pass_mark.setValue(low - 1 if shown.pass_mark is None else shown.pass_mark)
            self.weight.setEnabled(cell is not None)
            self.scale.setEnabled(cell is not None)
            self.pass_mark.setEnabled(cell is not None)
        finally:
            self._filling = False
        self._explain()

    def _set_range(self, stage: Any, cell: Cell) -> None:
        scale = cell_scale_of(stage, cell) if stage is not None else None
        low, high = (scale.minimum, scale.maximum) if scale else (0, 100)
        # One below the scale stands for "no pass mark", shown in words.
        self.pass_mark.setRange(low - 1, high)

    def _current(self) -> Cell:
        code = str(self.scale.currentData() or "")
        mark = self.pass_mark.value()
        return Cell(
            self.weight.value(),
            None if mark < self.pass_mark.minimum() + 1 else mark,
            code,
            self._custom if code == "custom" else (),
        )

    def _rescaled(self, *_args: Any) -> None:
        """A new scale: the pass mark starts again at its standard (essential) or none."""
        if self._filling or self._stage is None:
            return
        stage = self._stage
        self._filling = True
        try:
            cell = self._current()
            self._set_range(stage, cell)
            code = cell.scale or stage.scale
            custom = list(cell.custom_scale if cell.scale else stage.custom_scale)
            essential = self._criterion is not None and self._criterion.essential
            mark = default_pass_mark(code, essential=essential, custom=custom)
            self.pass_mark.setValue(self.pass_mark.minimum() if mark is None else mark)
        finally:
            self._filling = False
        self._edited()

    def show_warning(self, text: str | None) -> None:
        self.warning.setText(f"⚠ {text}" if text else "")
        self.warning.setVisible(bool(text))

    def _explain(self) -> None:
        stage = self._stage
        scale = cell_scale_of(stage, self._current()) if stage is not None else None
        if scale is None:
            self.meaning.setText("")
            return
        mark = self.pass_mark.value()
        if mark < scale.minimum:
            text = f"{scale.name}. Any score counts towards the total."
            if self._desirable:
                text += " A desirable criterion: it breaks ties, and rejects nobody."
        else:
            label = next((p.label for p in scale.points if p.value == mark), "")
            at_least = f"at least {mark}" + (f" ({label})" if label else "")
            text = f"{scale.name}. Candidates need {at_least} on this criterion."
        self.meaning.setText(text)

    def _edited(self, *_args: Any) -> None:
        self._explain()
        if self._filling:
            return
        on = self.assessed.isChecked()
        self.weight.setEnabled(on)
        self.scale.setEnabled(on)
        self.pass_mark.setEnabled(on)
        if not on:
            self.changed.emit(None)
            return
        self.changed.emit(self._current())

    def focus_first(self) -> None:
        (self.weight if self.assessed.isChecked() else self.assessed).setFocus()
