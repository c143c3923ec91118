"""The parts of a campaign's applications with what name-blind reading hides in each:
a table model over the review's items, and a filter by candidate number and by
whether a part is still to check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

if TYPE_CHECKING:
    from recruit_app.domain.redaction import Span
    from recruit_app.services.applications import RedactionItem

Index = QModelIndex | QPersistentModelIndex
NUMBER, PART, HIDDEN, CHECKED = range(4)
HEADERS = ("Candidate", "Part", "Hidden", "Checked")
CHECKED_WORDS = {True: "Checked", False: "Not yet"}
EDITED = "Unsaved"


class ReviewModel(QAbstractTableModel):
    """One row per part; `drafts` holds the spans changed on screen and not yet saved."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[RedactionItem] = []
        self.drafts: dict[int, tuple[Span, ...]] = {}
        self._rows: dict[int, int] = {}

    def set_items(self, items: Sequence[RedactionItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self._rows = {item.id: row for row, item in enumerate(self.items)}
        self.drafts = {k: v for k, v in self.drafts.items() if k in self._rows}
        self.endResetModel()

    def item_at(self, row: int) -> RedactionItem:
        return self.items[row]

    def row_of(self, part_id: int) -> int | None:
        return self._rows.get(part_id)

    def spans_of(self, item: RedactionItem) -> tuple[Span, ...]:
        return self.drafts.get(item.id, item.spans)

    def replace(self, item: RedactionItem) -> None:
        """A part as saved: its draft is gone."""
        self.drafts.pop(item.id, None)
        row = self._rows.get(item.id)
        if row is not None:
            self.items[row] = item
            self._changed(row)

    def set_draft(self, item: RedactionItem, spans: tuple[Span, ...]) -> None:
        if spans == item.spans:
            self.drafts.pop(item.id, None)
        else:
            self.drafts[item.id] = spans
        row = self._rows.get(item.id)
        if row is not None:
            self._changed(row)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    @property
    def to_check(self) -> int:
        return sum(1 for item in self.items if not item.checked)

    # --- Qt ------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item, column = self.items[index.row()], index.column()
        edited = item.id in self.drafts
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NUMBER:
                return item.candidate_number
            if column == PART:
                return item.label
            if column == HIDDEN:
                return str(len(self.spans_of(item)))
            return EDITED if edited else CHECKED_WORDS[item.checked]
        if role == Qt.ItemDataRole.CheckStateRole and column == CHECKED:
            on = item.checked and not edited
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and column == PART:
            return item.label
        if role == Qt.ItemDataRole.TextAlignmentRole and column == HIDDEN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ReviewFilter(QSortFilterProxyModel):
    """Parts of the candidates whose number starts with the typed text; optionally only
    the parts not checked yet (or changed and not saved)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.number = ""
        self.unchecked_only = False

    def set_filter(self, number: str, unchecked_only: bool) -> None:
        # Qt 6.10 deprecates invalidateRowsFilter for the begin/end pair 6.9 and 6.10 added.
        changing = hasattr(self, "endFilterChange")
        if changing:
            self.beginFilterChange()
        self.number = number.strip().casefold()
        self.unchecked_only = unchecked_only
        if changing:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ReviewModel)
        item = model.item_at(source_row)
        if self.number and not item.candidate_number.casefold().startswith(self.number):
            return False
        return not (self.unchecked_only and item.checked and item.id not in model.drafts)
