"""The Fairness tab: each stage's selection rates by group for one monitoring question,
impact ratios flagged below 0.8 (a monitoring flag, never a finding), p-values, and a
chart; small numbers suppressed as the core does. Only for those who may monitor."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.equality import Characteristic
from recruit_app.domain.fairness import FairnessReport, suppressed_text
from recruit_app.errors import RecruitError
from recruit_app.readmodels import GROUPS_NOTE, UK_LAW_NOTE, FairnessLine
from recruit_app.services.context import ServiceContext
from recruit_app.services.equality import fairness_figures
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.fairness.chart import FairnessChart
from ui.fairness.model import FairnessModel
from ui.widgets import load_waits

ALL_STAGES = "All stages"
REFRESH_ON = frozenset(
    {change_bus.SCORES, change_bus.CANDIDATES, change_bus.STAGES, change_bus.DATABASE}
)


@dataclass(frozen=True)
class FairnessData:
    """What the tab shows, from one read: every question's lines, stage by stage."""

    threshold: int
    stages: tuple[str, ...]
    characteristics: tuple[tuple[str, str], ...]  # (code, label), in the configured order
    lines: dict[str, tuple[FairnessLine, ...]] = field(default_factory=dict)  # by code

    @classmethod
    def of(
        cls, characteristics: tuple[Characteristic, ...], report: FairnessReport
    ) -> FairnessData:
        stages = tuple(dict.fromkeys(row.stage for row in report.rows))
        lines = {
            c.code: tuple(
                FairnessLine.of(row, c) for row in report.rows if row.characteristic == c.code
            )
            for c in characteristics
        }
        labels = tuple((c.code, c.label) for c in characteristics)
        return cls(report.threshold, stages, labels, lines)


def read_fairness(ctx: ServiceContext, campaign_id: int) -> FairnessData:
    """In a worker: every question's figures for every stage, in one read (refused to
    anyone who may not monitor)."""
    report = fairness_figures(ctx, campaign_id)
    return FairnessData.of(report.characteristics, report)


def shown(line: FairnessLine) -> bool:
    """Every suppressed line and total; a group's only when someone of it entered (the
    campaign report leaves out the same)."""
    return line.suppressed or line.total or bool(line.entered)


class FairnessTab(QWidget):
    loaded = Signal()  # after each (re)load from the database

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fairnessTab")
        self.context = context
        self.campaign_id = campaign_id
        self.data: FairnessData | None = None
        self.dialog: QWidget | None = None
        self._serial = 0
        self.model = FairnessModel(self)
        self._build()
        context.bus.changed.connect(self._bus_changed)

    def _build(self) -> None:
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("fairnessStage")
        self.stage_combo.setAccessibleName("Stage")
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.stage_combo.activated.connect(lambda _i: self._show())
        self.characteristic_combo = QComboBox()
        self.characteristic_combo.setObjectName("fairnessCharacteristic")
        self.characteristic_combo.setAccessibleName("Monitoring question")
        self.characteristic_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.characteristic_combo.activated.connect(lambda _i: self._show())
        top = QHBoxLayout()
        top.addWidget(QLabel("Stage"))
        top.addWidget(self.stage_combo)
        top.addSpacing(12)
        top.addWidget(QLabel("Question"))
        top.addWidget(self.characteristic_combo)
        top.addStretch(1)
        self.message = QLabel("Loading…")
        self.message.setObjectName("fairnessMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.table.setObjectName("fairnessTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.model.modelReset.connect(self._fit)
        self.chart = FairnessChart()
        scroller = QScrollArea()
        scroller.setObjectName("fairnessChartArea")
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.chart)
        scroller.setMinimumHeight(120)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("fairnessSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(scroller)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.note = QLabel()
        self.note.setObjectName("fairnessNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._set_note(5)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.note)

    def _fit(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(self.model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share_room()

    def _share_room(self) -> None:
        """The table as tall as its rows (up to half the room), the chart the rest."""
        room = sum(self.splitter.sizes())
        if room <= 0:
            return
        rows = self.model.rowCount() * self.table.verticalHeader().defaultSectionSize()
        wanted = rows + self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 4
        table = min(wanted, room // 2) if self.chart.panels else room
        self.splitter.setSizes([table, room - table])

    def _set_note(self, threshold: int) -> None:
        hidden = suppressed_text(threshold)
        self.note.setText(
            f"{UK_LAW_NOTE} The impact ratio is a group's selection rate over the highest "
            "rate among the groups shown; the p-value (Fisher's exact test) is how likely a "
            f"difference at least as big would be by chance. {GROUPS_NOTE} Figures for "
            f"fewer than {threshold} candidates, and any that would give them away, show "
            f"\u201c{hidden}\u201d."
        )

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
        serial, campaign_id = self._serial, self.campaign_id

        def done(data: FairnessData) -> None:
            if serial == self._serial:  # a newer load is on its way otherwise
                self.fill(data)

        self.context.reads.start(lambda: read_fairness(ctx, campaign_id), done, self._load_failed)

    def fill(self, data: FairnessData) -> None:
        self.data = data
        stage = self.stage_combo.currentText() or ALL_STAGES
        code = self.characteristic_combo.currentData() or "sex"
        self.stage_combo.clear()
        self.stage_combo.addItem(ALL_STAGES, None)
        for name in data.stages:
            self.stage_combo.addItem(name, name)
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findText(stage)))
        self.characteristic_combo.clear()
        for c_code, label in data.characteristics:
            self.characteristic_combo.addItem(label, c_code)
        self.characteristic_combo.setCurrentIndex(max(0, self.characteristic_combo.findData(code)))
        self._set_note(data.threshold)
        self._show()
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RecruitError):
            self.message.setText(f"The fairness figures could not be read: {exc.message}")
            self.message.show()
        else:
            self.dialog = error_box(self, exc, "Fairness")

    def _bus_changed(self, topics: frozenset[str]) -> None:
        if topics & REFRESH_ON:
            self.load()

    # --- showing -------------------------------------------------------------------------

    def choose(self, stage: str | None, characteristic: str) -> None:
        """Pick a stage (None: all) and a question, as a person would."""
        self.stage_combo.setCurrentIndex(0 if stage is None else self.stage_combo.findData(stage))
        self.characteristic_combo.setCurrentIndex(
            self.characteristic_combo.findData(characteristic)
        )
        self._show()

    def lines(self) -> list[FairnessLine]:
        """The lines shown for the stage and question chosen."""
        data = self.data
        if data is None:
            return []
        stage = self.stage_combo.currentData()
        every = data.lines.get(self.characteristic_combo.currentData() or "", ())
        return [line for line in every if shown(line) and stage in (None, line.stage)]

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        hidden = suppressed_text(data.threshold)
        lines = self.lines()
        # Before the reset: the columns are sized to their contents as it ends.
        self.table.setColumnHidden(0, self.stage_combo.currentData() is not None)
        self.model.set_lines(lines, hidden)
        self.chart.set_lines(lines, hidden)
        self._share_room()
        answered = any(not line.total and line.compared for line in lines)
        self.message.setText(
            ""
            if answered
            else "No candidate of this campaign has answered this question yet: everyone "
            "is counted as \u201cNot answered\u201d."
        )
        self.message.setVisible(not answered)
