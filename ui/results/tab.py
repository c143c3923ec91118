"""The Results tab: a stage's merit order, what blocks finalising, moderation and consistency."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import RecruitError
from recruit_app.services.results import NO_RESULTS, ResultsScreen, results_screen
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.results import sentences
from ui.results.actions import ResultsActions
from ui.results.consistency_model import ConsistencyModel
from ui.results.merit_model import ROW_ROLE, MeritModel
from ui.results.moderation_model import ModerationModel
from ui.widgets import FlowLayout, MessageLine, load_waits

if TYPE_CHECKING:
    from recruit_app.services.results import ModerationPair, ResultRow, ResultsView

FIT_ROWS = 60  # rows a column's width is measured on: two screenfuls
SELECT_ROWS = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
REFRESH_ON = frozenset(
    {change_bus.SCORES, change_bus.CANDIDATES, change_bus.STAGES, change_bus.DATABASE}
)
# Button text, and what it is for; "appoint" and "reserve" need a candidate who passed.
OUTCOME_BUTTONS = (
    ("progress", "Progress…", "Send the selected candidate on to the next stage"),
    ("reserve", "Reserve list…", "Put the selected candidate on the reserve list"),
    ("appoint", "&Appoint…", "Appoint the selected candidate"),
    ("withdrawn", "Withdrawn…", "Record that the selected candidate withdrew"),
    ("reject", "Reject…", "Reject the selected candidate"),
)
BOX_STYLES = {
    "blocked": "#finaliseBox { background: #fff8e1; border: 1px solid #e6c36a; }",
    "ready": "#finaliseBox { background: #eef4fb; border: 1px solid #b6cde8; }",
    "final": "#finaliseBox { background: #e8f5e9; border: 1px solid #a5d6a7; }",
}


def _may(context: AppContext, use_case: str) -> bool:
    from recruit_app.services.permissions import ALLOWED

    return context.actor.role in ALLOWED[use_case]


class ResultsTab(QWidget):
    """Reads in a worker; each change runs on the writer, then the tab reads again."""

    loaded = Signal()  # after each (re)load from the database
    changed = Signal()  # after a change is saved and the tab shows it
    exported = Signal(object)  # the Path of the results file written

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resultsTab")
        self.context = context
        self.campaign_id = campaign_id
        self.data: ResultsScreen = NO_RESULTS
        self.stage_id: int | None = None
        self.dialog: QWidget | None = None
        self._serial = 0
        self._publishing = False
        self._announce = False
        self._reading: set[tuple[int, int]] = set()  # pairs whose evidence is being read
        self.commands = ResultsActions(self)
        self.may_manage = _may(context, "campaign.manage")
        self.merit_model = MeritModel(self)
        self.moderation_model = ModerationModel(self)
        self.consistency_model = ConsistencyModel(self)
        self._build()
        context.bus.changed.connect(self._bus_changed)
        self._update_buttons()

    @property
    def results(self) -> ResultsView | None:
        return self.data.results

    # --- building ------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _table(self, name: str, model: QAbstractItemModel) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Columns are measured on the first rows, once per reload: measured on every row and
        # again at each change (ResizeToContents), 10,000 rows cost seconds, and an
        # outcome's one changed row measured them all again.
        header.setResizeContentsPrecision(FIT_ROWS)

        def fit() -> None:
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.resizeColumnsToContents()
            # The last column (flags, agreed, label) takes what is left and elides; sized to
            # its contents it would push the table into a sideways scroll.
            if model.columnCount() > 0:
                header.setSectionResizeMode(model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)

        model.modelReset.connect(fit)
        fit()
        table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        return table

    def _build(self) -> None:
        a = self.commands
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stageCombo")
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.stage_combo.activated.connect(self._stage_chosen)
        self.stage_info = QLabel()
        self.stage_info.setObjectName("stageInfo")
        self.stage_info.setWordWrap(True)
        self.export_button = self._button(
            "&Export…", "exportResults", a.ask_export, "The merit order as a CSV or Excel file"
        )
        top = QHBoxLayout()
        top.addWidget(QLabel("Stage"))
        top.addWidget(self.stage_combo)
        top.addWidget(self.stage_info, 1)
        top.addWidget(self.export_button)
        self.pages = QTabWidget()
        self.pages.setObjectName("resultsPages")
        self.pages.addTab(self._merit_page(), "Merit order")
        self.pages.addTab(self._moderation_page(), "Moderation")
        self.pages.addTab(self._consistency_page(), "Assessor consistency")
        self.status = MessageLine("resultsStatus", lines=2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._finalise_box())
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)

    def _finalise_box(self) -> QFrame:
        self.finalise_box = QFrame()
        self.finalise_box.setObjectName("finaliseBox")
        self.blockers = QLabel("Loading…")
        self.blockers.setObjectName("blockers")
        self.blockers.setWordWrap(True)
        self.blockers.setTextFormat(Qt.TextFormat.PlainText)
        self.blockers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tie_button = self._button(
            "Settle the &tie…", "settleTie", self.commands.settle_tie,
            "Record who of the candidates tied at the cut-off progresses, and why",
        )  # fmt: skip
        self.override_button = self._button(
            "&Override overall score…", "overrideOverall", self.commands.override,
            "The chair overrides the selected candidate's overall score, with the reason",
        )  # fmt: skip
        self.finalise_button = self._button(
            "&Finalise results…", "finaliseResults", self.commands.finalise,
            "Give every candidate an outcome and lock the scores",
        )  # fmt: skip
        row = QHBoxLayout(self.finalise_box)
        row.addWidget(self.blockers, 1)
        row.addWidget(self.tie_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.finalise_button, 0, Qt.AlignmentFlag.AlignTop)
        return self.finalise_box

    def _merit_page(self) -> QWidget:
        # The rules that hide something from a panel member, in their words (access.py).
        self.merit_notice = QLabel()
        self.merit_notice.setObjectName("meritNotice")
        self.merit_notice.setWordWrap(True)
        self.merit_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.merit_notice.hide()
        self.merit_table = self._table("meritTable", self.merit_model)
        self.merit_summary = QLabel()
        self.merit_summary.setObjectName("meritSummary")
        self.outcome_buttons: dict[str, QPushButton] = {}
        self.outcome_bar = QWidget()
        self.outcome_bar.setObjectName("outcomeBar")
        self.outcome_bar.setVisible(self.may_manage)  # the core refuses the rest anyway
        line = FlowLayout(self.outcome_bar)  # wraps in a narrow window
        line.addWidget(QLabel("Outcome for the selected candidate:"))
        for kind, text, tip in OUTCOME_BUTTONS:
            chosen = partial(self.commands.outcome, kind)
            button = self._button(text, f"{kind}Outcome", lambda _c=False, f=chosen: f(), tip)
            self.outcome_buttons[kind] = button
            line.addWidget(button)
        self.extend_button = self._button(
            "E&xtend reserve…", "extendReserve", self.commands.extend,
            "Keep the selected candidate on the reserve list for longer, with approval",
        )  # fmt: skip
        self.expire_button = self._button(
            "Expire old reserve entries…", "expireReserves", self.commands.ask_expire,
            "Reject everyone in this campaign whose reserve list entry has run out",
        )  # fmt: skip
        self.feedback_button = self._button(
            "Fee&dback…", "feedbackButton", self.commands.feedback,
            "The panel's feedback to the selected candidate, printed in their outcome letter",
        )  # fmt: skip
        line.addWidget(self.extend_button)
        line.addWidget(self.feedback_button)
        line.addWidget(self.expire_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.merit_notice)
        layout.addWidget(self.merit_table, 1)
        layout.addWidget(self.outcome_bar)
        layout.addWidget(self.merit_summary)
        return page

    def _moderation_page(self) -> QWidget:
        self.moderation_hint = QLabel()
        self.moderation_hint.setObjectName("moderationHint")
        self.moderation_hint.setWordWrap(True)
        self.show_all = QCheckBox("Show every pair")
        self.show_all.setObjectName("showAllPairs")
        self.show_all.toggled.connect(self._show_all_toggled)
        self.agree_button = self._button(
            "A&gree a score…", "agreeScore", self.commands.agree,
            "Record the score the panel agreed for the selected pair, and why",
        )  # fmt: skip
        self.moderation_table = self._table("moderationTable", self.moderation_model)
        self.moderation_table.doubleClicked.connect(lambda _i: self._agree_if_enabled())
        self.evidence = QLabel()
        self.evidence.setObjectName("pairEvidence")
        self.evidence.setWordWrap(True)
        self.evidence.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        line = QHBoxLayout()
        line.addWidget(self.moderation_hint, 1)
        line.addWidget(self.show_all)
        line.addWidget(self.agree_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(line)
        layout.addWidget(self.moderation_table, 1)
        layout.addWidget(self.evidence)
        return page

    def _consistency_page(self) -> QWidget:
        self.consistency_hint = QLabel()
        self.consistency_hint.setObjectName("consistencyHint")
        self.consistency_hint.setWordWrap(True)
        self.consistency_table = self._table("consistencyTable", self.consistency_model)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.consistency_hint)
        layout.addWidget(self.consistency_table, 1)
        return page

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        if load_waits(self):  # hidden in its campaign window: read when shown
            return
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._load_failed(exc)
            return
        self._serial += 1
        serial, campaign_id, stage_id = self._serial, self.campaign_id, self.stage_id
        every_pair = self.show_all.isChecked()  # 70,000 pairs for a big sift: when asked

        def done(data: ResultsScreen) -> None:
            if serial == self._serial:  # a newer load is on its way otherwise
                self.fill(data)

        self.context.reads.start(
            lambda: results_screen(ctx, campaign_id, stage_id, every_pair=every_pair),
            done,
            self._load_failed,
        )

    def fill(self, data: ResultsScreen) -> None:
        self.data = data
        self.stage_id = data.stage_id
        self.stage_combo.clear()
        for stage in data.stages:
            self.stage_combo.addItem(stage.name + (" (final)" if stage.finalised else ""), stage.id)
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(self.stage_id)))
        self._show()
        self.loaded.emit()
        if self._announce:
            self._announce = False
            self.changed.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._announce = False
        if isinstance(exc, RecruitError):
            self.blockers.setText(f"The results could not be read: {exc.message}")
        else:
            self.dialog = error_box(self, exc, "Results")

    def _stage_chosen(self, index: int) -> None:
        self.stage_id = self.stage_combo.itemData(index)
        self.status.clear()
        self.load()

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if topics & REFRESH_ON and not self._publishing:  # our own changes reload already
            self.load()

    def after_change(self, topics: tuple[str, ...], message: str) -> None:
        """A change was saved: say so, tell the other views, and read the results again."""
        self.status.setText(message)
        self._announce = True
        self._publishing = True
        try:
            self.context.bus.publish(*topics)
        finally:
            self._publishing = False
        self.load()

    def row_changed(self, row: ResultRow, topics: tuple[str, ...], message: str) -> None:
        """One candidate's row changed (an outcome) and no one else's: show it in place,
        with the counts, rather than reading the whole merit order again."""
        view = self.results
        if view is None or self.merit_model.row_of(row.candidate_id) is None:
            self.after_change(topics, message)
            return
        rows = tuple(row if r.candidate_id == row.candidate_id else r for r in view.rows)
        self.data = replace(self.data, results=replace(view, rows=rows))
        self.merit_model.replace_row(row)
        self.status.setText(message)
        self._show_texts()
        self._selection_changed()
        self._publishing = True
        try:
            self.context.bus.publish(*topics)
        finally:
            self._publishing = False
        self.changed.emit()

    # --- showing -------------------------------------------------------------------------

    def _show(self) -> None:
        chosen_row, chosen_pair = self.selected_row(), self.selected_pair()
        view = self.results
        self.merit_model.set_view(view)
        self.moderation_model.set_pairs(self.data.pairs, self.data.scorers)
        self.consistency_model.set_assessors(self.data.assessors)
        self._show_texts()
        if chosen_row is not None:
            self.select_candidate(chosen_row.candidate_id)
        if chosen_pair is not None:
            self.select_pair(chosen_pair.candidate_id, chosen_pair.cell_id)
        self._selection_changed()

    def _show_texts(self) -> None:
        data, view = self.data, self.results
        self.stage_info.setText(sentences.stage_info(data.stage()))
        state, text, detail = sentences.finalise_state(data)
        self.blockers.setText(text)
        self.blockers.setToolTip(detail)
        self.finalise_box.setStyleSheet(BOX_STYLES[state])
        open_ = view is not None and not view.finalised
        self.finalise_button.setVisible(open_ and self.may_manage)
        # Managers, and the chair (who sees the whole merit order); the core decides.
        self.override_button.setVisible(open_ and bool(view and not view.notice))
        self.tie_button.setVisible(open_ and bool(view and view.cutoff_tie))
        settled = view is not None and bool(view.tie_note)
        self.tie_button.setText("Change the &tie decision…" if settled else "Settle the &tie…")
        model = self.moderation_model
        self.moderation_hint.setText(sentences.moderation_hint(data, model.flagged, model.to_agree))
        self.consistency_hint.setText(sentences.consistency_hint(data))
        self.merit_summary.setText(sentences.merit_summary(data))
        notice = " ".join(n for n in (view.notice, view.totals_note) if n) if view else ""
        self.merit_notice.setText(notice)
        self.merit_notice.setVisible(bool(notice))
        # Name-blind: no scheme column for a panel member at all.
        scheme = self.merit_model.column_of("Guaranteed interview")
        self.merit_table.setColumnHidden(scheme, bool(view and view.details_hidden))
        rows = len(view.rows) if view else 0
        self.pages.setTabText(0, f"Merit order ({rows})" if rows else "Merit order")
        agree = f"Moderation ({model.to_agree} to agree)" if model.to_agree else "Moderation"
        self.pages.setTabText(1, agree)

    # --- selection -----------------------------------------------------------------------

    def selected_row(self) -> ResultRow | None:
        rows = self.merit_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def selected_pair(self) -> ModerationPair | None:
        rows = self.moderation_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.moderation_model.rowCount():
            return None
        return self.moderation_model.pair_at(rows[0].row())

    def select_candidate(self, candidate_id: int) -> None:
        self._select(self.merit_table, self.merit_model.row_of(candidate_id))

    def select_pair(self, candidate_id: int, cell_id: int) -> None:
        self._select(self.moderation_table, self.moderation_model.row_of(candidate_id, cell_id))

    def _select(self, table: QTableView, row: int | None) -> None:
        selection = table.selectionModel()
        selection.clearSelection()
        if row is not None:
            flags = SELECT_ROWS
            index = table.model().index(row, 0)
            selection.select(index, flags)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            table.scrollTo(index)
        self._selection_changed()

    def _show_all_toggled(self, on: bool) -> None:
        if on and not self.data.every_pair and self.data.stage_id is not None:
            self.moderation_hint.setText("Reading every pair…")
            self.load()  # the screen read only the pairs to agree and the agreed ones
        chosen = self.selected_pair()
        self.moderation_model.set_show_all(on)
        if chosen is not None:
            self.select_pair(chosen.candidate_id, chosen.cell_id)
        self._selection_changed()

    def _selection_changed(self) -> None:
        pair = self.selected_pair()
        if pair is None:
            self.evidence.setText("Select a pair to read the assessors' evidence.")
        elif not pair.evidence_read:
            self.evidence.setText("Reading the evidence…")
            self.read_evidence(pair)
        else:
            lines = [
                f"{name} ({'—' if value is None else value}): {evidence or 'no evidence note'}"
                for name, value, evidence in pair.scores
            ]
            if pair.agreed is not None:
                lines.append(f"Agreed {pair.agreed}: {pair.rationale}")
            self.evidence.setText("\n".join(lines) or "No submitted scores yet.")
        self._update_buttons()

    def read_evidence(self, pair: ModerationPair, then: Any = None) -> None:
        """Read one pair with its evidence (the screen's list leaves it out); show it, and
        pass it to `then` if given."""
        from recruit_app.services.results import moderation_pair

        key = (pair.candidate_id, pair.cell_id)
        if key in self._reading and then is None:
            return
        self._reading.add(key)
        ctx, stage_id = self.context.service_context(), self.data.stage_id
        assert stage_id is not None  # a pair belongs to the stage shown

        def done(full: ModerationPair) -> None:
            self._reading.discard(key)
            if self.data.stage_id != stage_id:
                return  # another stage is shown now
            self.moderation_model.replace_pair(full)
            chosen = self.selected_pair()
            if chosen is not None and (chosen.candidate_id, chosen.cell_id) == key:
                self._selection_changed()
            if then is not None:
                then(full)

        def failed(exc: BaseException) -> None:
            self._reading.discard(key)
            self._load_failed(exc)

        self.context.reads.start(lambda: moderation_pair(ctx, stage_id, *key), done, failed)

    def _agree_if_enabled(self) -> None:
        if self.agree_button.isEnabled():
            self.commands.agree()

    def _update_buttons(self) -> None:
        view, row, pair = self.results, self.selected_row(), self.selected_pair()
        open_ = view is not None and not view.finalised
        self.export_button.setEnabled(view is not None)
        self.finalise_button.setEnabled(open_)
        self.tie_button.setEnabled(open_ and bool(view and view.cutoff_tie))
        for kind, button in self.outcome_buttons.items():
            allowed = row is not None and row.outcome != kind
            if kind in ("appoint", "reserve"):
                allowed = allowed and row is not None and row.passed
            button.setEnabled(allowed)
        self.extend_button.setEnabled(row is not None and row.outcome == "reserve")
        self.override_button.setEnabled(open_ and row is not None and not row.withheld)
        self.feedback_button.setEnabled(row is not None and row.outcome is not None)
        self.expire_button.setEnabled(view is not None)
        self.agree_button.setEnabled(
            open_ and pair is not None and bool(pair.scores) and bool(self.data.scale)
        )
