"""Checking name-blind text: for each part of a campaign's applications, the original with
what is hidden highlighted beside the text a panel will read; the manager hides more or
shows some again, then saves the part as checked.

Changes stay on screen, part by part, until saved; closing with some unsaved asks first.
Offsets are kept as the core keeps them (Python's); the editors count in UTF-16, so
`Offsets` converts at the edges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, RecruitError
from recruit_app.vocabulary import Redaction
from ui import change_bus
from ui.applications.review_model import CHECKED, HIDDEN, NUMBER, PART, ReviewFilter, ReviewModel
from ui.applications.sizing import row_table
from ui.applications.spans import Offsets, hide, mark_of, marked, show_again, span_at
from ui.candidates.import_pages import QUIET_STYLE, plural
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import MessageLine, fit_to_screen

if TYPE_CHECKING:
    from recruit_app.domain.redaction import Span
    from recruit_app.services.applications import RedactionItem

TITLE = "Check name-blind text"
REFRESH_ON = frozenset({change_bus.APPLICATIONS, change_bus.CANDIDATES, change_bus.DATABASE})
FOUND = QColor("#ffe08a")  # what the core found
MANUAL_COLOUR = QColor("#f9c291")  # what a manager hid by hand
MANUAL = Redaction.MANUAL.value
CURRENT_COLOUR = QColor("#f28b30")  # the hidden item chosen in the list
MARK_COLOUR = QColor("#dbe4f3")  # the marks in the text the panel reads
INK = QColor("#000000")
INTRO = (
    "At a name-blind stage the panel reads each part of an application with the "
    "candidate's name, contact details and other identifiers replaced. Check each part: "
    "select words in the original and choose Hide selection, or choose a hidden item and "
    "Show again; then Save and mark checked."
)


def _text_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    # Selectable from the keyboard too: shift and the arrows choose words to hide.
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    view.setTabChangesFocus(True)
    return view


def _highlight(view: QPlainTextEdit, places: list[tuple[int, int]], colours: list[QColor]) -> None:
    selections = []
    for (start, end), colour in zip(places, colours, strict=True):
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(view.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        text_format = QTextCharFormat()
        text_format.setBackground(colour)
        text_format.setForeground(INK)
        selection.format = text_format
        selections.append(selection)
    view.setExtraSelections(selections)


class ReviewDialog(QDialog):
    loaded = Signal()  # after each (re)load of the parts
    saved = Signal(object)  # the RedactionItem as saved

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumSize(900, 560)
        self.context = context
        self.campaign_id = campaign_id
        self.error_box: QMessageBox | None = None
        self.question: QMessageBox | None = None
        self.saving = False
        self.current: RedactionItem | None = None
        self._offsets = Offsets("")
        self._serial = 0
        self._clicked_span = False  # the list follows a click in the text, not the reverse
        self._publishing = False
        context.bus.changed.connect(self._bus_changed)

        self.model = ReviewModel(self)
        self.proxy = ReviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.number_filter = QLineEdit()
        self.number_filter.setObjectName("reviewNumberFilter")
        self.number_filter.setPlaceholderText("Candidate number")
        self.number_filter.setClearButtonEnabled(True)
        self.number_filter.textChanged.connect(lambda _t: self._filter())
        self.unchecked_only = QCheckBox("Only parts &not checked yet")
        self.unchecked_only.setObjectName("uncheckedOnly")
        self.unchecked_only.toggled.connect(lambda _on: self._filter())
        self.parts = self._build_parts()
        self.count = QLabel("Loading…")
        self.count.setObjectName("reviewCount")

        self.part_heading = QLabel()
        self.part_heading.setObjectName("partHeading")
        font = self.part_heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.part_heading.setFont(font)
        self.part_heading.setWordWrap(True)
        self.part_state = QLabel()
        self.part_state.setObjectName("partState")
        self.part_state.setStyleSheet(QUIET_STYLE)
        self.original = _text_view("originalText")
        self.original.selectionChanged.connect(self._update_buttons)
        self.original.cursorPositionChanged.connect(self._cursor_moved)
        self.redacted = _text_view("redactedText")
        self.hidden_list = QListWidget()
        self.hidden_list.setObjectName("hiddenItems")
        self.hidden_list.currentRowChanged.connect(self._hidden_chosen)
        self.hidden_list.setMaximumHeight(self.hidden_list.fontMetrics().height() * 6 + 12)
        self.hide_button = self._button("&Hide selection", "hideSelection", self.hide_selection)
        self.hide_button.setToolTip("Hide the words selected in the original")
        self.show_button = self._button("&Show again", "showAgain", self.show_again)
        self.show_button.setToolTip("Show the chosen hidden item to the panel again")
        self.save_button = self._button("Save and mark &checked", "saveRedaction", self.save)
        self.save_button.setToolTip("Save what is hidden in this part (Ctrl+S)")
        self.close_button = self._button("Close", "closeButton", self.reject)
        self.status = MessageLine("reviewStatus", lines=2)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(
            QKeySequence(Qt.Key.Key_Delete),
            self.hidden_list,
            self.show_again,
            Qt.ShortcutContext.WidgetShortcut,
        )
        self._lay_out()
        self._show_part(None)
        fit_to_screen(self, 1240, 720)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _build_parts(self) -> QTableView:
        table = row_table("reviewParts", self.proxy, PART)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        header.resizeSection(NUMBER, metrics.horizontalAdvance("Candidate") + 24)
        header.resizeSection(HIDDEN, metrics.horizontalAdvance("Hidden") + 20)
        header.resizeSection(CHECKED, metrics.horizontalAdvance("Checked") + 44)
        table.selectionModel().currentRowChanged.connect(lambda *_a: self._chosen())
        return table

    def _lay_out(self) -> None:
        intro = QLabel(INTRO)
        intro.setObjectName("reviewIntro")
        intro.setWordWrap(True)
        filters = QHBoxLayout()
        find = QLabel("&Find:")
        find.setBuddy(self.number_filter)
        filters.addWidget(find)
        filters.addWidget(self.number_filter, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.unchecked_only)
        left_layout.addWidget(self.parts, 1)
        left_layout.addWidget(self.count)

        original_label = QLabel("&Original (hidden words highlighted)")
        original_label.setBuddy(self.original)
        redacted_label = QLabel("As the &panel will read it")
        redacted_label.setBuddy(self.redacted)
        original_box = QWidget()
        original_layout = QVBoxLayout(original_box)
        original_layout.setContentsMargins(0, 0, 0, 0)
        original_layout.addWidget(original_label)
        original_layout.addWidget(self.original, 1)
        redacted_box = QWidget()
        redacted_layout = QVBoxLayout(redacted_box)
        redacted_layout.setContentsMargins(0, 0, 0, 0)
        redacted_layout.addWidget(redacted_label)
        redacted_layout.addWidget(self.redacted, 1)
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.setObjectName("textsSplit")
        texts.setChildrenCollapsible(False)
        texts.addWidget(original_box)
        texts.addWidget(redacted_box)

        hidden_label = QLabel("Hidden in this part (&list):")
        hidden_label.setBuddy(self.hidden_list)
        actions = QVBoxLayout()
        actions.addWidget(self.hide_button)
        actions.addWidget(self.show_button)
        actions.addStretch(1)
        hidden_row = QHBoxLayout()
        hidden_row.addWidget(self.hidden_list, 1)
        hidden_row.addLayout(actions)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.part_heading)
        right_layout.addWidget(self.part_state)
        right_layout.addWidget(texts, 1)
        right_layout.addWidget(hidden_label)
        right_layout.addLayout(hidden_row)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("reviewSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 820])

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.number_filter, self.unchecked_only)
        self.setTabOrder(self.unchecked_only, self.parts)
        self.setTabOrder(self.parts, self.original)
        self.setTabOrder(self.original, self.redacted)
        self.setTabOrder(self.redacted, self.hidden_list)
        self.setTabOrder(self.hidden_list, self.hide_button)
        self.setTabOrder(self.hide_button, self.show_button)
        self.setTabOrder(self.show_button, self.save_button)
        self.setTabOrder(self.save_button, self.close_button)

    def sizeHint(self) -> QSize:
        return QSize(1200, 700)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        from recruit_app.services.applications import redaction_review

        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, TITLE)
            return
        self._serial += 1
        serial, campaign_id = self._serial, self.campaign_id

        def done(items: list[RedactionItem]) -> None:
            if serial == self._serial:
                self.fill(items)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, RecruitError):
                self.count.setText(f"The applications could not be read: {exc.message}")
            else:
                self.error_box = error_box(self, exc, TITLE)

        self.context.reads.start(lambda: redaction_review(ctx, campaign_id), done, failed)

    def _bus_changed(self, topics: frozenset[str]) -> None:
        """Applications imported or corrected elsewhere: read again, keeping what is
        changed here and not saved."""
        if topics & REFRESH_ON and not self._publishing and self.isVisible():
            self.load()

    def fill(self, items: list[RedactionItem]) -> None:
        chosen = self.current.id if self.current is not None else None
        self.model.set_items(items)
        self._show_count()
        row = self.model.row_of(chosen) if chosen is not None else None
        self._select_source_row(row if row is not None else 0)
        self.loaded.emit()

    def _show_count(self) -> None:
        total = len(self.model.items)
        if total == 0:
            self.count.setText("No applications imported yet.")
            return
        left = self.model.to_check
        words = plural(total, "part")
        self.count.setText(f"{words}: {left:,} still to check" if left else f"{words}: all checked")

    def _filter(self) -> None:
        chosen = self.current.id if self.current is not None else None
        self.proxy.set_filter(self.number_filter.text(), self.unchecked_only.isChecked())
        row = self.model.row_of(chosen) if chosen is not None else None
        if row is None or not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
            self._select_proxy_row(0)
        else:
            self._select_source_row(row)

    def _select_source_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self._select_proxy_row(0)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self._select_proxy_row(index.row() if index.isValid() else 0)

    def _select_proxy_row(self, row: int) -> None:
        selection = self.parts.selectionModel()
        if not 0 <= row < self.proxy.rowCount():
            selection.clear()
            self._show_part(None)
            return
        index = self.proxy.index(row, NUMBER)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self.parts.scrollTo(index)
        self._chosen()

    def select_part(self, part_id: int) -> None:
        """Show that part (tests use it too)."""
        row = self.model.row_of(part_id)
        if row is not None:
            self._select_source_row(row)

    def _chosen(self) -> None:
        index = self.parts.selectionModel().currentIndex()
        if not index.isValid():
            self._show_part(None)
            return
        item = self.model.item_at(self.proxy.mapToSource(index).row())
        if self.current is None or item.id != self.current.id or item != self.current:
            self._show_part(item)

    # --- one part ------------------------------------------------------------------------

    @property
    def spans(self) -> tuple[Span, ...]:
        return self.model.spans_of(self.current) if self.current is not None else ()

    def _show_part(self, item: RedactionItem | None) -> None:
        self.current = item
        if item is None:
            self.part_heading.setText("No part chosen" if self.model.items else "")
            self.part_state.setText("")
            self._offsets = Offsets("")
            self.original.setPlainText("")
            self.redacted.setPlainText("")
            self.hidden_list.clear()
            self._update_buttons()
            return
        self.part_heading.setText(f"Candidate {item.candidate_number}: {item.label}")
        self._offsets = Offsets(item.text)
        self.original.setPlainText(item.text)
        self._show_spans()

    def _highlight_original(self, current: int | None = None) -> None:
        to_qt, spans = self._offsets.to_qt, self.spans
        colours = [
            CURRENT_COLOUR if n == current else MANUAL_COLOUR if s.kind == MANUAL else FOUND
            for n, s in enumerate(spans)
        ]
        _highlight(self.original, [(to_qt(s.start), to_qt(s.end)) for s in spans], colours)

    def _show_spans(self, current: int | None = None) -> None:
        """The highlights, the text the panel reads and the list, for the spans now."""
        item = self.current
        assert item is not None
        spans = self.spans
        self._highlight_original(current)
        text, places = marked(item.text, spans)
        marks = Offsets(text)
        scroll = self.redacted.verticalScrollBar().value()
        self.redacted.setPlainText(text)
        self.redacted.verticalScrollBar().setValue(scroll)
        _highlight(
            self.redacted,
            [(marks.to_qt(a), marks.to_qt(b)) for a, b in places],
            [MARK_COLOUR] * len(places),
        )
        self.hidden_list.blockSignals(True)
        self.hidden_list.clear()
        for span in spans:
            words = " ".join(item.text[span.start : span.end].split())
            shown = words if len(words) <= 60 else words[:59] + "…"
            entry = QListWidgetItem(f"“{shown}” → {mark_of(span.kind)}")
            entry.setToolTip(words)
            self.hidden_list.addItem(entry)
        if current is not None:
            self.hidden_list.setCurrentRow(current)
        self.hidden_list.blockSignals(False)
        edited = item.id in self.model.drafts
        state = [plural(len(spans), "item") + " hidden"]
        if edited:
            state.append("changed, not saved")
        elif item.checked:
            state.append("checked")
        else:
            state.append("not checked yet")
        self.part_state.setText("; ".join(state))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_part = self.current is not None and not self.saving
        self.hide_button.setEnabled(has_part and self.original.textCursor().hasSelection())
        self.show_button.setEnabled(has_part and self.hidden_list.currentRow() >= 0)
        self.save_button.setEnabled(has_part)

    def _hidden_chosen(self, row: int) -> None:
        """A hidden item chosen in the list: highlighted apart and scrolled to."""
        if self.current is None or not 0 <= row < len(self.spans):
            self._update_buttons()
            return
        span = self.spans[row]
        self._highlight_original(current=row)
        if self._clicked_span:  # the cursor is in it already (and may be selecting)
            self._update_buttons()
            return
        cursor = QTextCursor(self.original.document())
        cursor.setPosition(self._offsets.to_qt(span.start))
        self.original.blockSignals(True)
        self.original.setTextCursor(cursor)
        self.original.blockSignals(False)
        self.original.ensureCursorVisible()
        self._update_buttons()

    def _cursor_moved(self) -> None:
        """A click inside a highlighted span chooses it in the list of hidden items."""
        cursor = self.original.textCursor()
        if self.current is None or cursor.hasSelection():
            return
        found = span_at(self.spans, self._offsets.from_qt(cursor.position()))
        if found is not None and found != self.hidden_list.currentRow():
            self._clicked_span = True
            try:
                self.hidden_list.setCurrentRow(found)
            finally:
                self._clicked_span = False

    def hide_selection(self) -> None:
        item, cursor = self.current, self.original.textCursor()
        if item is None or not cursor.hasSelection() or self.saving:
            return
        start = self._offsets.from_qt(cursor.selectionStart())
        end = self._offsets.from_qt(cursor.selectionEnd())
        spans = hide(item.text, self.spans, start, end)
        if spans == self.spans:
            return
        self.model.set_draft(item, spans)
        cursor.clearSelection()
        self.original.setTextCursor(cursor)
        self._show_spans()
        self.status.setText("")

    def show_again(self) -> None:
        item, row = self.current, self.hidden_list.currentRow()
        if item is None or not 0 <= row < len(self.spans) or self.saving:
            return
        self.model.set_draft(item, show_again(self.spans, row))
        self._show_spans(current=min(row, len(self.spans) - 1) if self.spans else None)
        self.status.setText("")

    # --- saving --------------------------------------------------------------------------

    def save(self) -> None:
        from recruit_app.services.applications import correct_redaction

        item = self.current
        if item is None or self.saving:
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self.error_box = error_box(self, exc, TITLE)
            return
        spans = [(s.start, s.end, s.kind) for s in self.spans]
        self.saving = True
        self._update_buttons()
        self.status.setText("Saving…")

        def work() -> RedactionItem:
            return correct_redaction(ctx, item.id, spans, expected_version=item.version)

        def done(saved: RedactionItem) -> None:
            self.saving = False
            at = self.parts.selectionModel().currentIndex().row()
            self.model.replace(saved)
            self._show_count()
            self.status.setText(
                f"Saved candidate {saved.candidate_number}'s {saved.label}: "
                f"{plural(len(saved.spans), 'item')} hidden, marked checked."
            )
            if self.current is not None and self.current.id == saved.id:
                self.current = saved
                self._show_spans()
            if not self.parts.selectionModel().currentIndex().isValid():
                self._select_proxy_row(min(at, self.proxy.rowCount() - 1))  # filtered away
            self.saved.emit(saved)
            self._publishing = True  # this dialog shows the change already
            try:
                self.context.bus.publish(change_bus.APPLICATIONS)
            finally:
                self._publishing = False

        def failed(exc: BaseException) -> None:
            self.saving = False
            self._update_buttons()
            self.status.setText("")
            self.error_box = error_box(self, exc, TITLE)
            if isinstance(exc, ConflictError):  # someone saved it first: show theirs
                self.model.drafts.pop(item.id, None)
                if self.current is not None and self.current.id == item.id:
                    self._show_spans()
                self.load()

        self.context.writes.start(work, done, failed)

    # --- closing -------------------------------------------------------------------------

    def reject(self) -> None:
        unsaved = len(self.model.drafts)
        if not unsaved or self.question is not None:
            super().reject()
            return
        box = QMessageBox(self)
        box.setObjectName("unsavedQuestion")
        box.setWindowTitle(TITLE)
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"{plural(unsaved, 'part')} changed and not saved. Close all the same?")
        box.setInformativeText("What you hid or showed again in them will be lost.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(self._answered)
        self.question = box
        box.open()

    def _answered(self, answer: int) -> None:
        box, self.question = self.question, None
        if box is not None and box.clickedButton() is box.button(
            QMessageBox.StandardButton.Discard
        ):
            self.model.drafts.clear()
            super().reject()

    def current_index(self) -> QModelIndex:
        return self.parts.selectionModel().currentIndex()
