"""The assessment matrix as a table model: criteria down, stages across, a tick where assessed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from recruit_app.domain.stage_rules import (
    MatrixCriterion,
    MatrixStage,
    check_matrix,
    default_pass_mark,
)
from ui.stages.labels import kind_label, says_kind, scale_of

Index = QModelIndex | QPersistentModelIndex
INFO_COLUMNS = ("Code", "Criterion", "Need")
FIRST_STAGE = len(INFO_COLUMNS)
ERROR_BACKGROUND = QColor("#fde2e1")
WARNING_BACKGROUND = QColor("#fff1d6")
OUT_OF_SCALE = QColor("#b00020")


@dataclass(frozen=True)
class Cell:
    weight: float = 1.0
    pass_mark: int | None = None
    scale: str = ""  # "" for the stage's scale, else a built-in one (or "custom")
    custom_scale: tuple[dict[str, Any], ...] = ()


Key = tuple[int, int]  # (stage id, criterion id)


def cells_of(stages: Any) -> dict[Key, Cell]:
    return {
        (s.id, c.criterion_id): Cell(c.weight, c.pass_mark, c.scale, tuple(c.custom_scale))
        for s in stages
        for c in s.cells
    }


def cell_scale_of(stage: Any, cell: Cell | None) -> Any:
    """The scale a cell is scored on (its own, else the stage's), or None while custom
    points are unfinished."""
    if cell is not None and cell.scale:
        return scale_of(cell.scale, cell.custom_scale)
    return scale_of(stage.scale, stage.custom_scale)


def number(value: float) -> str:
    return f"{value:g}"


class MatrixModel(QAbstractTableModel):
    """Cells are edited here and sent whole by the tab; `findings()` checks them as they are."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.criteria: list[Any] = []  # CriterionColumn read models
        self.stages: list[Any] = []  # StageView read models
        self.cells: dict[Key, Cell] = {}
        self.saved_cells: dict[Key, Cell] = {}  # as loaded: what "unsaved changes" compares to
        self.versions: dict[int, int] = {}  # the stage versions the grid was loaded at
        self.flagged: dict[str, str] = {}  # criterion code -> "error" | "warning"
        self.cell_warnings: dict[Key, str] = {}  # a cell's own warning, shown beside it

    # --- feeding -------------------------------------------------------------------

    def set_overview(self, overview: Any) -> None:
        """Show `overview` as saved, replacing any edits."""
        self.beginResetModel()
        self.criteria = list(overview.criteria)
        self.stages = list(overview.stages)
        self.cells = cells_of(overview.stages)
        self.saved_cells = dict(self.cells)
        self.versions = {s.id: s.version for s in overview.stages}
        self._flag()
        self.endResetModel()

    def merge_overview(self, overview: Any) -> None:
        """A reload under unsaved edits: new rows and columns come in, the edits stay.

        A stage whose cells nobody else changed takes its newer version (renaming a stage
        bumps it too); one whose cells did change keeps the old version, so saving over
        that change is refused and the user is asked.
        """
        fresh = cells_of(overview.stages)
        stage_ids = {s.id for s in overview.stages}
        criterion_ids = {c.id for c in overview.criteria}
        known = set(self.versions)
        edits = {
            key: cell
            for key, cell in self.cells.items()
            if key[0] in stage_ids and key[1] in criterion_ids
        }
        for stage in overview.stages:
            theirs = {k: c for k, c in fresh.items() if k[0] == stage.id}
            if stage.id not in known:
                edits.update(theirs)
                self.versions[stage.id] = stage.version
            elif theirs == {k: c for k, c in self.saved_cells.items() if k[0] == stage.id}:
                self.versions[stage.id] = stage.version
        self.beginResetModel()
        self.criteria = list(overview.criteria)
        self.stages = list(overview.stages)
        self.cells = edits
        self.saved_cells = {k: c for k, c in self.saved_cells.items() if k[0] in stage_ids}
        self.saved_cells.update({k: c for k, c in fresh.items() if k[0] not in known})
        self.versions = {sid: v for sid, v in self.versions.items() if sid in stage_ids}
        self._flag()
        self.endResetModel()

    @property
    def dirty(self) -> bool:
        return self.cells != self.saved_cells

    # --- cells ---------------------------------------------------------------------

    def key(self, index: Index) -> Key | None:
        if not index.isValid() or index.column() < FIRST_STAGE:
            return None
        stage = self.stages[index.column() - FIRST_STAGE]
        return stage.id, self.criteria[index.row()].id

    def stage_at(self, column: int) -> Any:
        return self.stages[column - FIRST_STAGE] if column >= FIRST_STAGE else None

    def cell(self, index: Index) -> Cell | None:
        key = self.key(index)
        return self.cells.get(key) if key else None

    def default_cell(self, stage: Any, criterion: Any) -> Cell:
        """A newly ticked cell: the scale's mark for an essential criterion (a custom
        scale's middle point), none for a desirable one."""
        mark = default_pass_mark(
            stage.scale, essential=criterion.essential, custom=list(stage.custom_scale)
        )
        return Cell(1.0, mark)

    def cell_warning(self, index: Index) -> str | None:
        key = self.key(index)
        return self.cell_warnings.get(key) if key else None

    def set_cell(self, index: Index, cell: Cell | None) -> None:
        key = self.key(index)
        if key is None:
            return
        if cell is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = cell
        self._flag()
        # A tick can raise or clear a flag on any criterion, so the whole grid is repainted.
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
        )

    def choices(
        self,
    ) -> list[tuple[int, int, float, int | None, str, tuple[dict[str, Any], ...]]]:
        """(stage id, criterion id, weight, pass mark, scale, custom points) for every
        ticked cell, in grid order."""
        return [
            (stage.id, criterion.id, cell.weight, cell.pass_mark, cell.scale, cell.custom_scale)
            for stage in self.stages
            for criterion in self.criteria
            if (cell := self.cells.get((stage.id, criterion.id))) is not None
        ]

    def findings(self) -> list[Any]:
        criteria = [MatrixCriterion(c.code, c.title, c.essential, c.lead) for c in self.criteria]
        stages = [
            MatrixStage(
                s.name,
                s.kind,
                tuple(c.code for c in self.criteria if (s.id, c.id) in self.cells),
                tuple(
                    (c.code, cell.pass_mark)
                    for c in self.criteria
                    if (cell := self.cells.get((s.id, c.id))) is not None
                    and cell.pass_mark is not None
                ),
            )
            for s in self.stages
        ]
        return check_matrix(criteria, stages)

    def cell_of(self, field: str) -> Key | None:
        """The (stage id, criterion id) of a finding's "cell:<stage index>:<code>" field."""
        kind, _sep, rest = field.partition(":")
        index, _sep, code = rest.partition(":")
        if kind != "cell" or not index.isdigit() or int(index) >= len(self.stages):
            return None
        criterion = next((c for c in self.criteria if c.code == code), None)
        return (self.stages[int(index)].id, criterion.id) if criterion else None

    def _flag(self) -> None:
        self.flagged = {}
        self.cell_warnings = {}
        for finding in self.findings():
            if finding.field.startswith("criterion:"):
                code = finding.field.split(":", 1)[1]
                if self.flagged.get(code) != "error":
                    self.flagged[code] = finding.severity
            elif (key := self.cell_of(finding.field)) is not None:
                self.cell_warnings[key] = finding.message

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.criteria)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else FIRST_STAGE + len(self.stages)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        stage = self.stage_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if stage is None:
                return INFO_COLUMNS[section]
            # The kind under the name, unless the name already says it.
            if says_kind(stage.name, stage.kind):
                return stage.name
            return f"{stage.name}\n{kind_label(stage.kind)}"
        if role == Qt.ItemDataRole.ToolTipRole and stage is not None:
            scale = scale_of(stage.scale, stage.custom_scale)
            return f"{stage.name}: scored on the {scale.name if scale else 'custom scale'}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= FIRST_STAGE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.column() < FIRST_STAGE:
            return self._criterion_data(self.criteria[index.row()], index.column(), role)
        return self._cell_data(index, role)

    def _criterion_data(self, criterion: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            need = "Essential" if criterion.essential else "Desirable"
            return (criterion.code, criterion.title, f"{need}, lead" if criterion.lead else need)[
                column
            ]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{criterion.code}: {criterion.title}"
        if role == Qt.ItemDataRole.FontRole and criterion.lead:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and criterion.code in self.flagged:
            error = self.flagged[criterion.code] == "error"
            return QBrush(ERROR_BACKGROUND if error else WARNING_BACKGROUND)
        return None

    def _cell_data(self, index: Index, role: int) -> Any:
        cell = self.cell(index)
        stage = self.stage_at(index.column())
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if cell else Qt.CheckState.Unchecked
        if cell is None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Not assessed at {stage.name}. Press Space to tick."
            return None
        mark = "" if cell.pass_mark is None else f" ≥{cell.pass_mark}"
        warning = self.cell_warning(index)
        own = cell_scale_of(stage, cell) if cell.scale else None
        if role == Qt.ItemDataRole.DisplayRole:
            # The sign beside the cell, so the warning does not rest on colour alone.
            on = f" /{own.maximum}" if own is not None else ""
            return f"×{number(cell.weight)}{mark}{on}" + (" ⚠" if warning else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            passes = "no pass mark" if cell.pass_mark is None else f"pass mark {cell.pass_mark}"
            text = f"Assessed at {stage.name}: weight {number(cell.weight)}, {passes}"
            if own is not None:
                text += f", scored on the {own.name}"
            return f"{text}\n{warning}" if warning else text
        if role == Qt.ItemDataRole.BackgroundRole and warning:
            return QBrush(WARNING_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and not self._on_scale(stage, cell):
            return QBrush(OUT_OF_SCALE)
        return None

    @staticmethod
    def _on_scale(stage: Any, cell: Cell) -> bool:
        scale = cell_scale_of(stage, cell)
        return (
            scale is None
            or cell.pass_mark is None
            or (scale.minimum <= cell.pass_mark <= scale.maximum)
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or self.key(index) is None:
            return False
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked
        stage = self.stage_at(index.column())
        criterion = self.criteria[index.row()]
        self.set_cell(index, self.default_cell(stage, criterion) if ticked else None)
        return True
