"""The Interview slots tab: a stage's slot plan, its slots, and who still needs one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.dates import short_date
from recruit_app.errors import RecruitError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.schedule.slot_actions import SlotActions
from ui.schedule.slot_plan import PlanForm
from ui.schedule.slots_data import SlotsData, read_slots
from ui.schedule.slots_model import SlotsModel, notice_by_slot
from ui.widgets import FlowLayout, MessageLine, guard_wheel, load_waits

if TYPE_CHECKING:
    from recruit_app.services.slots import SlotsView, SlotView
    from recruit_app.services.stages import StageView

# Outcomes decide who is waiting for a slot; candidate edits change names and availability.
REFRESH_ON = frozenset(
    {change_bus.STAGES, change_bus.CAMPAIGNS, change_bus.CANDIDATES, change_bus.DATABASE}
)
SLOT_ID_ROLE = Qt.ItemDataRole.UserRole


class SlotsTab(QWidget):
    """Reads in a worker; each action runs on the writer and shows the view it returns."""

    loaded = Signal()  # after each (re)load from the database
    changed = Signal()  # after a change is saved and shown
    exported = Signal(list)  # the calendar files written

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("slotsTab")
        self.context = context
        self.campaign_id = campaign_id
        self.stages: tuple[StageView, ...] = ()
        self.view: SlotsView | None = None
        self.stage_id: int | None = None
        self.dialog: QWidget | None = None
        self._serial = 0
        self._publishing = False
        self.commands = SlotActions(self)

        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stageCombo")
        self.stage_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.stage_combo.activated.connect(self._stage_chosen)
        self.stage_info = QLabel()
        self.stage_info.setObjectName("stageInfo")
        self.status = MessageLine("slotsStatus", lines=2, text="Loading…")
        self.plan_form = PlanForm()
        self.plan_form.save_button.clicked.connect(lambda: self.commands.save_plan())
        self.plan_form.make_button.clicked.connect(lambda: self.commands.save_plan(make=True))
        self.model = SlotsModel(self)
        self.table = self._build_table()
        self.notice_list, self.notice_box = self._side_list("noticeList", "Notice")
        self.waiting_list, self.waiting_box = self._side_list("waitingList", "Still waiting")
        self.notice_list.itemClicked.connect(self._notice_clicked)
        self._lay_out()
        self._shape_by_role()
        context.bus.changed.connect(self._bus_changed)
        self._update_buttons()

    def _shape_by_role(self) -> None:
        """Someone who may not manage the campaign (a panel member) sees the slots and can
        export calendars; planning, booking and moving are not offered."""
        from recruit_app.services.permissions import may

        if may(self.context.actor, "campaign.manage"):
            return
        self.plan_area.hide()
        for button in (
            self.allocate_button,
            self.add_button,
            self.move_button,
            self.swap_button,
            self.give_button,
            self.free_button,
            self.cancel_button,
        ):
            button.hide()

    # --- building ------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("slotsTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Panel members takes what is left; its tooltip names them all.
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        return table

    def _side_list(self, name: str, title: str) -> tuple[QListWidget, QGroupBox]:
        widget = QListWidget()
        widget.setObjectName(name)
        widget.setWordWrap(True)
        box = QGroupBox(title)
        QVBoxLayout(box).addWidget(widget)
        return widget, box

    def _lay_out(self) -> None:
        a = self.commands
        self.allocate_button = self._button(
            "&Allocate automatically", "allocate", a.allocate,
            "Give each waiting candidate the earliest slot they and the panel can do",
        )  # fmt: skip
        self.add_button = self._button("Add slot…", "addSlot", a.add_slot, "Add one slot")
        self.export_button = self._button(
            "&Export calendars…", "exportCalendars", a.ask_export,
            "Calendar files for the panel, each candidate and the whole schedule",
        )  # fmt: skip
        self.move_button = self._button("&Move…", "moveSlot", a.move, "Move the selected slot")
        self.swap_button = self._button(
            "S&wap", "swapSlots", a.swap, "Swap the candidates of the two selected slots"
        )
        self.give_button = self._button(
            "&Give to…", "giveSlot", a.give, "Give the selected open slot to a waiting candidate"
        )
        self.free_button = self._button(
            "&Free", "freeSlot", a.free, "Take the candidate out of the selected slot"
        )
        self.cancel_button = self._button(
            "&Cancel slot…", "cancelSlot", a.ask_cancel, "Cancel the selected slot"
        )
        middle = QWidget()
        centre = QVBoxLayout(middle)
        centre.setContentsMargins(0, 0, 0, 0)
        for row in (
            (self.allocate_button, self.add_button, self.export_button),
            (self.move_button, self.swap_button, self.give_button, self.free_button),
        ):
            line = FlowLayout()  # wraps in a narrow window
            for button in row:
                line.addWidget(button)
            if row[0] is self.move_button:
                line.addWidget(self.cancel_button)
            centre.addLayout(line)
        centre.addWidget(self.table, 1)
        centre.addWidget(self.status)
        side = QWidget()
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.notice_box, 1)
        right.addWidget(self.waiting_box, 1)
        guard_wheel(self.plan_form)
        plan_area = self.plan_area = QScrollArea()
        plan_area.setWidget(self.plan_form)
        plan_area.setWidgetResizable(True)
        plan_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        plan_area.setMinimumWidth(self.plan_form.minimumSizeHint().width() + bar + 4)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (plan_area, middle, side):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([plan_area.minimumWidth(), 740, 220])
        top = QHBoxLayout()
        top.addWidget(QLabel("Stage"))
        top.addWidget(self.stage_combo)
        top.addWidget(self.stage_info, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

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

        def done(data: SlotsData) -> None:
            if serial == self._serial:  # a newer load is on its way otherwise
                self.fill(data)

        self.context.reads.start(
            lambda: read_slots(ctx, campaign_id, stage_id), done, self._load_failed
        )

    def fill(self, data: SlotsData) -> None:
        self.stages = data.stages
        self.stage_combo.clear()
        for stage in data.stages:
            self.stage_combo.addItem(stage.name, stage.id)
        new_stage = data.view is None or data.view.stage_id != self.stage_id
        self.stage_id = data.view.stage_id if data.view else None
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(self.stage_id)))
        self.show_view(data.view, refill_plan=new_stage)
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RecruitError):
            self.status.setText(f"The slots could not be read: {exc.message}")
        else:
            self.dialog = error_box(self, exc, "Interview slots")

    def _stage_chosen(self, index: int) -> None:
        self.stage_id = self.stage_combo.itemData(index)
        self.plan_form.dirty = False  # a different stage's plan replaces what was typed
        self.load()

    def _bus_changed(self, topics: frozenset[str]) -> None:
        # Our own changes are shown from the view their use case returned.
        if topics & REFRESH_ON and not self._publishing:
            self.load()

    def stage(self) -> StageView | None:
        return next((s for s in self.stages if s.id == self.stage_id), None)

    # --- showing -------------------------------------------------------------------------

    def show_view(self, view: SlotsView | None, *, refill_plan: bool = False) -> None:
        chosen = {s.id for s in self.selected_slots()}
        self.view = view
        self.model.set_view(view)
        stage = self.stage()
        if view is not None and stage is not None and (refill_plan or not self.plan_form.dirty):
            self.plan_form.set_plan(view.plan, stage, view.stage_version)
        self.plan_form.setEnabled(view is not None)
        self._show_stage_info(stage)
        self._show_lists()
        self._reselect(chosen)
        self._update_buttons()

    def _show_stage_info(self, stage: StageView | None) -> None:
        if stage is None:
            self.stage_info.setText("This campaign has no stages yet.")
            self.status.setText("")
            return
        parts = []
        if stage.starts_on:
            ends = f" to {short_date(stage.ends_on)}" if stage.ends_on else ""
            parts.append(f"{short_date(stage.starts_on)}{ends}")
        if stage.invitations_on:
            parts.append(f"invitations go out {short_date(stage.invitations_on)}")
        parts.append(f"at least {stage.notice_days} working days' notice")
        parts.append("name-blind: candidate numbers only" if stage.name_blind else "names shown")
        self.stage_info.setText(" · ".join(parts))
        slots = self.view.slots if self.view else ()
        counts = {
            k: sum(1 for s in slots if s.status == k) for k in ("booked", "open", "cancelled")
        }
        words = f"{len(slots)} slots: {counts['booked']} booked, {counts['open']} open"
        self.status.setText(
            words + (f", {counts['cancelled']} cancelled" if counts["cancelled"] else "")
        )

    def _show_lists(self) -> None:
        view = self.view
        self.notice_list.clear()
        self.waiting_list.clear()
        notices = notice_by_slot(view) if view else {}
        for slot_id, message in notices.items():
            item = QListWidgetItem(message)
            item.setData(SLOT_ID_ROLE, slot_id)
            self.notice_list.addItem(item)
        stage = self.stage()
        if view is not None and not notices:
            self.notice_list.addItem(
                "Every booked candidate gets enough notice."
                if stage is not None and stage.invitations_on
                else "Set when invitations go out (a stage setting) to check the notice."
            )
        for label in view.waiting if view else ():
            self.waiting_list.addItem(label)
        if view is not None and not view.waiting:
            self.waiting_list.addItem("Everyone who progressed has a slot.")
        self.notice_box.setTitle(f"Notice ({len(notices)} to check)")
        self.waiting_box.setTitle(f"Still waiting ({len(view.waiting) if view else 0})")

    # --- selection -----------------------------------------------------------------------

    def selected_slots(self) -> list[SlotView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.slot_at(r) for r in rows if r < self.model.rowCount()]

    def select_slots(self, slot_ids: set[int] | list[int]) -> None:
        self._reselect(set(slot_ids))

    def _reselect(self, slot_ids: set[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for slot_id in slot_ids:
            row = self.model.row_of(slot_id)
            if row is not None:
                selection.select(self.model.index(row, 0), flags)
        self._update_buttons()

    def _notice_clicked(self, item: QListWidgetItem) -> None:
        slot_id = item.data(SLOT_ID_ROLE)
        if slot_id is not None:
            self.select_slots({slot_id})
            row = self.model.row_of(slot_id)
            if row is not None:
                self.table.scrollTo(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        view, chosen = self.view, self.selected_slots()
        live = [s for s in chosen if s.status != "cancelled"]
        one = live[0] if len(chosen) == 1 and len(live) == 1 else None
        has_slots = view is not None and any(s.status != "cancelled" for s in view.slots)
        self.allocate_button.setEnabled(has_slots)
        self.add_button.setEnabled(view is not None)
        self.export_button.setEnabled(view is not None)
        self.move_button.setEnabled(one is not None)
        self.swap_button.setEnabled(
            len(chosen) == 2 == len(live) and any(s.candidate_id for s in live)
        )
        self.give_button.setEnabled(
            one is not None and one.candidate_id is None and bool(view and view.waiting)
        )
        self.free_button.setEnabled(one is not None and one.candidate_id is not None)
        self.cancel_button.setEnabled(one is not None)

    # --- after a change ------------------------------------------------------------------

    def changed_to(self, view: SlotsView) -> None:
        """Show the view a use case returned, then tell the other views."""
        self.show_view(view)
        self.changed.emit()
        self._publishing = True
        try:
            self.context.bus.publish(change_bus.STAGES)
        finally:
            self._publishing = False
