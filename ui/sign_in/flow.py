"""Asking for sign-in: the right dialog for the database waiting for it, one at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ui.context import AppContext
from ui.errors import error_box


class SignInFlow(QObject):
    """Opens the sign-in dialog, or the first-administrator one where nobody can sign in yet.

    `signed_in` carries the Actor; `cancelled` means the person closed the dialog."""

    signed_in = Signal(object)
    cancelled = Signal()

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.context = context
        self.window = window
        self.dialog: QDialog | None = None
        self.error: QMessageBox | None = None
        self.email = ""  # the e-mail last signed in with, offered again

    def ask(self, first_administrator: bool | None = None) -> None:
        """Ask whoever is at the desk to sign in; None: find out first whether anyone can."""
        database = self.context.awaiting_sign_in
        if database is None:
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        if first_administrator is not None:
            self._open(database, first_administrator)
            return
        from recruit_app.services.auth import has_administrator

        self.context.reads.start(
            lambda: not has_administrator(database),
            lambda first: self._open(database, first),
            self._check_failed,
        )

    def _open(self, database: Any, first_administrator: bool) -> None:
        if self.dialog is not None or self.context.awaiting_sign_in is not database:
            return  # asked twice, or the database changed meanwhile
        from ui.sign_in.dialogs import FirstAdministratorDialog, SignInDialog

        dialog: FirstAdministratorDialog | SignInDialog
        if first_administrator:
            dialog = FirstAdministratorDialog(self.context, database, self.window)
        else:
            dialog = SignInDialog(self.context, database, email=self.email, parent=self.window)
        dialog.saved.connect(lambda actor: self._done(dialog, actor))
        dialog.rejected.connect(self.cancelled)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()

    def _done(self, dialog: Any, actor: Any) -> None:
        self.email = dialog.email_edit.text().strip().lower()
        self.signed_in.emit(actor)

    def _closed(self, _result: int) -> None:
        self.dialog = None

    def _check_failed(self, exc: BaseException) -> None:
        self.error = error_box(self.window, exc, "Sign in")
        self.cancelled.emit()
