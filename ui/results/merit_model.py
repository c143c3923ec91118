"""The merit order as a table: rank, scores against their pass marks, progression, outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from recruit_app.domain.dates import short_date
from ui.results.words import (
    ATTENTION,
    BAD,
    GOOD,
    MUTED,
    PROGRESS_WORDS,
    number,
    outcome_text,
)

if TYPE_CHECKING:
    from recruit_app.services.results import ResultCriterion, ResultRow, ResultsView

Index = QModelIndex | QPersistentModelIndex

HEAD = ("Rank", "Candidate", "Total")
TAIL = ("Passed", "Guaranteed interview", "Progresses", "Outcome", "Flags")
ROW_ROLE = Qt.ItemDataRole.UserRole
WITHHELD = "After yours"  # independence: shown once you submit your own scores
NOT_SHOWN = "Not shown yet"  # the merit order, until a panel member owes no score
BELOW = " ↓"  # beside the colour, so a score under its pass mark does not rely on colour alone
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class MeritModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._criteria: list[ResultCriterion] = []
        self._order_shown = True  # False for a panel member who still owes scores

    def set_view(self, view: ResultsView | None) -> None:
        self.beginResetModel()
        self._rows = list(view.rows) if view else []
        self._criteria = list(view.criteria) if view else []
        self._order_shown = view.merit_order_shown if view else True
        self.endResetModel()

    def replace_row(self, changed: ResultRow) -> None:
        """The same candidate's row with something changed (an outcome): in place."""
        row = self.row_of(changed.candidate_id)
        if row is None:
            return
        self._rows[row] = changed
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def row_at(self, row: int) -> ResultRow:
        return self._rows[row]

    def row_of(self, candidate_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.candidate_id == candidate_id), None)

    def column_of(self, title: str) -> int:
        """The column headed `title` (a fixed heading or a criterion code)."""
        titles = [*HEAD, *(c.code for c in self._criteria), *TAIL]
        return titles.index(title)

    @property
    def flags_column(self) -> int:
        return len(HEAD) + len(self._criteria) + len(TAIL) - 1

    # --- Qt model API ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(HEAD) + len(self._criteria) + len(TAIL)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        criterion = self._criterion(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if criterion is not None:
                return criterion.code
            return [*HEAD, *TAIL][section if section < len(HEAD) else section - len(self._criteria)]
        if role == Qt.ItemDataRole.ToolTipRole and criterion is not None:
            mark = number(criterion.pass_mark) if criterion.pass_mark is not None else "none"
            lead = "\nThe lead criterion: it breaks ties first." if criterion.lead else ""
            need = "Essential" if criterion.essential else "Desirable"
            return (
                f"{criterion.code}: {criterion.title}\n"
                f"{need}. Weight {number(criterion.weight)}, pass mark {mark}{lead}"
            )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return row
        criterion = self._criterion(column)
        if criterion is not None:
            return self._score(row, criterion, role)
        name = self._name(column)
        if name == "Progresses" and not self._order_shown:
            # Not "To decide": whether it is decided is part of the merit order.
            if role == Qt.ItemDataRole.DisplayRole:
                return NOT_SHOWN
            if role == Qt.ItemDataRole.ForegroundRole:
                return MUTED
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Shown once you have submitted every score you owe at this stage"
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, name)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, name)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _colour(row, name)
        if role == Qt.ItemDataRole.TextAlignmentRole and name in ("Rank", "Total"):
            return RIGHT
        return None

    # --- cells -----------------------------------------------------------------------

    def _criterion(self, column: int) -> ResultCriterion | None:
        at = column - len(HEAD)
        return self._criteria[at] if 0 <= at < len(self._criteria) else None

    def _name(self, column: int) -> str:
        if column < len(HEAD):
            return HEAD[column]
        return TAIL[column - len(HEAD) - len(self._criteria)]

    def _score(self, row: ResultRow, criterion: ResultCriterion, role: int) -> Any:
        value = row.criterion_scores.get(criterion.code)
        failed = criterion.code in row.failed_criteria
        # A desirable score under the standard shows as below too, but fails nobody.
        below = failed or criterion.code in row.below_criteria
        if role == Qt.ItemDataRole.DisplayRole:
            return number(value) + (BELOW if below else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and below:
            return BAD if failed else ATTENTION
        if role == Qt.ItemDataRole.FontRole and failed:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if value is None:
                return f"{criterion.code}: not enough scores yet"
            if failed:
                return f"{criterion.code}: {number(value)}, below its pass mark of " + number(
                    criterion.pass_mark
                )
            if below:
                return (
                    f"{criterion.code}: {number(value)}, below {number(criterion.standard)}. "
                    "It is desirable: it counts towards the total and rejects nobody."
                )
            return f"{criterion.code}: {number(value)}"
        return None


def _display(row: ResultRow, name: str) -> str:
    if name == "Rank":
        return "" if row.rank is None else str(row.rank)
    if name == "Candidate":
        return row.label
    if name == "Total":
        return number(row.total)
    if name == "Passed":
        return _passed(row)
    if name == "Guaranteed interview":
        return "Yes" if row.guaranteed_interview else ""
    if name == "Progresses":
        return "" if row.withheld else PROGRESS_WORDS[row.progresses]
    if name == "Outcome":
        return outcome_text(row)
    return "; ".join(row.flags)


def _passed(row: ResultRow) -> str:
    """Yes, No, or Not yet while scores are missing (that is not a fail); a row withheld
    until the panel member submits their own scores says so."""
    if row.withheld:
        return WITHHELD
    if row.passed:
        return "Yes"
    return "No" if row.failed_criteria or row.total is not None else "Not yet"


def _tooltip(row: ResultRow, name: str) -> str | None:
    if name == "Flags" and row.flags:
        return "\n".join(f"• {flag}" for flag in row.flags)
    if name == "Outcome" and row.outcome == "reserve" and row.reserve_expires_on:
        return f"On the reserve list until {short_date(row.reserve_expires_on)}"
    if name == "Guaranteed interview" and row.guaranteed_interview:
        return "Applied under the guaranteed interview scheme (Disability Confident)"
    if name == "Passed" and row.failed_criteria:
        return "Below the pass mark on " + ", ".join(row.failed_criteria)
    if name == "Candidate":
        return row.label
    if row.withheld:
        return "Shown once you have submitted your own scores for this candidate"
    return None


def _colour(row: ResultRow, name: str) -> Any:
    if name == "Progresses":
        return {True: GOOD, False: MUTED, None: ATTENTION}[row.progresses]
    if name == "Passed" and not row.passed:
        return MUTED
    if name == "Outcome" and row.outcome == "appoint":
        return GOOD
    return None
