"""The sheet's table: type a score, Enter or Tab takes it and moves on, like a spreadsheet.

No editor widgets: the view keeps what is typed in the model (shown in the cell) until
Enter, Tab, a move or leaving the table takes it, so a score is one key and Enter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from ui.scoring.sheet_model import LABEL_COLUMN, TYPING_BACK, SheetModel

if TYPE_CHECKING:
    from ui.scoring.sheet_model import SheetModel

Index = QModelIndex | QPersistentModelIndex

TAKE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
MAX_TYPED = 3  # the longest score on any scale ("100")
SCORE_WIDTH_TEXT = "7 saving…"


class TypingDelegate(QStyledItemDelegate):
    """Paints the cell being typed in as being edited, not as selected, so it stands out."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        model = index.model()
        typing = model.typing() if isinstance(model, SheetModel) else None
        if typing is not None and typing[:2] == (index.row(), index.column()):
            option.state &= ~QStyle.StateFlag.State_Selected
            option.backgroundBrush = QBrush(TYPING_BACK)


class ScoreTable(QTableView):
    """`refused` carries why a typed score was not taken, for the status line."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.move_down = False  # down the column (sift by criterion) rather than along the row
        self.beside = ""  # the message shown next to a cell whose entry was refused
        self.setItemDelegate(TypingDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.hide()
        # Fixed heights and widths: nothing is measured per row, so 2,000 rows paint at once.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(True)

    def sheet_model(self) -> SheetModel:
        model = self.model()
        assert isinstance(model, SheetModel)
        return model

    def fit_columns(self) -> None:
        """Widths from the text they hold, measured once per sheet (never per row)."""
        model, metrics = self.sheet_model(), self.fontMetrics()
        labels = [c.label for c in model.candidates()]
        longest = max(labels, key=len, default="Candidate")
        self.setColumnWidth(0, min(320, max(metrics.horizontalAdvance(longest), 90) + 24))
        score = metrics.horizontalAdvance(SCORE_WIDTH_TEXT) + 10
        for column, criterion in enumerate(model.criteria(), start=1):
            self.setColumnWidth(column, max(score, metrics.horizontalAdvance(criterion.code) + 20))

    # --- typing ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        model, index = self.sheet_model(), self.currentIndex()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if key in TAKE_KEYS or key == Qt.Key.Key_Backtab:
            back = key == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            if self.take_typed(keep_refused=True):
                self.advance(-1 if back else 1)
            event.accept()
            return
        typing = model.typing()
        if typing is not None and key == Qt.Key.Key_Escape:
            model.set_typing(None)
            QToolTip.hideText()
            self.beside = ""
            event.accept()
            return
        if typing is not None and key == Qt.Key.Key_Backspace:
            left = typing[2][:-1]
            model.set_typing((*typing[:2], left) if left else None)
            event.accept()
            return
        if typing is None and key in CLEAR_KEYS and model.key_at(index) is not None:
            self._take(index.row(), index.column(), "")
            event.accept()
            return
        digit = plain and text.isdigit()  # no scale goes below 0
        if digit and index.column() == LABEL_COLUMN and model.criteria_count:
            # Typed on the candidate's name: the score goes to their first criterion.
            index = model.index(index.row(), 1)
            self.setCurrentIndex(index)
        if digit and model.key_at(index) is not None:
            self._type(index, text)
            event.accept()
            return
        super().keyPressEvent(event)

    def _type(self, index: Index, text: str) -> None:
        model = self.sheet_model()
        reason = model.cell_lock_reason(index.row(), index.column())
        if reason is not None:
            self.refused.emit(reason)
            return
        typing, here = model.typing(), (index.row(), index.column())
        # After a refusal the next key starts afresh: it corrects, not extends, the entry.
        kept = typing is not None and typing[:2] == here and not self.beside
        typed = typing[2] if typing is not None and kept else ""
        if self.beside:
            QToolTip.hideText()
            self.beside = ""
        model.set_typing((index.row(), index.column(), (typed + text)[-MAX_TYPED:]))

    def take_typed(self, *, keep_refused: bool = False) -> bool:
        """Take what is typed, if anything; False when it was refused (the cursor stays).
        `keep_refused`: a refused entry stays typed in its cell, the reason said beside it,
        until it is corrected or Esc drops it."""
        model = self.sheet_model()
        typing = model.typing()
        if typing is None:
            return True
        model.set_typing(None)
        taken = self._take(*typing, beside=keep_refused)
        if not taken and keep_refused:
            model.set_typing(typing)
        return taken

    def _take(self, row: int, column: int, text: str, *, beside: bool = False) -> bool:
        reason = self.sheet_model().enter(row, column, text)
        if reason is not None:
            self.refused.emit(reason)
            if beside:
                self.say_beside(row, column, f"{reason} Esc clears it.")
            return False
        return True

    def say_beside(self, row: int, column: int, text: str) -> None:
        """A message next to the cell it is about (the status line says it too)."""
        rect = self.visualRect(self.sheet_model().index(row, column))
        self.beside = text
        QToolTip.showText(
            self.viewport().mapToGlobal(rect.bottomLeft()), text, self.viewport(), rect, 8000
        )

    def currentChanged(self, current: Index, previous: Index) -> None:
        # Moving away with the mouse or the arrows takes what was typed, as a spreadsheet does.
        self.take_typed()
        super().currentChanged(current, previous)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.take_typed()
        super().focusOutEvent(event)

    # --- moving on ---------------------------------------------------------------------

    def advance(self, step: int) -> None:
        """To the next score cell along the row (or down the column), past locked rows."""
        model = self.sheet_model()
        rows, columns = model.rowCount(), model.criteria_count
        if rows == 0 or columns == 0:
            return
        current = self.currentIndex()
        row = max(current.row(), 0)
        column = min(max(current.column() - 1, 0), columns - 1)
        total = rows * columns
        position = column * rows + row if self.move_down else row * columns + column
        # Reading a locked sheet still moves cell by cell; entering skips rows that take no scores.
        skip = model.sheet is not None and not model.sheet.finalised
        for _ in range(total):
            position += step
            if not 0 <= position < total:
                return
            if self.move_down:
                column, row = divmod(position, rows)
            else:
                row, column = divmod(position, columns)
            if not (skip and model.is_locked(row)):
                self.setCurrentIndex(model.index(row, column + 1))
                return
