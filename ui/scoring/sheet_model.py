"""A panel member's sheet as a table: candidates by criteria, with drafts being saved marked.

Built for thousands of rows: the rows and columns are plain lists in display order, a
cell's score is one dict lookup, and each row's count of scored criteria is kept, not
counted on every paint.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from recruit_app.vocabulary import ScoreStatus

if TYPE_CHECKING:
    from recruit_app.services.scoring import (
        MyScore,
        ScoringSheet,
        SheetCandidate,
        SheetCriterion,
    )

Index = QModelIndex | QPersistentModelIndex
Key = tuple[int, int]  # (candidate id, matrix cell id), as the services key scores

LABEL_COLUMN = 0
SAVING = " saving…"
LOCKED_TEXT, LOCKED_BACK = QColor("#6b6b6b"), QColor("#ececec")
SUBMITTED_BACK = QColor("#eef5ee")
SAVING_TEXT = QColor("#7a7a7a")
TYPING_BACK = QColor("#fff3c4")
DONE_TEXT = QColor("#1b5e20")
_ALIGN_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_ITALIC = QFont()
_ITALIC.setItalic(True)


def points_words(values: tuple[int, ...]) -> str:
    """ "1 to 7" for a run of whole numbers, "0 or 1", "1, 3 or 5" otherwise."""
    if len(values) > 2 and values == tuple(range(values[0], values[-1] + 1)):
        return f"{values[0]} to {values[-1]}"
    words = [str(v) for v in values]
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


class SheetModel(QAbstractTableModel):
    """Column 0 is the candidate, then one column per criterion, then the row's status."""

    entered = Signal(object, object)  # key, the value typed (None clears the score)
    typing_changed = Signal()  # what is being typed in a cell changed

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: ScoringSheet | None = None
        self._rows: list[SheetCandidate] = []
        self._columns: list[SheetCriterion] = []
        self._row_of: dict[int, int] = {}
        self._column_of: dict[int, int] = {}
        self._scores: dict[Key, MyScore] = {}
        self._pending: dict[Key, int | None] = {}  # typed, not saved yet
        self._scored: list[int] = []  # per row: criteria with a value
        self._typing: tuple[int, int, str] | None = None
        self._values: frozenset[int] = frozenset()
        self._texts: dict[int, str] = {}
        # A criterion scored on a scale of its own (a strength's 1 to 4): its cell's points.
        self._own_values: dict[int, frozenset[int]] = {}
        self._final = False

    # --- filling -----------------------------------------------------------------------

    def set_sheet(self, sheet: ScoringSheet | None) -> None:
        """Rows and columns in the sheet's recorded order (shuffled when sifting by criterion)."""
        self.beginResetModel()
        self.sheet = sheet
        self._final = sheet is not None and sheet.finalised
        self._pending.clear()
        self._typing = None
        if sheet is None:
            self._rows, self._columns, self._scores = [], [], {}
        else:
            by_id = {c.id: c for c in sheet.candidates}
            cells = {c.cell_id: c for c in sheet.criteria}
            self._rows = [by_id[i] for i in sheet.candidate_order if i in by_id]
            self._columns = [cells[i] for i in sheet.criterion_order if i in cells]
            self._scores = dict(sheet.scores)
            self._values = frozenset(sheet.scale.values)
            self._own_values = {
                c.cell_id: frozenset(c.scale.values) for c in sheet.criteria if c.scale
            }
            every = self._values.union(*self._own_values.values())
            self._texts = {v: str(v) for v in every}
        self._row_of = {c.id: row for row, c in enumerate(self._rows)}
        self._column_of = {c.cell_id: col for col, c in enumerate(self._columns, start=1)}
        # Nothing is pending after a reset, so the counts come straight from the saved scores.
        counts = Counter(
            cid for (cid, _cell), score in self._scores.items() if score.value is not None
        )
        self._scored = [counts.get(c.id, 0) for c in self._rows]
        self.endResetModel()

    def _count(self, candidate_id: int) -> int:
        return sum(self.shown_value((candidate_id, c.cell_id)) is not None for c in self._columns)

    # --- reading -------------------------------------------------------------------------

    @property
    def criteria_count(self) -> int:
        return len(self._columns)

    @property
    def status_column(self) -> int:
        return len(self._columns) + 1

    def candidate_at(self, row: int) -> SheetCandidate:
        return self._rows[row]

    def criterion_at(self, column: int) -> SheetCriterion | None:
        return self._columns[column - 1] if 1 <= column <= len(self._columns) else None

    def candidates(self) -> list[SheetCandidate]:
        return list(self._rows)

    def criteria(self) -> list[SheetCriterion]:
        return list(self._columns)

    def key_at(self, index: Index) -> Key | None:
        criterion = self.criterion_at(index.column()) if index.isValid() else None
        if criterion is None or not 0 <= index.row() < len(self._rows):
            return None
        return (self._rows[index.row()].id, criterion.cell_id)

    def index_of(self, key: Key) -> QModelIndex:
        row, column = self._row_of.get(key[0]), self._column_of.get(key[1])
        if row is None or column is None:
            return QModelIndex()
        return self.index(row, column)

    def row_of(self, candidate_id: int) -> int | None:
        return self._row_of.get(candidate_id)

    def score(self, key: Key) -> MyScore:
        from recruit_app.services.scoring import MyScore

        return self._scores.get(key) or MyScore(None, 0, None, "", "")

    def shown_value(self, key: Key) -> int | None:
        if key in self._pending:
            return self._pending[key]
        score = self._scores.get(key)
        return score.value if score is not None else None

    def is_saving(self, key: Key) -> bool:
        return key in self._pending

    def is_locked(self, row: int) -> bool:
        candidate, sheet = self._rows[row], self.sheet
        return sheet is None or sheet.finalised or candidate.conflict or candidate.submitted

    def lock_reason(self, row: int) -> str | None:
        """Why this row takes no scores, in words; None when it does."""
        sheet = self.sheet
        if sheet is None:
            return "Choose a stage and a panel member first."
        if sheet.finalised:
            return f"The results of {sheet.stage_name} are final, so its scores are locked."
        candidate = self._rows[row]
        if candidate.conflict:
            return (
                f"{sheet.assessor_name} declared a conflict of interest with "
                f"{candidate.label}, so no scores can be entered for them."
            )
        if candidate.submitted:
            return (
                f"{sheet.assessor_name}'s scores for {candidate.label} are submitted, "
                "so they can no longer be changed."
            )
        return None

    def cell_lock_reason(self, row: int, column: int) -> str | None:
        """Why this cell takes no score: its row's lock, or a score already submitted (a
        partial import submits some of a row's scores and leaves the rest to enter here)."""
        reason = self.lock_reason(row)
        criterion = self.criterion_at(column)
        if reason is None and criterion is not None:
            score = self._scores.get((self._rows[row].id, criterion.cell_id))
            if score is not None and score.status == "submitted":
                reason = (
                    f"This {criterion.code} score was submitted, so it can no longer be changed."
                )
        return reason

    def lock_words(self, row: int) -> str | None:
        """The lock in a few words, for the evidence note."""
        candidate, sheet = self._rows[row], self.sheet
        if sheet is None or sheet.finalised:
            return "Read only: the results are final."
        if candidate.conflict:
            return "Read only: conflict of interest declared."
        return "Read only: submitted." if candidate.submitted else None

    def is_complete(self, row: int) -> bool:
        return bool(self._columns) and self._scored[row] == len(self._columns)

    def missing(self, row: int) -> list[str]:
        """The codes of the criteria this row still needs a score for."""
        candidate = self._rows[row].id
        return [c.code for c in self._columns if self.shown_value((candidate, c.cell_id)) is None]

    # --- typing and saving -----------------------------------------------------------------

    def typing(self) -> tuple[int, int, str] | None:
        return self._typing

    def set_typing(self, typing: tuple[int, int, str] | None) -> None:
        """Show what is being typed in a cell before Enter takes it."""
        old, self._typing = self._typing, typing
        for cell in (old, typing):
            if cell is not None:
                index = self.index(cell[0], cell[1])
                self.dataChanged.emit(index, index)
        self.typing_changed.emit()

    def typed_value(self) -> int | None:
        """What is being typed, when it is a point on the scale."""
        try:
            value = int(self._typing[2]) if self._typing is not None else None
        except ValueError:
            return None
        criterion = self.criterion_at(self._typing[1]) if self._typing is not None else None
        return value if value in self._values_for(criterion) else None

    def _values_for(self, criterion: Any) -> frozenset[int]:
        """The points a criterion's column takes: its own scale's, else the stage's."""
        if criterion is None:
            return self._values
        return self._own_values.get(criterion.cell_id, self._values)

    def enter(self, row: int, column: int, text: str) -> str | None:
        """Take a typed score (blank clears it); returns why it was refused, or None."""
        reason = self.cell_lock_reason(row, column)
        criterion = self.criterion_at(column)
        if reason is not None or criterion is None or self.sheet is None:
            return reason
        text = text.strip()
        value: int | None = None
        if text:
            try:
                value = int(text)
            except ValueError:
                value = None
            if value not in self._values_for(criterion):
                words = points_words(self.sheet.scale_of(criterion).values)
                return f"{text} is not on the scale: type a score from {words}."
        key = (self._rows[row].id, criterion.cell_id)
        if value == self.shown_value(key):
            return None
        self._pending[key] = value
        self._changed(key)
        self.entered.emit(key, value)
        return None

    def saved(self, key: Key, score: MyScore, *, settled: bool) -> None:
        """A save came back; `settled` when no newer value for the cell is still on its way."""
        if key[0] not in self._row_of:
            return
        self._scores[key] = score
        if settled:
            self._pending.pop(key, None)
        self._changed(key)

    def revert_cell(self, key: Key) -> None:
        """A save failed: show the last saved value again."""
        if key in self._pending:
            del self._pending[key]
            self._changed(key)

    def _changed(self, key: Key) -> None:
        row = self._row_of.get(key[0])
        if row is None:
            return
        self._scored[row] = self._count(key[0])
        index = self.index_of(key)
        self.dataChanged.emit(index, index)
        status = self.index(row, self.status_column)
        self.dataChanged.emit(status, status)

    # --- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() or self.sheet is None else len(self._columns) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        criterion = self.criterion_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if criterion is not None:
                return criterion.code
            return "Candidate" if section == LABEL_COLUMN else "Status"
        if role == Qt.ItemDataRole.ToolTipRole and criterion is not None:
            level = f", level {criterion.level}" if criterion.level else ""
            mark = f"; pass mark {criterion.pass_mark}" if criterion.pass_mark is not None else ""
            return f"{criterion.code}: {criterion.title}{level}{mark}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Not editable in Qt's sense: the view takes typed scores itself, without editors.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not index.isValid() or not 0 <= row < len(self._rows):
            return None
        candidate = self._rows[row]
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._typing is not None and self._typing[:2] == (row, column):
                return TYPING_BACK
            if candidate.conflict:
                return LOCKED_BACK
            # On a final sheet every row is submitted: the banner says so, no need to tint.
            return SUBMITTED_BACK if candidate.submitted and not self._final else None
        if role == Qt.ItemDataRole.ForegroundRole and candidate.conflict:
            return LOCKED_TEXT
        if column == LABEL_COLUMN:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return candidate.label
            return None
        if column == len(self._columns) + 1:
            return self._status_data(row, candidate, role)
        return self._score_data(row, column, candidate, role)

    def _score_data(self, row: int, column: int, candidate: SheetCandidate, role: int) -> Any:
        key = (candidate.id, self._columns[column - 1].cell_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if self._typing is not None and self._typing[:2] == (row, column):
                return self._typing[2]
            if key in self._pending:
                value = self._pending[key]
                return (self._texts.get(value, "") if value is not None else "–") + SAVING
            score = self._scores.get(key)
            return self._texts.get(score.value, "") if score and score.value is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_CENTRE
        if key in self._pending:
            if role == Qt.ItemDataRole.ForegroundRole:
                return SAVING_TEXT
            if role == Qt.ItemDataRole.FontRole:
                return _ITALIC
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._cell_tip(key, candidate)
        return None

    def _cell_tip(self, key: Key, candidate: SheetCandidate) -> str:
        if key in self._pending:
            return "Saving as a draft…"
        score = self._scores.get(key)
        if candidate.conflict:
            return "Conflict of interest declared: not scored."
        if score is None or score.value is None:
            return "Not scored yet: type a score."
        if score.status == "submitted":
            return f"{score.value}, submitted."
        return f"{score.value}, saved as a draft."

    def _status_data(self, row: int, candidate: SheetCandidate, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if candidate.conflict:
                return "Conflict declared"
            if candidate.submitted:
                return ScoreStatus.SUBMITTED.label
            if self.is_complete(row):
                return "Ready to submit"
            return f"{self._scored[row]} of {len(self._columns)} scored"
        if role == Qt.ItemDataRole.ForegroundRole and not candidate.conflict:
            return DONE_TEXT if candidate.submitted or self.is_complete(row) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.lock_reason(row) or (
                "Every criterion is scored: select the row and Submit."
                if self.is_complete(row)
                else "Still to score: " + ", ".join(self.missing(row))
            )
        return None
