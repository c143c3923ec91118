"""The criterion dialog: code, name, element, cluster, description and an editor of its levels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.library_format import LEVEL_MAX, LEVEL_MIN
from recruit_app.vocabulary import Element
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.library.fields import code_edit, line_edit, text_edit
from ui.library.template_rows import element_choices
from ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from recruit_app.domain.library_format import CriterionDef, LevelDef
    from recruit_app.services.library import CriterionView

LEVELS_HINT = (
    "Behaviours, strengths, ability and technical criteria need at least one level. "
    "Level numbers run without gaps, such as 1 to 6. Experience needs none."
)


@dataclass(eq=False)
class _Level:
    """One level while it is being edited; indicators are kept as the typed text."""

    level: int
    title: str = ""
    grades: str = ""
    description: str = ""
    positive: str = ""
    negative: str = ""

    @classmethod
    def of(cls, level: LevelDef) -> _Level:
        return cls(
            level.level,
            level.title,
            level.grades,
            level.description,
            "\n".join(level.positive_indicators),
            "\n".join(level.negative_indicators),
        )

    def label(self) -> str:
        """'Level 3 — Emerging · HEO, SEO': the list shows what tells levels apart."""
        text = f"Level {self.level}"
        title = self.title.strip()
        if title and title != text:
            text += f" — {title}"
        grades = self.grades.strip()
        return f"{text} · {grades}" if grades else text


class CriterionDialog(ServiceDialog):
    """Add a criterion to a framework (`criterion` None) or replace one with all its levels."""

    def __init__(
        self,
        context: AppContext,
        *,
        framework_code: str,
        criterion: CriterionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        heading = (
            f"New criterion in {framework_code}"
            if criterion is None
            else f"Edit {framework_code} {criterion.definition.code}"
        )
        super().__init__(context, heading, parent)
        self.setObjectName("criterionDialog")
        # Sized to show a level's indicators without scrolling, yet fit a 1366 x 768 laptop.
        self.setMinimumSize(720, 520)
        fit_to_screen(self, 900, 680)
        self.framework_code = framework_code
        self.criterion = criterion
        self.expected_version = criterion.version if criterion else None
        definition = criterion.definition if criterion else None
        self.levels: list[_Level] = (
            [_Level.of(lv) for lv in definition.levels] if definition else []
        )
        self._loading = False

        self.code_edit = code_edit(
            "codeEdit", definition.code if definition else "", placeholder="e.g. TEAM"
        )
        self.name_edit = line_edit(
            "nameEdit", definition.name if definition else "", placeholder="e.g. Working Together"
        )
        self.element_combo = QComboBox()
        self.element_combo.setObjectName("elementCombo")
        for key, label in element_choices():
            self.element_combo.addItem(label, key)
        element = definition.element if definition else Element.BEHAVIOURS.value
        self.element_combo.setCurrentIndex(max(0, self.element_combo.findData(element)))
        self.cluster_edit = line_edit(
            "clusterEdit",
            definition.cluster if definition else "",
            placeholder="Optional group, e.g. Setting Direction",
        )
        self.description_edit = text_edit(
            "descriptionEdit", definition.description if definition else "", lines=2
        )

        form = QFormLayout()
        form.addRow("&Code", self.checked("code", self.code_edit))
        form.addRow("&Name", self.checked("name", self.name_edit))
        form.addRow("&Element", self.element_combo)
        form.addRow("C&luster", self.cluster_edit)
        form.addRow("&Description", self.description_edit)

        body = QVBoxLayout()
        body.addLayout(form)
        body.addWidget(self._levels_box(), 1)
        self.finish_layout(body)
        self._fill_level_list()
        if self.levels:
            self.select_level(0)
        self._update_level_editor()
        (self.name_edit if criterion else self.code_edit).setFocus()

    # --- the levels editor -----------------------------------------------------------

    def _levels_box(self) -> QGroupBox:
        box = QGroupBox("Levels")
        self.level_model = QStandardItemModel(self)
        self.level_list = QListView()
        self.level_list.setObjectName("levelList")
        self.level_list.setModel(self.level_model)
        self.level_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.level_list.setMinimumWidth(200)
        self.level_list.selectionModel().currentChanged.connect(
            lambda _now, _before: self._update_level_editor()
        )
        self.add_level_button = QPushButton("&Add level")
        self.add_level_button.setObjectName("addLevelButton")
        self.add_level_button.clicked.connect(self.add_level)
        self.remove_level_button = QPushButton("&Remove level")
        self.remove_level_button.setObjectName("removeLevelButton")
        self.remove_level_button.clicked.connect(self.remove_level)

        self.level_spin = QSpinBox()
        self.level_spin.setObjectName("levelNumber")
        self.level_spin.setRange(LEVEL_MIN, LEVEL_MAX)
        self.level_spin.setMaximumWidth(90)
        self.level_title_edit = line_edit("levelTitleEdit", placeholder="e.g. Level 3")
        self.grades_edit = line_edit(
            "gradesEdit", placeholder="e.g. Higher Executive Officer, Senior Executive Officer"
        )
        self.level_description_edit = text_edit("levelDescriptionEdit", lines=2)
        self.positive_edit = text_edit(
            "positiveEdit", placeholder="One indicator per line", lines=4
        )
        self.negative_edit = text_edit(
            "negativeEdit", placeholder="One indicator per line", lines=3
        )
        self.level_spin.valueChanged.connect(self._level_edited)
        for edit in (self.level_title_edit, self.grades_edit):
            edit.textChanged.connect(self._level_edited)
        for text in (self.level_description_edit, self.positive_edit, self.negative_edit):
            text.textChanged.connect(self._level_edited)

        self.level_form = QWidget()
        level_form = QFormLayout(self.level_form)
        level_form.setContentsMargins(0, 0, 0, 0)
        level_form.addRow("Le&vel number", self.level_spin)
        level_form.addRow("&Title", self.level_title_edit)
        level_form.addRow("&Grades", self.grades_edit)
        level_form.addRow("Descr&iption", self.level_description_edit)
        level_form.addRow("&Positive indicators\n(one per line)", self.positive_edit)
        level_form.addRow("Ne&gative indicators\n(one per line)", self.negative_edit)

        list_column = QVBoxLayout()
        list_column.addWidget(self.level_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_level_button)
        buttons.addWidget(self.remove_level_button)
        list_column.addLayout(buttons)
        row = QHBoxLayout()
        row.addLayout(list_column)
        row.addWidget(self.level_form, 1)
        hint = QLabel(LEVELS_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #52606d;")
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        self.error_label("levels", self.level_list)  # shown in the dialog's message area
        layout.addLayout(row, 1)
        return box

    def _fill_level_list(self) -> None:
        self.level_model.clear()
        for level in self.levels:
            item = QStandardItem(level.label())
            item.setEditable(False)
            self.level_model.appendRow(item)

    def current_level_row(self) -> int | None:
        index = self.level_list.currentIndex()
        return index.row() if index.isValid() and index.row() < len(self.levels) else None

    def select_level(self, row: int) -> None:
        index = self.level_model.index(row, 0)
        self.level_list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def add_level(self) -> None:
        number = min(LEVEL_MAX, max((lv.level for lv in self.levels), default=0) + 1)
        self.levels.append(_Level(number))
        item = QStandardItem(self.levels[-1].label())
        item.setEditable(False)
        self.level_model.appendRow(item)
        self.select_level(len(self.levels) - 1)
        self.level_title_edit.setFocus()

    def remove_level(self) -> None:
        row = self.current_level_row()
        if row is None:
            return
        del self.levels[row]
        self.level_model.removeRow(row)
        if self.levels:
            self.select_level(min(row, len(self.levels) - 1))
        self._update_level_editor()

    def _update_level_editor(self) -> None:
        row = self.current_level_row()
        self.level_form.setEnabled(row is not None)
        self.remove_level_button.setEnabled(row is not None)
        level = self.levels[row] if row is not None else _Level(LEVEL_MIN)
        self._loading = True  # filling the editors is not an edit
        self.level_spin.setValue(level.level)
        self.level_title_edit.setText(level.title)
        self.grades_edit.setText(level.grades)
        self.level_description_edit.setPlainText(level.description)
        self.positive_edit.setPlainText(level.positive)
        self.negative_edit.setPlainText(level.negative)
        self._loading = False

    def _level_edited(self) -> None:
        row = self.current_level_row()
        if self._loading or row is None:
            return
        level = self.levels[row]
        level.level = self.level_spin.value()
        level.title = self.level_title_edit.text()
        level.grades = self.grades_edit.text()
        level.description = self.level_description_edit.toPlainText()
        level.positive = self.positive_edit.toPlainText()
        level.negative = self.negative_edit.toPlainText()
        item = self.level_model.item(row)
        if item is not None:
            item.setText(level.label())

    # --- saving ----------------------------------------------------------------------

    def definition(self) -> CriterionDef:
        from recruit_app.domain.library_format import CriterionDef, LevelDef

        levels = tuple(
            LevelDef(
                level=lv.level,
                title=lv.title.strip(),
                grades=lv.grades.strip(),
                description=lv.description.strip(),
                positive_indicators=_lines(lv.positive),
                negative_indicators=_lines(lv.negative),
            )
            for lv in sorted(self.levels, key=lambda lv: lv.level)
        )
        return CriterionDef(
            code=self.code_edit.text(),
            name=self.name_edit.text(),
            element=self.element_combo.currentData(),
            description=self.description_edit.toPlainText().strip(),
            cluster=self.cluster_edit.text().strip(),
            levels=levels,
        )

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.library import save_criterion

        ctx = self.context.service_context()
        definition, framework = self.definition(), self.framework_code
        criterion_id = self.criterion.id if self.criterion else None
        version = self.expected_version
        return lambda: save_criterion(
            ctx, framework, definition, criterion_id=criterion_id, expected_version=version
        )

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        if self.criterion is None:
            return None
        from recruit_app.errors import NotFound
        from recruit_app.services.library import get_framework

        ctx, framework, criterion_id = (
            self.context.service_context(),
            self.framework_code,
            self.criterion.id,
        )

        def reload() -> tuple[int, str]:
            view = get_framework(ctx, framework)
            latest = next((c for c in view.criteria if c.id == criterion_id), None)
            if latest is None:
                raise NotFound("That criterion no longer exists in this framework.")
            return latest.version, f"It is now named “{latest.definition.name}”."

        return reload


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())
