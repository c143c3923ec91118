"""The fairness figures as a table: one row per group at each stage, its total last."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from recruit_app.readmodels import (
    FLAG_WORDS,
    FairnessLine,
    p_value_words,
    rate_words,
    ratio_words,
)
from recruit_app.vocabulary import Outcome

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "Stage",
    "Group",
    "Entered",
    Outcome.PROGRESS.label,
    "Selection rate",
    "Impact ratio",
    "p-value",
    "Flag",
)
LINE_ROLE = Qt.ItemDataRole.UserRole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
FLAG_COLOUR = QColor("#8a4b00")  # dark amber: readable on white and on the alternate rows
MUTED = QColor("#555555")


def cells(line: FairnessLine, hidden: str) -> tuple[str, ...]:
    """What each column shows; `hidden` (suppressed_text) in place of a suppressed figure."""
    if line.suppressed:
        return (line.stage, line.group, hidden, hidden, hidden, hidden, hidden, "")
    return (
        line.stage,
        line.group,
        f"{line.entered or 0:,}",
        f"{line.progressed or 0:,}",
        rate_words(line.rate),
        "" if line.total else ratio_words(line.impact_ratio),
        "" if line.total else p_value_words(line.p_value),
        FLAG_WORDS if line.flag else "",
    )


class FairnessModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[FairnessLine] = []
        self._cells: list[tuple[str, ...]] = []

    def set_lines(self, lines: Sequence[FairnessLine], hidden: str) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._cells = [cells(line, hidden) for line in self._lines]
        self.endResetModel()

    def line_at(self, row: int) -> FairnessLine:
        return self._lines[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line, column = self._lines[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][column]
        if role == LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(LEFT if column in (0, 1, 7) else RIGHT)
        if role == Qt.ItemDataRole.FontRole and (line.total or (line.flag and column == 7)):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if line.flag and column in (5, 7):
                return FLAG_COLOUR
            if line.suppressed and column >= 2:
                return MUTED
        if role == Qt.ItemDataRole.ToolTipRole and line.flag:
            return (
                "The group's selection rate is below four fifths of the highest group's: "
                "a monitoring flag to look into, not a finding."
            )
        return None
