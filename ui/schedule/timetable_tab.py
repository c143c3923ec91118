"""The Timetable tab: the campaign's key dates on a strip and in a list, with their checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.timetable import REGIONS
from recruit_app.errors import RecruitError
from ui import change_bus
from ui.context import AppContext
from ui.errors import error_box
from ui.schedule import timetable_dialogs as dialogs
from ui.schedule.dialog import ScheduleDialog
from ui.schedule.timeline import TimelineStrip
from ui.schedule.timetable_data import TimetableData, key_of, read_timetable, strip_rows
from ui.schedule.timetable_model import KEY_ROLE, TimetableModel
from ui.widgets import MessageLine, load_waits

REFRESH_ON = frozenset({change_bus.STAGES, change_bus.CAMPAIGNS, change_bus.DATABASE})


class TimetableTab(QWidget):
    """Reads in a worker; every change goes through a dialog or the region box, then reloads."""

    loaded = Signal()  # after each (re)load from the database
    changed = Signal()  # after a change is saved, before the reload that shows it

    def __init__(
        self, context: AppContext, campaign_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timetableTab")
        self.context = context
        self.campaign_id = campaign_id
        self.data: TimetableData | None = None
        self.dialog: QWidget | None = None
        self.today: Callable[[], date] = date.today  # tests pin the day
        self._serial = 0
        self._publishing = False

        self.status = MessageLine("timetableStatus", text="Loading…")
        self.region = QComboBox()
        self.region.setObjectName("regionCombo")
        self.region.setToolTip("Whose bank holidays the dates are checked against")
        for code, name in REGIONS.items():
            self.region.addItem(name, code)
        self.region.activated.connect(self._region_chosen)
        self.change_button = self._button("&Change dates…", "changeDates", self.edit_selected)
        self.add_button = self._button("&Add event…", "addEvent", self.add_event)
        self.remove_button = self._button("&Remove event…", "removeEvent", self.ask_remove_event)

        self.strip = TimelineStrip()
        self.strip.row_clicked.connect(self.select_key)
        self.strip_area = QScrollArea()
        self.strip_area.setObjectName("timelineArea")
        self.strip_area.setWidget(self.strip)
        self.strip_area.setWidgetResizable(True)
        self.strip_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model = TimetableModel(self)
        self.table = self._build_table()
        self.findings = QListWidget()
        self.findings.setObjectName("timetableFindings")
        self.findings.setWordWrap(True)
        self.findings.itemClicked.connect(self._finding_clicked)
        self.checks_box = QGroupBox("Checks")
        checks_layout = QVBoxLayout(self.checks_box)
        checks_layout.addWidget(self.findings)

        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(QLabel("Bank holidays of"))
        bar.addWidget(self.region)
        for button in (self.change_button, self.add_button, self.remove_button):
            bar.addWidget(button)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.table)
        lower.addWidget(self.checks_box)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.strip_area)
        layout.addWidget(lower, 1)
        context.bus.changed.connect(self._bus_changed)
        self._update_buttons()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("timetableTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.doubleClicked.connect(lambda index: self.edit_key(index.data(KEY_ROLE)))
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        return table

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

        def done(data: TimetableData) -> None:
            if serial == self._serial:  # a newer load is on its way otherwise
                self.fill(data)

        self.context.reads.start(lambda: read_timetable(ctx, campaign_id), done, self._load_failed)

    def fill(self, data: TimetableData) -> None:
        selected = self.selected_key()
        self.data = data
        self.model.set_data(data)
        self.strip.set_rows(strip_rows(data), data.holidays, self.today())
        self._fit_strip()
        self.region.setCurrentIndex(max(0, self.region.findData(data.view.region)))
        self._show_findings()
        if selected:
            self.select_key(selected)
        dated = sum(1 for e in data.view.entries if e.starts_on is not None)
        self.status.setText(
            f"{dated} of {len(data.view.entries)} dates set · double-click a row to change it"
        )
        self._update_buttons()
        self.loaded.emit()

    def _fit_strip(self) -> None:
        """As tall as the strip, plus the scroll bar only when the strip needs one."""
        height = self.strip.sizeHint().height() + 2 * self.strip_area.frameWidth()
        if self.strip.minimumSizeHint().width() > self.strip_area.viewport().width():
            height += self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.strip_area.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_strip()

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RecruitError):
            self.status.setText(f"The timetable could not be read: {exc.message}")
        else:
            self.dialog = error_box(self, exc, "The timetable")

    def _bus_changed(self, topics: frozenset[str]) -> None:
        # Our own changes are reloaded by their success handlers already.
        if topics & REFRESH_ON and not self._publishing:
            self.load()

    def _show_findings(self) -> None:
        assert self.data is not None
        self.findings.clear()
        errors = [f for f in self.data.view.findings if f.severity == "error"]
        warnings = [f for f in self.data.view.findings if f.severity != "error"]
        style = QApplication.style()
        for finding in [*errors, *warnings]:
            error = finding.severity == "error"
            icon = style.standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if error
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item = QListWidgetItem(
                icon, f"{'Must fix' if error else 'Consider'}: {finding.message}"
            )
            item.setData(Qt.ItemDataRole.UserRole, key_of(finding.field))
            self.findings.addItem(item)
        if not self.data.view.findings:
            self.findings.addItem("No problems: the dates are in order and fall on working days.")
        self.checks_box.setTitle(f"Checks ({len(errors)} to fix, {len(warnings)} to consider)")

    # --- selection -----------------------------------------------------------------------

    def selected_key(self) -> str:
        index = self.table.currentIndex()
        return str(index.data(KEY_ROLE)) if index.isValid() else ""

    def select_key(self, key: str) -> None:
        row = self.model.row_of(key)
        if row is None:
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = str(current.data(KEY_ROLE)) if current.isValid() else ""
        # The advert's closing shares the opening's bar when both are set.
        merged = key == "closes" and key not in {r.key for r in self.strip.rows}
        self.strip.set_selected("opens" if merged else key)
        self._update_buttons()

    def _finding_clicked(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key:
            self.select_key(key)

    def _update_buttons(self) -> None:
        loaded = self.data is not None
        key = self.selected_key()
        self.change_button.setEnabled(loaded and bool(key))
        self.add_button.setEnabled(loaded)
        self.region.setEnabled(loaded)
        self.remove_button.setEnabled(loaded and key.startswith("event:"))

    # --- changing ------------------------------------------------------------------------

    def edit_selected(self) -> None:
        self.edit_key(self.selected_key())

    def edit_key(self, key: str) -> None:
        """Open the dialog that changes the entry `key` ("stage:0", "closes", ...)."""
        data = self.data
        if data is None or not key:
            return
        stage, event = data.stage_for(key), data.event_for(key)
        dialog: ScheduleDialog
        if stage is not None:
            dialog = dialogs.StageDatesDialog(self.context, self.campaign_id, stage, self)
        elif event is not None:
            dialog = dialogs.EventDialog(self.context, self.campaign_id, event, parent=self)
        elif key in ("opens", "closes"):
            dialog = dialogs.AdvertDatesDialog(
                self.context, self.campaign_id, data.view, data.advert_version, self
            )
        elif key in ("decisions", "start"):
            dialog = dialogs.KeyDatesDialog(self.context, data.view, self)
        else:  # a stage or event changed elsewhere since this was read
            self.status.setText("That entry has changed meanwhile; showing it as it is now.")
            self.load()
            return
        self._open(dialog, advert=key in ("opens", "closes"))

    def add_event(self) -> None:
        if self.data is not None:
            dialog = dialogs.EventDialog(
                self.context, self.campaign_id, suggested=self.today(), parent=self
            )
            self._open(dialog)

    def _open(self, dialog: ScheduleDialog, *, advert: bool = False) -> None:
        dialog.saved.connect(lambda _result: self._after_change(advert=advert))
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self) -> None:
        self.dialog = None

    def ask_remove_event(self) -> None:
        event = self.data.event_for(self.selected_key()) if self.data else None
        if event is None:
            return
        box = QMessageBox(self)
        box.setObjectName("confirmRemoveEvent")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Remove the event")
        box.setText(f"Remove “{event.title}” from the timetable?")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        remove.setObjectName("confirmRemoveButton")
        box.addButton(QMessageBox.StandardButton.Cancel)

        def answered(_result: int) -> None:
            self.dialog = None
            if box.clickedButton() is remove:
                self._remove_event(event.id)

        box.finished.connect(answered)
        self.dialog = box
        box.open()

    def _remove_event(self, event_id: int) -> None:
        from recruit_app.services.timetable import delete_event

        ctx = self.context.service_context()
        self.context.writes.start(
            lambda: delete_event(ctx, event_id), lambda _r: self._after_change(), self._failed
        )

    def _region_chosen(self, _index: int) -> None:
        from recruit_app.services.timetable import update_key_dates

        if self.data is None:
            return
        view, region = self.data.view, self.region.currentData()
        if region == view.region:
            return
        ctx = self.context.service_context()
        self.region.setEnabled(False)
        self.context.writes.start(
            lambda: update_key_dates(
                ctx,
                view.campaign_id,
                region=region,
                decisions_on=view.decisions_on,
                expected_start_on=view.expected_start_on,
                expected_version=view.version,
            ),
            lambda _view: self._after_change(),
            self._failed,
        )

    def _after_change(self, *, advert: bool = False) -> None:
        self.changed.emit()
        self.load()
        topics = (change_bus.STAGES, change_bus.CAMPAIGNS) if advert else (change_bus.STAGES,)
        self._publishing = True
        try:
            self.context.bus.publish(*topics)
        finally:
            self._publishing = False

    def _failed(self, exc: BaseException) -> None:
        self.dialog = error_box(self, exc, "The timetable")
        self.load()  # show what is saved, whatever was tried
