"""The audit events as a table model that fetches pages as the view scrolls.

The model holds only the rows fetched so far; `fetchMore` asks its page for the next
page (read in a worker) and `append` adds it when it arrives. Read-only: no flag in
here makes a cell editable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from recruit_app.services.audit_trail import AuditPage, AuditRow

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("When (UK time)", "Who", "Action", "What", "Campaign", "Changes")
WHEN, WHO, ACTION, WHAT, CAMPAIGN, CHANGES = range(len(COLUMNS))
ROW_ROLE = Qt.ItemDataRole.UserRole


class AuditTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []
        self.total = 0
        self.snapshot: int | None = None
        self.fetching = False
        # Set by the page: starts reading the page at this offset.
        self.fetch_page: Callable[[int], None] | None = None

    # --- feeding -------------------------------------------------------------------

    def reset(self, page: AuditPage | None = None) -> None:
        self.beginResetModel()
        self.rows = list(page.rows) if page else []
        self.total = page.total if page else 0
        self.snapshot = page.snapshot if page else None
        self.fetching = False
        self.endResetModel()

    def append(self, page: AuditPage) -> None:
        self.fetching = False
        if page.offset != len(self.rows):
            return  # a page for an older list
        if not page.rows:
            self.total = len(self.rows)  # nothing more after all: stop asking
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self.endInsertRows()

    def row_at(self, row: int) -> AuditRow:
        return self.rows[row]

    # --- lazy fetching ---------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        if parent.isValid() or self.fetch_page is None:
            return False
        return not self.fetching and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt signature
        if not self.canFetchMore(parent):
            return
        assert self.fetch_page is not None
        self.fetching = True
        self.fetch_page(len(self.rows))

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        event = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                event.when,
                event.who,
                event.action,
                event.what,
                event.campaign,
                event.changes_text,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (WHAT, CHANGES):
            return event.what if column == WHAT else "\n".join(event.changes) or None
        if role == ROW_ROLE:
            return event
        return None
