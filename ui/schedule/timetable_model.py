"""Every key date of a campaign as a table: what, starts, ends and its checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from recruit_app.domain.dates import short_date

if TYPE_CHECKING:
    from recruit_app.domain.timetable import TimetableEntry
    from ui.schedule.timetable_data import TimetableData

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("What", "Starts", "Ends", "Checks")
KEY_ROLE = Qt.ItemDataRole.UserRole
CHECK_WORDS = {"error": "Must fix", "warning": "Consider"}
# Which entries have an end date of their own (milestones are a single day).
RANGED = ("stage", "event")


class TimetableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.timetable: TimetableData | None = None
        self._rows: list[TimetableEntry] = []

    def set_data(self, data: TimetableData) -> None:
        self.beginResetModel()
        self.timetable = data
        self._rows = list(data.view.entries)
        self.endResetModel()

    def entry_at(self, row: int) -> TimetableEntry:
        return self._rows[row]

    def row_of(self, key: str) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.key == key), None)

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or self.timetable is None:
            return None
        entry, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == KEY_ROLE:
            return entry.key
        if role == Qt.ItemDataRole.ToolTipRole:
            messages = [f.message for f in self.timetable.findings_for(entry.key)]
            return "\n".join(messages) or "Double-click to change"
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return _icon(self.timetable.severity(entry.key))
        if role == Qt.ItemDataRole.ForegroundRole and entry.starts_on is None:
            return QColor("#777777")
        if role == Qt.ItemDataRole.FontRole and entry.starts_on is None:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _display(self, entry: TimetableEntry, column: int) -> str:
        assert self.timetable is not None
        if column == 0:
            return entry.label
        if column == 1:
            return self.timetable.when(entry)
        if column == 2:
            if entry.ends_on is not None:
                return short_date(entry.ends_on)
            return "Not set" if entry.kind == "stage" else ""
        return CHECK_WORDS.get(self.timetable.severity(entry.key), "")


def _icon(severity: str) -> Any:
    pixmap = {
        "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }.get(severity)
    return QApplication.style().standardIcon(pixmap) if pixmap is not None else None
