"""The box beside the matrix that edits the selected cell: assessed or not, weight, pass mark."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QWidget,
)

from ui.stages.labels import scale_of
from ui.stages.matrix_model import Cell

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
        self.pass_mark = QSpinBox()
        self.pass_mark.setObjectName("cellPassMark")
        self.pass_mark.setSpecialValueText(NO_MARK_TEXT)
        self.pass_mark.setMaximumWidth(160)
        self.meaning = QLabel()
        self.meaning.setObjectName("cellPassMeaning")
        self.meaning.setWordWrap(True)
        # The matrix's warning about this cell (a pass mark on a desirable criterion).
        self.warning = QLabel()
        self.warning.setObjectName("cellWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        form = QFormLayout(self)
        form.addRow(self.where)
        form.addRow(self.assessed)
        form.addRow("&Weight", self.weight)
        form.addRow("&Pass mark", self.pass_mark)
        form.addRow(self.meaning)
        form.addRow(self.warning)
        self.assessed.toggled.connect(self._edited)
        self.weight.valueChanged.connect(self._edited)
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
            scale = scale_of(stage.scale, stage.custom_scale) if stage is not None else None
            low, high = (scale.minimum, scale.maximum) if scale else (0, 100)
            # One below the scale stands for "no pass mark", shown in words.
            self.pass_mark.setRange(low - 1, high)
            shown = cell or default
            self.assessed.setChecked(cell is not None)
            self.weight.setValue(shown.weight)
            self.pass_mark.setValue(low - 1 if shown.pass_mark is None else shown.pass_mark)
            self.weight.setEnabled(cell is not None)
            self.pass_mark.setEnabled(cell is not None)
        finally:
            self._filling = False
        self._explain()

    def show_warning(self, text: str | None) -> None:
        self.warning.setText(f"⚠ {text}" if text else "")
        self.warning.setVisible(bool(text))

    def _explain(self) -> None:
        stage = self._stage
        scale = scale_of(stage.scale, stage.custom_scale) if stage is not None else None
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
        self.pass_mark.setEnabled(on)
        if not on:
            self.changed.emit(None)
            return
        mark = self.pass_mark.value()
        self.changed.emit(
            Cell(self.weight.value(), None if mark < self.pass_mark.minimum() + 1 else mark)
        )

    def focus_first(self) -> None:
        (self.weight if self.assessed.isChecked() else self.assessed).setFocus()
