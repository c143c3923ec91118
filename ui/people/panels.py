"""The panels one person sits on, and putting them on (or taking them off) a stage's panel.

A stage's panel is saved whole (`stages.set_panel`): the dialog sends back the panel it
read with the one change, and the stage's version, so a change someone else made
meanwhile is refused rather than lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, RecruitError, ValidationError
from recruit_app.vocabulary import PanelRole
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import field_error_label

if TYPE_CHECKING:
    from recruit_app.services.people import PersonRow

Index = QModelIndex | QPersistentModelIndex
SEAT_COLUMNS = ("Campaign", "Stage", "Role", "Panel")


@dataclass(frozen=True)
class PanelStage:
    """A stage the person acting may set the panel of, with its panel as read."""

    campaign_id: int
    reference: str
    campaign_title: str
    archived: bool
    stage_id: int
    stage_name: str
    version: int
    seats: tuple[Any, ...]  # the service's SeatView: person_id, name, email, role, panel_number

    @property
    def campaign_label(self) -> str:
        return f"{self.reference} {self.campaign_title}"

    def seat_of(self, person_id: int) -> Any | None:
        return next((s for s in self.seats if s.person_id == person_id), None)


def load_panel_stages(ctx: Any) -> list[PanelStage]:
    """Every stage of the campaigns the person acting manages (runs in a worker)."""
    from recruit_app.services.campaigns import list_campaigns
    from recruit_app.services.stages import stages_overview

    found = []
    for campaign in list_campaigns(ctx, include_archived=True):
        for stage in stages_overview(ctx, campaign.id).stages:
            found.append(
                PanelStage(
                    campaign.id,
                    campaign.reference,
                    campaign.title,
                    campaign.archived,
                    stage.id,
                    stage.name,
                    stage.version,
                    tuple(stage.panel),
                )
            )
    return sorted(found, key=lambda s: (s.reference.casefold(), s.campaign_id))


class SeatsModel(QAbstractTableModel):
    """The stages one person sits on."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[PanelStage, Any]] = []

    def set_rows(self, rows: list[tuple[PanelStage, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(SEAT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return SEAT_COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        stage, seat = self.rows[index.row()]
        campaign = stage.campaign_label + (" (archived)" if stage.archived else "")
        return (
            campaign,
            stage.stage_name,
            PanelRole.label_for(seat.role),
            str(seat.panel_number),
        )[index.column()]


class PanelsDialog(QDialog):
    """Shows where `person` sits and changes one stage's panel at a time, saved at once."""

    changed = Signal()  # a panel was saved
    loaded = Signal()

    def __init__(self, context: AppContext, person: PersonRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("panelsDialog")
        self.setWindowTitle(f"Panels of {person.name}")
        self.setMinimumWidth(640)
        self.context = context
        self.person = person
        self.stages: list[PanelStage] = []
        self.error_box: Any = None
        self._busy = False
        self._after_conflict = False

        self.heading = QLabel(f"{person.name} sits on these panels:")
        self.heading.setObjectName("panelsHeading")
        self.seats = SeatsModel(self)
        self.table = QTableView()
        self.table.setObjectName("seatsTable")
        self.table.setModel(self.seats)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.empty_note = QLabel("Not on any panel yet.")
        self.empty_note.setObjectName("noSeats")
        self.empty_note.setEnabled(False)
        self.remove_button = QPushButton("&Take off this panel")
        self.remove_button.setObjectName("removeSeatButton")
        self.remove_button.clicked.connect(self.remove_selected)

        self.campaign_combo = QComboBox()
        self.campaign_combo.setObjectName("panelCampaign")
        self.campaign_combo.currentIndexChanged.connect(lambda _i: self._fill_stages())
        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("panelStage")
        self.stage_combo.currentIndexChanged.connect(lambda _i: self._update())
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("panelRole")
        for code, label in PanelRole.labels().items():
            self.role_combo.addItem(label, code)
        self.role_combo.setCurrentIndex(self.role_combo.findData("member"))
        self.panel_spin = QSpinBox()
        self.panel_spin.setObjectName("panelNumber")
        self.panel_spin.setRange(1, 20)
        self.panel_spin.setToolTip("Stages with several interview panels number them 1, 2, 3…")
        self.add_button = QPushButton("&Add to this panel")
        self.add_button.setObjectName("addSeatButton")
        self.add_button.clicked.connect(self.add_to_panel)
        self.add_note = QLabel()
        self.add_note.setObjectName("addNote")
        self.add_note.setWordWrap(True)
        self.add_note.setEnabled(False)
        self.error = field_error_label("panelError")
        self.reload_button = QPushButton("Reload the panels")
        self.reload_button.setObjectName("reloadPanelsButton")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self._reload_after_conflict)

        adding = QGroupBox("Put them on a panel")
        grid = QGridLayout(adding)
        grid.addWidget(QLabel("&Campaign"), 0, 0)
        grid.addWidget(self.campaign_combo, 0, 1, 1, 3)
        grid.addWidget(QLabel("&Stage"), 1, 0)
        grid.addWidget(self.stage_combo, 1, 1, 1, 3)
        grid.addWidget(QLabel("&Role"), 2, 0)
        grid.addWidget(self.role_combo, 2, 1)
        grid.addWidget(QLabel("Panel &number"), 2, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.panel_spin, 2, 3)
        grid.addWidget(self.add_note, 3, 0, 1, 3)
        grid.addWidget(self.add_button, 3, 3)
        grid.setColumnStretch(1, 1)
        for row, buddy in enumerate((self.campaign_combo, self.stage_combo, self.role_combo)):
            _label_at(grid, row, 0).setBuddy(buddy)
        _label_at(grid, 2, 2).setBuddy(self.panel_spin)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.remove_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(adding)
        layout.addWidget(self.error)
        layout.addWidget(self.reload_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)
        self._update()

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._say(exc.message)
            return
        self._set_busy(True)
        self.context.reads.start(lambda: load_panel_stages(ctx), self._loaded, self._failed)

    def _reload_after_conflict(self) -> None:
        self._after_conflict = True
        self.load()

    def _loaded(self, stages: list[PanelStage]) -> None:
        self._set_busy(False)
        self.reload_button.hide()
        if self._after_conflict:
            self._after_conflict = False
            self._say(
                "Reloaded: the panels now show their change. Your choices are kept: "
                "add again if you still want to."
            )
        self.stages = stages
        keep_campaign = self.campaign_combo.currentData()
        keep_stage = self.stage_combo.currentData()
        self.seats.set_rows(
            [(s, seat) for s in stages if (seat := s.seat_of(self.person.id)) is not None]
        )
        self.campaign_combo.blockSignals(True)
        self.campaign_combo.clear()
        seen: set[int] = set()
        for stage in stages:
            if stage.archived or stage.campaign_id in seen:
                continue
            seen.add(stage.campaign_id)
            self.campaign_combo.addItem(stage.campaign_label, stage.campaign_id)
        index = self.campaign_combo.findData(keep_campaign)
        self.campaign_combo.setCurrentIndex(max(index, 0))
        self.campaign_combo.blockSignals(False)
        self._fill_stages(keep_stage)
        self.loaded.emit()

    def _fill_stages(self, keep: int | None = None) -> None:
        campaign_id = self.campaign_combo.currentData()
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        for stage in self.stages:
            if stage.campaign_id == campaign_id and stage.seat_of(self.person.id) is None:
                self.stage_combo.addItem(stage.stage_name, stage.stage_id)
        index = self.stage_combo.findData(keep)
        self.stage_combo.setCurrentIndex(max(index, 0))
        self.stage_combo.blockSignals(False)
        self._update()

    # --- state -----------------------------------------------------------------------------

    def _stage(self, stage_id: int | None) -> PanelStage | None:
        return next((s for s in self.stages if s.stage_id == stage_id), None)

    def selected_seat(self) -> tuple[PanelStage, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.seats.rows[rows[0].row()] if rows else None

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _update(self) -> None:
        has_seats = bool(self.seats.rows)
        self.table.setVisible(has_seats)
        self.empty_note.setVisible(not has_seats)
        self.remove_button.setVisible(has_seats)
        self.remove_button.setEnabled(not self._busy and self.selected_seat() is not None)
        note = ""
        if not self.person.active:
            note = f"Reactivate {self.person.name} to put them on panels."
        elif not self.stages:
            note = "" if self._busy else "There is no campaign with stages you manage."
        elif self.stage_combo.count() == 0:
            note = "They already sit on every stage of this campaign."
        self.add_note.setText(note)
        self.add_note.setVisible(bool(note))
        self.add_button.setEnabled(
            not self._busy and self.person.active and self.stage_combo.currentData() is not None
        )

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _clear(self) -> None:
        self.error.clear()
        self.error.hide()
        self.reload_button.hide()

    # --- saving ----------------------------------------------------------------------------

    def add_to_panel(self) -> None:
        stage = self._stage(self.stage_combo.currentData())
        if stage is None:
            return
        from recruit_app.services.stages import SeatChoice

        seats = [SeatChoice(s.person_id, s.role, s.panel_number) for s in stage.seats]
        seats.append(
            SeatChoice(self.person.id, self.role_combo.currentData(), self.panel_spin.value())
        )
        self._save(stage, seats)

    def remove_selected(self) -> None:
        chosen = self.selected_seat()
        if chosen is None:
            return
        from recruit_app.services.stages import SeatChoice

        stage = chosen[0]
        seats = [
            SeatChoice(s.person_id, s.role, s.panel_number)
            for s in stage.seats
            if s.person_id != self.person.id
        ]
        self._save(stage, seats)

    def _save(self, stage: PanelStage, seats: list[Any]) -> None:
        from recruit_app.services.stages import set_panel

        self._clear()
        try:
            ctx = self.context.service_context()
        except RecruitError as exc:
            self._say(exc.message)
            return
        self._set_busy(True)
        self.context.writes.start(
            lambda: set_panel(ctx, stage.stage_id, seats, expected_version=stage.version),
            self._saved,
            self._save_failed,
        )

    def _saved(self, _view: Any) -> None:
        self.changed.emit()
        self.load()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ConflictError):
            self._say(exc.message)
            self.reload_button.show()
        elif isinstance(exc, ValidationError | RecruitError):
            self._say(exc.message)  # beside the choices, which are kept
        else:
            self.error_box = error_box(self, exc)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, RecruitError):
            self._say(exc.message)
        else:
            self.error_box = error_box(self, exc)


def _label_at(grid: QGridLayout, row: int, column: int) -> QLabel:
    item = grid.itemAtPosition(row, column)
    label = item.widget() if item is not None else None
    assert isinstance(label, QLabel)
    return label
