"""The dialogs that take passwords: signing in, setting up the first administrator, and
changing one's own password. Each checks the password in a worker, never on the GUI thread,
and keeps what was typed except the password that failed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import RecruitError, ValidationError
from ui.context import AppContext
from ui.errors import error_box
from ui.library.dialog_base import ServiceDialog
from ui.sign_in.opening import describe

HINT_STYLE = "color: #52606d;"
EMAIL_MAX = 320
NAME_MAX = 200


class _PasswordDialog(ServiceDialog):
    """A ServiceDialog whose refusals (wrong password, a wait) are shown inside it."""

    def __init__(
        self,
        context: AppContext,
        *,
        title: str,
        heading: str,
        intro: str,
        action: str,
        database: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, title, parent)
        self.setMinimumWidth(440)
        self.save_button.setText(action)
        self.heading = QLabel(heading)
        self.heading.setObjectName("dialogHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel(intro)
        self.intro.setObjectName("dialogIntro")
        self.intro.setWordWrap(True)
        self.where = QLabel(describe(database) if database is not None else "")
        self.where.setObjectName("databaseWhere")
        self.where.setWordWrap(True)
        self.where.setStyleSheet(HINT_STYLE)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setVisible(database is not None)
        self.form = QFormLayout()

    def text_field(self, name: str, text: str = "", *, max_length: int = EMAIL_MAX) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setMaxLength(max_length + 50)  # longer input gets a message, not a cut
        return edit

    def password_field(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaxLength(1_100)
        return edit

    def add_row(self, label: str, field: str, widget: QLineEdit) -> None:
        self.form.addRow(label, self.checked(field, widget))

    def finish(self) -> None:
        """Heading, what this is about, the fields, then what went wrong, by the buttons."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.where)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)

    def after_failure(self, exc: BaseException) -> None:
        """Subclasses clear the passwords that failed."""

    def show_error(self, exc: ValidationError) -> None:
        # Refusals by the dialog's own checks and by the service alike.
        super().show_error(exc)
        self.after_failure(exc)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_error(exc)
            return
        if isinstance(exc, RecruitError):
            self.form_error.setText(exc.message)
            self.form_error.show()
        else:
            self.error_box = error_box(self, exc)
        self.after_failure(exc)


class SignInDialog(_PasswordDialog):
    """E-mail and password; `saved` carries the Actor of the person who signed in."""

    def __init__(
        self,
        context: AppContext,
        database: Any,
        *,
        email: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            context,
            title="Sign in – Recruit",
            heading="Sign in",
            intro="This database asks everyone to sign in.",
            action="Sign in",
            database=database,
            parent=parent,
        )
        self.setObjectName("signInDialog")
        self.database = database
        self.email_edit = self.text_field("emailEdit", email)
        self.email_edit.setPlaceholderText("name@example.org")
        self.password_edit = self.password_field("passwordEdit")
        self.add_row("&E-mail:", "email", self.email_edit)
        self.add_row("&Password:", "password", self.password_edit)
        self.finish()
        (self.password_edit if email else self.email_edit).setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.auth import sign_in

        email, password = self.email_edit.text().strip(), self.password_edit.text()
        if not email:
            raise ValidationError("Give the e-mail address you sign in with.", "email")
        if not password:
            raise ValidationError("Give your password.", "password")
        database = self.database
        return lambda: sign_in(database, email, password)

    def after_failure(self, exc: BaseException) -> None:
        if getattr(exc, "field", None) == "email":
            return  # no e-mail given: the password typed has not been tried
        self.password_edit.clear()
        (self.password_edit if self.email_edit.text().strip() else self.email_edit).setFocus()


class FirstAdministratorDialog(_PasswordDialog):
    """Set-up of a database that asks everyone to sign in but has nobody who can yet.

    `saved` carries the Actor of the new administrator, who is then signed in."""

    def __init__(self, context: AppContext, database: Any, parent: QWidget | None = None) -> None:
        super().__init__(
            context,
            title="Set up the first administrator – Recruit",
            heading="Set up the first administrator",
            intro=(
                "This database asks everyone to sign in, and nobody can yet. Set up its first "
                "administrator: you are then signed in as them and can add everyone else."
            ),
            action="Set up and sign in",
            database=database,
            parent=parent,
        )
        self.setObjectName("firstAdministratorDialog")
        self.database = database
        self.name_edit = self.text_field("nameEdit", max_length=NAME_MAX)
        self.email_edit = self.text_field("emailEdit")
        self.email_edit.setPlaceholderText("name@example.org")
        self.password_edit = self.password_field("passwordEdit")
        self.password_edit.setPlaceholderText("At least 10 characters")
        self.again_edit = self.password_field("againEdit")
        self.add_row("&Name:", "name", self.name_edit)
        self.add_row("&E-mail:", "email", self.email_edit)
        self.add_row("&Password:", "password", self.password_edit)
        self.add_row("Password &again:", "again", self.again_edit)
        self.finish()
        self.name_edit.setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.auth import create_first_administrator

        name, email = self.name_edit.text(), self.email_edit.text()
        password = self.password_edit.text()
        if password != self.again_edit.text():
            raise ValidationError("The two passwords are not the same.", "again")
        database = self.database
        return lambda: create_first_administrator(
            database, email=email, name=name, password=password
        )

    def after_failure(self, exc: BaseException) -> None:
        if getattr(exc, "field", None) in ("password", "again"):
            self.password_edit.clear()
            self.again_edit.clear()
            self.password_edit.setFocus()


class ChangePasswordDialog(_PasswordDialog):
    """The person signed in changes their own password, proving the current one."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context,
            title="Change password – Recruit",
            heading="Change your password",
            intro=f"Signed in as {context.actor.name}.",
            action="Change password",
            parent=parent,
        )
        self.setObjectName("changePasswordDialog")
        self.old_edit = self.password_field("oldPasswordEdit")
        self.new_edit = self.password_field("newPasswordEdit")
        self.new_edit.setPlaceholderText("At least 10 characters")
        self.again_edit = self.password_field("againEdit")
        self.add_row("&Current password:", "old_password", self.old_edit)
        self.add_row("&New password:", "password", self.new_edit)
        self.add_row("New password &again:", "again", self.again_edit)
        self.finish()
        self.old_edit.setFocus()

    def work(self) -> Callable[[], Any]:
        from recruit_app.services.auth import change_password

        old, new = self.old_edit.text(), self.new_edit.text()
        if not old:
            raise ValidationError("Give your current password.", "old_password")
        if new != self.again_edit.text():
            raise ValidationError("The two new passwords are not the same.", "again")
        ctx = self.context.service_context()
        return lambda: change_password(ctx, old, new)

    def after_failure(self, exc: BaseException) -> None:
        field = getattr(exc, "field", None)
        if field == "old_password":
            self.old_edit.clear()
            self.old_edit.setFocus()
        elif field in ("password", "again"):
            self.new_edit.clear()
            self.again_edit.clear()
            self.new_edit.setFocus()
