"""The right-hand side of the library screen: a framework's criteria or a template's contents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from recruit_app.vocabulary import Element
from ui.library.models import Column, RecordTableModel, level_span
from ui.library.render import levels_html, questions_html
from ui.library.template_editors import CRITERIA_COLUMNS, STAGE_COLUMNS
from ui.library.template_rows import rows_of

if TYPE_CHECKING:
    from recruit_app.services.library import (
        CriterionView,
        FrameworkView,
        QuestionView,
        TemplateView,
    )
    from ui.library.snapshot import LibrarySnapshot


def _retired(text: str, view: CriterionView) -> str:
    return f"{text} (retired)" if view.retired else text


FRAMEWORK_COLUMNS = (
    Column("Code", lambda c: c.definition.code),
    Column("Name", lambda c: _retired(c.definition.name, c), lambda c: c.definition.description),
    Column("Element", lambda c: Element.label_for(c.definition.element)),
    Column("Levels", lambda c: level_span(c.definition.levels)),
    Column("Cluster", lambda c: c.definition.cluster),
)


def read_only_table(name: str, model: RecordTableModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _browser(name: str) -> QTextBrowser:
    browser = QTextBrowser()
    browser.setObjectName(name)
    browser.setOpenLinks(False)
    return browser


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 6, 0, 0)
    label = QLabel(f"<b>{title}</b>")
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box


class FrameworkDetail(QWidget):
    """Criteria in a table; the selected one's levels and interview questions below."""

    criterion_selected = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameworkDetail")
        self.framework: FrameworkView | None = None
        self.questions: list[QuestionView] = []
        self.model = RecordTableModel(FRAMEWORK_COLUMNS, dimmed=lambda c: c.retired, parent=self)
        self.table = read_only_table("criteriaTable", self.model, stretch=1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_criterion())

        self.add_button = QPushButton("&Add criterion…")
        self.add_button.setObjectName("addCriterionButton")
        self.edit_button = QPushButton("Edit c&riterion…")
        self.edit_button.setObjectName("editCriterionButton")
        self.retire_button = QPushButton("Retire criterion")
        self.retire_button.setObjectName("retireCriterionButton")
        self.question_button = QPushButton("Add &question…")
        self.question_button.setObjectName("addQuestionButton")
        self.table.doubleClicked.connect(lambda _index: self.edit_button.click())

        self.levels = _browser("levelsView")
        self.questions_view = _browser("questionsView")
        below = QSplitter(Qt.Orientation.Horizontal)
        below.setChildrenCollapsible(False)
        below.addWidget(_titled("Levels and indicators", self.levels))
        below.addWidget(_titled("Interview questions", self.questions_view))
        below.setStretchFactor(0, 3)
        below.setStretchFactor(1, 2)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("<b>Criteria</b>"))
        buttons.addStretch(1)
        for button in (self.add_button, self.edit_button, self.retire_button, self.question_button):
            buttons.addWidget(button)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(top)
        split.addWidget(below)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_framework(self, view: FrameworkView, *, include_retired: bool) -> None:
        # After a refresh of the same framework, stay on the criterion the user was reading.
        keep = self.selected()
        same = self.framework is not None and self.framework.definition.code == view.definition.code
        keep_code = keep.definition.code if keep and same else None
        self.framework = view
        self.questions = []
        self.model.set_rows([c for c in view.criteria if include_retired or not c.retired])
        if not (keep_code and self.select_criterion(keep_code)) and self.model.rowCount():
            self.select_row(0)
        self._show_criterion()

    def set_questions(self, questions: list[QuestionView]) -> None:
        self.questions = questions
        self._show_questions()

    def selected(self) -> CriterionView | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.record(index.row())

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def select_criterion(self, code: str) -> bool:
        row = self.model.find(lambda c: c.definition.code == code)
        if row is None:
            return False
        self.select_row(row)
        return True

    def _show_criterion(self) -> None:
        criterion = self.selected()
        if criterion is None:
            self.levels.setHtml(
                "<p style='color:#52606d'>This framework has no criteria yet. "
                "Add the first one.</p>"
            )
        else:
            self.levels.setHtml(levels_html(criterion.definition))
        self._show_questions()
        self.criterion_selected.emit()

    def _show_questions(self) -> None:
        criterion = self.selected()
        if criterion is None:
            self.questions_view.clear()
            return
        code = criterion.definition.code
        self.questions_view.setHtml(
            questions_html([q for q in self.questions if q.criterion == code and not q.retired])
        )


class TemplateDetail(QWidget):
    """A role template's criteria and its stages with what each one assesses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateDetail")
        self.criteria_model = RecordTableModel(CRITERIA_COLUMNS, parent=self)
        self.criteria_table = read_only_table("templateCriteriaTable", self.criteria_model, 1)
        self.stages_model = RecordTableModel(STAGE_COLUMNS, parent=self)
        self.stages_table = read_only_table("templateStagesTable", self.stages_model, 6)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(_titled("Criteria", self.criteria_table))
        split.addWidget(_titled("Stages", self.stages_table))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_template(self, view: TemplateView, snapshot: LibrarySnapshot) -> None:
        criteria, stages = rows_of(view.definition, snapshot)
        self.criteria_model.set_rows(criteria)
        self.stages_model.set_rows(stages)
