"""A stage's interview slots as a table, with the notice warnings marked on their rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QStyle

from recruit_app.domain.dates import in_london, london_time, short_date
from recruit_app.vocabulary import SlotStatus

if TYPE_CHECKING:
    from recruit_app.services.slots import SlotsView, SlotView

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "Day",
    "Time",
    "Ends",
    "Panel",
    "Candidate",
    "Panel members",
    "Room or video",
    "Status",
)
CANDIDATE_COLUMN, STATUS_COLUMN = 4, 7
SLOT_ROLE = Qt.ItemDataRole.UserRole
BOOKED, CANCELLED = QColor("#1b5e20"), QColor("#8a8a8a")


def notice_by_slot(view: SlotsView) -> dict[int, str]:
    """Slot id -> notice warning; the service counts "slot:N" over the live booked slots."""
    taken = [s for s in view.slots if s.candidate_id and s.status != "cancelled"]
    found: dict[int, str] = {}
    for finding in view.findings:
        head, _, number = finding.field.partition(":")
        if head == "slot" and number.isdigit() and int(number) < len(taken):
            found[taken[int(number)].id] = finding.message
    return found


class SlotsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SlotView] = []
        self._notice: dict[int, str] = {}

    def set_view(self, view: SlotsView | None) -> None:
        self.beginResetModel()
        self._rows = list(view.slots) if view else []
        self._notice = notice_by_slot(view) if view else {}
        self.endResetModel()

    def slot_at(self, row: int) -> SlotView:
        return self._rows[row]

    def row_of(self, slot_id: int) -> int | None:
        return next((i for i, s in enumerate(self._rows) if s.id == slot_id), None)

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
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        slot, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(slot, column)
        if role == SLOT_ROLE:
            return slot
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(slot, column)
        notice = column == CANDIDATE_COLUMN and slot.id in self._notice
        if role == Qt.ItemDataRole.DecorationRole and notice:
            return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole:
            if slot.status == "cancelled":
                return CANCELLED
            if slot.status == "booked" and column == STATUS_COLUMN:
                return BOOKED
        if role == Qt.ItemDataRole.FontRole and slot.status == "cancelled":
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _tooltip(self, slot: SlotView, column: int) -> str | None:
        if column == CANDIDATE_COLUMN and slot.id in self._notice:
            return self._notice[slot.id]
        if column == 0:
            return short_date(in_london(slot.starts_at).date())
        if column == 6:
            return slot.room or slot.video_link or None
        if column == 5 and slot.panel:
            return "\n".join(slot.panel)
        return None


def _display(slot: SlotView, column: int) -> str:
    if column == 0:
        return short_date(in_london(slot.starts_at).date(), with_year=False)  # the stage has it
    if column == 1:
        return london_time(slot.starts_at)
    if column == 2:
        return london_time(slot.ends_at)
    if column == 3:
        return str(slot.panel_number)
    if column == CANDIDATE_COLUMN:
        return slot.candidate_label
    if column == 5:
        return ", ".join(slot.panel)
    if column == 6:
        return slot.room or _where_online(slot.video_link)
    return SlotStatus.label_for(slot.status)


def _where_online(link: str) -> str:
    """A video link in a word, to leave the table room; the tooltip gives the link."""
    return "Video link" if link else ""
