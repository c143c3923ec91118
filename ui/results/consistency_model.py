"""Each panel member's scores beside the rest of the panel's: harsher, more lenient or in line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from recruit_app.vocabulary import Role
from ui.results.words import MUTED, number, signed

if TYPE_CHECKING:
    from recruit_app.services.results import AssessorView

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    Role.PANEL_MEMBER.label,
    "Scores",
    "Mean",
    "Spread",
    "Panel mean",
    "Difference",
    "Moved by moderation",
    "Compared with the panel",
)
TIPS = {
    "Scores": "How many scores they submitted at this stage",
    "Spread": "How widely their scores vary (standard deviation)",
    "Panel mean": "The other assessors' mean on the candidates and criteria they also scored",
    "Difference": "Their mean less the panel's, on the scores they share",
    "Moved by moderation": "Agreed scores that differ from theirs, of their scores moderated",
}
LABEL_COLOURS = {
    "harsher than the panel": QColor("#8a5300"),
    "more lenient than the panel": QColor("#0d47a1"),
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ConsistencyModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AssessorView] = []

    def set_assessors(self, assessors: tuple[AssessorView, ...] | list[AssessorView]) -> None:
        self.beginResetModel()
        self._rows = list(assessors)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TIPS.get(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 < column < 7:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == 7:
            return LABEL_COLOURS.get(row.label, MUTED if row.difference is None else None)
        return None


def _display(row: AssessorView, column: int) -> str:
    values = (
        row.name,
        str(row.count),
        number(row.mean),
        number(row.spread),
        number(row.panel_mean) if row.panel_mean is not None else "—",
        signed(row.difference) if row.difference is not None else "—",
        f"{row.moved_away} of {row.moderated}" if row.moderated else "—",
        row.label[:1].upper() + row.label[1:],
    )
    return values[column]
