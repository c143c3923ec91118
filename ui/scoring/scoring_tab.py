"""The Scoring tab: choose the stage and panel member, then score candidates by keyboard."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSlider,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import RecruitError
from recruit_app.services.applications import StageApplications, stage_applications
from recruit_app.services.plans import StagePlan, stage_plan
from recruit_app.services.scoring import ScoringScreen, scoring_screen
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.scoring.actions import ScoringActions
from ui.scoring.detail import DetailPanel
from ui.scoring.drafts import DraftEditing
from ui.scoring.reader import ApplicationReader
from ui.scoring.sheet_model import SheetModel, points_words
from ui.scoring.sheet_view import ScoreTable
from ui.widgets import FlowLayout, MessageLine, MessagePanel, load_waits

if TYPE_CHECKING:
    from ui.scoring.sheet_model import Key

REFRESH_ON = frozenset(
    {
        change_bus.SCORES,
        change_bus.CANDIDATES,
        change_bus.STAGES,
        change_bus.DATABASE,
        change_bus.APPLICATIONS,
    }
)
# The applications are read again after these; after the first two nothing read before is
# shown meanwhile (the stage may have become name-blind, or it is another database).
APPLICATIONS_HIDDEN_ON = frozenset({change_bus.STAGES, change_bus.DATABASE})
APPLICATIONS_ON = APPLICATIONS_HIDDEN_ON | {change_bus.CANDIDATES, change_bus.APPLICATIONS}
READING_APPLICATIONS = "Reading the applications…"
NOTE_STYLE = "color: #5f6368;"
WARNING_STYLE = "color: #b00020;"
HOLD_WARNING_S = 4.0  # a refusal stays in the status line this long over routine news
BANNER_STYLE = "background: #fdf0d5; border: 1px solid #e8c77a; border-radius: 3px; padding: 6px;"
DEVIATION_TIP = (
    "Record how the interview with the current candidate departed from the question plan: "
    "a question left out, added or asked differently."
)
NO_PLAN_TIP = (
    "{stage} has no question plan, so there is nothing to depart from: its questions are "
    "set on the Stages tab."
)
EVIDENCE_KEYS = "Ctrl+E"
KEYS_HINT = (
    "Type a score and press Enter or Tab to save it as a draft and move on. "
    "Delete clears a score; Esc drops what is typed. "
    f"{EVIDENCE_KEYS} writes the evidence for the score, and {EVIDENCE_KEYS} or Esc comes back."
)


def _note(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


class ScoringTab(QWidget):
    """Reads in a worker; every draft, submission and declaration is saved on the writer."""

    loaded = Signal()  # after each (re)load from the database
    saved = Signal(object)  # a draft's key (candidate id, cell id), once saved
    changed = Signal()  # after a submission, declaration or import is saved and shown
    exported = Signal(object)  # the workbook written
    imported = Signal(object)  # the import report
    applications_loaded = Signal()  # the stage's applications read and given to the reader
    plan_checked = Signal()  # whether the stage has a question plan is known (has_plan)
    deviation_recorded = Signal(object)  # the DeviationView recorded

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scoringTab")
        self.context = context
        self.campaign_id = campaign_id
        self.data: ScoringScreen | None = None
        self.stage_id: int | None = None
        self.assessor_id: int | None = None
        self.by_criterion = False
        self.dialog: QWidget | None = None  # the question or dialog open now, if any
        self._serial = 0
        self._publishing = False
        self._warning_until = 0.0
        # The stage whose applications the reader has (or is reading), and reads started:
        # the result of an older one is dropped.
        self._applications_stage: int | None = None
        self._applications_stale = False
        self._applications_serial = 0
        # Whether the sheet's stage has a question plan to depart from, read beside the sheet.
        self.has_plan = False
        self._plan_stage: int | None = None
        self._plan_stale = False
        self._plan_serial = 0
        self.commands = ScoringActions(self)
        self.model = SheetModel(self)
        self._build()
        self.setFocusProxy(self.table)  # opening the tab puts the keyboard on the sheet
        self.drafts = DraftEditing(self)
        context.bus.changed.connect(self._bus_changed)
        self.update_buttons()

    # --- building ------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build(self) -> None:
        a = self.commands
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stageCombo")
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.stage_combo.activated.connect(self._stage_chosen)
        self.member_combo = QComboBox()
        self.member_combo.setObjectName("memberCombo")
        self.member_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.member_combo.activated.connect(self._member_chosen)
        self.stage_info = _note("stageInfo")
        self.role_note = _note("roleNote")
        self.by_criterion_box = QCheckBox("Sift by &criterion")
        self.by_criterion_box.setObjectName("siftByCriterion")
        self.by_criterion_box.setToolTip(
            "Review one criterion across every candidate before the next, in an order "
            "shuffled for this panel member"
        )
        self.by_criterion_box.toggled.connect(self._by_criterion_toggled)
        self.move_down_box = QCheckBox("Move &down the column")
        self.move_down_box.setObjectName("moveDown")
        self.move_down_box.setToolTip(
            "Enter and Tab move to the next candidate, not the next criterion"
        )
        self.move_down_box.toggled.connect(self._move_down_toggled)
        self.show_applications_box = QCheckBox("Show &applications")
        self.show_applications_box.setObjectName("showApplications")
        self.show_applications_box.setToolTip(
            "Read the candidate's application beside the sheet: the answer to the criterion "
            "being scored is highlighted (alone when sifting by criterion)"
        )
        self.show_applications_box.setChecked(True)
        self.show_applications_box.hide()  # until the stage's applications are read
        self.show_applications_box.toggled.connect(self._show_applications_toggled)
        self.submit_button = self._button(
            "&Submit…", "submitScores", a.ask_submit,
            "Submit the selected candidates' scores (or every complete one); they are then final",
        )  # fmt: skip
        self.conflict_button = self._button(
            "Declare a co&nflict…", "declareConflict", a.ask_conflict,
            "Declare a conflict of interest with the current candidate",
        )  # fmt: skip
        self.deviation_button = self._button(
            "Record a de&parture from the plan…", "recordDeviation", a.ask_deviation,
            DEVIATION_TIP,
        )  # fmt: skip
        self.export_button = self._button(
            "&Export scoring workbook…", "exportWorkbook", a.ask_export,
            "An Excel workbook this panel member can score offline",
        )  # fmt: skip
        self.import_button = self._button(
            "&Import scores…", "importScores", a.ask_import,
            "Scores from an offline workbook, or a CSV file with candidate_number, criterion, "
            "assessor, score and evidence columns",
        )  # fmt: skip
        self.banner = QLabel()
        self.banner.setObjectName("sheetBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.status = MessageLine("scoringStatus", lines=2, text="Loading…")
        self.table = ScoreTable()
        self.table.setObjectName("scoreTable")
        self.table.setAccessibleName("Scoring sheet")
        self.table.setModel(self.model)
        self.table.refused.connect(self._refused)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.message = MessagePanel()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.message)
        self.detail = DetailPanel()
        self.reader = ApplicationReader()
        to_evidence = QShortcut(QKeySequence(EVIDENCE_KEYS), self)
        to_evidence.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        to_evidence.activated.connect(self.toggle_evidence)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.detail.evidence)
        back.setContext(Qt.ShortcutContext.WidgetShortcut)
        back.activated.connect(self.back_to_sheet)
        for keys, step in (("Alt+PgDown", 1), ("Alt+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self._page_reader(step))
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Stage"))
        top.addWidget(self.stage_combo)
        top.addSpacing(12)
        top.addWidget(QLabel("Scoring as"))
        top.addWidget(self.member_combo)
        top.addSpacing(12)
        top.addWidget(self.stage_info, 1)
        tools = FlowLayout()  # wraps in a narrow window
        for widget in (self.by_criterion_box, self.move_down_box, self.show_applications_box):
            tools.addWidget(widget)
        for button in (
            self.submit_button,
            self.conflict_button,
            self.deviation_button,
            self.export_button,
            self.import_button,
        ):
            tools.addWidget(button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.stack, 1)
        column.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("scoringSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.reader)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([640, 390, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.role_note)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        # Never replace the sheet under a save on its way: it would show the old value.
        self.drafts.flush_evidence()
        if self.drafts.busy:
            self.drafts.reload_when_idle = True
            return
        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._load_failed(exc)
            return
        self._serial += 1
        serial = self._serial
        args = (ctx, self.campaign_id, self.stage_id, self.assessor_id, self.by_criterion)

        def done(data: ScoringScreen) -> None:
            if serial == self._serial:  # a newer load is on its way otherwise
                self.fill(data)

        # Sifting by criterion records the member's shuffle the first time: that is a write.
        runner = self.context.writes if self.by_criterion else self.context.reads
        runner.start(lambda: scoring_screen(*args), done, self._load_failed)

    def fill(self, data: ScoringScreen) -> None:
        old = self.data
        # The same sheet in the same order keeps the cursor (and the last message) in place.
        same_sheet = (
            old is not None
            and old.sheet is not None
            and (data.stage_id, data.assessor_id, data.by_criterion)
            == (old.stage_id, old.assessor_id, old.by_criterion)
        )
        here = self.model.key_at(self.table.currentIndex()) if same_sheet else None
        self.data = data
        self.stage_id, self.assessor_id = data.stage_id, data.assessor_id
        self._fill_combos(data)
        self.drafts.evidence_target = None
        self.drafts.forget_others()
        self.model.set_sheet(data.sheet)
        self.table.fit_columns()
        self._show_sheet_state(data, keep_status=same_sheet)
        self._place_cursor(here)
        self.drafts.show_current()
        self._read_applications(data)
        self._read_plan(data)
        self.show_application()
        self.update_buttons()
        self.loaded.emit()

    def _fill_combos(self, data: ScoringScreen) -> None:
        self.stage_combo.clear()
        for stage in data.stages:
            self.stage_combo.addItem(
                f"{stage.name} (final)" if stage.finalised else stage.name, stage.id
            )
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(data.stage_id)))
        self.member_combo.clear()
        for member in data.members:
            self.member_combo.addItem(member.name, member.person_id)
        self.member_combo.setCurrentIndex(max(0, self.member_combo.findData(data.assessor_id)))
        self.stage_combo.setEnabled(len(data.stages) > 1)
        panel_member = self.context.actor.role == "panel_member"
        self.member_combo.setEnabled(len(data.members) > 1 and not panel_member)
        if panel_member:
            self.role_note.setText(
                "You see and enter your own scores only. Other assessors' scores for a "
                "candidate appear once you have submitted yours."
            )
        else:
            self.role_note.setText(
                "As a manager you may enter paper scores for any panel member: they are saved "
                "as the member chosen in Scoring as, who then sees others' scores once submitted."
            )

    def _show_sheet_state(self, data: ScoringScreen, *, keep_status: bool) -> None:
        sheet = data.sheet
        empty = self._empty_message(data)
        self.stack.setCurrentWidget(self.message if empty else self.table)
        self.message.show_message(empty or "")
        if sheet is None:
            self.stage_info.setText("")
            self.banner.hide()
            self.say("")
            return
        parts = [
            f"{len(sheet.candidates)} candidates",
            f"{len(sheet.criteria)} criteria",
            f"scores {points_words(sheet.scale.values)}",
            # Criteria on a scale of their own: a strength's 1 to 4 beside behaviours' 1 to 7.
            *(
                f"{c.code} {points_words(c.scale.values)}"
                for c in sheet.criteria
                if c.scale is not None and c.scale != sheet.scale
            ),
        ]
        pass_marks = {c.pass_mark for c in sheet.criteria if c.pass_mark is not None}
        if len(pass_marks) == 1:
            parts.append(f"pass mark {pass_marks.pop()}")
        parts.append("name-blind: candidate numbers only" if sheet.name_blind else "names shown")
        self.stage_info.setText(" · ".join(parts))
        banners = []
        if sheet.finalised:
            banners.append(
                f"The results of {sheet.stage_name} are final, so its scores are locked: "
                "you can read them here but not change them."
            )
        if data.by_criterion:
            banners.append(
                f"Sifting by criterion: the criteria and candidates are in an order shuffled "
                f"for {sheet.assessor_name} and recorded, so each criterion is reviewed across "
                "everyone before the next. Enter moves down the column."
            )
        self.banner.setText("\n".join(banners))
        self.banner.setVisible(bool(banners))
        if not keep_status:
            self.say("" if sheet.finalised or empty else KEYS_HINT)

    def _empty_message(self, data: ScoringScreen) -> str | None:
        sheet = data.sheet
        if not data.stages:
            if self.context.actor.role == "panel_member":
                return "You are not on the panel for any scoring stage of this campaign."
            return "This campaign has no scoring stages yet: add them on the Stages tab."
        stage = next((s for s in data.stages if s.id == data.stage_id), None)
        if sheet is None:
            name = stage.name if stage else "this stage"
            return f"Nobody is on the panel for {name} yet: choose the panel on the Stages tab."
        if not sheet.criteria:
            return (
                f"No criteria are assessed at {sheet.stage_name} yet: choose them in the "
                "assessment matrix on the Stages tab."
            )
        if not sheet.candidates:
            return f"{sheet.assessor_name} has no candidates to score at {sheet.stage_name} yet."
        return None

    def _place_cursor(self, key: Key | None) -> None:
        model = self.model
        index = model.index_of(key) if key is not None else QModelIndex()
        if not index.isValid() and model.rowCount() and model.criteria_count:
            row = next((r for r in range(model.rowCount()) if not model.is_locked(r)), 0)
            index = model.index(row, 1)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _load_failed(self, exc: BaseException) -> None:
        if self._applications_stage is None:  # waiting for a sheet that did not come
            self.reader.set_applications(None)
        if isinstance(exc, RecruitError):
            self.say(f"The scores could not be read: {exc.message}", warning=True)
        else:
            self.dialog = error_box(self, exc, "Scoring")

    def _stage_chosen(self, index: int) -> None:
        self.stage_id = self.stage_combo.itemData(index)
        self.load()

    def _member_chosen(self, index: int) -> None:
        self.assessor_id = self.member_combo.itemData(index)
        self.load()

    def _by_criterion_toggled(self, on: bool) -> None:
        self.by_criterion = on
        if on:
            self.move_down_box.setChecked(True)
        self.load()
        self.table.setFocus()

    def _move_down_toggled(self, on: bool) -> None:
        self.table.move_down = on
        self.table.setFocus()

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if topics & APPLICATIONS_HIDDEN_ON:
            self._applications_stage = None  # read again at the next fill, shown meanwhile
            self._applications_serial += 1  # a read on its way is of the old settings
            self.reader.show_message(READING_APPLICATIONS)
        elif topics & APPLICATIONS_ON:
            self._applications_stale = True
        if topics & APPLICATIONS_HIDDEN_ON:  # a plan is saved with the stages
            self._plan_stale = True
        if topics & REFRESH_ON and not self._publishing:
            self.load()

    def _publish(self, *topics: str) -> None:
        self._publishing = True
        try:
            self.context.bus.publish(*topics)
        finally:
            self._publishing = False

    def publish_scores(self) -> None:
        self.drafts.publish_timer.stop()
        self._publish(change_bus.SCORES)

    def changed_by_action(self) -> None:
        """After a submission, declaration or import: show it, then tell the other views."""
        self.load()
        self.changed.emit()
        self.publish_scores()

    def toggle_evidence(self) -> None:
        """From the sheet to the current score's evidence note, and back."""
        if self.detail.evidence.hasFocus():
            self.back_to_sheet()
            return
        if not self.table.take_typed(keep_refused=True):
            return  # the refused entry is said beside its cell first
        if self.detail.evidence_box.isEnabled() and not self.detail.evidence.isReadOnly():
            self.detail.evidence.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.say("This score's evidence cannot be written here now.", warning=True)

    def back_to_sheet(self) -> None:
        self.drafts.flush_evidence()  # the note is saved as the cell is left
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def flush_evidence(self) -> None:
        self.drafts.flush_evidence()

    # --- the current cell ----------------------------------------------------------------

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.drafts.flush_evidence()  # the note typed belongs to the cell being left
        self.drafts.show_current()
        self.show_application()
        self.update_buttons()

    # --- the application beside the sheet ----------------------------------------------------

    def _read_applications(self, data: ScoringScreen) -> None:
        """Read the stage's applications in a worker when the sheet shows another stage (or
        they changed); the reader shows them from memory as the cursor moves."""
        stage_id = data.stage_id if data.sheet is not None else None
        if stage_id == self._applications_stage and not self._applications_stale:
            return
        self._applications_stage, self._applications_stale = stage_id, False
        self._applications_serial += 1
        serial = self._applications_serial
        if stage_id is None:
            self.reader.set_applications(None)
            self._applications_shown()
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._applications_stage = None  # tried again at the next fill
            self.reader.show_message(f"The applications could not be read: {exc.message}")
            return
        if self.reader.applications is None or self.reader.applications.stage_id != stage_id:
            self.reader.show_message(READING_APPLICATIONS)

        def done(found: StageApplications) -> None:
            if serial != self._applications_serial:
                return  # read for an earlier stage, or before a change
            sheet = self.model.sheet
            panel_member = self.context.actor.role == "panel_member"
            if panel_member and sheet is not None and sheet.name_blind and not found.redacted:
                # Never shown: a panel member reads a name-blind stage's redacted text only.
                self.reader.show_message(
                    "The applications cannot be shown: this stage is name-blind."
                )
            else:
                self.reader.set_applications(found)
            self._applications_shown()
            self.applications_loaded.emit()

        def failed(exc: BaseException) -> None:
            if serial != self._applications_serial:
                return
            self._applications_stale = True  # tried again at the next fill
            if isinstance(exc, RecruitError):
                self.reader.show_message(f"The applications could not be read: {exc.message}")
            else:
                self.reader.show_message("The applications could not be read.")
                self.dialog = error_box(self, exc, "Scoring")

        def read(stage: int = stage_id) -> StageApplications:
            return stage_applications(ctx, stage)

        # Not busy: the sheet can be scored while the applications are read.
        self.context.reads.start(read, done, failed, busy=False)

    # --- the question plan -------------------------------------------------------------------

    def _read_plan(self, data: ScoringScreen) -> None:
        """Whether the sheet's stage has a question plan, read in a worker when the sheet
        shows another stage (or the stages changed): a departure needs a plan to depart from."""
        stage_id = data.stage_id if data.sheet is not None else None
        if stage_id == self._plan_stage and not self._plan_stale:
            return
        self._plan_stage, self._plan_stale, self.has_plan = stage_id, False, False
        self._plan_serial += 1
        serial = self._plan_serial
        if stage_id is None:
            self.plan_checked.emit()
            return
        try:
            ctx = self.context.service_context()
        except RecruitError:
            self._plan_stale = True  # tried again at the next fill
            return

        def done(plan: StagePlan) -> None:
            if serial == self._plan_serial:
                self.has_plan = plan.questions > 0
                self.update_buttons()
                self.plan_checked.emit()

        def failed(_exc: BaseException) -> None:
            if serial == self._plan_serial:  # the button stays off; tried again next fill
                self._plan_stale = True
                self.update_buttons()
                self.plan_checked.emit()

        def read(stage: int = stage_id) -> StagePlan:
            return stage_plan(ctx, stage)

        self.context.reads.start(read, done, failed, busy=False)

    def _applications_shown(self) -> None:
        """The toggle only where there is something to show; the reader as it says."""
        self.show_applications_box.setVisible(self.reader.has_applications)
        self.reader.setVisible(self.show_applications_box.isChecked())

    def show_application(self) -> None:
        """Put the current cell's candidate in the reader, with its criterion's answer."""
        model, index = self.model, self.table.currentIndex()
        if model.sheet is None or not 0 <= index.row() < model.rowCount():
            self.reader.show_candidate(None, None, one_criterion=False)
            return
        candidate, criterion = model.candidate_at(index.row()), model.criterion_at(index.column())
        self.reader.show_candidate(
            candidate.id,
            criterion.code if criterion is not None else None,
            one_criterion=self.data is not None and self.data.by_criterion,
            label=candidate.label,
        )

    def _show_applications_toggled(self, on: bool) -> None:
        self.reader.setVisible(on)
        self.table.setFocus()

    def _page_reader(self, step: int) -> None:
        """Scroll the application a page without the keyboard leaving the sheet."""
        if self.reader.isVisible():
            self.reader.text.verticalScrollBar().triggerAction(
                QAbstractSlider.SliderAction.SliderPageStepAdd
                if step > 0
                else QAbstractSlider.SliderAction.SliderPageStepSub
            )

    def update_buttons(self) -> None:
        sheet, model = self.model.sheet, self.model
        row = self.table.currentIndex().row()
        open_sheet = sheet is not None and not sheet.finalised
        self.submit_button.setEnabled(
            open_sheet and any(not model.is_locked(r) for r in range(model.rowCount()))
        )
        self.conflict_button.setEnabled(
            open_sheet and 0 <= row < model.rowCount() and not model.candidate_at(row).conflict
        )
        self._update_deviation_button(row)
        self.export_button.setEnabled(sheet is not None)
        self.import_button.setEnabled(self.stage_id is not None and open_sheet)
        self.by_criterion_box.setEnabled(sheet is not None)

    def _update_deviation_button(self, row: int) -> None:
        sheet, button = self.model.sheet, self.deviation_button
        on_a_candidate = sheet is not None and 0 <= row < self.model.rowCount()
        planned = sheet is not None and self.has_plan and self._plan_stage == sheet.stage_id
        button.setEnabled(on_a_candidate and planned)
        if sheet is not None and self._plan_stage == sheet.stage_id and not self.has_plan:
            button.setToolTip(NO_PLAN_TIP.format(stage=sheet.stage_name))
        elif on_a_candidate:
            label = self.model.candidate_at(row).label
            button.setToolTip(f"{DEVIATION_TIP} Now: {label}.")
        else:
            button.setToolTip(DEVIATION_TIP)

    def _refused(self, message: str) -> None:
        self.say(message, warning=True)

    def say(self, text: str, *, warning: bool = False, routine: bool = False) -> None:
        """Put news in the status line; a refusal is not pushed out at once by routine news."""
        now = time.monotonic()
        if routine and now < self._warning_until:
            return
        self._warning_until = now + HOLD_WARNING_S if warning else 0.0
        self.status.setStyleSheet(WARNING_STYLE if warning else "")
        self.status.setText(text)

    def hideEvent(self, event: QHideEvent) -> None:
        self.drafts.flush_evidence()  # closing the window must not drop a note
        super().hideEvent(event)
