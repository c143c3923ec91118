"""The Stages tab: the campaign's stages in order, and the selected one in the editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.stage_rules import removal_refusal
from recruit_app.errors import ConflictError, RecruitError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.stages.labels import button
from ui.stages.questions import confirm
from ui.stages.stage_editor import StageEditor
from ui.stages.stage_list import StageListModel
from ui.widgets import FlowLayout, MessagePanel, load_waits

if TYPE_CHECKING:
    from recruit_app.services.stages import StagesOverview, StageView


class StagesTab(QWidget):
    """Lists a campaign's stages and edits the selected one; every change runs in a worker."""

    loaded = Signal()  # after each (re)load from the database
    saved = Signal()  # after the stage in the editor was saved
    dirty_changed = Signal(bool)

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stagesTab")
        self.context = context
        self.campaign_id = campaign_id
        self.overview: StagesOverview | None = None
        self.dialog: QWidget | None = None  # the question or dialog open now, if any
        self._serial = 0
        self._select_after_load: int | None = None
        self._select_after_save: int | None = None
        self._discard_on_load = False
        self._quiet = False  # selection changes made by code, not by the user

        self.model = StageListModel(self)
        self.table = QTableView()
        self.table.setObjectName("stageTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.add_button = button("&Add stage…", "addStage", self.ask_add)
        self.up_button = button("Move &up", "moveStageUp", lambda: self.move_selected(-1))
        self.down_button = button("Move do&wn", "moveStageDown", lambda: self.move_selected(1))
        self.remove_button = button("&Remove…", "removeStage", self.ask_remove)
        self.plan_button = button("Question &plan…", "planButton", self.open_plan)
        self.plan_button.setToolTip(
            "The questions the panel asks every candidate, with probes and minutes"
        )
        from recruit_app.services.permissions import ALLOWED

        self.can_manage = context.actor.role in ALLOWED["campaign.manage"]
        # A panel member reads the stages; changing them is a manager's.
        for widget in (
            self.add_button,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.plan_button,
        ):
            widget.setVisible(self.can_manage)
        self.editor = StageEditor(context, campaign_id)
        self.editor.set_read_only(not self.can_manage)
        self.editor.dirty_changed.connect(self._editor_dirty)
        self.editor.saved.connect(self._editor_saved)
        self.editor.save_failed.connect(self._editor_save_failed)
        self.editor.revert_requested.connect(self.revert)

        self.failure = MessagePanel()
        self.retry_button = button("Try again", "retryStages", self.load)
        self.no_stages = MessagePanel()
        self.no_stages.show_message("This campaign has no stages yet. Add the first one.")
        self.editor_stack = QStackedWidget()
        self.editor_stack.addWidget(self.editor)
        self.editor_stack.addWidget(self.no_stages)
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

    # --- building --------------------------------------------------------------------

    def _content(self) -> QSplitter:
        left = QWidget()
        buttons = FlowLayout()  # wraps in a narrow window
        for widget in (
            self.add_button,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.plan_button,
        ):
            buttons.addWidget(widget)
        hint = QLabel("Candidates go through the stages in this order.")
        hint.setEnabled(False)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        column.addWidget(hint)
        left.setMinimumWidth(340)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.editor_stack)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([600, 680])
        return splitter

    # --- state -----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

    @property
    def current(self) -> StageView | None:
        """The stage in the editor, as last loaded."""
        return self.editor.current

    def _editor_dirty(self, dirty: bool) -> None:
        self.dirty_changed.emit(dirty)
        self._update_buttons()

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_stage(self) -> StageView | None:
        row = self.selected_row()
        return self.model.stages[row] if row is not None else None

    def _update_buttons(self) -> None:
        row, count = self.selected_row(), self.model.rowCount()
        ready = self.overview is not None
        self.add_button.setEnabled(ready)
        self.up_button.setEnabled(row is not None and row > 0)
        self.down_button.setEnabled(row is not None and row < count - 1)
        # Ask only what can be done: a stage with scores is not removable, and says why.
        stage = self.selected_stage()
        refused = removal_refusal(stage.has_scores, stage.name) if stage is not None else ""
        self.remove_button.setEnabled(row is not None and not refused)
        self.remove_button.setToolTip(refused or "Remove the chosen stage")
        self.plan_button.setEnabled(self.can_manage and row is not None)

    # --- loading ---------------------------------------------------------------------

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {change_bus.STAGES, change_bus.DATABASE}:
            self.load()

    def load(self) -> None:
        from recruit_app.services.stages import list_people, stages_overview

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
            lambda: (stages_overview(ctx, campaign_id), list_people(ctx)),
            lambda result: self._loaded(serial, *result),
            lambda exc: self._load_failed(serial, exc),
        )

    def _load_failed(self, serial: int, exc: BaseException) -> None:
        if serial != self._serial:
            return
        text = getattr(exc, "message", None) or "The stages could not be loaded."
        self.failure.show_message(text, [self.retry_button])
        self.body.setCurrentWidget(self.failure)

    def _loaded(self, serial: int, overview: StagesOverview, people: list[Any]) -> None:
        if serial != self._serial:  # a newer load is on its way
            return
        self.overview = overview
        self.body.setCurrentIndex(0)
        self.editor.panel.set_people(people)
        keep = self.current.id if self.current else None
        if self._select_after_load is not None and not self.dirty:
            keep = self._select_after_load
        self._select_after_load = None
        self._quiet = True
        try:
            self.model.set_stages(list(overview.stages))
            row = self.model.row_of(keep)
            if row is None and overview.stages:
                row = 0
            if row is not None:
                self.table.selectRow(row)
        finally:
            self._quiet = False
        fresh = overview.stages[row] if row is not None else None
        current = self.current
        if fresh is None:
            self.editor.show_stage(None)
            self.editor_stack.setCurrentWidget(self.no_stages)
        elif self.dirty and not self._discard_on_load and current and current.id == fresh.id:
            self.editor.keep_edits(fresh)
        else:
            self._show_stage(fresh)
        self._discard_on_load = False
        self._update_buttons()
        self.loaded.emit()

    def _show_stage(self, stage: StageView) -> None:
        self.editor_stack.setCurrentWidget(self.editor)
        self.editor.show_stage(stage)

    # --- choosing a stage ----------------------------------------------------------

    def select_stage(self, stage_id: int) -> None:
        row = self.model.row_of(stage_id)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self, *_args: Any) -> None:
        if self._quiet:
            return
        stage = self.selected_stage()
        if stage is None or self.current is None or stage.id == self.current.id:
            self._update_buttons()
            return
        if self.dirty:
            # Stay on the edited stage until the user says what happens to the edits.
            current = self.current.id
            self._quiet = True
            self.select_stage(current)
            self._quiet = False
            self._ask_to_leave(stage.id)
            return
        self._show_stage(stage)
        self._update_buttons()

    def _ask_to_leave(self, target: int) -> None:
        assert self.current is not None
        box = QMessageBox(self)
        box.setObjectName("unsavedStage")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"{self.current.name} has changes that are not saved.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)

        def answered(_result: int) -> None:
            self.dialog = None
            choice = box.standardButton(box.clickedButton())
            if choice == QMessageBox.StandardButton.Discard:
                self.editor.discard()
                self.select_stage(target)
            elif choice == QMessageBox.StandardButton.Save:
                self._select_after_save = target
                self.editor.save()

        box.finished.connect(answered)
        self.dialog = box
        box.open()

    # --- saving (the editor saves; the tab follows) -----------------------------------

    def save(self) -> None:
        self.editor.save()

    def _editor_saved(self) -> None:
        self.saved.emit()
        target, self._select_after_save = self._select_after_save, None
        if target is not None:
            self.select_stage(target)

    def _editor_save_failed(self) -> None:
        self._select_after_save = None

    def revert(self) -> None:
        """Throw away the edits and show the stage as it is saved now."""
        self._discard_on_load = True
        self.load()

    # --- adding, moving, removing ----------------------------------------------------

    def ask_add(self) -> None:
        from ui.stages.dialogs import AddStageDialog

        dialog = AddStageDialog(self.context, self.campaign_id, self)
        dialog.saved.connect(self._added)
        self.dialog = dialog
        dialog.open()

    def _added(self, view: StageView) -> None:
        self.dialog = None
        self._select_after_load = view.id
        self.context.bus.publish(change_bus.STAGES)

    def move_selected(self, step: int) -> None:
        from recruit_app.services.stages import move_stage

        row = self.selected_row()
        if row is None or not 0 <= row + step < self.model.rowCount():
            return
        stage_id, ctx = self.model.stages[row].id, self.context.service_context()
        self.context.writes.start(
            lambda: move_stage(ctx, stage_id, row + step),
            lambda _overview: self.context.bus.publish(change_bus.STAGES),
            self._action_failed,
        )

    def ask_remove(self) -> None:
        stage = self.selected_stage()
        if stage is None:
            return
        edits = " Your unsaved changes to it are lost too." if self.dirty else ""
        self.dialog = confirm(
            self,
            name="confirmRemoveStage",
            title="Remove the stage",
            text=f"Remove {stage.name} from this campaign?",
            detail="Its panel and its column of the assessment matrix go with it." + edits,
            action="Remove",
            answered=lambda yes: self._remove(stage, yes),
        )

    def _remove(self, stage: StageView, confirmed: bool) -> None:
        from recruit_app.services.stages import remove_stage

        self.dialog = None
        if not confirmed:
            return
        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: remove_stage(ctx, stage.id, expected_version=stage.version),
            lambda _overview: self.context.bus.publish(change_bus.STAGES),
            self._action_failed,
        )

    def open_plan(self) -> None:
        from ui.stages.plan_editor import PlanEditorDialog

        stage = self.selected_stage()
        if stage is None or not self.can_manage:
            return
        dialog = PlanEditorDialog(self.context, stage.id, self)
        # Saving the plan stamps the stage: reload it so the editor holds its new version.
        dialog.saved.connect(lambda _plan: self.context.bus.publish(change_bus.STAGES))
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def _action_failed(self, exc: BaseException) -> None:
        self.dialog = error_box(self, exc, "Stages")
        if isinstance(exc, ConflictError):
            self.load()  # show what changed; the user can then try again
