"""Dialogs for a framework's own details, for copying an entry, and for adding a question."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.library.fields import code_edit, line_edit, lines_of, text_edit

if TYPE_CHECKING:
    from recruit_app.domain.library_format import CriterionDef
    from recruit_app.services.library import FrameworkView

CODE_HINT = "Letters, digits and . _ - (for example LOCAL-BEH)"


class FrameworkDialog(ServiceDialog):
    """New framework (`framework` None) or a change to one's name, edition and description."""

    def __init__(
        self,
        context: AppContext,
        *,
        framework: FrameworkView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        heading = "New framework" if framework is None else f"Edit {framework.definition.code}"
        super().__init__(context, heading, parent)
        self.setObjectName("frameworkDialog")
        self.setMinimumWidth(560)
        self.framework = framework
        definition = framework.definition if framework else None
        self.expected_version = framework.version if framework else None

        self.code_edit = code_edit(
            "codeEdit", definition.code if definition else "", placeholder=CODE_HINT
        )
        self.code_edit.setReadOnly(framework is not None)
        self.name_edit = line_edit(
            "nameEdit",
            definition.name if definition else "",
            placeholder="e.g. Local behaviours",
        )
        self.edition_edit = code_edit(
            "editionEdit", definition.edition if definition else "", placeholder="e.g. 2026"
        )
        self.description_edit = text_edit(
            "descriptionEdit",
            definition.description if definition else "",
            placeholder="What the framework is for and where it comes from",
            lines=4,
        )
        form = QFormLayout()
        form.addRow("&Code", self.checked("code", self.code_edit))
        form.addRow("&Name", self.checked("name", self.name_edit))
        form.addRow("&Edition", self.checked("edition", self.edition_edit))
        form.addRow("&Description", self.description_edit)
        self.finish_layout(form)
        (self.name_edit if framework else self.code_edit).setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.library import create_framework, update_framework

        ctx = self.context.service_context()
        name, edition = self.name_edit.text(), self.edition_edit.text()
        description = self.description_edit.toPlainText()
        if self.framework is None:
            code = self.code_edit.text()
            return lambda: create_framework(
                ctx, code=code, name=name, edition=edition, description=description
            )
        code, version = self.framework.definition.code, self.expected_version
        return lambda: update_framework(
            ctx,
            code,
            name=name,
            edition=edition,
            description=description,
            expected_version=version,
        )

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        if self.framework is None:
            return None
        from recruit_app.services.library import get_framework

        ctx, code = self.context.service_context(), self.framework.definition.code

        def reload() -> tuple[int, str]:
            latest = get_framework(ctx, code)
            return latest.version, f"It is now named “{latest.definition.name}”."

        return reload


class CodeNameDialog(ServiceDialog):
    """Asks for a code and a name, then runs `submit(code, name)`: duplicating, new template."""

    def __init__(
        self,
        context: AppContext,
        *,
        heading: str,
        submit: Callable[[str, str], Any],
        code: str = "",
        name: str = "",
        name_label: str = "&Name",
        intro: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, heading, parent)
        self.setObjectName("codeNameDialog")
        self.setMinimumWidth(520)
        self.submit = submit
        self.code_edit = code_edit("codeEdit", code, placeholder=CODE_HINT)
        self.name_edit = line_edit("nameEdit", name)
        form = QFormLayout()
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            form.addRow(text)
        form.addRow("&Code", self.checked("code", self.code_edit))
        form.addRow(name_label, self.checked("name", self.name_edit))
        # Templates call their name a title; either message lands here.
        self._errors["title"] = self._errors["name"]
        self.finish_layout(form)
        self.code_edit.setFocus()
        self.code_edit.selectAll()

    def work(self) -> Callable[[], Any]:
        code, name = self.code_edit.text(), self.name_edit.text()
        return lambda: self.submit(code, name)


class QuestionDialog(ServiceDialog):
    """A new interview question for one criterion, at one level or any."""

    def __init__(
        self,
        context: AppContext,
        *,
        framework_code: str,
        criterion: CriterionDef,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, f"Question for {criterion.name}", parent)
        self.setObjectName("questionDialog")
        self.setMinimumWidth(560)
        self.framework_code = framework_code
        self.criterion = criterion

        about = QLabel(f"{framework_code} · {criterion.code}: {criterion.name}")
        about.setWordWrap(True)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("levelCombo")
        self.level_combo.addItem("Any level", None)
        for level in criterion.levels:
            title = (
                f" — {level.title}" if level.title and level.title != f"Level {level.level}" else ""
            )
            self.level_combo.addItem(f"Level {level.level}{title}", level.level)
        self.text_edit = text_edit(
            "questionTextEdit", placeholder="e.g. Tell us about a time you…", lines=3
        )
        self.probes_edit = text_edit(
            "probesEdit", placeholder="One follow-up question per line", lines=4
        )
        form = QFormLayout()
        form.addRow("Criterion", about)
        form.addRow("&Level", self.checked("level", self.level_combo))
        form.addRow("&Question", self.checked("text", self.text_edit))
        form.addRow("&Probes", self.probes_edit)
        self.finish_layout(form)
        self.text_edit.setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.library import save_question

        ctx = self.context.service_context()
        framework, criterion = self.framework_code, self.criterion.code
        text, probes = self.text_edit.toPlainText(), list(lines_of(self.probes_edit))
        level = self.level_combo.currentData()
        return lambda: save_question(
            ctx, framework, criterion, text=text, probes=probes, level=level
        )
