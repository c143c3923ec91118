"""The advert's criteria: an editable table, and a picker for criteria from the library."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.vocabulary import Element
from ui.context import AppContext
from ui.widgets import field_error_label

if TYPE_CHECKING:
    from recruit_app.services.adverts import CriterionRow
    from recruit_app.services.library import FrameworkView

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Code", "Criterion", "Element", "Level", "Essential", "Lead", "Weight")
CODE, TITLE, ELEMENT, LEVEL, ESSENTIAL, LEAD, WEIGHT = range(len(COLUMNS))
CHECKS = {ESSENTIAL: "essential", LEAD: "lead"}


def lead_order(rows: list[CriterionRow], number: int, on: bool) -> list[CriterionRow]:
    """Tick or untick row `number` as a lead criterion. Several may be lead (the Home
    Office pack's "two lead competencies"): they break ties in the order ticked, so a new
    lead goes last and the others close up when one is unticked."""
    changed = list(rows)
    changed[number] = replace(changed[number], lead=on, lead_rank=0)
    ordered = sorted(
        (r.lead_rank or 10**6, n) for n, r in enumerate(changed) if r.lead and n != number
    )
    places = [n for _rank, n in ordered] + ([number] if on else [])
    for place, n in enumerate(places, start=1):
        changed[n] = replace(changed[n], lead_rank=place)
    return changed


class CriteriaModel(QAbstractTableModel):
    """The advert's criteria in order; edits replace the immutable rows."""

    edited = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[CriterionRow] = []

    def set_rows(self, rows: list[CriterionRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in CHECKS:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == ELEMENT and self.rows[index.row()].criterion_id:
            return base  # a library criterion keeps its element
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column in CHECKS:
            on = getattr(row, CHECKS[column])
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._value(row, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.framework:
                span = (
                    f", levels {row.level_range[0]} to {row.level_range[1]}"
                    if row.level_range
                    else ""
                )
                return f"From the library: {row.framework} {row.code}{span}"
            return "Written for this advert"
        return None

    @staticmethod
    def _value(row: CriterionRow, column: int, editing: bool) -> Any:
        if column == CODE:
            return row.code
        if column == TITLE:
            return row.title
        if column == ELEMENT:
            return row.element if editing else Element.label_for(row.element)
        if column == LEVEL:
            return row.level or 0 if editing else (str(row.level) if row.level else "")
        if column == WEIGHT:
            return row.weight if editing else f"{row.weight:g}"
        if column == LEAD and row.lead and row.lead_rank and not editing:
            return str(row.lead_rank)  # its place in the tie-break order
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        number, column = index.row(), index.column()
        row = self.rows[number]
        if role == Qt.ItemDataRole.CheckStateRole and column in CHECKS:
            on = Qt.CheckState(value) == Qt.CheckState.Checked
            if column == LEAD:
                self.rows = lead_order(self.rows, number, on)
            else:
                self.rows[number] = replace(row, essential=on)
        elif role == Qt.ItemDataRole.EditRole:
            changed = self._edited(row, column, value)
            if changed is None:
                return False
            self.rows[number] = changed
        else:
            return False
        self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, WEIGHT))
        self.edited.emit()
        return True

    @staticmethod
    def _edited(row: CriterionRow, column: int, value: Any) -> CriterionRow | None:
        if column == CODE:
            return replace(row, code=str(value).strip())
        if column == TITLE:
            return replace(row, title=str(value))
        if column == ELEMENT and value in Element.codes():
            return replace(row, element=value)
        if column == LEVEL:
            level = int(value) or None
            low, high = row.level_range or (1, 9)
            if level is not None and not low <= level <= high:
                return None
            return replace(row, level=level)
        if column == WEIGHT:
            return replace(row, weight=float(value))
        return None

    def add(self, row: CriterionRow) -> int:
        taken = {r.code.casefold() for r in self.rows}
        code, n = row.code, 2
        while code.casefold() in taken:
            code, n = f"{row.code}-{n}", n + 1
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(replace(row, code=code))
        self.endInsertRows()
        self.edited.emit()
        return len(self.rows) - 1

    def remove(self, number: int) -> None:
        self.beginRemoveRows(QModelIndex(), number, number)
        del self.rows[number]
        self.endRemoveRows()
        self.edited.emit()

    def move(self, number: int, step: int) -> int:
        target = number + step
        if not 0 <= target < len(self.rows):
            return number
        self.beginResetModel()
        self.rows[number], self.rows[target] = self.rows[target], self.rows[number]
        self.endResetModel()
        self.edited.emit()
        return target


class _ElementDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for code, name in Element.labels().items():
            combo.addItem(name, code)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class _LevelDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spin = QSpinBox(parent)
        model = index.model()
        assert isinstance(model, CriteriaModel)  # this delegate is only set on its view
        row = model.rows[index.row()]
        low, high = row.level_range or (1, 9)
        spin.setRange(low - 1, high)
        spin.setSpecialValueText("none")
        return spin


class CriteriaEditor(QWidget):
    """The table with Add from library / Add / Remove / Move buttons."""

    edited = Signal()
    # criterion id -> level -> (title, indicators), so the preview can show new picks
    library_levels_added = Signal(object, object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.picker: LibraryPicker | None = None
        self.model = CriteriaModel(self)
        self.model.edited.connect(self.edited)
        self.table = QTableView()
        self.table.setObjectName("criteriaTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(ELEMENT, _ElementDelegate(self.table))
        self.table.setItemDelegateForColumn(LEVEL, _LevelDelegate(self.table))
        self.table.setMinimumHeight(340)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self.error = field_error_label("criteriaError", lines=1)
        buttons = QHBoxLayout()
        for text, name, slot in (
            ("Add from library…", "addFromLibrary", self.open_picker),
            ("Add criterion", "addCriterion", self.add_blank),
            ("Remove", "removeCriterion", self.remove_selected),
            ("Move up", "moveUp", lambda: self.move_selected(-1)),
            ("Move down", "moveDown", lambda: self.move_selected(1)),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addWidget(
            QLabel(
                "Tick Lead for the one criterion a first sift looks at when "
                "there are many applicants."
            )
        )

    def rows(self) -> list[CriterionRow]:
        return list(self.model.rows)

    def set_rows(self, rows: list[CriterionRow] | tuple[CriterionRow, ...]) -> None:
        self.model.set_rows(list(rows))

    def _selected(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def add_blank(self) -> None:
        from recruit_app.services.adverts import CriterionRow

        number = sum(r.element == "EXP" for r in self.model.rows) + 1
        row = self.model.add(
            CriterionRow(code=f"EXP{number}", title="New criterion", element="EXP")
        )
        self.table.selectRow(row)
        self.table.edit(self.model.index(row, TITLE))

    def remove_selected(self) -> None:
        number = self._selected()
        if number is not None:
            self.model.remove(number)

    def move_selected(self, step: int) -> None:
        number = self._selected()
        if number is not None:
            self.table.selectRow(self.model.move(number, step))

    def open_picker(self) -> None:
        picker = LibraryPicker(self.context, self)
        picker.picked.connect(self._picked)
        self.picker = picker
        picker.open()

    def _picked(self, row: CriterionRow, levels: dict[int, tuple[str, tuple[str, ...]]]) -> None:
        self.library_levels_added.emit(row.criterion_id, levels)
        self.table.selectRow(self.model.add(row))


class LibraryPicker(QDialog):
    """Choose a framework, a criterion in it and the level the advert asks for."""

    picked = Signal(object, object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPicker")
        self.setWindowTitle("Add a criterion from the library")
        self.setMinimumSize(560, 480)
        self.context = context
        self.framework: FrameworkView | None = None
        self.frameworks = QComboBox()
        self.frameworks.setObjectName("pickerFrameworks")
        self.criteria = QListWidget()
        self.criteria.setObjectName("pickerCriteria")
        self.level = QSpinBox()
        self.level.setObjectName("pickerLevel")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        level_row = QHBoxLayout()
        level_row.addWidget(QLabel("Level"))
        level_row.addWidget(self.level)
        level_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Framework"))
        layout.addWidget(self.frameworks)
        layout.addWidget(QLabel("Criterion"))
        layout.addWidget(self.criteria, 1)
        layout.addLayout(level_row)
        layout.addWidget(self.detail)
        layout.addWidget(self.buttons)
        self.frameworks.currentIndexChanged.connect(self._load_framework)
        self.criteria.currentRowChanged.connect(self._criterion_chosen)
        self.level.valueChanged.connect(self._show_level)
        self._load_frameworks()

    def _load_frameworks(self) -> None:
        from recruit_app.services.library import list_library

        ctx = self.context.service_context()
        self.context.reads.start(lambda: list_library(ctx), self._frameworks_loaded)

    def _frameworks_loaded(self, entries: list[Any]) -> None:
        for entry in entries:
            if entry.kind == "framework":
                self.frameworks.addItem(f"{entry.name} ({entry.code})", entry.code)

    def _load_framework(self, _index: int) -> None:
        from recruit_app.services.library import get_framework

        code = self.frameworks.currentData()
        ctx = self.context.service_context()
        self.context.reads.start(
            lambda: get_framework(ctx, code),
            lambda framework: self._framework_loaded(code, framework),
        )

    def _framework_loaded(self, code: str, framework: FrameworkView) -> None:
        if code != self.frameworks.currentData():
            return  # an earlier choice's read arriving after a later one's: not what is chosen
        self.framework = framework
        self.criteria.clear()
        for view in framework.criteria:
            if not view.retired:
                item = QListWidgetItem(f"{view.definition.name} ({view.definition.code})")
                item.setData(Qt.ItemDataRole.UserRole, view)
                self.criteria.addItem(item)
        self.criteria.setCurrentRow(0)

    def _current(self) -> Any:
        item = self.criteria.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _criterion_chosen(self, _row: int) -> None:
        view = self._current()
        if view is None:
            return
        span = view.definition.level_range
        self.level.setEnabled(span is not None)
        if span:
            self.level.setRange(*span)
        self._show_level()

    def _show_level(self) -> None:
        view = self._current()
        if view is None:
            return
        level = view.definition.level(self.level.value()) if self.level.isEnabled() else None
        text = view.definition.description
        if level is not None:
            grades = f" ({level.grades})" if level.grades else ""
            text = f"{level.title or 'Level'}{grades}: {level.description or text}"
        self.detail.setText(text)

    def _accept(self) -> None:
        from recruit_app.services.adverts import CriterionRow

        view = self._current()
        if view is None or self.framework is None:
            return
        definition = view.definition
        level = self.level.value() if definition.levels else None
        row = CriterionRow(
            code=definition.code,
            title=definition.name,
            element=definition.element,
            level=level,
            criterion_id=view.id,
            framework=self.framework.definition.code,
            level_range=definition.level_range,
        )
        levels = {lv.level: (lv.title, lv.positive_indicators) for lv in definition.levels}
        self.picked.emit(row, levels)
        self.accept()
