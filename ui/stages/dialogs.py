"""Dialogs of the Stages tab: a new stage, and a new person for a panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from recruit_app.vocabulary import Role, StageKind
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog


def _line(name: str, placeholder: str = "", limit: int = 250) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(limit)  # longer input gets a message from the service, not a silent cut
    edit.setPlaceholderText(placeholder)
    return edit


class AddStageDialog(ServiceDialog):
    """A name and a kind; the name follows the kind until the user types one of their own."""

    def __init__(self, context: AppContext, campaign_id: int, parent: QWidget | None = None):
        super().__init__(context, "Add a stage", parent)
        self.setObjectName("addStageDialog")
        self.setMinimumWidth(440)
        self.campaign_id = campaign_id
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("newStageKind")
        for code, label in StageKind.labels().items():
            self.kind_combo.addItem(label, code)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData("panel_interview"))
        self.name_edit = _line("newStageName", "e.g. Final interview")
        self._suggested = self.kind_combo.currentText()
        self.name_edit.setText(self._suggested)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        form = QFormLayout()
        form.addRow("&Kind", self.checked("kind", self.kind_combo))
        form.addRow("&Name", self.checked("name", self.name_edit))
        hint = QLabel("You set its dates, scale and panel once it is added.")
        hint.setEnabled(False)
        form.addRow(hint)
        self.finish_layout(form)
        self.save_button.setText("Add")
        self.name_edit.selectAll()
        self.name_edit.setFocus()

    def _kind_changed(self, _index: int) -> None:
        # Keep a name the user typed; replace one that only echoed the previous kind.
        if self.name_edit.text().strip() in ("", self._suggested):
            self._suggested = self.kind_combo.currentText()
            self.name_edit.setText(self._suggested)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.stages import add_stage

        ctx = self.context.service_context()
        name, kind = self.name_edit.text(), self.kind_combo.currentData()
        return lambda: add_stage(ctx, self.campaign_id, name=name, kind=kind)


class PersonDialog(ServiceDialog):
    """Someone new to sit on panels: name, e-mail and what they may do in Recruit."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "New person", parent)
        self.setObjectName("personDialog")
        self.setMinimumWidth(440)
        self.name_edit = _line("personName", "e.g. Priya Shah")
        self.email_edit = _line("personEmail", "name@department.gov.uk", 370)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("personRole")
        # Most people added here only sit on panels: that role comes first.
        for role in (Role.PANEL_MEMBER, Role.RECRUITING_MANAGER, Role.ADMINISTRATOR):
            self.role_combo.addItem(role.label, role.value)
        form = QFormLayout()
        form.addRow("&Name", self.checked("name", self.name_edit))
        form.addRow("&E-mail", self.checked("email", self.email_edit))
        form.addRow("&Role in Recruit", self.checked("role", self.role_combo))
        self.finish_layout(form)
        self.name_edit.setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.people import create_person

        ctx = self.context.service_context()
        name, email = self.name_edit.text(), self.email_edit.text()
        role = self.role_combo.currentData()
        return lambda: create_person(ctx, name=name, email=email, role=role)
