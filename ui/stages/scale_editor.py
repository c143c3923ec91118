"""The scoring scale of a stage: a built-in scale shown as it is, or the stage's own points."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.stage_rules import CUSTOM_MAX, CUSTOM_MIN, SCALES
from ui.stages.labels import CUSTOM_SCALE, button

Index = QModelIndex | QPersistentModelIndex
POINT_COLUMNS = ("Value", "Label", "What it means")
POINT_KEYS = ("value", "label", "descriptor")


class ScalePointsModel(QAbstractTableModel):
    """Points as {"value", "label", "descriptor"} dicts; editable only for a custom scale."""

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.points: list[dict[str, Any]] = []
        self.editable = False

    def set_points(self, points: list[dict[str, Any]], *, editable: bool) -> None:
        self.beginResetModel()
        self.points = [dict(p) for p in points]
        self.editable = editable
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.points)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(POINT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return POINT_COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.editable else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.points[index.row()].get(POINT_KEYS[index.column()])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value if value is not None else "")
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return str(value or "")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        key = POINT_KEYS[index.column()]
        self.points[index.row()][key] = int(value) if key == "value" else str(value)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def add(self) -> int:
        top = max((int(p["value"]) for p in self.points), default=CUSTOM_MIN - 1)
        row = len(self.points)
        self.beginInsertRows(QModelIndex(), row, row)
        self.points.append({"value": min(top + 1, CUSTOM_MAX), "label": "", "descriptor": ""})
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.points[row]
        self.endRemoveRows()
        self.edited.emit()


class ScaleEditor(QWidget):
    """A choice of scale and its points; `value()` is (scale code, custom points)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setObjectName("scaleCombo")
        for code, scale in SCALES.items():
            self.combo.addItem(scale.name, code)
        self.combo.addItem("Custom scale (this stage's own points)", CUSTOM_SCALE)
        self.model = ScalePointsModel(self)
        self.table = QTableView()
        self.table.setObjectName("scalePoints")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Rows grow as the descriptors wrap: refit the table whenever its width changes.
        self.table.installEventFilter(self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_button = button("Add point", "addScalePoint", self._add_point)
        self.remove_button = button("Remove point", "removeScalePoint", self._remove_point)
        self.note = QLabel()
        self.note.setEnabled(False)  # greyed: a hint, not a value
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        self._custom: list[dict[str, Any]] = []
        self._saved_custom: list[dict[str, Any]] = []
        self._copied: list[dict[str, Any]] | None = None  # a built-in scale's points, as copied
        self._shown = ""
        self.combo.currentIndexChanged.connect(self._chosen)
        self.model.edited.connect(self._points_edited)
        self.setFocusProxy(self.combo)

    def value(self) -> tuple[str, list[dict[str, Any]]]:
        return self.combo.currentData(), [dict(p) for p in self._custom]

    def set_value(self, code: str, custom: list[dict[str, Any]]) -> None:
        self._custom = [dict(p) for p in custom]
        self._saved_custom = [dict(p) for p in custom]
        self._copied = None
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findData(code)))
        self.combo.blockSignals(False)
        self._show(self.combo.currentData())

    def _chosen(self, _index: int) -> None:
        code = self.combo.currentData()
        if code == CUSTOM_SCALE and not self._custom and self._shown in SCALES:
            # Start from the scale just shown: adjusting one is quicker than typing all.
            self._custom = [
                {"value": p.value, "label": p.label, "descriptor": p.descriptor}
                for p in SCALES[self._shown].points
            ]
            self._copied = [dict(p) for p in self._custom]
        elif code != CUSTOM_SCALE and self._custom == self._copied:
            # Back to a built-in scale without touching the copy: nothing to keep, nor save.
            self._custom = [dict(p) for p in self._saved_custom]
            self._copied = None
        self._show(code)
        self.edited.emit()

    def _show(self, code: str) -> None:
        self._shown = code
        custom = code == CUSTOM_SCALE
        if custom:
            self.model.set_points(self._custom, editable=True)
            self.note.setText("Double-click a cell to change it. Values run from 0 to 100.")
        else:
            points = [
                {"value": p.value, "label": p.label, "descriptor": p.descriptor}
                for p in SCALES[code].points
            ]
            self.model.set_points(points, editable=False)
            self.note.setText("A built-in scale: choose Custom scale to use your own points.")
        self.add_button.setVisible(custom)
        self.remove_button.setVisible(custom)
        self._fit_rows()

    def _fit_rows(self) -> None:
        """As tall as its points (a custom scale leaves room for one more): no empty band."""
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        spare = self.table.verticalHeader().defaultSectionSize() if self.model.editable else 0
        frame = 2 * self.table.frameWidth()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setFixedHeight(header + rows + spare + frame)
        # The new height does not reach the scroll area holding the form by itself (seen
        # with Qt 6.11), and the rows below would be drawn over the table.
        self.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            resized = cast(QResizeEvent, event)
            if resized.size().width() != resized.oldSize().width():
                self._fit_rows()
        return super().eventFilter(watched, event)

    def _points_edited(self) -> None:
        if self.model.editable:
            self._custom = [dict(p) for p in self.model.points]
            self._fit_rows()
            self.edited.emit()

    def _add_point(self) -> None:
        row = self.model.add()
        self.table.selectRow(row)
        self.table.edit(self.model.index(row, 1))

    def _remove_point(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model.remove(rows[0].row())
