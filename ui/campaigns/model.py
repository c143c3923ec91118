"""The campaign list as a table model, filtered by a plain scan (no proxy needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from recruit_app.domain.dates import LONDON, day_and_month
from recruit_app.vocabulary import CampaignStatus

if TYPE_CHECKING:
    from recruit_app.services.campaign_list import CampaignSummary

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Reference", "Title", "Status", "Closes", "Candidates", "In progress", "Last changed")
CHANGED = len(COLUMNS) - 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole


def status_label(summary: CampaignSummary, now: datetime | None = None) -> str:
    """The status in words, following the dates: a live campaign whose advert has closed is
    closed to applications."""
    label = CampaignStatus.label_for(summary.status)
    if summary.closed_to_applications(now or datetime.now(UTC)):
        label = "Closed to applications"
    return f"{label} (archived)" if summary.archived else label


class CampaignTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[CampaignSummary] = []
        self._rows: list[CampaignSummary] = []
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- feeding -------------------------------------------------------------------

    def set_campaigns(self, campaigns: list[CampaignSummary]) -> None:
        self.beginResetModel()
        self._all = list(campaigns)
        self._rows = self._filtered()
        self._apply_sort()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self._filter = text.casefold().strip()
        self._rows = self._filtered()
        self._apply_sort()
        self.endResetModel()

    def _filtered(self) -> list[CampaignSummary]:
        if not self._filter:
            return list(self._all)
        needle = self._filter
        return [
            c for c in self._all if needle in c.title.casefold() or needle in c.reference.casefold()
        ]

    @property
    def total(self) -> int:
        return len(self._all)

    def campaign_at(self, row: int) -> CampaignSummary:
        return self._rows[row]

    def row_of(self, campaign_id: int) -> int | None:
        for row, campaign in enumerate(self._rows):
            if campaign.id == campaign_id:
                return row
        return None

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
        campaign = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(campaign, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == CHANGED and campaign.updated_by:
            return f"Changed by {campaign.updated_by}"
        if role == SUMMARY_ROLE:
            return campaign
        return None

    @staticmethod
    def _display(campaign: CampaignSummary, column: int) -> str:
        if column == 0:
            return campaign.reference
        if column == 1:
            return campaign.title
        if column == 2:
            return status_label(campaign)
        if column == 3:
            if campaign.closes_at is None:
                return ""
            closes = campaign.closes_at.astimezone(LONDON)
            return f"{day_and_month(closes.date())} {closes.year}"
        if column == 4:
            return f"{campaign.candidates:,}"
        if column == 5:
            return campaign.stage_in_progress
        local = campaign.updated_at.astimezone()
        return f"{day_and_month(local.date())} {local.year} {local:%H:%M}"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        keys = {
            0: lambda c: c.reference.casefold(),
            1: lambda c: c.title.casefold(),
            2: lambda c: (c.archived, c.status),
            3: lambda c: (c.closes_at is None, c.closes_at or c.updated_at),
            4: lambda c: c.candidates,
            5: lambda c: c.stage_in_progress.casefold(),
            CHANGED: lambda c: c.updated_at,
        }
        self._rows.sort(key=keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
