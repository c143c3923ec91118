"""Candidate × criterion pairs with each assessor's score side by side, flagged pairs first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.results.words import AGREED, ATTENTION, GOOD, TO_AGREE, number

if TYPE_CHECKING:
    from recruit_app.services.results import ModerationPair

Index = QModelIndex | QPersistentModelIndex

HEAD = ("Candidate", "Criterion")
TAIL = ("Spread", "Agreed")
PAIR_ROLE = Qt.ItemDataRole.UserRole
CENTRE = Qt.AlignmentFlag.AlignCenter


def needs_agreement(pair: ModerationPair) -> bool:
    return pair.flagged and pair.agreed is None


def _order(pair: ModerationPair) -> int:
    """Still to agree, then agreed, then the rest; the service's order within each."""
    if needs_agreement(pair):
        return 0
    return 1 if pair.flagged else 2


class ModerationModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ModerationPair] = []
        self._rows: list[ModerationPair] = []
        self._assessors: list[str] = []
        self.show_all = False

    def set_pairs(
        self,
        pairs: tuple[ModerationPair, ...] | list[ModerationPair],
        scorers: tuple[str, ...] = (),
    ) -> None:
        """`scorers`: everyone who scored at the stage, so the columns stay put whichever
        pairs are listed."""
        self.beginResetModel()
        self._all = sorted(pairs, key=_order)  # sorted() is stable
        self._assessors = sorted({*scorers, *(n for p in self._all for n, _v, _e in p.scores)})
        self._filter()
        self.endResetModel()

    def replace_pair(self, pair: ModerationPair) -> None:
        """The same pair read again (with its evidence): its row changes in place."""
        key = (pair.candidate_id, pair.cell_id)
        for listed in (self._all, self._rows):
            for n, old in enumerate(listed):
                if (old.candidate_id, old.cell_id) == key:
                    listed[n] = pair
                    break
        row = self.row_of(*key)
        if row is not None:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def set_show_all(self, show_all: bool) -> None:
        self.beginResetModel()
        self.show_all = show_all
        self._filter()
        self.endResetModel()

    def _filter(self) -> None:
        self._rows = [p for p in self._all if self.show_all or p.flagged]

    def pair_at(self, row: int) -> ModerationPair:
        return self._rows[row]

    def row_of(self, candidate_id: int, cell_id: int) -> int | None:
        return next(
            (
                i
                for i, p in enumerate(self._rows)
                if (p.candidate_id, p.cell_id) == (candidate_id, cell_id)
            ),
            None,
        )

    @property
    def to_agree(self) -> int:
        return sum(1 for p in self._all if needs_agreement(p))

    @property
    def flagged(self) -> int:
        return sum(1 for p in self._all if p.flagged)

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEAD) + len(self._assessors) + len(TAIL)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [*HEAD, *self._assessors, *TAIL][section]
        if role == Qt.ItemDataRole.ToolTipRole and self._title(section) == "Spread":
            return "The highest score less the lowest"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        pair, title = self._rows[index.row()], self._title(index.column())
        if role == PAIR_ROLE:
            return pair
        if role == Qt.ItemDataRole.BackgroundRole and pair.flagged:
            return TO_AGREE if pair.agreed is None else AGREED
        assessor = index.column() - len(HEAD)
        if 0 <= assessor < len(self._assessors):
            return self._score(pair, self._assessors[assessor], role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(pair, title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(pair, title)
        if role == Qt.ItemDataRole.ForegroundRole and title == "Agreed":
            return ATTENTION if needs_agreement(pair) else GOOD
        if role == Qt.ItemDataRole.TextAlignmentRole and title == "Spread":
            return CENTRE
        return None

    def _title(self, column: int) -> str:
        return [*HEAD, *self._assessors, *TAIL][column]

    def _score(self, pair: ModerationPair, assessor: str, role: int) -> Any:
        given = next(((v, e) for name, v, e in pair.scores if name == assessor), None)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if given is None or given[0] is None else str(given[0])
        if role == Qt.ItemDataRole.ToolTipRole and given is not None:
            return f"{assessor}: {given[1]}" if given[1] else f"{assessor} gave no evidence note"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CENTRE
        return None


def _display(pair: ModerationPair, title: str) -> str:
    if title == "Candidate":
        return pair.label
    if title == "Criterion":
        return pair.code
    if title == "Spread":
        return number(pair.spread) if pair.scores else ""
    if pair.agreed is not None:
        return str(pair.agreed)
    return "To agree" if pair.flagged else ""


def _tooltip(pair: ModerationPair, title: str) -> str | None:
    if title == "Agreed" and pair.agreed is not None:
        return f"Agreed {pair.agreed}: {pair.rationale}"
    if title == "Agreed" and pair.flagged:
        return "The scores are too far apart: the panel must agree one"
    if title == "Candidate":
        return pair.label
    return None
