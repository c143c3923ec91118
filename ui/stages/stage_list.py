"""The campaign's stages in order, as a read-only table model over the service's read models."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from recruit_app.vocabulary import StageMode
from ui.stages.labels import date_span, kind_label

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("#", "Stage", "Kind", "Dates", "Held", "Name-blind", "Scores")


class StageListModel(QAbstractTableModel):
    """One row per StageView, in the campaign's order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.stages: list[Any] = []

    def set_stages(self, stages: list[Any]) -> None:
        self.beginResetModel()
        self.stages = list(stages)
        self.endResetModel()

    def row_of(self, stage_id: int | None) -> int | None:
        return next((row for row, s in enumerate(self.stages) if s.id == stage_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.stages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        stage, column = self.stages[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(index.row() + 1),
                stage.name,
                kind_label(stage.kind),
                date_span(stage.starts_on, stage.ends_on),
                StageMode.label_for(stage.mode),
                "Yes" if stage.name_blind else "No",
                "Scored" if stage.has_scores else "",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 6 and stage.has_scores:
            return "Panel members have entered scores: the stage cannot be removed."
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return Qt.AlignmentFlag.AlignCenter
        return None
