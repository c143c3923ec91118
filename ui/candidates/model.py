"""All of a campaign's candidates as one table model, sorted and filtered in plain Python.

Every row's search text and sort keys are worked out once, in the worker that read them,
so typing in the search box is a scan of ready-made strings (a few milliseconds for
10,000 rows) and a sort is one `list.sort` over prepared keys. No proxy model is needed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from recruit_app.domain.candidate_numbers import number_key
from recruit_app.vocabulary import Outcome
from ui.candidates.flags import FLAGS_ROLE, Flag, flags_of, flags_text, flags_tip

if TYPE_CHECKING:
    from recruit_app.services.candidates import CandidateView

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Number", "Name", "E-mail", "Flags", "Status")
NUMBER, NAME, EMAIL, FLAGS, STATUS = range(len(COLUMNS))
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole
APPLIED = "applied"  # the status kind of a candidate with no outcome yet
STATUS_COLOURS = {"progress": QColor("#1b5e20"), "appoint": QColor("#1b5e20")}
QUIET = QColor("#6b6b6b")
QUIET_KINDS = frozenset({"reject", "withdrawn"})

# Letters that do not decompose into a base letter and an accent.
_PLAIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "’": "'"})


def fold(text: str) -> str:
    """Lower case without accents, so "sian" finds Siân and "obrien" sorts with O'Brien."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_PLAIN)


@dataclass(frozen=True, slots=True)
class Row:
    """One candidate with everything the table shows, searches and sorts by."""

    view: CandidateView
    name: str
    flags: tuple[Flag, ...]
    kind: str  # the latest outcome's kind, or "applied"
    haystack: str  # number, name and e-mail, folded
    keys: tuple[Any, ...]  # one sort key per column


def status_kind(view: CandidateView) -> str:
    """The outcomes come in stage order, so the last is the latest."""
    kinds = list(view.outcomes.values())
    return kinds[-1] if kinds else APPLIED


def prepare(views: Iterable[CandidateView]) -> list[Row]:
    """Rows ready for the model; plain Python, so a worker can do it off the GUI thread."""
    rows = []
    for view in views:
        name = view.label if view.names_hidden else f"{view.first_name} {view.last_name}".strip()
        flags = flags_of(view)
        number = view.candidate_number
        # Numbers sort as numbers, as they do everywhere ("0010" after "0009" and "9").
        key = number_key(number)
        shown_name = "" if view.names_hidden else name
        rows.append(
            Row(
                view=view,
                name=name,
                flags=flags,
                kind=status_kind(view),
                haystack=fold(f"{number}\n{shown_name}\n{view.email}"),
                keys=(
                    key,
                    (fold(name), key),
                    (fold(view.email), key),
                    (len(flags), flags_text(flags), key),
                    (fold(view.status), key),
                ),
            )
        )
    return rows


class CandidatesModel(QAbstractTableModel):
    """Holds every row; shows those that pass the search and status filter, in sort order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Row] = []
        self._order: list[int] = []  # every row's position in _all, sorted
        self._shown: list[int] = []  # the sorted rows that pass the filter
        self._positions: dict[int, int] | None = None  # candidate id -> shown row, built lazily
        self._needle = ""
        self._kind: str | None = None
        self._sort = (NUMBER, Qt.SortOrder.AscendingOrder)

    # --- feeding ---------------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._all = rows
        self._order = self._sorted()
        self._shown = self._filtered()
        self._positions = None
        self.endResetModel()

    def set_filter(self, text: str, kind: str | None = None) -> None:
        """Show rows whose number, name or e-mail contains `text`, of status `kind` if given."""
        needle = fold(text.strip())
        if (needle, kind) == (self._needle, self._kind):
            return
        self.beginResetModel()
        self._needle, self._kind = needle, kind
        self._shown = self._filtered()
        self._positions = None
        self.endResetModel()

    def replace(self, view: CandidateView) -> None:
        """Put a saved candidate's new details in place, then sort and filter again."""
        rows = list(self._all)
        for position, row in enumerate(rows):
            if row.view.id == view.id:
                rows[position] = prepare([view])[0]
                self.set_rows(rows)
                return

    def _filtered(self) -> list[int]:
        needle, kind, rows = self._needle, self._kind, self._all
        if not needle and kind is None:
            return list(self._order)
        if kind is None:
            return [i for i in self._order if needle in rows[i].haystack]
        return [i for i in self._order if rows[i].kind == kind and needle in rows[i].haystack]

    def _sorted(self) -> list[int]:
        column, order = self._sort
        rows = self._all
        return sorted(
            range(len(rows)),
            key=lambda i: rows[i].keys[column],
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    # --- reading ---------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def names_hidden(self) -> bool:
        return any(row.view.names_hidden for row in self._all[:1])

    def candidate_at(self, row: int) -> CandidateView:
        return self._all[self._shown[row]].view

    def row_of(self, candidate_id: int) -> int | None:
        if self._positions is None:
            self._positions = {self._all[i].view.id: r for r, i in enumerate(self._shown)}
        return self._positions.get(candidate_id)

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        row, column = self._all[self._shown[index.row()]], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == CANDIDATE_ROLE:
            return row.view
        if role == FLAGS_ROLE and column == FLAGS:
            return row.flags
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return QUIET if row.kind in QUIET_KINDS else STATUS_COLOURS.get(row.kind)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        # Selections and the current cell are persistent indexes: carry them to the new rows.
        kept = self.persistentIndexList()
        held = [(self._shown[i.row()], i.column()) for i in kept]
        self._sort = (column, order)
        self._order = self._sorted()
        self._shown = self._filtered()
        self._positions = None
        where = {position: r for r, position in enumerate(self._shown)}
        self.changePersistentIndexList(kept, [self.index(where[p], c) for p, c in held])
        self.layoutChanged.emit()


def _display(row: Row, column: int) -> str:
    view = row.view
    if column == NUMBER:
        return view.candidate_number
    if column == NAME:
        return row.name
    if column == EMAIL:
        return view.email
    if column == FLAGS:
        return flags_text(row.flags)
    return view.status


def _tooltip(row: Row, column: int) -> str | None:
    view = row.view
    if column == FLAGS:
        return flags_tip(row.flags)
    if column == NAME and view.names_hidden:
        return "Name-blind: candidates are known by their numbers at this stage."
    if column == STATUS and view.outcomes:
        lines = (f"{stage}: {Outcome.label_for(k)}" for stage, k in view.outcomes.items())
        return "\n".join(lines)
    if column == EMAIL and view.phone:
        return f"Phone: {view.phone}"
    return None
