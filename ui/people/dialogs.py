"""Dialogs of the People screen: a person's details, and a password set by an administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from recruit_app.errors import ValidationError
from recruit_app.vocabulary import Role
from ui.context import AppContext
from ui.library.dialog_base import ServiceDialog
from ui.people.model import role_label

if TYPE_CHECKING:
    from recruit_app.services.people import PersonRow

NAME_LIMIT = 250  # the service allows 200: longer input gets its message, not a silent cut
EMAIL_LIMIT = 370
ROLE_HINTS = {
    Role.ADMINISTRATOR: "Manages people, the shared database and every campaign.",
    Role.RECRUITING_MANAGER: "Runs their own campaigns and those shared with them.",
    Role.PANEL_MEMBER: "Sees and scores only the stages they sit on a panel of.",
}


def _line(name: str, text: str = "", placeholder: str = "", limit: int = NAME_LIMIT) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setMaxLength(limit)
    edit.setPlaceholderText(placeholder)
    return edit


def roles_for(actor_role: str) -> list[str]:
    """The roles the person acting may give: a recruiting manager adds panel members only."""
    if actor_role == Role.ADMINISTRATOR:
        return list(Role.codes())
    return [Role.PANEL_MEMBER.value]


class PersonDialog(ServiceDialog):
    """Add someone, or change someone's name, e-mail and role."""

    def __init__(
        self, context: AppContext, person: PersonRow | None = None, parent: QWidget | None = None
    ) -> None:
        title = f"Edit {person.name}" if person else "Add a person"
        super().__init__(context, title, parent)
        self.setObjectName("personDialog")
        self.setMinimumWidth(460)
        self.person = person
        self.expected_version = person.version if person else None
        self.name_edit = _line("personName", person.name if person else "", "e.g. Priya Shah")
        self.email_edit = _line(
            "personEmail", person.email if person else "", "name@department.gov.uk", EMAIL_LIMIT
        )
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("personRole")
        for code in roles_for(context.actor.role):
            self.role_combo.addItem(Role(code).label, code)
        if person is not None:
            index = self.role_combo.findData(person.role)
            if index < 0:  # not theirs to give: shown, not changeable
                self.role_combo.addItem(role_label(person.role), person.role)
                index = self.role_combo.count() - 1
            self.role_combo.setCurrentIndex(index)
        self.role_combo.setEnabled(self.role_combo.count() > 1)
        self.role_hint = QLabel()
        self.role_hint.setObjectName("roleHint")
        self.role_hint.setWordWrap(True)
        self.role_hint.setEnabled(False)
        # Equality monitoring: an administrator gives it to a recruiting manager.
        self.monitoring_box = QCheckBox("May read equality monitoring and fairness figures")
        self.monitoring_box.setObjectName("equalityMonitoring")
        self.monitoring_box.setChecked(bool(person and person.equality_monitoring))
        self.monitoring_box.setVisible(context.actor.role == Role.ADMINISTRATOR)
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        form = QFormLayout()
        form.addRow("&Name", self.checked("name", self.name_edit))
        form.addRow("&E-mail", self.checked("email", self.email_edit))
        form.addRow("&Role", self.checked("role", self.role_combo))
        form.addRow("", self.role_hint)
        form.addRow("", self.checked("equality_monitoring", self.monitoring_box))
        self.finish_layout(form)
        self.save_button.setText("Save" if person else "Add")
        self.name_edit.setFocus()

    def _role_changed(self) -> None:
        manager = self.role_combo.currentData() == Role.RECRUITING_MANAGER
        self.monitoring_box.setEnabled(manager)
        self.monitoring_box.setToolTip(
            "The equality monitoring answers and fairness figures of the campaigns they manage"
            if manager
            else "Given to recruiting managers only: administrators always have it, panel "
            "members never may"
        )
        if not manager:
            self.monitoring_box.setChecked(False)
        hint = ROLE_HINTS.get(self.role_combo.currentData(), "")
        if self.context.actor.role != "administrator":
            hint += " Only an administrator can make someone a recruiting manager."
        self.role_hint.setText(hint)

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.people import create_person, update_person

        ctx = self.context.service_context()
        name, email = self.name_edit.text(), self.email_edit.text()
        role = self.role_combo.currentData()
        offered = not self.monitoring_box.isHidden()  # read here: save() runs in a worker
        monitoring = self.monitoring_box.isChecked() and offered
        if self.person is None:
            return lambda: create_person(ctx, name=name, email=email, role=role)
        person_id, version = self.person.id, self.expected_version
        was = self.person.equality_monitoring

        # One transaction: the details and the permission are saved together or not at all.
        return lambda: update_person(
            ctx,
            person_id,
            name=name,
            email=email,
            role=role,
            expected_version=version,
            equality_monitoring=monitoring if offered and monitoring != was else None,
        )

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        if self.person is None:
            return None
        from recruit_app.services.people import list_people

        ctx = self.context.service_context()
        person_id = self.person.id

        def reload() -> tuple[int, str]:
            latest = next((p for p in list_people(ctx) if p.id == person_id), None)
            if latest is None:
                raise ValidationError("That person is no longer listed.")
            state = "" if latest.active else ", deactivated"
            return latest.version, (
                f"Their version: {latest.name}, {latest.email}, "
                f"{Role.phrase_for(latest.role)}{state}."
            )

        return reload


class PasswordDialog(ServiceDialog):
    """An administrator sets someone's password (which also lifts any wait after failures)."""

    def __init__(self, context: AppContext, person: PersonRow, parent: QWidget | None = None):
        super().__init__(context, f"Set {person.name}'s password", parent)
        self.setObjectName("passwordDialog")
        self.setMinimumWidth(460)
        self.person = person
        intro = QLabel(
            f"{person.name} signs in with {person.email} and this password. "
            "Tell them it in person or by phone, and ask them to change it."
        )
        intro.setWordWrap(True)
        self.password_edit = _line("newPassword", limit=1100)
        self.confirm_edit = _line("confirmPassword", limit=1100)
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(intro)
        form.addRow("New &password", self.checked("password", self.password_edit))
        form.addRow("&Again", self.checked("confirm", self.confirm_edit))
        self.finish_layout(form)
        self.save_button.setText("Set password")
        self.password_edit.setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.auth import reset_password

        password = self.password_edit.text()
        if password != self.confirm_edit.text():
            raise ValidationError("The two passwords are not the same.", "confirm")
        ctx = self.context.service_context()
        person_id = self.person.id
        return lambda: reset_password(ctx, person_id, password)
