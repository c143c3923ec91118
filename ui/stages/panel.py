"""Who sits on a stage's panels: the seats, adding and removing people, and the panel checks."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.stage_rules import INTERVIEW_KINDS, PanelSeat, check_panel
from recruit_app.vocabulary import PanelRole
from ui.stages.labels import button
from ui.widgets import field_error_label

Index = QModelIndex | QPersistentModelIndex
SEAT_COLUMNS = ("Name", "E-mail", "Role", "Panel")
NAME, EMAIL, ROLE, PANEL = range(len(SEAT_COLUMNS))
WARNING_STYLE = "color: #8a4b00;"


@dataclass(frozen=True)
class Seat:
    person_id: int
    name: str
    email: str
    role: str = "member"
    panel_number: int = 1

    @classmethod
    def of(cls, view: Any) -> Seat:
        """From the service's SeatView (or anything with the same attributes)."""
        return cls(view.person_id, view.name, view.email, view.role, view.panel_number)


class PanelModel(QAbstractTableModel):
    """The seats in the order they were added; role and panel number are edited in place."""

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.seats: list[Seat] = []

    def set_seats(self, seats: list[Seat]) -> None:
        self.beginResetModel()
        self.seats = list(seats)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.seats)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(SEAT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return SEAT_COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in (ROLE, PANEL) else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        seat, column = self.seats[index.row()], index.column()
        if role == Qt.ItemDataRole.EditRole:
            return seat.role if column == ROLE else seat.panel_number if column == PANEL else None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                seat.name,
                seat.email,
                PanelRole.label_for(seat.role),
                str(seat.panel_number),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (ROLE, PANEL):
            return "Double-click, or press F2, to change"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        seat = self.seats[index.row()]
        if index.column() == ROLE and value in PanelRole.codes():
            self.seats[index.row()] = replace(seat, role=value)
        elif index.column() == PANEL and 1 <= int(value) <= 20:
            self.seats[index.row()] = replace(seat, panel_number=int(value))
        else:
            return False
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def add(self, seat: Seat) -> int:
        row = len(self.seats)
        self.beginInsertRows(QModelIndex(), row, row)
        self.seats.append(seat)
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.seats[row]
        self.endRemoveRows()
        self.edited.emit()


class _RoleDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("seatRoleEditor")
        for code, label in PanelRole.labels().items():
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class _PanelNumberDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spin = QSpinBox(parent)
        spin.setObjectName("seatPanelEditor")
        spin.setRange(1, 20)
        return spin


class PanelEditor(QWidget):
    """The seats of one stage, the people to add, and live warnings about the panel."""

    edited = Signal()
    new_person_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage_name = ""
        self.kind = ""
        self.people: list[Any] = []
        self.model = PanelModel(self)
        self.model.edited.connect(self._edited)
        self.table = QTableView()
        self.table.setObjectName("panelTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setItemDelegateForColumn(ROLE, _RoleDelegate(self.table))
        self.table.setItemDelegateForColumn(PANEL, _PanelNumberDelegate(self.table))
        self.table.setMinimumHeight(130)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EMAIL, QHeaderView.ResizeMode.Stretch)

        self.person_combo = QComboBox()
        self.person_combo.setObjectName("personCombo")
        self.person_combo.setMinimumContentsLength(14)
        self.person_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("newSeatRole")
        for code, label in PanelRole.labels().items():
            self.role_combo.addItem(label, code)
        self.add_button = button("&Add", "addSeat", self.add_selected_person)
        self.new_button = button("New &person…", "newPerson", self.new_person_requested.emit)
        self.remove_button = button("Remo&ve", "removeSeat", self.remove_selected)
        self.error = field_error_label("panelError")
        self.warnings = QLabel()
        self.warnings.setObjectName("panelWarnings")
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setWordWrap(True)
        self.warnings.hide()

        adding = QHBoxLayout()
        adding.addWidget(QLabel("Add"))
        adding.addWidget(self.person_combo, 1)
        adding.addWidget(QLabel("as"))
        adding.addWidget(self.role_combo)
        adding.addWidget(self.add_button)
        adding.addSpacing(12)
        adding.addWidget(self.new_button)
        hint = QLabel("Change a role or panel number with a double-click or F2.")
        hint.setEnabled(False)
        hint.setWordWrap(True)  # narrows with the window
        below = QHBoxLayout()
        below.addWidget(self.remove_button)
        below.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(adding)
        layout.addWidget(self.table)
        layout.addLayout(below)
        layout.addWidget(self.error)
        layout.addWidget(self.warnings)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

    # --- feeding -------------------------------------------------------------------

    def fill(self, stage_name: str, kind: str, seats: list[Seat]) -> None:
        self.stage_name, self.kind = stage_name, kind
        self.model.set_seats(seats)
        self.error.hide()
        self._refresh()

    def set_people(self, people: list[Any]) -> None:
        self.people = list(people)
        self._refresh()

    def seats(self) -> list[Seat]:
        return list(self.model.seats)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # --- editing -------------------------------------------------------------------

    def suggested_role(self) -> str:
        """Chair first; an independent member next at interviews; members after that."""
        roles = {s.role for s in self.model.seats}
        if "chair" not in roles:
            return "chair"
        if self.kind in INTERVIEW_KINDS and "independent" not in roles:
            return "independent"
        return "member"

    def add_person(self, person: Any, role: str | None = None) -> None:
        if any(s.person_id == person.id for s in self.model.seats):
            return
        seat = Seat(person.id, person.name, person.email, role or self.suggested_role())
        self.table.selectRow(self.model.add(seat))

    def add_selected_person(self) -> None:
        person = self.person_combo.currentData()
        if person is not None:
            self.add_person(person, self.role_combo.currentData())

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model.remove(rows[0].row())

    def _edited(self) -> None:
        self.error.hide()
        self._refresh()
        self.edited.emit()

    # --- showing -------------------------------------------------------------------

    def _refresh(self) -> None:
        seated = {s.person_id for s in self.model.seats}
        self.person_combo.clear()
        for person in self.people:
            if person.id not in seated:
                self.person_combo.addItem(f"{person.name} ({person.email})", person)
        if not self.people:
            self.person_combo.addItem("No one is listed yet: use New person…", None)
        elif not self.person_combo.count():
            self.person_combo.addItem("Everyone listed is on this panel", None)
        self.role_combo.setCurrentIndex(self.role_combo.findData(self.suggested_role()))
        self._show_warnings()
        self._update_buttons()

    def findings(self) -> list[Any]:
        seats = [PanelSeat(s.person_id, s.name, s.role, s.panel_number) for s in self.model.seats]
        return check_panel(self.stage_name, self.kind, seats) if self.stage_name else []

    def _show_warnings(self) -> None:
        found = self.findings()
        self.warnings.setText("\n".join(f"⚠ {f.message}" for f in found))
        self.warnings.setVisible(bool(found))

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.person_combo.currentData() is not None)
        self.remove_button.setEnabled(self.table.selectionModel().hasSelection())
