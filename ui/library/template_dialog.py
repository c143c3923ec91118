"""The role template dialog: title, grade and summary, its criteria, and its stages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFormLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from recruit_app.errors import ValidationError
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.library.fields import line_edit, text_edit
from ui.library.picker import CriterionPicker
from ui.library.template_editors import CriteriaEditor, StagesEditor
from ui.library.template_rows import (
    CriterionRow,
    definition_of,
    free_code,
    library_levels,
    rows_of,
)
from ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from recruit_app.services.library import TemplateView
    from ui.library.snapshot import LibrarySnapshot

_ROW_OF_FIELD = re.compile(r"^(criteria|stages)\[(\d+)\]")


class TemplateDialog(ServiceDialog):
    """Edits a user's role template; saved whole with the version the user saw."""

    def __init__(
        self,
        context: AppContext,
        *,
        template: TemplateView,
        snapshot: LibrarySnapshot,
        parent: QWidget | None = None,
    ) -> None:
        definition = template.definition
        super().__init__(context, f"Edit role template {definition.code}", parent)
        self.setObjectName("templateDialog")
        self.setMinimumSize(760, 560)
        fit_to_screen(self, 980, 740)
        self.template = template
        self.snapshot = snapshot
        self.expected_version = template.version
        self.picker: CriterionPicker | None = None
        self.criteria, self.stages = rows_of(definition, snapshot)

        code = QLabel(definition.code)
        code.setObjectName("templateCode")
        self.title_edit = line_edit("titleEdit", definition.title)
        self.grade_edit = line_edit(
            "gradeEdit", definition.grade, limit=100, placeholder="e.g. Senior Executive Officer"
        )
        self.summary_edit = text_edit(
            "summaryEdit", definition.summary, lines=3, placeholder="A few lines about the role"
        )
        # The criteria and stages need the room more than the summary does.
        self.summary_edit.setMaximumHeight(self.summary_edit.minimumHeight() + 20)
        form = QFormLayout()
        form.addRow("Code", code)
        form.addRow("&Title", self.checked("title", self.title_edit))
        form.addRow("&Grade", self.checked("grade", self.grade_edit))
        form.addRow("&Summary", self.summary_edit)

        self.criteria_editor = CriteriaEditor(self.criteria)
        self.stages_editor = StagesEditor(self.stages, self.criteria)
        self._errors["criteria"] = self.criteria_editor.error
        self._errors["stages"] = self.stages_editor.error
        self.tabs = QTabWidget()
        self.tabs.setObjectName("templateTabs")
        self.tabs.addTab(self.criteria_editor, "")
        self.tabs.addTab(self.stages_editor, "")
        self._update_tab_titles()

        body = QVBoxLayout()
        body.addLayout(form)
        body.addWidget(self.tabs, 1)
        self.finish_layout(body)

        self.criteria_editor.changed.connect(self._criteria_changed)
        self.criteria_editor.pick_requested.connect(self.open_picker)
        self.stages_editor.changed.connect(self._update_tab_titles)
        self.title_edit.setFocus()

    def _update_tab_titles(self) -> None:
        self.tabs.setTabText(0, f"&Criteria ({len(self.criteria)})")
        self.tabs.setTabText(1, f"S&tages ({len(self.stages)})")

    def _criteria_changed(self) -> None:
        self.stages_editor.criteria_changed()
        self._update_tab_titles()

    # --- adding from the library -----------------------------------------------------

    def open_picker(self) -> None:
        frameworks = {
            code: view.definition
            for code, view in self.snapshot.frameworks.items()
            if not view.retired
        }
        already = {(row.framework, row.criterion) for row in self.criteria if row.from_library}
        picker = CriterionPicker(frameworks, already=already, parent=self)
        picker.chosen.connect(self.add_from_library)
        picker.finished.connect(lambda _result: setattr(self, "picker", None))
        self.picker = picker
        picker.open()

    def add_from_library(self, framework: str, criterion: str, level: int | None) -> None:
        source = self.snapshot.frameworks[framework].definition.criterion(criterion)
        if source is None:
            return
        row = CriterionRow(
            code=free_code((r.code for r in self.criteria), criterion),
            element=source.element,
            title=source.name,
            framework=framework,
            criterion=criterion,
            level=level,
            levels=library_levels(self.snapshot, framework, criterion),
        )
        self.tabs.setCurrentWidget(self.criteria_editor)
        self.criteria_editor.add(row)

    # --- saving ----------------------------------------------------------------------

    def show_error(self, exc: ValidationError) -> None:
        super().show_error(exc)
        where = _ROW_OF_FIELD.match(exc.field or "")
        if where is None:
            return
        editor = self.criteria_editor if where.group(1) == "criteria" else self.stages_editor
        self.tabs.setCurrentWidget(editor)
        editor.select(int(where.group(2)))

    def work(self) -> Callable[[], Any]:
        from recruit_app.domain.library_format import parse_role_template, role_template_to_dict
        from recruit_app.services.library import save_template

        ctx = self.context.service_context()
        definition = definition_of(
            self.template.definition,
            title=self.title_edit.text(),
            grade=self.grade_edit.text(),
            summary=self.summary_edit.toPlainText(),
            criteria=self.criteria,
            stages=self.stages,
        )
        version = self.expected_version

        def save() -> Any:
            # The exchange format's checks (unique codes, one lead, stages naming known
            # criteria) guard what save_template stores, so it always reads back.
            checked = parse_role_template(role_template_to_dict(definition))
            return save_template(ctx, checked, expected_version=version)

        return save

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        from recruit_app.services.library import get_template

        ctx, code = self.context.service_context(), self.template.definition.code

        def reload() -> tuple[int, str]:
            latest = get_template(ctx, code)
            return latest.version, f"It is now titled “{latest.definition.title}”."

        return reload
