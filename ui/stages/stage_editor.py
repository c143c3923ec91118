"""One stage in the editor: its settings and its panel, saved together off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, RecruitError, ValidationError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.stages.labels import button, stage_title
from ui.stages.panel import PanelEditor, Seat
from ui.stages.questions import ask_about_conflict
from ui.stages.stage_form import StageForm, settings_of
from ui.widgets import MessageLine, guard_wheel

if TYPE_CHECKING:
    from recruit_app.services.stages import StageView


def seats_of(stage: StageView) -> list[Seat]:
    return [Seat.of(s) for s in stage.panel]


class StageEditor(QWidget):
    """Edits `current`, the stage as last loaded: what "unsaved changes" compares against."""

    dirty_changed = Signal(bool)
    saved = Signal()  # settings and panel are both saved
    save_failed = Signal()
    revert_requested = Signal()  # show the stage as saved now: the tab reloads it

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.campaign_id = campaign_id
        self.current: StageView | None = None
        self.dialog: QWidget | None = None  # the dialog or question open now, if any
        self._dirty = False
        self.heading = QLabel()
        self.heading.setObjectName("stageHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = MessageLine("stageStatus")
        self.revert_button = button("Revert", "revertStage", self.revert_requested.emit)
        self.save_button = button("&Save", "saveStage", self.save)
        self.form = StageForm()
        self.form.edited.connect(self._edited)
        self.panel = PanelEditor()
        self.panel.edited.connect(self._edited)
        self.panel.new_person_requested.connect(self.ask_new_person)
        self._build()
        self._update_buttons()

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        group = QGroupBox("Panel")
        group.setObjectName("panelGroup")
        QVBoxLayout(group).addWidget(self.panel)
        body = QWidget()
        stack = QVBoxLayout(body)
        stack.setContentsMargins(0, 0, 6, 0)
        stack.addWidget(self.form)
        stack.addStretch(1)
        guard_wheel(body)
        self.settings_scroll = QScrollArea()
        self.settings_scroll.setObjectName("stageSettings")
        self.settings_scroll.setWidget(body)
        self.settings_scroll.setWidgetResizable(True)
        self.settings_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.settings_scroll.setMinimumWidth(520)
        # The panel stays in view under the settings, which scroll.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.settings_scroll)
        split.addWidget(group)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([540, 240])
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.form.messages)
        column.addWidget(split, 1)

    # --- state -----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self.status.setText("· unsaved changes" if dirty else "")
        self._update_buttons()

    def _edited(self) -> None:
        stage = self.current
        self._set_dirty(
            stage is not None
            and (bool(self.form.changes(stage)) or self.panel.seats() != seats_of(stage))
        )

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)

    def set_read_only(self, read_only: bool) -> None:
        """Shown, not edited (someone who may not manage the campaign): the settings and
        the panel are greyed and there is nothing to save."""
        self.form.setEnabled(not read_only)
        self.panel.setEnabled(not read_only)
        self.save_button.setVisible(not read_only)
        self.revert_button.setVisible(not read_only)

    # --- showing ---------------------------------------------------------------------

    def show_stage(self, stage: StageView | None) -> None:
        """Show `stage` as saved, replacing any edits (None: there is nothing to edit)."""
        self.current = stage
        if stage is not None:
            self.heading.setText(stage_title(stage.name, stage.kind))
            self.form.fill(stage)
            self.panel.fill(stage.name, stage.kind, seats_of(stage))
        self._set_dirty(False)

    def keep_edits(self, fresh: StageView) -> None:
        """A reload under unsaved edits: keep them, and the version the user saw...

        ...unless what the editor shows did not change (a move, or a matrix save, bumps
        the version too): then the newer version is taken, so saving needs no conflict.
        """
        assert self.current is not None
        seen = self.current
        if settings_of(fresh) == settings_of(seen) and seats_of(fresh) == seats_of(seen):
            self.current = fresh
        self._edited()

    def discard(self) -> None:
        self._set_dirty(False)

    # --- saving ----------------------------------------------------------------------

    def save(self, *, overwrite: bool = False) -> None:
        from recruit_app.services.stages import SeatChoice, set_panel, update_stage

        stage = self.current
        if stage is None or not (self._dirty or overwrite):
            return
        ctx = self.context.service_context()
        changes = self.form.changes(stage)
        seats = self.panel.seats()
        panel_changed = seats != seats_of(stage)
        choices = [SeatChoice(s.person_id, s.role, s.panel_number) for s in seats]
        read_version = self._current_version if overwrite else None

        def work() -> tuple[StageView | None, RecruitError | None]:
            version = read_version(ctx, stage.id) if read_version else stage.version
            view = None
            if changes:
                view = update_stage(ctx, stage.id, changes, expected_version=version)
                version = view.version
            if panel_changed:
                try:
                    view = set_panel(ctx, stage.id, choices, expected_version=version)
                except RecruitError as exc:
                    if view is None:
                        raise
                    return view, exc  # the settings are saved; the panel is still to do
            return view, None

        self.form.clear_errors()
        self.panel.error.hide()
        self.save_button.setEnabled(False)
        self.context.writes.start(work, self._saved, self._save_failed)

    def _current_version(self, ctx: Any, stage_id: int) -> int | None:
        """In a worker: the stage's version now, to save over someone else's change knowingly."""
        from recruit_app.services.stages import stages_overview

        found = [s for s in stages_overview(ctx, self.campaign_id).stages if s.id == stage_id]
        return found[0].version if found else None

    def _saved(self, result: tuple[StageView | None, RecruitError | None]) -> None:
        view, panel_error = result
        if view is not None and panel_error is None:
            self.show_stage(view)
        elif view is not None and panel_error is not None:
            seats = self.panel.seats()
            self.show_stage(view)
            self.panel.model.set_seats(seats)  # the panel edits wait for another try
            self._edited()
        self.context.bus.publish(change_bus.STAGES)
        if panel_error is None:
            self.saved.emit()
        else:
            self._save_failed(panel_error)

    def _save_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        self.save_failed.emit()
        if isinstance(exc, ValidationError):
            if exc.field == "panel":
                self.panel.show_error(exc.message)
            else:
                self.form.show_error(exc.field, exc.message)
                field = self.form.shown_field
                if field is not None:  # the message is under the Save bar; its field in view
                    self.settings_scroll.ensureWidgetVisible(field)
        elif isinstance(exc, ConflictError):
            self.dialog = ask_about_conflict(
                self,
                exc,
                what="this stage",
                keep_mine=lambda: self.save(overwrite=True),
                load_theirs=self.revert_requested.emit,
                done=self._question_closed,
            )
        else:
            self.dialog = error_box(self, exc, "Saving the stage")

    def _question_closed(self) -> None:
        self.dialog = None

    # --- people --------------------------------------------------------------------

    def ask_new_person(self) -> None:
        from ui.stages.dialogs import PersonDialog

        dialog = PersonDialog(self.context, self)
        dialog.saved.connect(self._person_added)
        self.dialog = dialog
        dialog.open()

    def _person_added(self, person: Any) -> None:
        self.dialog = None
        self.panel.set_people(sorted([*self.panel.people, person], key=lambda p: p.name))
        self.panel.add_person(person)
