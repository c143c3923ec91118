"""The dialog that names a campaign (new or rename), with messages next to the fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from recruit_app.domain.campaigns import REFERENCE_MAX, TITLE_MAX
from recruit_app.errors import ConflictError, ValidationError
from ui.context import AppContext
from ui.errors import error_box
from ui.widgets import MessageArea, field_error_label


class CampaignDialog(QDialog):
    """Asks for a title (and, for a new campaign, a reference) and runs `submit` off the GUI thread.

    The dialog stays open until the save succeeds, so nothing typed is lost on an error.
    `saved` carries the service's result.
    """

    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        *,
        heading: str,
        submit: Callable[..., Any],
        title: str = "",
        ask_reference: bool = True,
        templates: list[tuple[str, str]] | None = None,
        reload: Callable[[], Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignDialog")
        self.setWindowTitle(heading)
        self.setMinimumWidth(460)
        self.context = context
        self.submit = submit
        self.reload = reload

        self.title_edit = QLineEdit(title)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setMaxLength(TITLE_MAX + 50)  # longer input gets a message, not a cut
        self.title_edit.setPlaceholderText("e.g. Software Developer, SEO")
        self.title_error = field_error_label("titleError")
        self.reference_edit = QLineEdit()
        self.reference_edit.setObjectName("referenceEdit")
        self.reference_edit.setMaxLength(REFERENCE_MAX + 20)
        self.reference_edit.setPlaceholderText("Leave empty for the next free reference")
        self.reference_error = field_error_label("referenceError")
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        self.template_combo.addItem("A blank advert", "")
        for code, label in templates or []:
            self.template_combo.addItem(label, code)
        self.template_combo.currentIndexChanged.connect(self._template_chosen)
        self.form_error = field_error_label("formError")
        # The messages share one place above the buttons whose room is kept while empty, so
        # the dialog neither grows nor moves its fields when one appears.
        self.messages = MessageArea("dialogMessages")
        for line in (self.title_error, self.reference_error, self.form_error):
            self.messages.add(line)
        self.reload_button = QPushButton("Reload their change")
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self._reload)

        form = QFormLayout()
        if templates is not None:
            form.addRow("&Start from", self.template_combo)
        form.addRow("&Title", self.title_edit)
        if ask_reference:
            form.addRow("&Reference", self.reference_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.hide()  # after adding: the box shows what it is given
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(self._update_save_button)
        self._update_save_button()

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _update_save_button(self) -> None:
        self.save_button.setEnabled(bool(self.title_edit.text().strip()))

    def _clear_errors(self) -> None:
        for label in (self.title_error, self.reference_error, self.form_error):
            label.clear()
            label.hide()
        self.reload_button.hide()

    def _template_chosen(self, _index: int) -> None:
        """Suggest the template's title while the user has not typed their own."""
        if not self.title_edit.isModified() and self.template_combo.currentData():
            self.title_edit.setText(self.template_combo.currentText().split(" (")[0])

    def _save(self) -> None:
        self._clear_errors()
        title, reference = self.title_edit.text(), self.reference_edit.text()
        template = self.template_combo.currentData() or ""
        self.buttons.setEnabled(False)
        self.context.writes.start(
            lambda: self.submit(title, reference, template), self._saved, self._failed
        )

    def _saved(self, result: Any) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            label = {"title": self.title_error, "reference": self.reference_error}.get(
                exc.field or "", self.form_error
            )
            label.setText(exc.message)
            label.show()
            (self.reference_edit if label is self.reference_error else self.title_edit).setFocus()
        elif isinstance(exc, ConflictError) and self.reload is not None:
            self.form_error.setText(exc.message)
            self.form_error.show()
            self.reload_button.show()
        else:
            error_box(self, exc)

    def _reload(self) -> None:
        """Fetch the newer version; the user's typed title stays in the field."""
        assert self.reload is not None
        self.reload_button.setEnabled(False)
        self.context.reads.start(self.reload, self._reloaded, self._failed)

    def _reloaded(self, message: str) -> None:
        self.reload_button.setEnabled(True)
        self.reload_button.hide()
        self.form_error.setText(message)
        self.form_error.show()
