"""Small table models for the library lists: each row is a plain read model or row object."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

Index = QModelIndex | QPersistentModelIndex
RECORD_ROLE = Qt.ItemDataRole.UserRole
DIM_COLOUR = QColor("#8a9099")


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    tooltip: Callable[[Any], str | None] | None = None


class RecordTableModel(QAbstractTableModel):
    """Read-only rows over a list of records; `dimmed` rows (retired ones) show grey and italic."""

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        dimmed: Callable[[Any], bool] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.dimmed = dimmed
        self._rows: list[Any] = []

    # --- feeding -------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def record(self, row: int) -> Any:
        return self._rows[row]

    def row_changed(self, row: int) -> None:
        """The record at `row` was edited in place: repaint its cells."""
        if 0 <= row < len(self._rows):
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def find(self, test: Callable[[Any], bool]) -> int | None:
        return next((row for row, record in enumerate(self._rows) if test(record)), None)

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(record) if column.tooltip else None
        if role == RECORD_ROLE:
            return record
        dim = self.dimmed is not None and self.dimmed(record)
        if role == Qt.ItemDataRole.ForegroundRole and dim:
            return DIM_COLOUR
        if role == Qt.ItemDataRole.FontRole and dim:
            font = QFont()
            font.setItalic(True)
            return font
        return None


def level_span(levels: Sequence[Any]) -> str:
    """'1–6' for a criterion's levels, '3' for one, '—' for none."""
    numbers = [lv.level for lv in levels]
    if not numbers:
        return "—"
    low, high = min(numbers), max(numbers)
    return str(low) if low == high else f"{low}–{high}"
