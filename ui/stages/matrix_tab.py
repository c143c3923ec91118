"""The Assessment matrix tab: which criterion each stage assesses, with weights and pass marks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, RecruitError, ValidationError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.stages.cell_editor import CellEditor
from ui.stages.labels import button
from ui.stages.matrix_model import FIRST_STAGE, Cell, MatrixModel
from ui.stages.questions import ask_about_conflict
from ui.widgets import MessageLine, MessagePanel, field_error_label, load_waits

if TYPE_CHECKING:
    from recruit_app.services.stages import StagesOverview

TITLE_WIDTH = 300  # the narrowest the criterion titles get before the grid scrolls sideways
MUST_FIX = QColor("#b00020")
HINT = (
    "Space ticks or unticks the selected cell; Enter goes to its weight and pass mark. "
    "×2 ≥4 means weight 2, pass mark 4; ⚠ marks a cell the checks warn about. Bold rows are "
    "the lead criterion."
)


class MatrixView(QTableView):
    """The grid; the criterion column takes the width the stage columns leave."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_titles()

    def fit_titles(self) -> None:
        header = self.horizontalHeader()
        if header.count() <= 1:
            return
        others = sum(header.sectionSize(i) for i in range(header.count()) if i != 1)
        width = max(TITLE_WIDTH, self.viewport().width() - others)
        if width != header.sectionSize(1):
            header.resizeSection(1, width)
            self.resizeRowsToContents()  # wider titles wrap onto fewer lines


class MatrixTab(QWidget):
    """Edits the whole matrix and saves it in one go; the checks follow every tick."""

    loaded = Signal()  # after each (re)load from the database
    saved = Signal()
    checked = Signal()  # after the checks were recomputed
    dirty_changed = Signal(bool)

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("matrixTab")
        self.context = context
        self.campaign_id = campaign_id
        self.overview: StagesOverview | None = None
        self.findings: list[Any] = []
        self.dialog: QWidget | None = None
        self._dirty = False
        self._serial = 0
        self._discard_on_load = False
        self._editing_cell = False

        self.status = MessageLine("matrixStatus", text="Loading…")
        self.revert_button = button("Revert", "revertMatrix", self.revert)
        self.save_button = button("&Save", "saveMatrix", self.save)
        self.error = field_error_label("matrixError", lines=2)

        self.model = MatrixModel(self)
        self.model.dataChanged.connect(self._cells_changed)
        self.table = MatrixView()
        self.table.setObjectName("matrixTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.cell_editor = CellEditor()
        self.table.activated.connect(lambda _index: self.cell_editor.focus_first())
        self.cell_editor.changed.connect(self._cell_edited)
        self.checks_heading = QLabel("Checks")
        self.checks_heading.setObjectName("matrixChecksHeading")
        self.checks = QListWidget()
        self.checks.setObjectName("matrixChecks")
        self.checks.setWordWrap(True)
        self.checks.setSpacing(4)  # each check apart from the next
        self.checks.itemActivated.connect(self._go_to_finding)

        self.failure = MessagePanel()
        self.retry_button = button("Try again", "retryMatrix", self.load)
        self.body = QStackedWidget()
        self.body.addWidget(self._content())
        self.body.addWidget(self.failure)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)

        save = QAction(self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(lambda: self.save())
        self.addAction(save)
        context.bus.changed.connect(self._on_changed)
        self._update_buttons()

    def _content(self) -> QWidget:
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setEnabled(False)
        grid = QWidget()
        left = QVBoxLayout(grid)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.table, 1)
        left.addWidget(hint)
        side = QWidget()
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.cell_editor)
        right.addWidget(self.checks_heading)
        right.addWidget(self.checks, 1)
        side.setMinimumWidth(300)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(grid)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.error)
        column.addWidget(splitter, 1)
        return content

    # --- state -----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._show_status()
        self._update_buttons()

    def _show_status(self) -> None:
        if self.overview is None:
            return
        ticked = len(self.model.cells)
        edits = " · unsaved changes" if self._dirty else ""
        self.status.setText(
            f"{len(self.model.criteria)} criteria, {len(self.model.stages)} stages, "
            f"{ticked} assessed{edits}"
        )

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)

    # --- loading ---------------------------------------------------------------------

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {change_bus.STAGES, change_bus.DATABASE}:
            self.load()

    def load(self) -> None:
        from recruit_app.services.stages import stages_overview

        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._load_failed(self._serial, exc)
            return
        self._serial += 1
        serial, campaign_id = self._serial, self.campaign_id
        self.context.reads.start(
            lambda: stages_overview(ctx, campaign_id),
            lambda overview: self._loaded(serial, overview),
            lambda exc: self._load_failed(serial, exc),
        )

    def _load_failed(self, serial: int, exc: BaseException) -> None:
        if serial != self._serial:
            return
        text = getattr(exc, "message", None) or "The assessment matrix could not be loaded."
        self.failure.show_message(text, [self.retry_button])
        self.body.setCurrentWidget(self.failure)

    def _loaded(self, serial: int, overview: StagesOverview) -> None:
        if serial != self._serial:  # a newer load is on its way
            return
        self.fill(overview, keep_edits=self._dirty and not self._discard_on_load)
        self._discard_on_load = False
        self.loaded.emit()

    def fill(self, overview: StagesOverview, *, keep_edits: bool = False) -> None:
        current = self.table.currentIndex()
        self.overview = overview
        self.body.setCurrentIndex(0)
        if keep_edits:
            self.model.merge_overview(overview)
        else:
            self.model.set_overview(overview)
            self.error.hide()
        self._size_columns()
        if current.isValid() and current.row() < self.model.rowCount():
            column = min(current.column(), self.model.columnCount() - 1)
            self.table.setCurrentIndex(self.model.index(current.row(), column))
        elif self.model.rowCount() and self.model.columnCount() > FIRST_STAGE:
            self.table.setCurrentIndex(self.model.index(0, FIRST_STAGE))
        self._show_current()
        self._set_dirty(self.model.dirty)
        self._show_findings()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, TITLE_WIDTH)
        self.table.fit_titles()
        self.table.resizeRowsToContents()

    # --- editing ---------------------------------------------------------------------

    def _cells_changed(self, *_args: Any) -> None:
        self._set_dirty(self.model.dirty)
        if not self._editing_cell:  # refilling the box would fight the user's typing
            self._show_current()
        self._show_findings()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _show_current(self) -> None:
        index = self.table.currentIndex()
        stage = self.model.stage_at(index.column()) if index.isValid() else None
        if stage is None:
            self.cell_editor.show_cell(None, None, None, Cell())
            self.cell_editor.show_warning(None)
            return
        criterion = self.model.criteria[index.row()]
        self.cell_editor.show_cell(
            criterion, stage, self.model.cell(index), self.model.default_cell(stage, criterion)
        )
        self.cell_editor.show_warning(self.model.cell_warning(index))

    def _cell_edited(self, cell: Cell | None) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._editing_cell = True
            try:
                self.model.set_cell(index, cell)
            finally:
                self._editing_cell = False
            self.cell_editor.show_warning(self.model.cell_warning(index))

    def _show_findings(self) -> None:
        self.findings = self.model.findings()
        self.checks.clear()
        errors = [f for f in self.findings if f.severity == "error"]
        warnings = [f for f in self.findings if f.severity != "error"]
        for finding in [*errors, *warnings]:
            mark = "Must fix" if finding.severity == "error" else "Consider"
            item = QListWidgetItem(f"{mark}: {finding.message}")
            item.setData(Qt.ItemDataRole.UserRole, finding.field)
            if finding.severity == "error":
                item.setForeground(MUST_FIX)
            self.checks.addItem(item)
        if not self.findings:
            self.checks.addItem("No problems found.")
        self.checks_heading.setText(f"Checks ({len(errors)} to fix, {len(warnings)} to consider)")
        self.checked.emit()

    def _go_to_finding(self, item: QListWidgetItem) -> None:
        """Put the cursor on the criterion's row, or the stage's column, the check is about."""
        field = str(item.data(Qt.ItemDataRole.UserRole) or "")
        kind, _sep, value = field.partition(":")
        if kind == "criterion":
            row = next((r for r, c in enumerate(self.model.criteria) if c.code == value), None)
            if row is not None:
                self.table.setCurrentIndex(self.model.index(row, FIRST_STAGE))
        elif kind == "cell" and (key := self.model.cell_of(field)) is not None:
            stage_id, criterion_id = key
            row = next(r for r, c in enumerate(self.model.criteria) if c.id == criterion_id)
            column = next(n for n, s in enumerate(self.model.stages) if s.id == stage_id)
            self.table.setCurrentIndex(self.model.index(row, FIRST_STAGE + column))
        elif kind == "stage" and value.isdigit() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, FIRST_STAGE + int(value)))
        self.table.setFocus()

    # --- saving ----------------------------------------------------------------------

    def save(self, *, overwrite: bool = False) -> None:
        from recruit_app.services.stages import CellChoice, save_matrix, stages_overview

        if self.overview is None or not (self._dirty or overwrite):
            return
        ctx, campaign_id = self.context.service_context(), self.campaign_id
        cells = [CellChoice(*choice) for choice in self.model.choices()]
        versions = dict(self.model.versions)

        def work() -> StagesOverview:
            expected = versions
            if overwrite:
                expected = {s.id: s.version for s in stages_overview(ctx, campaign_id).stages}
            return save_matrix(ctx, campaign_id, cells, expected_versions=expected)

        self.error.hide()
        self.save_button.setEnabled(False)
        self.context.writes.start(work, self._saved, self._save_failed)

    def _saved(self, overview: StagesOverview) -> None:
        self.fill(overview)
        self.context.bus.publish(change_bus.STAGES)
        self.saved.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, ValidationError):
            self.error.setText(f"Not saved: {exc.message}")
            self.error.show()
        elif isinstance(exc, ConflictError):
            self.dialog = ask_about_conflict(
                self,
                exc,
                what="the matrix",
                keep_mine=lambda: self.save(overwrite=True),
                load_theirs=self.revert,
                done=self._question_closed,
            )
        else:
            self.dialog = error_box(self, exc, "Saving the assessment matrix")

    def _question_closed(self) -> None:
        self.dialog = None

    def revert(self) -> None:
        """Throw away the edits and show the matrix as it is saved now."""
        self._discard_on_load = True
        self.load()
