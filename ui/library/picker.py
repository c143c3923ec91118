"""Choosing a criterion from the library for a role template, with a level in its range."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.library_format import CriterionDef, FrameworkDef
from recruit_app.vocabulary import Element
from ui.library.models import level_span

REFERENCE_ROLE = Qt.ItemDataRole.UserRole


class CriterionPicker(QDialog):
    """Frameworks with their criteria; `chosen` carries (framework, criterion, level or None)."""

    chosen = Signal(str, str, object)

    def __init__(
        self,
        frameworks: Mapping[str, FrameworkDef],
        *,
        already: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("criterionPicker")
        self.setWindowTitle("Add a criterion from the library")
        self.setMinimumSize(720, 560)
        self.frameworks = dict(frameworks)
        self.already = set(already)

        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText("Search criteria by name or code")
        self.search.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("pickerTree")
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("pickerLevel")
        self.level_combo.setMinimumWidth(200)
        self.about = QLabel()
        self.about.setObjectName("pickerAbout")
        self.about.setWordWrap(True)
        self.about.setStyleSheet("color: #52606d;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = QPushButton("&Add to template")
        self.add_button.setObjectName("pickerAddButton")
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Level", self.level_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.about)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.search.textChanged.connect(self._fill)
        self.tree.selectionModel().currentChanged.connect(
            lambda _now, _before: self._criterion_changed()
        )
        self.tree.doubleClicked.connect(lambda _index: self._add())
        self._fill()

    def _fill(self) -> None:
        needle = self.search.text().casefold().strip()
        self.model.clear()
        self.model.setHorizontalHeaderLabels(["Criterion", "Element", "Levels"])
        for code, framework in sorted(self.frameworks.items(), key=lambda kv: kv[1].name):
            criteria = [
                c
                for c in framework.criteria
                if not needle
                or needle in c.name.casefold()
                or needle in c.code.casefold()
                or needle in framework.name.casefold()
            ]
            if not criteria:
                continue
            top = QStandardItem(f"{framework.name} ({code})")
            top.setSelectable(False)
            for criterion in criteria:
                top.appendRow(self._row(code, criterion))
            blank = [QStandardItem(""), QStandardItem("")]
            for item in blank:
                item.setSelectable(False)
            self.model.appendRow([top, *blank])
        if needle:
            self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self._criterion_changed()

    def _row(self, framework: str, criterion: CriterionDef) -> list[QStandardItem]:
        taken = (framework, criterion.code) in self.already
        name = QStandardItem(
            f"{criterion.code}  {criterion.name}" + ("  (already in the template)" if taken else "")
        )
        name.setData((framework, criterion.code), REFERENCE_ROLE)
        items = [
            name,
            QStandardItem(Element.label_for(criterion.element)),
            QStandardItem(level_span(criterion.levels)),
        ]
        for item in items:
            item.setEnabled(not taken)
        return items

    def select(self, framework: str, criterion: str) -> bool:
        """Select a criterion by its codes; False when it is not listed or already taken."""
        for top_row in range(self.model.rowCount()):
            top = self.model.item(top_row)
            for row in range(top.rowCount()):
                item = top.child(row)
                if item.data(REFERENCE_ROLE) == (framework, criterion) and item.isEnabled():
                    self.tree.expand(top.index())
                    self.tree.setCurrentIndex(item.index())
                    return True
        return False

    def current(self) -> tuple[str, str] | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        item = self.model.itemFromIndex(index.siblingAtColumn(0))
        reference = item.data(REFERENCE_ROLE) if item is not None else None
        return reference if reference and item.isEnabled() else None

    def _criterion(self) -> CriterionDef | None:
        reference = self.current()
        if reference is None:
            return None
        return self.frameworks[reference[0]].criterion(reference[1])

    def _criterion_changed(self, _index: QModelIndex | None = None) -> None:
        criterion = self._criterion()
        self.level_combo.clear()
        self.add_button.setEnabled(criterion is not None)
        if criterion is None:
            self.about.setText("Choose a criterion; then the level the role needs.")
            self.level_combo.addItem("Choose a criterion first", None)
            self.level_combo.setEnabled(False)
            return
        self.level_combo.setEnabled(True)
        if not criterion.levels:
            self.level_combo.addItem("No level", None)
        for level in criterion.levels:
            grades = f" ({level.grades})" if level.grades else ""
            self.level_combo.addItem(f"Level {level.level}{grades}", level.level)
        self.about.setText(criterion.description or criterion.name)

    def _add(self) -> None:
        reference = self.current()
        if reference is None:
            return
        self.chosen.emit(reference[0], reference[1], self.level_combo.currentData())
        self.accept()
