"""A dialog that saves through a service off the GUI thread and shows its errors in one place.

Errors, whether about one field (which then takes the focus) or the whole form, appear in a
message area above the buttons whose room is kept while it is empty, so nothing in the form
moves and the dialog keeps its size when a message appears (a form full of reserved lines,
one under each field, would look gappy). A message longer than its two lines ends in "…"
with the whole text in its tooltip.

The dialog stays open until the save succeeds, so nothing typed is lost on an error. A
ConflictError (someone saved first) offers to reload their version's stamp: the fields keep
what the user typed, and saving again replaces their change knowingly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recruit_app.errors import ConflictError, RecruitError, ValidationError
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import MessageArea, MessageLine, field_error_label

# "criteria[2].level" -> "criteria": JSON paths from the format checks name their list.
_FIELD_HEAD = re.compile(r"^([A-Za-z_]+)")


class ServiceDialog(QDialog):
    """Subclasses build their fields, call `finish_layout`, and implement `work`."""

    saved = Signal(object)

    def __init__(self, context: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.context = context
        self.expected_version: int | None = None
        self.error_box: QMessageBox | None = None
        self._errors: dict[str, MessageLine] = {}
        self._focus: dict[str, QWidget] = {}
        self.messages = MessageArea("dialogMessages")
        self.form_error = self.messages.add(field_error_label("formError"))
        self.reload_button = QPushButton("Reload their change")
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.clicked.connect(self._reload)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        # In the button row, where showing it moves nothing else up or down.
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.hide()  # after adding: the box shows what it is given
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)

    # --- building ------------------------------------------------------------------

    def error_label(self, field: str, focus: QWidget | None = None) -> QLabel:
        """A red label for errors the services report against `field`, in the message area
        (the caller does not place it); `focus` takes the focus when it shows."""
        label = self.messages.add(field_error_label(f"{field}Error"))
        self._errors[field] = label
        if focus is not None:
            self._focus[field] = focus
        return label

    def checked(self, field: str, widget: QWidget) -> QWidget:
        """`widget`, for a form row, with errors about `field` going to the message area."""
        self.error_label(field, widget)
        return widget

    def finish_layout(self, body: QLayout) -> None:
        """The messages sit just above the buttons, in room kept for them."""
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    # --- for subclasses --------------------------------------------------------------

    def work(self) -> Callable[[], Any]:
        """Read the fields (on the GUI thread) and return the service call to run in a worker."""
        raise NotImplementedError

    def reload_work(self) -> Callable[[], tuple[int, str]] | None:
        """A worker call returning (current version, what it now says), or None: no reload."""
        return None

    def label_for(self, field: str | None) -> QLabel:
        if not field:
            return self.form_error
        if field in self._errors:
            return self._errors[field]
        head = _FIELD_HEAD.match(field)
        return self._errors.get(head.group(1) if head else "", self.form_error)

    def show_error(self, exc: ValidationError) -> None:
        label = self.label_for(exc.field)
        label.setText(exc.message)
        label.show()
        for field, candidate in self._errors.items():
            if candidate is label and field in self._focus:
                self._focus[field].setFocus()

    # --- saving ----------------------------------------------------------------------

    def clear_errors(self) -> None:
        for label in (self.form_error, *self._errors.values()):
            label.clear()
            label.hide()
        self.reload_button.hide()

    def _save(self) -> None:
        self.clear_errors()
        try:
            work = self.work()
        except ValidationError as exc:  # checks the dialog makes itself, before any service
            self.show_error(exc)
            return
        except RecruitError as exc:  # no database open, for one
            self.error_box = error_box(self, exc)
            return
        self.buttons.setEnabled(False)
        self.context.writes.start(work, self._saved, self._failed)

    def _saved(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_error(exc)
        elif isinstance(exc, ConflictError) and self.reload_work() is not None:
            self.form_error.setText(exc.message)
            self.form_error.show()
            self.reload_button.show()
        else:
            self.error_box = error_box(self, exc)

    def _reload(self) -> None:
        work = self.reload_work()
        if work is None:
            return
        self.reload_button.setEnabled(False)
        self.context.reads.start(work, self._reloaded, self._reload_failed)

    def _reloaded(self, result: tuple[int, str]) -> None:
        self.expected_version, theirs = result
        self.reload_button.setEnabled(True)
        self.reload_button.hide()
        self.form_error.setText(
            f"{theirs} What you typed is kept: Save to replace their version with yours, "
            "or Cancel to keep theirs."
        )
        self.form_error.show()

    def _reload_failed(self, exc: BaseException) -> None:
        self.reload_button.setEnabled(True)
        self.error_box = error_box(self, exc)
